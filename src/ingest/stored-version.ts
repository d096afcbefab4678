// The ingest phases that store one received version, run under the per-SOP queue: the
// "unchanged" check, the storage plan (frames kept or transcoded, or none; PS3.5 §10.1 unknown
// syntaxes refused when they carry pixels; the object kept as received when a codec limit stops
// the pixel stage, as-received.ts), the version's blobs (frames.bin or object.dcm, then
// dataset.dcm without Pixel Data, durable together before the commit), the InstanceWrite with its
// DICOM JSON (PS3.18 F.2), the one SQLite commit, and the removal of the version a replacement
// made obsolete. A different object under a stored SOP Instance UID is refused unless the
// overwrite policy is 'always' (STORE_DUPLICATE_SOP_INSTANCE; store/types.ts OverwritePolicy).

import { UnsupportedError, type RandomAccessSource } from '../bytes';
import {
  encodePart10,
  EXPLICIT_VR_LITTLE_ENDIAN,
  formatTag,
  Tags,
  toDicomJson,
  transferSyntax,
  type DicomDataset,
  type DicomJsonObject,
  type ParsedDicom,
} from '../dicom';
import { FoveaError } from '../errors';
import {
  datasetBlobKey,
  duplicateSopInstanceError,
  framesBlobKey,
  objectBlobKey,
  versionKeyFor,
  type InstanceUids,
  type InstanceWrite,
  type OpenedStore,
} from '../store';
import { codecLimitReason, receivedObjectChunks } from './as-received';
import { planFrames, type FramePlan } from './frame-producer';
import type { IngestAttempt } from './received-instance';
import type { IngestDeps, IngestOutcome } from './types';

/** Binary values up to this size are inlined in metadata (InlineBinary), larger ones get a BulkDataURI. */
const INLINE_BINARY_MAX = 1024;

/** A parsed, identified object ready to be stored. */
export interface ReceivedInstance {
  parsed: ParsedDicom;
  identity: InstanceUids;
  contentSha256: string;
  /** Size of the object as received, in bytes. */
  sizeBytes: number;
  /** The received bytes (before any inflate): what an object kept as received stores. */
  raw: RandomAccessSource;
}

/** How the object is stored: its frames (kept or transcoded), none (no pixels, or JPIP referenced), or as received. */
interface StoragePlan {
  isJpipReferenced: boolean;
  framePlan: FramePlan | null;
  /** Set when the object is kept as received: the code of the codec limit (as-received.ts). */
  asReceivedReason: string | null;
}

function asReceivedPlan(reason: string): StoragePlan {
  return { isJpipReferenced: false, framePlan: null, asReceivedReason: reason };
}

function planStorage(parsed: ParsedDicom, deps: Pick<IngestDeps, 'codecs'>): StoragePlan {
  const tsUid = parsed.transferSyntaxUid;
  const ts = transferSyntax(tsUid);
  const isJpipReferenced = ts !== undefined && (ts.family === 'jpip' || ts.family === 'jpip-htj2k');
  if (ts === undefined && parsed.pixelData !== null) {
    // PS3.5 §10.1 lets the data set be read as Explicit VR LE, but its pixels cannot be: refuse
    // rather than store the object without them.
    throw new UnsupportedError('INGEST_TRANSFER_SYNTAX_UNSUPPORTED', `pixel data in unknown transfer syntax ${tsUid}`, {
      context: tsUid,
    });
  }
  // Float / Double Float Pixel Data (PS3.3 C.7.6.24, parametric maps): pixels Fovea cannot encode as J2K.
  const ds = parsed.dataset;
  if (!isJpipReferenced && (ds.has(Tags.FloatPixelData) || ds.has(Tags.DoubleFloatPixelData)))
    return asReceivedPlan('INGEST_FLOAT_PIXEL_DATA');
  if (ts === undefined || isJpipReferenced) return { isJpipReferenced, framePlan: null, asReceivedReason: null };
  try {
    return { isJpipReferenced, framePlan: planFrames(parsed, ts, deps.codecs), asReceivedReason: null };
  } catch (err) {
    const reason = codecLimitReason(err);
    if (reason === null) throw err;
    return asReceivedPlan(reason);
  }
}

/** The dataset kept in dataset.dcm: everything but the pixel data, with a transcode's new colour space. */
function storedDataset(parsed: ParsedDicom, frames: FramePlan | null): DicomDataset {
  const ds = parsed.dataset.clone();
  ds.delete(Tags.PixelData);
  ds.delete(Tags.ExtendedOffsetTable);
  ds.delete(Tags.ExtendedOffsetTableLengths);
  if (frames?.photometricInterpretation != null) {
    ds.setString(Tags.PhotometricInterpretation, 'CS', frames.photometricInterpretation);
    if ((ds.number(Tags.SamplesPerPixel) ?? 1) > 1) ds.setNumber(Tags.PlanarConfiguration, 'US', 0);
  }
  return ds;
}

/**
 * DICOM JSON of the stored instance. Bulk values and Pixel Data get a BulkDataURI relative to the
 * DICOMweb root ("studies/{S}/series/{SE}/instances/{I}/bulkdata/..."): the HTTP layer prefixes
 * the public root when it serves the stored text.
 */
function metadataOf(
  ds: DicomDataset,
  parsed: ParsedDicom,
  frames: FramePlan | null,
  asReceived: boolean,
  instancePath: string,
): DicomJsonObject {
  const json = toDicomJson(ds, {
    source: parsed.source,
    // Small binary values are inlined; larger ones get a URI that WADO-RS bulkdata serves.
    bulkDataUri: (path, element) => {
      const v = element.value;
      const length = v.kind === 'inline' ? v.bytes.length : v.kind === 'bulk' ? v.length : Number.POSITIVE_INFINITY;
      if (length <= INLINE_BINARY_MAX) return undefined;
      return `${instancePath}/bulkdata/${path.map((p, i) => (i % 2 === 0 ? formatTag(p) : String(p))).join('/')}`;
    },
  });
  const pixelUri = `${instancePath}/bulkdata/${formatTag(Tags.PixelData)}`;
  if (frames !== null) {
    const vr = (ds.number(Tags.BitsAllocated) ?? 8) > 8 ? 'OW' : 'OB';
    json[formatTag(Tags.PixelData)] = { vr, BulkDataURI: pixelUri };
  } else if (asReceived && parsed.pixelData !== null) {
    // Kept as received: Pixel Data served as stored (native OB/OW, or encapsulated OB).
    json[formatTag(Tags.PixelData)] = {
      vr: parsed.pixelData.kind === 'native' ? parsed.pixelData.vr : 'OB',
      BulkDataURI: pixelUri,
    };
  }
  return json;
}

/**
 * Journals the version key (if the process dies before the commit, the start-up sweep finds the
 * files), then writes frames.bin (transcoding may change the colour space) and dataset.dcm, made
 * durable together. Returns the stored data set.
 */
async function writeVersionBlobs(
  deps: IngestDeps,
  attempt: IngestAttempt,
  received: ReceivedInstance,
  plan: StoragePlan,
  versionKey: string,
): Promise<DicomDataset> {
  const parsed = received.parsed;
  deps.store.instances.reserveVersion(versionKey);
  attempt.pendingVersionKey = versionKey;
  const frames = plan.framePlan;
  let stored: DicomDataset | undefined;
  const datasetChunks = function* (): Generator<Uint8Array> {
    if (frames !== null) attempt.warnings.push(...frames.warnings);
    stored = storedDataset(parsed, frames);
    yield encodePart10(stored, EXPLICIT_VR_LITTLE_ENDIAN, { source: parsed.source });
  };
  const pixels =
    frames !== null
      ? [{ key: framesBlobKey(versionKey), chunks: frames.produce() }]
      : plan.asReceivedReason !== null
        ? [{ key: objectBlobKey(versionKey), chunks: receivedObjectChunks(received.raw, parsed) }]
        : [];
  await deps.store.blobs.putMany([...pixels, { key: datasetBlobKey(versionKey), chunks: datasetChunks() }]);
  if (stored === undefined) throw new FoveaError('INGEST_INTERNAL', 'the stored data set was not produced');
  return stored;
}

/** Frames of an object kept as received: Number of Frames (PS3.3 C.7.6.6) when it has Pixel Data, else 0. */
function asReceivedFrameCount(parsed: ParsedDicom): number {
  if (parsed.pixelData === null) return 0;
  const n = parsed.dataset.number(Tags.NumberOfFrames) ?? 1;
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

function instanceWrite(
  received: ReceivedInstance,
  plan: StoragePlan,
  stored: DicomDataset,
  versionKey: string,
): InstanceWrite {
  const { parsed, identity } = received;
  const tsUid = parsed.transferSyntaxUid;
  const frames = plan.framePlan;
  const asReceived = plan.asReceivedReason !== null;
  return {
    ...identity,
    receivedTransferSyntaxUid: tsUid,
    storedTransferSyntaxUid:
      frames !== null
        ? frames.storedTransferSyntaxUid
        : plan.isJpipReferenced || asReceived
          ? tsUid
          : EXPLICIT_VR_LITTLE_ENDIAN,
    contentSha256: received.contentSha256,
    versionKey,
    sizeBytes: received.sizeBytes,
    numberOfFrames: frames !== null ? frames.frames.length : asReceived ? asReceivedFrameCount(parsed) : 0,
    pixelDataProviderUrl: plan.isJpipReferenced ? (parsed.dataset.string(Tags.PixelDataProviderURL) ?? null) : null,
    asReceivedReason: plan.asReceivedReason,
    metadata: metadataOf(
      stored,
      parsed,
      frames,
      asReceived,
      `studies/${identity.studyInstanceUid}/series/${identity.seriesInstanceUid}/instances/${identity.sopInstanceUid}`,
    ),
    frames: frames !== null ? frames.frames : [],
  };
}

/** Deletes a journalled version's blobs, then its journal entry (a failed deletion is retried by the start-up sweep). */
async function deleteVersion(store: OpenedStore, versionKey: string): Promise<void> {
  await store.blobs.deletePrefix(versionKey);
  store.instances.releaseVersion(versionKey);
}

/** Deletes the version a replacement made obsolete (journalled by the commit); a failure is logged. */
async function removeObsoleteVersion(deps: IngestDeps, versionKey: string): Promise<void> {
  try {
    await deleteVersion(deps.store, versionKey);
  } catch (err) {
    deps.logger.warn('ingest.cleanup_failed', { versionKey, error: err });
  }
}

/** Deletes the blobs of a version that was never committed (the ingest failed; its own failure is what is reported). */
export async function discardVersion(store: OpenedStore, versionKey: string): Promise<void> {
  try {
    await deleteVersion(store, versionKey);
  } catch {
    // Left journalled: the start-up sweep deletes it.
  }
}

/** Stores one received instance as a new version (or finds it unchanged); run under the per-SOP queue. */
export async function storeVersion(
  deps: IngestDeps,
  attempt: IngestAttempt,
  received: ReceivedInstance,
): Promise<IngestOutcome> {
  const { identity } = received;
  const base = { ...identity, warnings: attempt.warnings };
  const existing = deps.store.instances.getInstance(identity.sopInstanceUid);
  if (existing !== undefined && existing.contentSha256 === received.contentSha256)
    return { status: 'unchanged', ...base, asReceivedReason: existing.asReceivedReason };
  // Overwrite policy 'never': refused before any work. The commit checks again inside its
  // transaction, for a writer in another process that stores this UID meanwhile.
  const overwrite = deps.overwrite ?? 'never';
  if (existing !== undefined && overwrite !== 'always') throw duplicateSopInstanceError(identity.sopInstanceUid);

  let plan = planStorage(received.parsed, deps);
  const versionKey = versionKeyFor(identity.sopInstanceUid, received.contentSha256);
  let stored: DicomDataset;
  try {
    stored = await writeVersionBlobs(deps, attempt, received, plan, versionKey);
  } catch (err) {
    // A codec limit met while producing the frames (one frame at a time, inside the blob write):
    // the partial version is discarded and the object kept as received instead.
    const reason = plan.asReceivedReason === null ? codecLimitReason(err) : null;
    if (reason === null) throw err;
    await discardVersion(deps.store, versionKey);
    attempt.pendingVersionKey = null;
    plan = asReceivedPlan(reason);
    stored = await writeVersionBlobs(deps, attempt, received, plan, versionKey);
  }
  if (plan.asReceivedReason !== null)
    attempt.warnings.push(`kept as received (${plan.asReceivedReason}): not transcoded, not JPIP-servable`);
  const write = instanceWrite(received, plan, stored, versionKey);
  const result = deps.store.instances.commitInstance(write, { overwrite });
  attempt.pendingVersionKey = null;
  if (result.obsoleteVersionKey !== null) await removeObsoleteVersion(deps, result.obsoleteVersionKey);
  deps.logger.info('ingest.stored', {
    sopInstanceUid: identity.sopInstanceUid,
    outcome: result.outcome,
    frames: write.numberOfFrames,
    ts: write.receivedTransferSyntaxUid,
    ...(plan.asReceivedReason === null ? {} : { asReceived: plan.asReceivedReason }),
  });
  return { status: result.outcome, ...base, asReceivedReason: plan.asReceivedReason };
}
