// InstanceStore over SQLite (better-sqlite3). commitInstance records one instance in ONE
// transaction: patient/study/series rows upserted from the instance's DICOM JSON (the latest
// committed instance's values win), the instance row and its frame rows inserted or swapped,
// counts and ModalitiesInStudy maintained, emptied series/studies/patients removed.
// Replacement policy: same SOP Instance UID + same content SHA-256 → 'unchanged' (the caller's new
// blobs are obsolete); different content → refused with ConflictError STORE_DUPLICATE_SOP_INSTANCE
// under the overwrite policy 'never' (the default; checked inside the transaction, so concurrent
// writers cannot both pass it), 'replaced' under 'always' (the previous version's blobs are obsolete);
// an instance may move to another series or study; a series moves to another study only when it
// holds no other instance (else ConflictError STORE_SERIES_IN_OTHER_STUDY).

import type { Transaction } from 'better-sqlite3';
import type { DicomJsonObject } from '../dicom';
import { ConflictError, NotFoundError } from '../errors';
import { assertBlobKey, framesBlobKey } from './blob-key';
import type { SqliteDatabase } from './db';
import { duplicateSopInstanceError, InvalidWriteError } from './errors';
import { prepareInstanceStatements, type InstanceStatements, type Scope } from './sqlite-instance-statements';
import {
  instanceColumns,
  patientColumns,
  seriesColumns,
  studyColumns,
  toFrameRecord,
  toInstanceRecord,
  type FrameRow,
  type InstanceRow,
} from './sqlite-rows';
import { SqliteQido } from './sqlite-qido';
import type {
  CommitOptions,
  CommitResult,
  FrameRecord,
  InstanceRecord,
  InstanceStore,
  InstanceWrite,
  QidoQuery,
  OverwritePolicy,
  QidoResult,
} from './types';

function validateWrite(w: InstanceWrite): void {
  const bad = (msg: string): InvalidWriteError =>
    new InvalidWriteError('STORE_BAD_WRITE', msg, { context: w.sopInstanceUid });
  for (const [k, v] of [
    ['studyInstanceUid', w.studyInstanceUid],
    ['seriesInstanceUid', w.seriesInstanceUid],
    ['sopInstanceUid', w.sopInstanceUid],
    ['sopClassUid', w.sopClassUid],
  ] as const) {
    if (typeof v !== 'string' || v === '' || v.length > 64) throw bad(`${k} must be a UID`);
  }
  assertBlobKey(w.versionKey);
  if (!Number.isSafeInteger(w.numberOfFrames) || w.numberOfFrames < 0)
    throw bad('numberOfFrames must be a non-negative integer');
  w.frames.forEach((f, i) => {
    if (f.frameNumber !== i + 1) throw bad(`frames must be numbered 1..n in order (got ${f.frameNumber} at ${i})`);
    if (!Number.isSafeInteger(f.offset) || f.offset < 0 || !Number.isSafeInteger(f.length) || f.length < 0)
      throw bad(`frame ${f.frameNumber} has an invalid byte range`);
    if (!Number.isSafeInteger(f.codestreamOffset) || f.codestreamOffset < 0 || f.codestreamOffset > f.length)
      throw bad(`frame ${f.frameNumber} has an invalid codestream offset`);
  });
}

export class SqliteInstanceStore implements InstanceStore {
  private readonly s: InstanceStatements;
  private readonly qido: SqliteQido;
  private readonly commitTx: Transaction<(w: InstanceWrite, overwrite: OverwritePolicy) => CommitResult>;
  private closed = false;

  constructor(private readonly db: SqliteDatabase) {
    this.s = prepareInstanceStatements(db);
    this.qido = new SqliteQido(db);
    this.commitTx = db.transaction((w: InstanceWrite, overwrite: OverwritePolicy) =>
      this.commitInTransaction(w, overwrite),
    );
  }

  commitInstance(write: InstanceWrite, options: CommitOptions = {}): CommitResult {
    validateWrite(write);
    return this.commitTx.immediate(write, options.overwrite ?? 'never');
  }

  reserveVersion(versionKey: string): void {
    assertBlobKey(versionKey);
    this.s.reservePending.run(versionKey, Date.now());
  }

  releaseVersion(versionKey: string): void {
    this.s.releasePending.run(versionKey);
  }

  pendingVersions(beforeEpochMs: number): string[] {
    return (this.s.listPending.all(beforeEpochMs) as { version_key: string }[]).map((r) => r.version_key);
  }

  private commitInTransaction(w: InstanceWrite, overwrite: OverwritePolicy): CommitResult {
    const result = this.commitRows(w, overwrite);
    // Journal: the committed version is referenced now; an obsolete one waits for deletion.
    if (result.outcome !== 'unchanged' || result.obsoleteVersionKey === null) this.s.releasePending.run(w.versionKey);
    if (result.obsoleteVersionKey !== null) this.s.reservePending.run(result.obsoleteVersionKey, Date.now());
    return result;
  }

  private commitRows(w: InstanceWrite, overwrite: OverwritePolicy): CommitResult {
    // Read inside the IMMEDIATE transaction: no other writer can commit this UID until it ends.
    const existing = this.s.instanceByUid.get(w.sopInstanceUid) as
      { pk: number; series_pk: number; study_pk: number; content_sha256: string; version_key: string } | undefined;
    if (existing !== undefined && existing.content_sha256 === w.contentSha256) {
      return { outcome: 'unchanged', obsoleteVersionKey: w.versionKey === existing.version_key ? null : w.versionKey };
    }
    // Thrown before any row is touched; the rollback also keeps w.versionKey journalled.
    if (existing !== undefined && overwrite !== 'always') throw duplicateSopInstanceError(w.sopInstanceUid);
    const patientPk = this.s.upsertPatient.get(patientColumns(w)) as number;
    const pruneStudies = new Set<number>();
    const prunePatients = new Set<number>();

    // Study: created or updated with this instance's values.
    const study = this.s.studyByUid.get(w.studyInstanceUid) as { pk: number; patient_pk: number } | undefined;
    let studyPk: number;
    if (study === undefined) {
      studyPk = Number(
        this.s.insertStudy.run({ study_uid: w.studyInstanceUid, patient_pk: patientPk, ...studyColumns(w) })
          .lastInsertRowid,
      );
    } else {
      studyPk = study.pk;
      this.s.updateStudy.run({ pk: studyPk, patient_pk: patientPk, ...studyColumns(w) });
      if (study.patient_pk !== patientPk) prunePatients.add(study.patient_pk);
    }

    // The previous version leaves its series/study first, so that counts below are exact.
    if (existing !== undefined) {
      this.s.seriesInstances.run(-1, existing.series_pk);
      this.s.studyInstances.run(-1, existing.study_pk);
    }

    const series = this.s.seriesByUid.get(w.seriesInstanceUid) as
      { pk: number; study_pk: number; num_instances: number } | undefined;
    let seriesPk: number;
    if (series === undefined) {
      seriesPk = Number(
        this.s.insertSeries.run({ series_uid: w.seriesInstanceUid, study_pk: studyPk, ...seriesColumns(w) })
          .lastInsertRowid,
      );
      this.s.studySeries.run(1, studyPk);
    } else {
      seriesPk = series.pk;
      if (series.study_pk !== studyPk) {
        if (series.num_instances > 0) {
          throw new ConflictError(
            'STORE_SERIES_IN_OTHER_STUDY',
            `series ${w.seriesInstanceUid} belongs to another study than ${w.studyInstanceUid}`,
            {
              context: w.sopInstanceUid,
            },
          );
        }
        this.s.studySeries.run(-1, series.study_pk);
        this.s.studySeries.run(1, studyPk);
        pruneStudies.add(series.study_pk);
      }
      this.s.updateSeries.run({ pk: seriesPk, study_pk: studyPk, ...seriesColumns(w) });
    }

    const row = { series_pk: seriesPk, study_pk: studyPk, ...instanceColumns(w) };
    let instancePk: number;
    if (existing === undefined) {
      instancePk = Number(this.s.insertInstance.run(row).lastInsertRowid);
    } else {
      instancePk = existing.pk;
      this.s.updateInstance.run({ pk: instancePk, ...row });
      this.s.deleteFrames.run(instancePk);
    }
    this.s.seriesInstances.run(1, seriesPk);
    this.s.studyInstances.run(1, studyPk);
    const insertFrame = this.s.insertFrame;
    for (const f of w.frames) {
      const s = f.summary;
      insertFrame.run(
        instancePk,
        f.frameNumber,
        framesBlobKey(w.versionKey),
        f.offset,
        f.length,
        f.sha256,
        f.codestreamOffset,
        f.transferSyntaxUid,
        s.width,
        s.height,
        s.components,
        s.bitDepth,
        s.signed ? 1 : 0,
        s.levels,
        s.layers,
        s.progression,
        s.tilesX,
        s.tilesY,
        s.precincts,
        s.htj2k ? 1 : 0,
        f.packetIndex === null
          ? null
          : Buffer.from(f.packetIndex.buffer, f.packetIndex.byteOffset, f.packetIndex.byteLength),
      );
    }

    if (existing !== undefined && existing.series_pk !== seriesPk) {
      const gone = this.s.deleteEmptySeries.get(existing.series_pk) as { study_pk: number } | undefined;
      if (gone !== undefined) this.s.studySeries.run(-1, gone.study_pk);
    }
    if (existing !== undefined && existing.study_pk !== studyPk) pruneStudies.add(existing.study_pk);
    pruneStudies.delete(studyPk);
    for (const pk of pruneStudies) {
      const gone = this.s.deleteEmptyStudy.get(pk) as { patient_pk: number } | undefined;
      if (gone !== undefined) prunePatients.add(gone.patient_pk);
      else this.s.modalities.run({ pk });
    }
    this.s.modalities.run({ pk: studyPk });
    prunePatients.delete(patientPk);
    for (const pk of prunePatients) this.s.deleteOrphanPatient.run({ pk });

    if (existing === undefined) return { outcome: 'stored', obsoleteVersionKey: null };
    return {
      outcome: 'replaced',
      obsoleteVersionKey: existing.version_key === w.versionKey ? null : existing.version_key,
    };
  }

  getInstance(sopInstanceUid: string): InstanceRecord | undefined {
    const r = this.s.getInstance.get(sopInstanceUid) as InstanceRow | undefined;
    return r === undefined ? undefined : toInstanceRecord(r);
  }

  listInstances(scope: { studyInstanceUid: string; seriesInstanceUid?: string }): InstanceRecord[] {
    const rows = (
      scope.seriesInstanceUid === undefined
        ? this.s.listStudy.all(scope.studyInstanceUid)
        : this.s.listSeries.all(scope.studyInstanceUid, scope.seriesInstanceUid)
    ) as InstanceRow[];
    return rows.map(toInstanceRecord);
  }

  private metadataTexts(scope: Scope): string[] {
    if (scope.sopInstanceUid !== undefined) {
      const series = scope.seriesInstanceUid ?? null;
      const one = this.s.metaInstance.get(scope.studyInstanceUid, series, series, scope.sopInstanceUid) as
        string | undefined;
      return one === undefined ? [] : [one];
    }
    if (scope.seriesInstanceUid !== undefined)
      return this.s.metaSeries.all(scope.studyInstanceUid, scope.seriesInstanceUid) as string[];
    return this.s.metaStudy.all(scope.studyInstanceUid) as string[];
  }

  metadata(scope: Scope): DicomJsonObject[] {
    return this.metadataTexts(scope).map((t) => JSON.parse(t) as DicomJsonObject);
  }

  metadataJson(scope: Scope): string {
    return `[${this.metadataTexts(scope).join(',')}]`;
  }

  getFrame(sopInstanceUid: string, frameNumber: number): FrameRecord | undefined {
    const r = this.s.getFrame.get(sopInstanceUid, frameNumber) as FrameRow | undefined;
    return r === undefined ? undefined : toFrameRecord(r);
  }

  listFrames(sopInstanceUid: string): FrameRecord[] {
    return (this.s.listFrames.all(sopInstanceUid) as FrameRow[]).map(toFrameRecord);
  }

  query(query: QidoQuery): QidoResult {
    return this.qido.query(query);
  }

  framesWithoutIndex(limit: number): FrameRecord[] {
    const n = Number.isSafeInteger(limit) && limit > 0 ? limit : 0;
    return (this.s.framesWithoutIndex.all(n) as FrameRow[]).map(toFrameRecord);
  }

  setPacketIndex(sopInstanceUid: string, frameNumber: number, packetIndex: Uint8Array): void {
    const blob = Buffer.from(packetIndex.buffer, packetIndex.byteOffset, packetIndex.byteLength);
    const changes = this.s.setPacketIndex.run(blob, sopInstanceUid, frameNumber).changes;
    if (changes === 0)
      throw new NotFoundError('STORE_FRAME_NOT_FOUND', `no frame ${frameNumber} of ${sopInstanceUid}`, {
        context: sopInstanceUid,
      });
  }

  hasVersion(versionKey: string): boolean {
    return this.s.hasVersion.get(versionKey) !== undefined;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
