// A whole stored instance re-assembled as a Part 10 stream, one function per delivery of
// transfer-syntax-rules.ts: the stored bytes (dataset.dcm alone, or with encapsulated Pixel Data
// built from the stored frames, BOT filled, PS3.5 A.4), the frames decoded to native Explicit VR
// Little Endian Pixel Data (PS3.5 §8.1.1), or a JPIP Referenced object (PS3.5 A.6, A.7, A.11,
// A.12; Supplement 106) that carries a Pixel Data Provider URL instead of pixels.

import { concatBytes } from '../bytes';
import {
  encodeDataset,
  encodeFileMetaInformation,
  encodePart10,
  encapsulatedPixelDataPrefix,
  fragmentItemHeader,
  jpipReferencedDataset,
  nativePixelDataHeader,
  pixelDescription,
  SEQUENCE_DELIMITER,
  Tags,
  type CodestreamColourTransform,
  type DicomDataset,
} from '../dicom';
import { parseMainHeader } from '../j2k';
import type { FrameRecord, InstanceRecord } from '../store';
import { decodeStored, nativeLength, nativeSamples, packBits } from './pixels';
import { framesOf, frameBytes, instanceOrThrow, storedDataset, type RetrieveContext } from './retrieve-context';
import { decideTransferSyntax } from './transfer-syntax-rules';
import type { InstanceOptions, ObjectStream, TransferSyntaxChoice } from './types';

const PAD = new Uint8Array([0]);
/** Bytes of the first codestream read to learn its colour transform (the main header is well inside). */
const MAIN_HEADER_READ = 65536;

interface FileMeta {
  mediaStorageSopClassUid: string;
  mediaStorageSopInstanceUid: string;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Native Pixel Data (header, samples, pad) decoded from the stored frames, one frame at a time. */
export async function* decodedPixelData(
  ctx: RetrieveContext,
  ds: DicomDataset,
  frames: readonly FrameRecord[],
): AsyncGenerator<Uint8Array> {
  const desc = pixelDescription(ds);
  const length = nativeLength(desc, frames.length);
  yield nativePixelDataHeader(length, desc.bitsAllocated > 8 ? 'OW' : 'OB');
  if (desc.bitsAllocated === 1) {
    const packed = new Uint8Array(length);
    const perFrame = desc.rows * desc.columns * desc.samplesPerPixel;
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i] as FrameRecord;
      const img = decodeStored(ctx.codecs, await frameBytes(ctx, f), f.summary.htj2k, desc);
      packBits(nativeSamples(img, 8), packed, i * perFrame);
    }
    yield packed;
  } else {
    for (const f of frames)
      yield nativeSamples(
        decodeStored(ctx.codecs, await frameBytes(ctx, f), f.summary.htj2k, desc),
        desc.bitsAllocated,
      );
  }
  if (length % 2 === 1) yield PAD;
}

/** An object without frames (or a received JPIP-referenced one): dataset.dcm is the whole object. It is
 *  re-encoded (also in its own syntax), so that its file meta names the syntax and no Group Length
 *  stored before they were dropped on output (PS3.5 §7.2) goes out stale. */
function wholeDataset(ds: DicomDataset, ts: string, meta: FileMeta): ObjectStream {
  const file = encodePart10(ds, ts, meta);
  return { transferSyntaxUid: ts, length: file.length, chunks: once(file) };
}

async function* encapsulatedChunks(
  ctx: RetrieveContext,
  head: Uint8Array,
  frames: readonly FrameRecord[],
): AsyncGenerator<Uint8Array> {
  yield head;
  for (const f of frames) {
    yield fragmentItemHeader(f.length);
    yield* ctx.blobs.stream(f.framesKey, f.offset, f.length);
    if (f.length % 2 === 1) yield PAD;
  }
  yield SEQUENCE_DELIMITER;
}

/** The stored codestreams as encapsulated Pixel Data, one fragment per frame (PS3.5 A.4). */
function storedFrames(
  ctx: RetrieveContext,
  ds: DicomDataset,
  ts: string,
  meta: FileMeta,
  frames: readonly FrameRecord[],
): ObjectStream {
  const head = concatBytes([
    encodeFileMetaInformation(ds, ts, meta),
    encodeDataset(ds, ts),
    encapsulatedPixelDataPrefix(frames.map((f) => f.length)),
  ]);
  const length =
    head.length + frames.reduce((s, f) => s + 8 + f.length + (f.length % 2), 0) + SEQUENCE_DELIMITER.length;
  return { transferSyntaxUid: ts, length, chunks: encapsulatedChunks(ctx, head, frames) };
}

/** The frames decoded to native samples; a YBR_RCT/YBR_ICT colour space is stated as the RGB it decodes to. */
function decodedFrames(
  ctx: RetrieveContext,
  ds: DicomDataset,
  ts: string,
  meta: FileMeta,
  frames: readonly FrameRecord[],
): ObjectStream {
  const out = ds.clone();
  const pi = out.string(Tags.PhotometricInterpretation);
  if (pi === 'YBR_RCT' || pi === 'YBR_ICT') out.setString(Tags.PhotometricInterpretation, 'CS', 'RGB');
  if ((out.number(Tags.SamplesPerPixel) ?? 1) > 1) out.setNumber(Tags.PlanarConfiguration, 'US', 0);
  const head = concatBytes([encodeFileMetaInformation(out, ts, meta), encodeDataset(out, ts)]);
  const desc = pixelDescription(out);
  const pixLen = nativeLength(desc, frames.length);
  const length = head.length + nativePixelDataHeader(pixLen, 'OB').length + pixLen + (pixLen % 2);
  return {
    transferSyntaxUid: ts,
    length,
    chunks: (async function* () {
      yield head;
      yield* decodedPixelData(ctx, out, frames);
    })(),
  };
}

function colourTransform(codestreamHead: Uint8Array): CodestreamColourTransform {
  const main = parseMainHeader(codestreamHead);
  if (main.cod.mct === 0 || main.siz.Csiz < 3) return 'none';
  return main.cod.transform === 1 ? 'rct' : 'ict';
}

/** JPIP Referenced (PS3.5 A.6, A.7, A.11, A.12): no Pixel Data, a Pixel Data Provider URL to the JPIP server. */
async function jpipReferenced(
  ctx: RetrieveContext,
  ds: DicomDataset,
  ts: string,
  meta: FileMeta,
  frames: readonly FrameRecord[],
  token: string | undefined,
): Promise<ObjectStream> {
  const first = frames[0] as FrameRecord;
  const headBytes = await ctx.blobs.read(first.framesKey, first.offset, Math.min(first.length, MAIN_HEADER_READ));
  const jds = jpipReferencedDataset(ds, {
    url:
      `${ctx.publicUrl}/jpip?target=${encodeURIComponent(meta.mediaStorageSopInstanceUid)}` +
      (token === undefined ? '' : `&token=${encodeURIComponent(token)}`),
    transferSyntaxUid: ts,
    codestreamColourTransform: colourTransform(headBytes),
  });
  const file = encodePart10(jds, ts, meta);
  return { transferSyntaxUid: ts, length: file.length, chunks: once(file) };
}

/** The whole instance as a Part 10 stream in the chosen syntax. */
export async function retrieveInstance(
  ctx: RetrieveContext,
  sop: string,
  choice: TransferSyntaxChoice,
  options: InstanceOptions = {},
): Promise<ObjectStream> {
  const rec: InstanceRecord = instanceOrThrow(ctx, sop);
  const { transferSyntaxUid: ts, delivery } = decideTransferSyntax(rec, choice, 'instance');
  const { ds } = await storedDataset(ctx, rec);
  const frames = framesOf(ctx, rec);
  const meta: FileMeta = { mediaStorageSopClassUid: rec.sopClassUid, mediaStorageSopInstanceUid: sop };
  if (frames.length === 0) return wholeDataset(ds, ts, meta);
  switch (delivery) {
    case 'stored':
      return storedFrames(ctx, ds, ts, meta, frames);
    case 'decoded':
      return decodedFrames(ctx, ds, ts, meta, frames);
    case 'jpip-referenced':
      return jpipReferenced(ctx, ds, ts, meta, frames, options.providerUrlToken);
  }
}
