// Domain records and the Store contract. SQLite (better-sqlite3) implements it today; a
// PostgreSQL + object-store implementation can implement the same interfaces later, so the
// rest of Fovea never sees SQL, file paths or the database engine. The value types the records
// carry belong to the pure layers: DICOM JSON to dicom/, the codestream summary to j2k/.

import type { DicomJsonObject } from '../dicom';
import type { CodestreamSummary } from '../j2k';

export interface FrameWrite {
  /** 1-based frame number. */
  frameNumber: number;
  /** Byte offset and length of the codestream inside the version's frames file. */
  offset: number;
  length: number;
  sha256: string;
  /** Offset of the codestream (SOC) inside the stored frame: 0, or the JP2/JPH header length
   *  when the sender put a JP2 file in Pixel Data (kept byte for byte). */
  codestreamOffset: number;
  /** Transfer syntax of this codestream as stored (.90/.91/.201/.202/.203). */
  transferSyntaxUid: string;
  summary: CodestreamSummary;
  /** Encoded packet index (j2k.encodePacketIndex), or null if not computed. */
  packetIndex: Uint8Array | null;
}

export interface FrameRecord extends FrameWrite {
  sopInstanceUid: string;
  /** Blob key of the frames file that holds this codestream. */
  framesKey: string;
}

/** The UIDs that place an instance in the study / series / instance hierarchy (PS3.3 C.7.2.1, C.7.3.1, C.12.1). */
export interface InstanceUids {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
}

/** What ingest hands the store for one instance (blobs already written under `versionKey`). */
export interface InstanceWrite extends InstanceUids {
  /** Transfer syntax the sender used. */
  receivedTransferSyntaxUid: string;
  /**
   * Transfer syntax of the stored representation: the frames' syntax for pixel objects,
   * Explicit VR LE for objects without pixels, .94/.95/.204/.205 for JPIP-referenced objects,
   * the received syntax for objects kept as received.
   */
  storedTransferSyntaxUid: string;
  /** SHA-256 of the received object's content (dataset without group 0002); decides no-op vs replace. */
  contentSha256: string;
  /** Blob-store key prefix of this version: `${versionKey}/dataset.dcm`, `${versionKey}/frames.bin`. */
  versionKey: string;
  /** Size of the object as received, in bytes. */
  sizeBytes: number;
  numberOfFrames: number;
  /** Pixel Data Provider URL of a received JPIP-referenced object, else null. */
  pixelDataProviderUrl: string | null;
  /**
   * Set when the object is kept as received (`${versionKey}/object.dcm` holds its received bytes,
   * there are no frame rows): the stable code of the codec limit that stopped the transcode or
   * index. Absent or null for objects stored as frames, without pixels, or JPIP referenced.
   */
  asReceivedReason?: string | null;
  /** The instance's full DICOM JSON (BulkDataURIs relative to the DICOMweb root: "studies/.../bulkdata/..."). */
  metadata: DicomJsonObject;
  frames: FrameWrite[];
}

export type CommitOutcome = 'stored' | 'unchanged' | 'replaced';

/**
 * What a commit does with a different object (another content SHA-256) under a SOP Instance UID
 * that is already stored: 'never' refuses it (ConflictError STORE_DUPLICATE_SOP_INSTANCE, nothing
 * changes; the default, as Orthanc's OverwriteInstances=false), 'always' replaces the stored
 * version. Identical content is 'unchanged' under both.
 */
export type OverwritePolicy = 'never' | 'always';

export interface CommitOptions {
  /** Default 'never'. */
  overwrite?: OverwritePolicy;
}

export interface CommitResult {
  outcome: CommitOutcome;
  /** For 'replaced': the version key whose blobs can now be deleted. For 'unchanged': the version
   *  key of the new (unused) blobs the caller wrote and should delete. */
  obsoleteVersionKey: string | null;
}

/** A stored instance: what was written, less the metadata and frames (read separately). */
export type InstanceRecord = Omit<InstanceWrite, 'metadata' | 'frames' | 'asReceivedReason'> & {
  instanceNumber: number | null;
  /** Why the object is kept as received (see InstanceWrite.asReceivedReason), else null. */
  asReceivedReason: string | null;
};

export type QidoLevel = 'study' | 'series' | 'instance';

/** One matching key from a QIDO-RS query (PS3.18 §8.3.4, matching per PS3.4 C.2.2.2). */
export interface QidoMatch {
  /** 8-hex-digit tag, upper case (e.g. "00100010"); nested sequence matching is not supported. */
  tag: string;
  /** Raw query value (already %-decoded); comma-separated UID lists, "a-b" ranges, * and ? wildcards. */
  value: string;
}

export interface QidoQuery {
  level: QidoLevel;
  /** Path scoping: /studies/{study}/series, /studies/{study}/series/{series}/instances ... */
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  matches: QidoMatch[];
  /** Tags requested with includefield (8-hex upper), or 'all'. */
  includeFields: string[] | 'all';
  fuzzyMatching: boolean;
  limit: number;
  offset: number;
}

export interface QidoResult {
  /** DICOM JSON objects for the level, with the default attributes of PS3.18 Table 10.6.3-3/4/5 plus includefields. */
  items: DicomJsonObject[];
  /** Total matches before limit/offset, when cheap to know; else null. */
  total: number | null;
}

/** Read/write access to instances, frames and the QIDO indexes. */
export interface InstanceStore {
  /** Atomically records one instance (all rows in one transaction). Clears the journal entry of
   *  `write.versionKey` and journals the version a replacement made obsolete. The overwrite policy
   *  is checked inside that transaction: a refused write (STORE_DUPLICATE_SOP_INSTANCE) changes
   *  nothing, and its version stays journalled for the caller to delete. */
  commitInstance(write: InstanceWrite, options?: CommitOptions): CommitResult;
  /** Journals a version key before its blobs are written (crash recovery, see sweepOrphans). */
  reserveVersion(versionKey: string): void;
  /** Removes a version key from the journal (its blobs are committed or deleted). */
  releaseVersion(versionKey: string): void;
  /** Journalled version keys reserved before `beforeEpochMs`. */
  pendingVersions(beforeEpochMs: number): string[];
  getInstance(sopInstanceUid: string): InstanceRecord | undefined;
  /** Instances of a study or series, ordered by series then instance number. */
  listInstances(scope: { studyInstanceUid: string; seriesInstanceUid?: string }): InstanceRecord[];
  getFrame(sopInstanceUid: string, frameNumber: number): FrameRecord | undefined;
  listFrames(sopInstanceUid: string): FrameRecord[];
  /** Precomputed DICOM JSON of each instance, in listInstances order (WADO-RS metadata). */
  metadata(scope: { studyInstanceUid: string; seriesInstanceUid?: string; sopInstanceUid?: string }): DicomJsonObject[];
  /** Same as `metadata`, already serialised as one JSON array string (the stored JSON texts
   *  concatenated, nothing parsed): the fast path for WADO-RS metadata of large series. */
  metadataJson(scope: { studyInstanceUid: string; seriesInstanceUid?: string; sopInstanceUid?: string }): string;
  /** True if an instance row references this version key (orphan sweep). */
  hasVersion(versionKey: string): boolean;
  query(query: QidoQuery): QidoResult;
  /** Frames whose packet index is missing (to fill at start-up). */
  framesWithoutIndex(limit: number): FrameRecord[];
  setPacketIndex(sopInstanceUid: string, frameNumber: number, packetIndex: Uint8Array): void;
  close(): void;
}

/** Byte storage for dataset and frames files, keyed by relative paths like "ab/1.2.3/v1/frames.bin". */
export interface BlobStore {
  /** Writes atomically: temp file, fsync, rename. Chunks are written in order. */
  put(key: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<{ size: number; sha256: string }>;
  /** Several blobs written atomically as a group, in order (a later entry's chunks may be produced
   *  after an earlier entry's are consumed), made durable together. */
  putMany(
    entries: readonly { key: string; chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> }[],
  ): Promise<{ size: number; sha256: string }[]>;
  /** Reads `length` bytes at `offset` (throws NotFoundError if the blob is missing). */
  read(key: string, offset: number, length: number): Promise<Uint8Array>;
  /** Streams a byte range without holding it in memory. */
  stream(key: string, offset: number, length: number): AsyncIterable<Uint8Array>;
  size(key: string): Promise<number>;
  /** Deletes every blob under a key prefix (a whole version folder). */
  deletePrefix(prefix: string): Promise<void>;
  /** Absolute path for local tools (CLI), or null for non-file backends. */
  localPath(key: string): string | null;
}

/** One JPIP session (ISO/IEC 15444-9 Annex B) as stored: its target, target id and cache model. */
export interface JpipSessionRecord {
  sessionId: string;
  /** SOP Instance UID the session is bound to. */
  target: string;
  tid: string;
  /** Encoded server cache model (jpip CacheModel.encode()). */
  cacheModel: Uint8Array;
  createdAt: number;
  lastUsedAt: number;
  /** Principal.id of whoever opened the session (default "anonymous"); only it may use its channels. */
  owner?: string;
}

/** Persistent JPIP sessions and channels, shared by every server process on the data folder. */
export interface JpipSessionStore {
  /** Creates a session with its first channel. */
  create(session: JpipSessionRecord, cid: string, transport: string): void;
  /** Adds a channel to an existing session; false if the session is gone. */
  addChannel(sessionId: string, cid: string, transport: string, now: number): boolean;
  /** The session a channel belongs to, or undefined (unknown or closed cid). */
  byChannel(cid: string): JpipSessionRecord | undefined;
  /** Channel ids of a session. */
  channels(sessionId: string): string[];
  /** Stores the updated cache model and tid, and marks the session used at `now`. */
  save(sessionId: string, tid: string, cacheModel: Uint8Array, now: number): void;
  /** Closes channels; a session left without channels is deleted. */
  closeChannels(sessionId: string, cids: readonly string[]): void;
  /** Deletes sessions not used since `before`; returns how many. */
  deleteIdle(before: number): number;
  count(): number;
}

/** One API key as stored: never the key, only its SHA-256 (migration 0005). */
export interface ApiKeyRecord {
  name: string;
  keyHash: string;
  /** "read", "write", "admin" words. */
  permissions: string[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** One issued study-scoped link (migration 0005). */
export interface LinkRecord {
  linkId: string;
  studyInstanceUid: string;
  expiresAt: number;
  createdAt: number;
  revokedAt: number | null;
}

/** API keys and issued links (the credentials Fovea itself hands out). */
export interface CredentialStore {
  /** Adds a key; false when the name is taken. */
  addApiKey(record: ApiKeyRecord): boolean;
  apiKeyByHash(keyHash: string): ApiKeyRecord | undefined;
  listApiKeys(): ApiKeyRecord[];
  /** Marks a key revoked; false when no live key has that name. */
  revokeApiKey(name: string, now: number): boolean;
  touchApiKey(name: string, now: number): void;
  addLink(record: LinkRecord): void;
  link(linkId: string): LinkRecord | undefined;
  /** Marks a link revoked (recording it even if this server did not issue it); false if it was already revoked. */
  revokeLink(linkId: string, now: number): boolean;
}
