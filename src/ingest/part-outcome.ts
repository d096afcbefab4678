// PartOutcome builders: the one place an ingest outcome, or a part that never reached ingest,
// becomes the per-instance entry of a multi-instance response (PS3.18 Table 10.5.3-3).

import type { IngestOutcome, PartOutcome } from './types';

/** The reported entry of an ingested object: its UIDs, and its Failure Reason if it failed. */
export function partOutcomeOf(o: IngestOutcome): PartOutcome {
  if (o.status === 'failed') {
    return {
      sopClassUid: o.sopClassUid,
      sopInstanceUid: o.sopInstanceUid,
      studyInstanceUid: null,
      seriesInstanceUid: null,
      failureReason: o.failureReason,
      warnings: o.warnings.length,
    };
  }
  return {
    sopClassUid: o.sopClassUid,
    sopInstanceUid: o.sopInstanceUid,
    studyInstanceUid: o.studyInstanceUid,
    seriesInstanceUid: o.seriesInstanceUid,
    failureReason: null,
    warnings: o.warnings.length,
  };
}

/** The entry of a part that failed before any UID was known (not DICOM, ingest crashed, still pending). */
export function failedPart(failureReason: number): PartOutcome {
  return {
    sopClassUid: null,
    sopInstanceUid: null,
    studyInstanceUid: null,
    seriesInstanceUid: null,
    failureReason,
    warnings: 0,
  };
}
