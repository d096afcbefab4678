// What every retrieve phase reads through: the instance store, the blob store and the codecs,
// passed as one explicit context; and the reads they share (the instance row, its stored data
// set, one frame's bytes).

import { bufferSource } from '../bytes';
import type { Codecs } from '../codec';
import { parseDicom, type DicomDataset } from '../dicom';
import { NotFoundError } from '../errors';
import { datasetBlobKey, type BlobStore, type FrameRecord, type InstanceRecord, type InstanceStore } from '../store';

export interface RetrieveContext {
  instances: InstanceStore;
  blobs: BlobStore;
  codecs: Codecs;
  /** Public base URL, for the Pixel Data Provider URL of JPIP Referenced objects. */
  publicUrl: string;
  /** Pixel Representation (0028,0103) per stored version, read once (retrieve-service.ts). */
  pixelRepresentations: Map<string, number | undefined>;
}

export function instanceOrThrow(ctx: RetrieveContext, sop: string): InstanceRecord {
  const rec = ctx.instances.getInstance(sop);
  if (rec === undefined) throw new NotFoundError('INSTANCE_NOT_FOUND', `no instance ${sop}`);
  return rec;
}

/** The frames of an instance (none for an object without pixels). */
export function framesOf(ctx: RetrieveContext, rec: InstanceRecord): FrameRecord[] {
  return rec.numberOfFrames > 0 ? ctx.instances.listFrames(rec.sopInstanceUid) : [];
}

/** dataset.dcm of the instance (Explicit VR LE, no Pixel Data), parsed with every value read. */
export async function storedDataset(
  ctx: RetrieveContext,
  rec: InstanceRecord,
): Promise<{ ds: DicomDataset; bytes: Uint8Array }> {
  const key = datasetBlobKey(rec.versionKey);
  const bytes = await ctx.blobs.read(key, 0, await ctx.blobs.size(key));
  return { ds: parseDicom(bufferSource(bytes), { bulkThreshold: Number.MAX_SAFE_INTEGER }).dataset, bytes };
}

export async function frameBytes(ctx: RetrieveContext, f: FrameRecord): Promise<Uint8Array> {
  return ctx.blobs.read(f.framesKey, f.offset, f.length);
}
