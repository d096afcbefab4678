// The ingest pipeline's contract: STOW-RS, `fovea import` and DIMSE C-STORE all call it and get
// one outcome per instance, with a DICOM Failure Reason (PS3.4 / PS3.18 Table 10.5.3-2) on failure.

import type { Codecs } from '../codec';
import type { FoveaError } from '../errors';
import type { Logger } from '../log';
import type { CommitOutcome, InstanceUids, OpenedStore, OverwritePolicy } from '../store';

/** PS3.18 Table 10.5.3-2 / PS3.4 failure reasons used by Fovea. */
export const FailureReason = {
  ProcessingFailure: 0x0110,
  NoSuchSopClass: 0x0122,
  SopClassNotSupported: 0x0122,
  OutOfResources: 0xa700,
  DataSetDoesNotMatchSopClass: 0xa900,
  CannotUnderstand: 0xc000,
  /** Study Instance UID in the instance differs from the one in the STOW-RS path. */
  StudyInstanceUidMismatch: 0xa900,
  TransferSyntaxNotSupported: 0xc122,
  /**
   * A different object with this SOP Instance UID is already stored and overwriting is disabled
   * (FOVEA_OVERWRITE=never). 0111H "Duplicate SOP Instance" is a general DIMSE failure status of
   * PS3.7 Annex C (the SOP Instance UID supplied is already registered), listed for N-CREATE (e.g.
   * PS3.2 Table N.7-40); PS3.4 Table B.2-1 has no C-STORE specific status for it, and C-STORE SCPs may
   * return general failures (PS3.2 Table N.7-42 lists 0112H, 0117H, 0210H...). STOW-RS carries
   * the same number as Failure Reason (0008,1197), PS3.18 Table 10.5.3-3.
   */
  DuplicateSopInstance: 0x0111,
} as const;

/**
 * PS3.18 Table 10.5.3-3 Warning Reason (0008,1196) / PS3.4 B.2.3 warning statuses. Only one is
 * used: an object kept as received (stored whole, byte for byte, but not transcoded to JPEG 2000
 * and not JPIP-servable). None of B000 / B006 / B007 describes that exactly; B007 "Data Set does
 * not match SOP Class" is the closest reading of "stored, but Fovea could not process its pixel
 * data" (nothing was coerced, B000, nor discarded, B006). conformance/dicomweb.md states it.
 */
export const WarningReason = {
  StoredAsReceived: 0xb007,
} as const;

/** What the ingest pipeline works with. */
export interface IngestDeps {
  store: OpenedStore;
  codecs: Codecs;
  publicUrl: string;
  logger: Logger;
  /** Largest object accepted (bytes). */
  maxObjectBytes: number;
  /** A different object under a stored SOP Instance UID: refused ('never', the default) or replaces it. */
  overwrite?: OverwritePolicy;
}

export interface IngestSuccess extends InstanceUids {
  status: CommitOutcome;
  warnings: string[];
  /** Set when the object is kept as received (a codec limit, e.g. CODEC_ENCODE_BITS_ALLOCATED), else null. */
  asReceivedReason: string | null;
}

export interface IngestFailure {
  status: 'failed';
  /** Known only if the header could be parsed that far. */
  sopInstanceUid: string | null;
  sopClassUid: string | null;
  failureReason: number;
  error: FoveaError;
  warnings: string[];
  /**
   * Audit hook: true when the object was refused by the overwrite policy (a different object under
   * a stored SOP Instance UID, FOVEA_OVERWRITE=never; error STORE_DUPLICATE_SOP_INSTANCE). The
   * stored instance is untouched. An audit trail records these as a failed store (PS3.15 A.5).
   */
  refusedOverwrite?: true;
}

export type IngestOutcome = IngestSuccess | IngestFailure;

/**
 * One received object's outcome as a multi-instance response reports it (STOW-RS Store Instances
 * Response Module, PS3.18 Table 10.5.3-3): the UIDs known so far and a Failure Reason when it was
 * not stored. Built from an IngestOutcome, or directly for a part that never reached ingest.
 */
export interface PartOutcome {
  sopClassUid: string | null;
  sopInstanceUid: string | null;
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  /** null when the instance is stored (or unchanged / replaced). */
  failureReason: number | null;
  /** Warning Reason (0008,1196) of a stored instance (kept as received), else null. */
  warningReason: number | null;
  /** Number of ingest notes (logged, not reported as PS3.18 warnings). */
  warnings: number;
}

export interface IngestOptions {
  /** STOW-RS /studies/{study}: instances of another study are refused (0xA900 / 409). */
  expectedStudyInstanceUid?: string;
}

export interface Ingestor {
  /** Ingests one Part 10 file (or bare dataset) from a local path; never throws for bad input. */
  ingestFile(path: string, options?: IngestOptions): Promise<IngestOutcome>;
  ingestBytes(bytes: Uint8Array, options?: IngestOptions): Promise<IngestOutcome>;
}
