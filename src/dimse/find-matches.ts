// Runs a mapped Identifier against the store (the same matching as QIDO-RS) and resolves
// C-MOVE / C-GET Identifiers to the instances to send (PS3.4 C.4.2.2.1 / C.4.3.2.1: every
// instance below each matching study, series or image).

import { FoveaError } from '../errors';
import type { InstanceRecord, InstanceStore, QidoQuery, QidoResult } from '../store';
import type { MappedIdentifier } from './identifier';

/** Upper bound of re-runs when the store refuses a key it cannot match. */
const MAX_KEY_RETRIES = 32;

/**
 * Runs the query; keys the store cannot match at this level (QIDO_UNKNOWN_KEY, e.g. an optional
 * key Fovea does not index) are dropped from the matching keys and stay return keys (PS3.4
 * C.4.1.1.3.2: an SCP need not match on optional keys). Returns the dropped tags.
 */
export function runQuery(store: InstanceStore, query: QidoQuery): { result: QidoResult; dropped: string[] } {
  const dropped: string[] = [];
  let current = query;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return { result: store.query(current), dropped };
    } catch (err) {
      const tag = err instanceof FoveaError && err.code === 'QIDO_UNKNOWN_KEY' ? err.context : undefined;
      if (tag === undefined || attempt >= MAX_KEY_RETRIES || !current.matches.some((m) => m.tag === tag)) throw err;
      dropped.push(tag);
      current = { ...current, matches: current.matches.filter((m) => m.tag !== tag) };
    }
  }
}

function firstString(item: Record<string, { Value?: unknown[] }>, tag: string): string | undefined {
  const v = item[tag]?.Value?.[0];
  return typeof v === 'string' ? v : undefined;
}

/** The instances a C-MOVE / C-GET Identifier designates, deduplicated, in store order. */
export function instancesFor(store: InstanceStore, mapped: MappedIdentifier): InstanceRecord[] {
  const query: QidoQuery = { ...mapped.query, includeFields: ['0020000D', '0020000E', '00080018'] };
  const { result } = runQuery(store, query);
  const seen = new Set<string>();
  const out: InstanceRecord[] = [];
  const add = (records: InstanceRecord[]): void => {
    for (const r of records) {
      if (seen.has(r.sopInstanceUid)) continue;
      seen.add(r.sopInstanceUid);
      out.push(r);
    }
  };
  for (const item of result.items) {
    const study = firstString(item, '0020000D') ?? mapped.query.studyInstanceUid;
    const series = firstString(item, '0020000E') ?? mapped.query.seriesInstanceUid;
    const sop = firstString(item, '00080018');
    if (mapped.level === 'IMAGE' && sop !== undefined) {
      const record = store.getInstance(sop);
      if (record !== undefined) add([record]);
    } else if (mapped.level === 'SERIES' && study !== undefined && series !== undefined) {
      add(store.listInstances({ studyInstanceUid: study, seriesInstanceUid: series }));
    } else if (mapped.level === 'STUDY' && study !== undefined) {
      add(store.listInstances({ studyInstanceUid: study }));
    }
  }
  return out;
}
