// Public API of ingest/: the one pipeline for STOW-RS, `fovea import` and DIMSE C-STORE.
export { createIngestor } from './pipeline';
export {
  FailureReason,
  WarningReason,
  type IngestDeps,
  type IngestOutcome,
  type IngestSuccess,
  type IngestFailure,
  type IngestOptions,
  type Ingestor,
  type PartOutcome,
} from './types';
export { partOutcomeOf, failedPart } from './part-outcome';
export { backfillPacketIndexes } from './backfill-index';
