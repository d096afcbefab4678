// Retrieve of objects kept as received (ingest/as-received.ts): Fovea could not transcode their
// pixel data, so object.dcm holds the received bytes and there are no frame rows. Served exactly
// as stored: the instance byte for byte in its stored syntax (PS3.18 §8.7.3.5.2 "*" = as stored);
// native pixel data (PS3.5 §8.1.1) also in Explicit VR Little Endian (the data set re-encoded, the
// samples byte-swapped from Big Endian, PS3.5 A.3) and as little-endian frames / bulk data;
// encapsulated pixel data (PS3.5 A.4) as its own fragments: one frame in its own syntax, the
// whole stream of a video (PS3.5 A.4.5-A.4.8: one stream, not frames) through bulk data. Anything
// else is NotAcceptableError (406) saying the object is kept as received and why.

import { bufferSource, concatBytes, type RandomAccessSource } from '../bytes';
import {
  EXPLICIT_VR_LITTLE_ENDIAN,
  frameLocations,
  nativePixelDataHeader,
  parseDicom,
  pixelDescription,
  readExtendedOffsetTable,
  readFrame,
  swapBytes,
  swapUnit,
  transferSyntax,
  encodePart10,
  type ParsedDicom,
} from '../dicom';
import { NotAcceptableError, NotFoundError } from '../errors';
import { fileSource, objectBlobKey, type InstanceRecord } from '../store';
import { storedDataset, type RetrieveContext } from './retrieve-context';
import type { FrameBytes, ObjectStream, TransferSyntaxChoice } from './types';

const PAD = new Uint8Array([0]);

/** Frame / bulk media types of encapsulated syntaxes (PS3.18 §8.7.3.3 Table 8.7.3-5, §8.7.4 video). */
function encapsulatedMediaType(tsUid: string): string {
  const family = transferSyntax(tsUid)?.family;
  switch (family) {
    case 'jpeg-baseline':
    case 'jpeg-extended':
    case 'jpeg-lossless':
      return 'image/jpeg';
    case 'jpeg-ls':
      return 'image/jls';
    case 'rle':
      return 'image/dicom-rle';
    case 'j2k':
      return 'image/jp2';
    case 'htj2k':
      return 'image/jphc';
    case 'jpeg-xl':
      return 'image/jxl';
    case 'video':
      if (/^1\.2\.840\.10008\.1\.2\.4\.10[01]/.test(tsUid)) return 'video/mpeg';
      if (/^1\.2\.840\.10008\.1\.2\.4\.10[78]$/.test(tsUid)) return 'video/H265';
      return 'video/mp4';
    default:
      return 'application/octet-stream';
  }
}

function isNative(tsUid: string): boolean {
  const ts = transferSyntax(tsUid);
  return ts !== undefined && ts.family === 'native' && !ts.encapsulated;
}

/** Syntaxes an object kept as received can be produced in: the stored one; Explicit VR LE too when it is native. */
export function asReceivedSyntaxes(rec: InstanceRecord): string[] {
  const stored = rec.storedTransferSyntaxUid;
  return isNative(stored) && stored !== EXPLICIT_VR_LITTLE_ENDIAN ? [stored, EXPLICIT_VR_LITTLE_ENDIAN] : [stored];
}

function notAvailable(rec: InstanceRecord, what: string): NotAcceptableError {
  return new NotAcceptableError(
    'TRANSFER_SYNTAX_NOT_AVAILABLE',
    `instance ${rec.sopInstanceUid} is kept as received in ${rec.storedTransferSyntaxUid} (Fovea cannot transcode it: ${rec.asReceivedReason ?? ''}); ${what}; available: ${asReceivedSyntaxes(rec).join(', ')}`,
  );
}

function chosen(rec: InstanceRecord, choice: TransferSyntaxChoice): string {
  const ts = choice === '*' ? rec.storedTransferSyntaxUid : choice;
  if (!asReceivedSyntaxes(rec).includes(ts)) throw notAvailable(rec, `it cannot be provided in ${ts}`);
  return ts;
}

/** The stored object opened and parsed (Pixel Data located, not read); `close` releases the file. */
async function openObject(
  ctx: RetrieveContext,
  rec: InstanceRecord,
): Promise<{ parsed: ParsedDicom; close: () => void }> {
  const key = objectBlobKey(rec.versionKey);
  const local = ctx.blobs.localPath(key);
  let source: RandomAccessSource & { close?(): void };
  if (local !== null) source = fileSource(local);
  else source = bufferSource(await ctx.blobs.read(key, 0, await ctx.blobs.size(key)));
  try {
    return { parsed: parseDicom(source), close: () => source.close?.() };
  } catch (err) {
    source.close?.();
    throw err;
  }
}

/**
 * Native Pixel Data as little-endian bytes: Big Endian values swapped in units of the element's VR
 * (PS3.5 §7.3: OW as 16-bit words whatever Bits Allocated is, OL/OF 32-bit, OD 64-bit), as DCMTK does.
 */
function littleEndian(bytes: Uint8Array, parsed: ParsedDicom): Uint8Array {
  const layout = parsed.pixelData;
  if (layout?.kind !== 'native' || !layout.bigEndian) return bytes;
  return swapBytes(bytes.slice(), swapUnit(layout.vr));
}

async function* stream(ctx: RetrieveContext, key: string, size: number): AsyncGenerator<Uint8Array> {
  yield* ctx.blobs.stream(key, 0, size);
}

/** The whole instance: object.dcm byte for byte, or (native) re-encoded as Explicit VR Little Endian. */
export async function asReceivedInstance(
  ctx: RetrieveContext,
  rec: InstanceRecord,
  choice: TransferSyntaxChoice,
): Promise<ObjectStream> {
  const ts = chosen(rec, choice);
  const key = objectBlobKey(rec.versionKey);
  if (ts === rec.storedTransferSyntaxUid) {
    const size = await ctx.blobs.size(key);
    return { transferSyntaxUid: ts, length: size, chunks: stream(ctx, key, size) };
  }
  const { ds } = await storedDataset(ctx, rec);
  const { parsed, close } = await openObject(ctx, rec);
  try {
    const meta = { mediaStorageSopClassUid: rec.sopClassUid, mediaStorageSopInstanceUid: rec.sopInstanceUid };
    const parts = [encodePart10(ds, ts, meta)];
    const layout = parsed.pixelData;
    if (layout?.kind === 'native') {
      const samples = littleEndian(parsed.source.read(layout.offset, layout.length), parsed);
      parts.push(nativePixelDataHeader(samples.length, layout.vr === 'OB' ? 'OB' : 'OW'), samples);
      if (samples.length % 2 === 1) parts.push(PAD);
    }
    const file = concatBytes(parts);
    return {
      transferSyntaxUid: ts,
      length: file.length,
      chunks: (async function* () {
        yield file;
      })(),
    };
  } finally {
    close();
  }
}

/** One frame: native samples little-endian (1-bit packed from bit 0), or an encapsulated frame in its own syntax. */
export async function asReceivedFrame(
  ctx: RetrieveContext,
  rec: InstanceRecord,
  frameNumber: number,
  choice: TransferSyntaxChoice,
): Promise<FrameBytes> {
  const ts = chosen(rec, choice);
  const { parsed, close } = await openObject(ctx, rec);
  try {
    const layout = parsed.pixelData;
    if (layout === null) throw new NotFoundError('FRAME_NOT_FOUND', `instance ${rec.sopInstanceUid} has no Pixel Data`);
    const desc = pixelDescription(parsed.dataset);
    if (layout.kind === 'native') {
      const locations = frameLocations(layout, desc, parsed.source);
      const loc = locations[frameNumber - 1];
      if (loc === undefined)
        throw new NotFoundError('FRAME_NOT_FOUND', `instance ${rec.sopInstanceUid} has no frame ${frameNumber}`);
      const bytes = littleEndian(readFrame(parsed.source, loc), parsed);
      return { transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN, mediaType: 'application/octet-stream', bytes };
    }
    if (transferSyntax(ts)?.family === 'video')
      throw notAvailable(rec, 'a video is one stream, not frames: retrieve the instance or bulkdata 7FE00010');
    const locations = frameLocations(
      layout,
      desc.numberOfFrames,
      parsed.source,
      readExtendedOffsetTable(parsed.dataset),
    );
    const loc = locations[frameNumber - 1];
    if (loc === undefined)
      throw new NotFoundError('FRAME_NOT_FOUND', `instance ${rec.sopInstanceUid} has no frame ${frameNumber}`);
    return { transferSyntaxUid: ts, mediaType: encapsulatedMediaType(ts), bytes: readFrame(parsed.source, loc) };
  } finally {
    close();
  }
}

/** Pixel Data (7FE0,0010) bulk data: native samples little-endian; a single frame or a video stream as stored. */
export async function asReceivedPixelData(
  ctx: RetrieveContext,
  rec: InstanceRecord,
): Promise<{ mediaType: string; bytes: Uint8Array }> {
  const { parsed, close } = await openObject(ctx, rec);
  try {
    const layout = parsed.pixelData;
    if (layout === null)
      throw new NotFoundError('BULKDATA_NOT_FOUND', `instance ${rec.sopInstanceUid} has no Pixel Data`);
    if (layout.kind === 'native') {
      const bytes = littleEndian(parsed.source.read(layout.offset, layout.length), parsed);
      return { mediaType: 'application/octet-stream', bytes };
    }
    const ts = rec.storedTransferSyntaxUid;
    if (transferSyntax(ts)?.family === 'video' || rec.numberOfFrames <= 1) {
      const bytes = concatBytes(layout.fragments.map((f) => parsed.source.read(f.offset, f.length)));
      return { mediaType: encapsulatedMediaType(ts), bytes };
    }
    throw notAvailable(rec, 'its encapsulated Pixel Data is served per frame: retrieve /frames/{n}');
  } finally {
    close();
  }
}
