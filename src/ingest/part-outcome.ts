// PartOutcome builders: the one place an ingest outcome, or a part that never reached ingest,
// becomes the per-instance entry of a multi-instance response (PS3.18 Table 10.5.3-3).

import { WarningReason, type IngestOutcome, type PartOutcome } from './types';

/** The reported entry of an ingested object: its UIDs, its Failure Reason if it failed, its Warning Reason if kept as received. */
export function partOutcomeOf(o: IngestOutcome): PartOutcome {
  if (o.status === 'failed') {
    return {
      sopClassUid: o.sopClassUid,
      sopInstanceUid: o.sopInstanceUid,
      studyInstanceUid: null,
      seriesInstanceUid: null,
      failureReason: o.failureReason,
      warningReason: null,
      warnings: o.warnings.length,
    };
  }
  return {
    sopClassUid: o.sopClassUid,
    sopInstanceUid: o.sopInstanceUid,
    studyInstanceUid: o.studyInstanceUid,
    seriesInstanceUid: o.seriesInstanceUid,
    failureReason: null,
    warningReason: o.asReceivedReason === null ? null : WarningReason.StoredAsReceived,
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
    warningReason: null,
    warnings: 0,
  };
}
