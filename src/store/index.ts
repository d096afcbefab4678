// Public API of store/: openStore() builds the SQLite instance store and the file blob store over
// one data folder (<dataDir>/fovea.sqlite, <dataDir>/objects, <dataDir>/tmp). Everything else in
// Fovea sees only the interfaces of ./types, so a PostgreSQL + object-store backend can replace it.

import { openDatabase } from './db';
import { FileBlobStore } from './file-blob-store';
import { SqliteInstanceStore } from './sqlite-instance-store';
import { SqliteJpipSessionStore } from './sqlite-jpip-sessions';
import { SqliteCredentialStore } from './sqlite-credentials';
import { sweepOrphans, type SweepOptions, type SweepReport } from './sweep';
import type { BlobStore, CredentialStore, InstanceStore, JpipSessionStore } from './types';

export interface StoreOptions {
  dataDir: string;
  /** Defaults to the migrations/ folder of the package. */
  migrationsDir?: string;
}

export interface OpenedStore {
  readonly dataDir: string;
  readonly instances: InstanceStore;
  readonly blobs: BlobStore;
  /** JPIP sessions and channels (ISO/IEC 15444-9 Annex B), in the same database. */
  readonly jpipSessions: JpipSessionStore;
  /** API key hashes and issued links (migration 0005), in the same database. */
  readonly credentials: CredentialStore;
  /** Deletes version folders no instance references and stale tmp/ files (call at start-up). */
  sweepOrphans(options?: SweepOptions): Promise<SweepReport>;
  close(): void;
}

export function openStore(options: StoreOptions): OpenedStore {
  const db = openDatabase(
    options.migrationsDir === undefined
      ? { dataDir: options.dataDir }
      : { dataDir: options.dataDir, migrationsDir: options.migrationsDir },
  );
  let blobs: FileBlobStore;
  try {
    blobs = new FileBlobStore(options.dataDir);
  } catch (err) {
    // objects/ or tmp/ unusable (STORE_DATA_DIR_*): the database opened above is not leaked.
    db.close();
    throw err;
  }
  const instances = new SqliteInstanceStore(db);
  const jpipSessions = new SqliteJpipSessionStore(db);
  return {
    dataDir: options.dataDir,
    instances,
    blobs,
    jpipSessions,
    credentials: new SqliteCredentialStore(db),
    sweepOrphans: (sweepOptions?: SweepOptions) => sweepOrphans(options.dataDir, instances, blobs, sweepOptions),
    close: () => {
      instances.close();
      void blobs.close();
    },
  };
}

export { fileSource } from './file-source';
export { findMigrationsDir } from './db';
export { versionKeyFor, datasetBlobKey, framesBlobKey, objectBlobKey, assertBlobKey } from './blob-key';
export { sweepOrphans, type SweepOptions, type SweepReport } from './sweep';
export {
  InvalidBlobKeyError,
  BlobIntegrityError,
  StoreSetupError,
  InvalidWriteError,
  DUPLICATE_SOP_INSTANCE,
  duplicateSopInstanceError,
} from './errors';
export {
  STUDY_ATTRIBUTES,
  SERIES_ATTRIBUTES,
  INSTANCE_ATTRIBUTES,
  type LevelAttribute,
  type MatchKind,
} from './qido-attributes';
export type * from './types';
