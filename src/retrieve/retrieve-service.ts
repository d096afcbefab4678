// The retrieve side (WADO-RS, WADO-URI, DIMSE C-GET/C-MOVE): stored objects re-assembled in a
// chosen transfer syntax and streamed (PS3.18 §8.7.3 transfer syntax negotiation, PS3.5 A.4
// encapsulation, Supplement 106 JPIP Referenced objects), single frames and bulk data. The rules
// are transfer-syntax-rules.ts, whole instances instance-stream.ts; this file wires the phases
// over one RetrieveContext and holds the frame and bulk data retrieves; objects kept as received
// (no frames, served as stored) go to as-received.ts.

import { concatBytes } from '../bytes';
import type { Codecs } from '../codec';
import { EXPLICIT_VR_LITTLE_ENDIAN, formatTag, pixelDescription, Tags } from '../dicom';
import { NotFoundError } from '../errors';
import type { FrameRecord, InstanceRecord, OpenedStore } from '../store';
import { asReceivedFrame, asReceivedInstance, asReceivedPixelData, asReceivedSyntaxes } from './as-received';
import { bulkValue } from './bulk-value';
import { decodedPixelData, retrieveInstance } from './instance-stream';
import { decodeStored, nativeLength, nativeSamples, packBits } from './pixels';
import { framesOf, frameBytes, instanceOrThrow, storedDataset, type RetrieveContext } from './retrieve-context';
import { availableSyntaxes, decideTransferSyntax } from './transfer-syntax-rules';
import type { FrameBytes, FrameOptions, RetrieveService, TransferSyntaxChoice } from './types';

export interface RetrieveDeps {
  store: OpenedStore;
  codecs: Codecs;
  publicUrl: string;
}

const PIXEL_DATA = formatTag(Tags.PixelData);
const PIXEL_REPRESENTATION = '00280103';

/** One frame: the stored codestream, or its samples decoded to native little-endian (1-bit packed). */
async function retrieveFrame(
  ctx: RetrieveContext,
  sop: string,
  frameNumber: number,
  choice: TransferSyntaxChoice,
  options: FrameOptions = {},
): Promise<FrameBytes> {
  const rec = instanceOrThrow(ctx, sop);
  if (rec.asReceivedReason !== null) return asReceivedFrame(ctx, rec, frameNumber, choice);
  const f = ctx.instances.getFrame(sop, frameNumber);
  if (f === undefined)
    throw new NotFoundError(
      'FRAME_NOT_FOUND',
      `instance ${sop} has no frame ${frameNumber} (it has ${rec.numberOfFrames})`,
    );
  const decided = decideTransferSyntax(rec, choice, 'frame');
  const { transferSyntaxUid: ts, delivery } =
    decided.delivery === 'stored' && options.anySyntax === true && signContradictsHeader(ctx, rec, f)
      ? decideTransferSyntax(rec, EXPLICIT_VR_LITTLE_ENDIAN, 'frame')
      : decided;
  if (delivery === 'stored')
    return {
      transferSyntaxUid: ts,
      mediaType: f.summary.htj2k ? 'image/jphc' : 'image/jp2',
      bytes: await frameBytes(ctx, f),
    };
  const { ds } = await storedDataset(ctx, rec);
  const desc = pixelDescription(ds);
  const img = decodeStored(ctx.codecs, await frameBytes(ctx, f), f.summary.htj2k, desc);
  if (desc.bitsAllocated === 1) {
    const packed = new Uint8Array(nativeLength(desc, 1));
    packBits(nativeSamples(img, 8), packed, 0);
    return { transferSyntaxUid: ts, mediaType: 'application/octet-stream', bytes: packed };
  }
  return {
    transferSyntaxUid: ts,
    mediaType: 'application/octet-stream',
    bytes: nativeSamples(img, desc.bitsAllocated),
  };
}

/** Pixel Representation (0028,0103) of each stored version, read once: the check below runs on every
 *  OHIF frame request and an instance's DICOM JSON can be megabytes (per-frame functional groups).
 *  A version's header never changes, so the cache needs no invalidation, only a bound. */
const MAX_CACHED_VERSIONS = 4096;

function headerPixelRepresentation(ctx: RetrieveContext, rec: InstanceRecord): number | undefined {
  if (ctx.pixelRepresentations.has(rec.versionKey)) return ctx.pixelRepresentations.get(rec.versionKey);
  const [json] = ctx.instances.metadata({
    studyInstanceUid: rec.studyInstanceUid,
    seriesInstanceUid: rec.seriesInstanceUid,
    sopInstanceUid: rec.sopInstanceUid,
  });
  const value = json?.[PIXEL_REPRESENTATION]?.Value?.[0];
  const pr = typeof value === 'number' ? value : undefined;
  if (ctx.pixelRepresentations.size >= MAX_CACHED_VERSIONS) {
    const oldest = ctx.pixelRepresentations.keys().next();
    if (oldest.done !== true) ctx.pixelRepresentations.delete(oldest.value);
  }
  ctx.pixelRepresentations.set(rec.versionKey, pr);
  return pr;
}

/** Does the stored codestream's sign (SIZ Ssiz, 15444-1 A.5.1) contradict the header's Pixel
 *  Representation (0028,0103)? */
function signContradictsHeader(ctx: RetrieveContext, rec: InstanceRecord, f: FrameRecord): boolean {
  return (headerPixelRepresentation(ctx, rec) === 1) !== f.summary.signed;
}

/** Bulk data of one attribute; Pixel Data (7FE0,0010) is served decoded to native samples. */
async function retrieveBulkdata(
  ctx: RetrieveContext,
  sop: string,
  tagPath: string[],
): Promise<{ mediaType: string; bytes: Uint8Array }> {
  const rec = instanceOrThrow(ctx, sop);
  if (tagPath.length === 1 && tagPath[0] === PIXEL_DATA) {
    if (rec.asReceivedReason !== null) return asReceivedPixelData(ctx, rec);
    const frames = framesOf(ctx, rec);
    if (frames.length === 0) throw new NotFoundError('BULKDATA_NOT_FOUND', `instance ${sop} has no Pixel Data`);
    const { ds } = await storedDataset(ctx, rec);
    const chunks: Uint8Array[] = [];
    let header = true;
    for await (const c of decodedPixelData(ctx, ds, frames)) {
      if (!header) chunks.push(c);
      header = false;
    }
    return { mediaType: 'application/octet-stream', bytes: concatBytes(chunks) };
  }
  const { ds } = await storedDataset(ctx, rec);
  return { mediaType: 'application/octet-stream', bytes: bulkValue(ds, tagPath) };
}

export function createRetrieveService(deps: RetrieveDeps): RetrieveService {
  const ctx: RetrieveContext = {
    instances: deps.store.instances,
    blobs: deps.store.blobs,
    codecs: deps.codecs,
    publicUrl: deps.publicUrl,
    pixelRepresentations: new Map(),
  };
  return {
    transferSyntaxesFor: (sop) => {
      const rec = instanceOrThrow(ctx, sop);
      return rec.asReceivedReason !== null ? asReceivedSyntaxes(rec) : availableSyntaxes(rec);
    },
    instance: (sop, choice, options) => {
      const rec = instanceOrThrow(ctx, sop);
      return rec.asReceivedReason !== null
        ? asReceivedInstance(ctx, rec, choice)
        : retrieveInstance(ctx, sop, choice, options);
    },
    frame: (sop, frameNumber, choice, options) => retrieveFrame(ctx, sop, frameNumber, choice, options),
    bulkdata: (sop, tagPath) => retrieveBulkdata(ctx, sop, tagPath),
  };
}
