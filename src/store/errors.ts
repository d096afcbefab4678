// Store-specific errors. Bad client input uses the shared domain errors (BadRequestError,
// NotFoundError, ConflictError from src/errors.ts); these classes mark faults of the storage
// itself (setup, data integrity, a programming error in a blob key), which map to 500.

import { ConflictError, FoveaError } from '../errors';

/** The database or data folder cannot be opened or migrated (STORE_MIGRATIONS_NOT_FOUND, STORE_SCHEMA_TOO_NEW...). */
export class StoreSetupError extends FoveaError {}

/** A blob key is not a safe relative path (STORE_BLOB_KEY_INVALID). */
export class InvalidBlobKeyError extends FoveaError {}

/** Stored bytes do not match what the database says (STORE_BLOB_SHORT...). */
export class BlobIntegrityError extends FoveaError {}

/** An InstanceWrite handed to the store is inconsistent (a caller bug): STORE_BAD_WRITE. */
export class InvalidWriteError extends FoveaError {}

/** Stable code of a commit refused by the overwrite policy 'never' (types.ts OverwritePolicy). */
export const DUPLICATE_SOP_INSTANCE = 'STORE_DUPLICATE_SOP_INSTANCE';

/** A different object under a stored SOP Instance UID, refused (OverwritePolicy 'never'); the message names UIDs only. */
export function duplicateSopInstanceError(sopInstanceUid: string): ConflictError {
  return new ConflictError(
    DUPLICATE_SOP_INSTANCE,
    `a different object with SOP Instance UID ${sopInstanceUid} is already stored; overwriting is disabled (FOVEA_OVERWRITE=never)`,
    { context: sopInstanceUid },
  );
}
