// Maps an error raised while ingesting one instance to the DICOM Failure Reason of its outcome
// (PS3.18 Table 10.5.3-2 → PS3.4 Annex B.2.3 status codes): STOW-RS reports it as FailureReason,
// DIMSE C-STORE turns it into the response status (dimse/status.ts).

import { FoveaError, ConflictError } from '../errors';
import { LimitExceededError, MalformedError, TruncatedError, UnsupportedError } from '../bytes';
import { DUPLICATE_SOP_INSTANCE } from '../store';
import { FailureReason } from './types';

/** Wraps anything thrown into a FoveaError (unexpected errors keep their cause). */
export function asFoveaError(err: unknown): FoveaError {
  if (err instanceof FoveaError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new FoveaError('INGEST_INTERNAL', `internal error while storing: ${message}`, { cause: err });
}

export function failureReasonFor(err: FoveaError): number {
  if (err instanceof ConflictError)
    return err.code === DUPLICATE_SOP_INSTANCE
      ? FailureReason.DuplicateSopInstance
      : FailureReason.StudyInstanceUidMismatch;
  if (err instanceof LimitExceededError) return FailureReason.OutOfResources;
  if (err instanceof UnsupportedError) {
    return err.code.includes('TRANSFER_SYNTAX') || err.code.includes('_TS_')
      ? FailureReason.TransferSyntaxNotSupported
      : FailureReason.CannotUnderstand;
  }
  if (err instanceof MalformedError || err instanceof TruncatedError) {
    return err.code.startsWith('INGEST_MISSING')
      ? FailureReason.DataSetDoesNotMatchSopClass
      : FailureReason.CannotUnderstand;
  }
  return FailureReason.ProcessingFailure;
}
