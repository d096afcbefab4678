// WADO-RS metadata helpers (PS3.18 §10.4.1.1.2 / Annex F.2): the store keeps each instance's DICOM
// JSON with BulkDataURI values relative to the instance URL; responses carry absolute URIs
// (DICOM-JPIP.md §4.4: emit absolute). Works copy-on-write: stored objects are never mutated.

import type { DicomJson, DicomJsonAttribute } from '../../store/types';

function isDataset(v: unknown): v is DicomJson {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Returns `json` with every BulkDataURI (sequences included) resolved against `instanceUrl`. */
export function absolutizeBulkDataUris(json: DicomJson, instanceUrl: string, depth = 0): DicomJson {
  if (depth > 32) return json; // deeper nesting than any IOD defines: left as stored
  const base = `${instanceUrl}/`;
  let out: DicomJson | undefined;
  for (const [tag, a] of Object.entries(json)) {
    let next: DicomJsonAttribute = a;
    if (typeof a.BulkDataURI === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(a.BulkDataURI)) {
      next = { ...a, BulkDataURI: new URL(a.BulkDataURI, base).href };
    } else if (a.vr === 'SQ' && Array.isArray(a.Value)) {
      let changed = false;
      const items = a.Value.map((item) => {
        if (!isDataset(item)) return item;
        const n = absolutizeBulkDataUris(item, instanceUrl, depth + 1);
        if (n !== item) changed = true;
        return n;
      });
      if (changed) next = { ...a, Value: items };
    }
    if (next !== a) {
      out ??= { ...json };
      out[tag] = next;
    }
  }
  return out ?? json;
}
