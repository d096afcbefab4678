// A view of the InstanceStore for study-scoped link tokens: while the current request's principal
// is limited to one study (request-context.ts), every other study is absent — getInstance returns
// undefined, lists are empty, QIDO matches only that study. Handlers then answer exactly as they do
// for a study that was never stored (same 404 status, code and body), so a link reveals nothing
// about other studies. Outside such a request every call passes straight through. Writes always
// pass through (a link grants read only; the permission check refuses writes before this).

import type { DicomJsonObject } from '../dicom';
import type { FrameRecord, InstanceRecord, InstanceStore, QidoQuery, QidoResult } from '../store';
import { currentStudyScope } from './request-context';

const STUDY_UID_TAG = '0020000D';

/** The query restricted to `study`, or undefined when it cannot match anything in it. */
export function scopeQuery(query: QidoQuery, study: string): QidoQuery | undefined {
  if (query.studyInstanceUid !== undefined) return query.studyInstanceUid === study ? query : undefined;
  const own = query.matches.filter((m) => m.tag === STUDY_UID_TAG);
  // A UID list match (PS3.4 C.2.2.2.2) either names the study or excludes it.
  if (own.some((m) => !m.value.split(/[,\\]/).includes(study))) return undefined;
  return {
    ...query,
    matches: [...query.matches.filter((m) => m.tag !== STUDY_UID_TAG), { tag: STUDY_UID_TAG, value: study }],
  };
}

export function studyScopedStore(
  inner: InstanceStore,
  scope: () => string | undefined = currentStudyScope,
): InstanceStore {
  const visible = (sop: string): InstanceRecord | undefined => {
    const rec = inner.getInstance(sop);
    const study = scope();
    return rec === undefined || study === undefined || rec.studyInstanceUid === study ? rec : undefined;
  };
  const inScope = (studyInstanceUid: string): boolean => {
    const study = scope();
    return study === undefined || study === studyInstanceUid;
  };
  return {
    commitInstance: (write) => inner.commitInstance(write),
    reserveVersion: (key) => inner.reserveVersion(key),
    releaseVersion: (key) => inner.releaseVersion(key),
    pendingVersions: (before) => inner.pendingVersions(before),
    hasVersion: (key) => inner.hasVersion(key),
    framesWithoutIndex: (limit) => inner.framesWithoutIndex(limit),
    setPacketIndex: (sop, n, index) => inner.setPacketIndex(sop, n, index),
    close: () => inner.close(),
    getInstance: (sop) => visible(sop),
    listInstances: (s): InstanceRecord[] => (inScope(s.studyInstanceUid) ? inner.listInstances(s) : []),
    getFrame: (sop, n): FrameRecord | undefined => (visible(sop) === undefined ? undefined : inner.getFrame(sop, n)),
    listFrames: (sop): FrameRecord[] => (visible(sop) === undefined ? [] : inner.listFrames(sop)),
    metadata: (s): DicomJsonObject[] => (inScope(s.studyInstanceUid) ? inner.metadata(s) : []),
    metadataJson: (s): string => (inScope(s.studyInstanceUid) ? inner.metadataJson(s) : '[]'),
    query: (q): QidoResult => {
      const study = scope();
      if (study === undefined) return inner.query(q);
      const scoped = scopeQuery(q, study);
      return scoped === undefined ? { items: [], total: 0 } : inner.query(scoped);
    },
  };
}
