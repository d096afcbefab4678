// The ingest pipeline: one path for STOW-RS, `fovea import` and DIMSE C-STORE. Named phases, in
// order: size limit → parse (dicom/) → identify → content hash (received-instance.ts), then per
// SOP Instance UID, one at a time: unchanged? → frames kept or transcoded (codec/) and indexed
// (j2k/) → blobs written atomically → one SQLite transaction (store/) → obsolete version removed
// (stored-version.ts). Returns one outcome per instance; bad input becomes a failure with a DICOM
// Failure Reason, never an exception.

import { bufferSource, type RandomAccessSource } from '../bytes';
import { DUPLICATE_SOP_INSTANCE, fileSource } from '../store';
import { asFoveaError, failureReasonFor } from './failure';
import {
  checkObjectSize,
  contentSha256,
  identifyInstance,
  parseReceived,
  type IngestAttempt,
} from './received-instance';
import { SerialQueue } from './serial-queue';
import { discardVersion, storeVersion } from './stored-version';
import type { IngestDeps, IngestFailure, IngestOptions, IngestOutcome, Ingestor } from './types';

type OpenedSource = RandomAccessSource & { close?(): void };

/** The failure outcome: what the attempt knew, the Failure Reason, and its uncommitted blobs deleted. */
async function failedIngest(deps: IngestDeps, attempt: IngestAttempt, err: unknown): Promise<IngestFailure> {
  const error = asFoveaError(err);
  if (error.code === 'INGEST_INTERNAL')
    deps.logger.error('ingest.internal_error', { sopInstanceUid: attempt.sopInstanceUid, error: err });
  if (attempt.pendingVersionKey !== null) await discardVersion(deps.store, attempt.pendingVersionKey);
  const failure: IngestFailure = {
    status: 'failed',
    sopInstanceUid: attempt.sopInstanceUid,
    sopClassUid: attempt.sopClassUid,
    failureReason: failureReasonFor(error),
    error,
    warnings: attempt.warnings,
  };
  if (error.code !== DUPLICATE_SOP_INSTANCE) return failure;
  // Overwrite policy 'never': the stored instance is kept; UIDs only in the log (no PHI).
  deps.logger.warn('ingest.overwrite_refused', {
    sopInstanceUid: attempt.sopInstanceUid,
    sopClassUid: attempt.sopClassUid,
  });
  return { ...failure, refusedOverwrite: true };
}

async function ingestOne(
  deps: IngestDeps,
  queue: SerialQueue,
  open: () => OpenedSource,
  options: IngestOptions,
): Promise<IngestOutcome> {
  const attempt: IngestAttempt = { sopInstanceUid: null, sopClassUid: null, warnings: [], pendingVersionKey: null };
  let source: OpenedSource | undefined;
  try {
    source = open();
    checkObjectSize(source, deps.maxObjectBytes);
    const parsed = parseReceived(attempt, source);
    const identity = identifyInstance(attempt, parsed, options);
    const received = { parsed, identity, contentSha256: contentSha256(parsed), sizeBytes: source.size, raw: source };
    return await queue.run(identity.sopInstanceUid, () => storeVersion(deps, attempt, received));
  } catch (err) {
    return await failedIngest(deps, attempt, err);
  } finally {
    source?.close?.();
  }
}

export function createIngestor(deps: IngestDeps): Ingestor {
  const queue = new SerialQueue();
  return {
    ingestFile: (path, options = {}) => ingestOne(deps, queue, () => fileSource(path), options),
    ingestBytes: (bytes, options = {}) => ingestOne(deps, queue, () => bufferSource(bytes), options),
  };
}
