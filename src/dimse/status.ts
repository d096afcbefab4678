// DIMSE status codes (PS3.7 Annex C, PS3.4 B.2.3 / C.4.1.1.4 / C.4.2.1.5 / C.4.3.1.4) and the one
// place that turns an ingest outcome or a thrown error into a status. Nothing else in src/dimse
// picks a status number.

import { FoveaError, BadRequestError, NotFoundError, UnavailableError } from '../errors';
import { LimitExceededError, MalformedError, TruncatedError, UnsupportedError } from '../bytes';
import type { IngestOutcome } from '../ingest';

export const DimseStatus = {
  Success: 0x0000,
  Pending: 0xff00,
  Cancel: 0xfe00,
  /** Warning: sub-operations complete, one or more failures or warnings (PS3.4 C.4.2.1.5). */
  SubOperationsCompleteWithFailures: 0xb000,
  ProcessingFailure: 0x0110,
  /** PS3.7 Annex C general failure: a different object with this SOP Instance UID is stored (FOVEA_OVERWRITE=never). */
  DuplicateSopInstance: 0x0111,
  SopClassNotSupported: 0x0122,
  OutOfResources: 0xa700,
  /** C-FIND/C-MOVE/C-GET: unable to calculate number of matches. */
  OutOfResourcesMatches: 0xa701,
  /** C-MOVE/C-GET: unable to perform sub-operations. */
  OutOfResourcesSubOperations: 0xa702,
  MoveDestinationUnknown: 0xa801,
  /** C-STORE: data set does not match SOP class; C-FIND/MOVE/GET: identifier does not match SOP class. */
  DataSetDoesNotMatchSopClass: 0xa900,
  CannotUnderstand: 0xc000,
  /** Refused: Not authorized (PS3.7 Annex C.5): the peer may not invoke this operation (access.ts). */
  NotAuthorized: 0x0124,
} as const;

export interface StatusWithComment {
  status: number;
  /** Error Comment (0000,0902), at most 64 characters (LO). */
  comment: string;
}

const ERROR_COMMENT_MAX = 64;

function comment(text: string): string {
  return text.length <= ERROR_COMMENT_MAX ? text : text.slice(0, ERROR_COMMENT_MAX);
}

/** C-STORE response status for an ingest outcome (PS3.4 Table B.2-1). SUCCESS only after the commit. */
export function storeStatusFor(outcome: IngestOutcome): StatusWithComment {
  if (outcome.status !== 'failed') return { status: DimseStatus.Success, comment: '' };
  switch (outcome.failureReason) {
    case DimseStatus.OutOfResources:
    case DimseStatus.DataSetDoesNotMatchSopClass:
    case DimseStatus.CannotUnderstand:
    case DimseStatus.SopClassNotSupported:
    case DimseStatus.ProcessingFailure:
    case DimseStatus.DuplicateSopInstance:
      return { status: outcome.failureReason, comment: comment(outcome.error.code) };
    default:
      // 0xC122 (STOW-RS "transfer syntax not supported") and anything newer: the data set was
      // received but cannot be understood by this SCP (PS3.4 B.2.3, 0xCxxx).
      return { status: DimseStatus.CannotUnderstand, comment: comment(outcome.error.code) };
  }
}

/** Failure status for an error thrown while serving C-FIND/C-MOVE/C-GET (PS3.4 C.4.1.1.4). */
export function queryFailureStatusFor(err: unknown): StatusWithComment {
  const code = err instanceof FoveaError ? err.code : 'DIMSE_INTERNAL';
  if (
    err instanceof BadRequestError ||
    err instanceof MalformedError ||
    err instanceof UnsupportedError ||
    err instanceof TruncatedError
  ) {
    return { status: DimseStatus.DataSetDoesNotMatchSopClass, comment: comment(code) };
  }
  if (err instanceof LimitExceededError || err instanceof UnavailableError) {
    return { status: DimseStatus.OutOfResourcesMatches, comment: comment(code) };
  }
  if (err instanceof NotFoundError) return { status: DimseStatus.CannotUnderstand, comment: comment(code) };
  return { status: DimseStatus.CannotUnderstand, comment: comment(code) };
}

/** Final C-MOVE/C-GET status from the sub-operation counts (PS3.4 C.4.2.1.5, C.4.3.1.4). */
export function retrieveFinalStatus(counts: { completed: number; failed: number; warning: number }): number {
  if (counts.failed === 0 && counts.warning === 0) return DimseStatus.Success;
  if (counts.completed === 0 && counts.warning === 0) return DimseStatus.OutOfResourcesSubOperations;
  return DimseStatus.SubOperationsCompleteWithFailures;
}

/** Classifies a C-STORE sub-operation response status (PS3.4 B.2.3): success, warning or failure. */
export function subOperationResult(status: number): 'completed' | 'warning' | 'failed' {
  if (status === DimseStatus.Success) return 'completed';
  if (status === 0x0001 || (status & 0xf000) === 0xb000) return 'warning';
  return 'failed';
}
