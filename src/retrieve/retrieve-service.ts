// The retrieve side (WADO-RS, WADO-URI; later C-GET/C-MOVE): stored objects re-assembled in a
// chosen transfer syntax and streamed (PS3.18 §8.7.3 transfer syntax negotiation, PS3.5 A.4
// encapsulation, Supplement 106 JPIP Referenced objects), single frames and bulk data.

import { bufferSource, concatBytes } from '../bytes';
import { NotAcceptableError, NotFoundError } from '../errors';
import {
  parseDicom, encodeFileMetaInformation, encodeDataset, encodePart10, encapsulatedPixelDataPrefix, fragmentItemHeader,
  nativePixelDataHeader, SEQUENCE_DELIMITER, jpipReferencedDataset, pixelDescription, transferSyntax, Tags,
  EXPLICIT_VR_LITTLE_ENDIAN, JPEG_2000_LOSSLESS, JPEG_2000, HTJ2K, JPIP_REFERENCED, JPIP_REFERENCED_DEFLATE, JPIP_HTJ2K_REFERENCED,
  JPIP_HTJ2K_REFERENCED_DEFLATE, type DicomDataset, type CodestreamColourTransform,
} from '../dicom';
import type { Codecs } from '../codec';
import { parseMainHeader } from '../j2k';
import { datasetBlobKey, type OpenedStore } from '../store';
import type { FrameRecord, InstanceRecord } from '../store/types';
import { decodeStored, nativeLength, nativeSamples, packBits } from './pixels';
import { bulkValue } from './bulk-value';
import type { FrameBytes, ObjectStream, RetrieveService, TransferSyntaxChoice } from './types';

export interface RetrieveDeps {
  store: OpenedStore;
  codecs: Codecs;
  publicUrl: string;
}

const JPIP = [JPIP_REFERENCED, JPIP_REFERENCED_DEFLATE];
const JPIP_HTJ2K = [JPIP_HTJ2K_REFERENCED, JPIP_HTJ2K_REFERENCED_DEFLATE];
const PAD = new Uint8Array([0]);

/** Syntaxes whose encapsulated bytes are exactly the stored frames (PS3.5 A.4.4, A.4.7). */
function sameBytesSyntaxes(stored: string): string[] {
  const fam = transferSyntax(stored)?.family;
  if (fam === 'j2k') return stored === JPEG_2000_LOSSLESS ? [stored, JPEG_2000] : [stored];
  if (fam === 'htj2k') return stored === HTJ2K ? [stored] : [stored, HTJ2K];
  return [stored];
}

export function createRetrieveService(deps: RetrieveDeps): RetrieveService {
  const { instances, blobs } = deps.store;

  function instanceOrThrow(sop: string): InstanceRecord {
    const rec = instances.getInstance(sop);
    if (rec === undefined) throw new NotFoundError('INSTANCE_NOT_FOUND', `no instance ${sop}`);
    return rec;
  }

  function syntaxes(rec: InstanceRecord): string[] {
    const fam = transferSyntax(rec.storedTransferSyntaxUid)?.family;
    if (rec.numberOfFrames === 0) return [rec.storedTransferSyntaxUid];
    const out = [...sameBytesSyntaxes(rec.storedTransferSyntaxUid), EXPLICIT_VR_LITTLE_ENDIAN];
    out.push(...(fam === 'htj2k' ? JPIP_HTJ2K : JPIP));
    return out;
  }

  function resolve(rec: InstanceRecord, choice: TransferSyntaxChoice): string {
    const list = syntaxes(rec);
    const ts = choice === '*' ? rec.storedTransferSyntaxUid : choice;
    if (!list.includes(ts)) {
      throw new NotAcceptableError('TRANSFER_SYNTAX_NOT_AVAILABLE', `instance ${rec.sopInstanceUid} cannot be provided in ${ts}; available: ${list.join(', ')}`);
    }
    return ts;
  }

  async function storedDataset(rec: InstanceRecord): Promise<{ ds: DicomDataset; bytes: Uint8Array }> {
    const key = datasetBlobKey(rec.versionKey);
    const bytes = await blobs.read(key, 0, await blobs.size(key));
    return { ds: parseDicom(bufferSource(bytes), { bulkThreshold: Number.MAX_SAFE_INTEGER }).dataset, bytes };
  }

  async function frameBytes(f: FrameRecord): Promise<Uint8Array> {
    return blobs.read(f.framesKey, f.offset, f.length);
  }

  function colourTransform(codestreamHead: Uint8Array): CodestreamColourTransform {
    const main = parseMainHeader(codestreamHead);
    if (main.cod.mct === 0 || main.siz.Csiz < 3) return 'none';
    const reversible = main.cod.transform === 1;
    return reversible ? 'rct' : 'ict';
  }

  async function* encapsulated(head: Uint8Array, frames: FrameRecord[]): AsyncGenerator<Uint8Array> {
    yield head;
    for (const f of frames) {
      yield fragmentItemHeader(f.length);
      yield* blobs.stream(f.framesKey, f.offset, f.length);
      if (f.length % 2 === 1) yield PAD;
    }
    yield SEQUENCE_DELIMITER;
  }

  async function* decodedPixels(ds: DicomDataset, frames: FrameRecord[]): AsyncGenerator<Uint8Array> {
    const desc = pixelDescription(ds);
    const length = nativeLength(desc, frames.length);
    yield nativePixelDataHeader(length, desc.bitsAllocated > 8 ? 'OW' : 'OB');
    if (desc.bitsAllocated === 1) {
      const packed = new Uint8Array(length);
      const perFrame = desc.rows * desc.columns * desc.samplesPerPixel;
      for (let i = 0; i < frames.length; i++) {
        const f = frames[i] as FrameRecord;
        const img = decodeStored(deps.codecs, await frameBytes(f), f.summary.htj2k);
        packBits(nativeSamples(img, 8), packed, i * perFrame);
      }
      yield packed;
    } else {
      for (const f of frames) yield nativeSamples(decodeStored(deps.codecs, await frameBytes(f), f.summary.htj2k), desc.bitsAllocated);
    }
    if (length % 2 === 1) yield PAD;
  }

  return {
    transferSyntaxesFor(sop) {
      return syntaxes(instanceOrThrow(sop));
    },

    async instance(sop, choice): Promise<ObjectStream> {
      const rec = instanceOrThrow(sop);
      const ts = resolve(rec, choice);
      const { ds, bytes } = await storedDataset(rec);
      const frames = rec.numberOfFrames > 0 ? instances.listFrames(sop) : [];
      const meta = { mediaStorageSopClassUid: rec.sopClassUid, mediaStorageSopInstanceUid: sop };
      if (frames.length === 0) {
        // No pixels (or a received JPIP-referenced object): dataset.dcm (Explicit VR Little Endian)
        // is the whole object; a JPIP-referenced one is re-encoded so its file meta names its syntax.
        if (ts === EXPLICIT_VR_LITTLE_ENDIAN) return { transferSyntaxUid: ts, length: bytes.length, chunks: (async function* () { yield bytes; })() };
        const file = encodePart10(ds, ts, meta);
        return { transferSyntaxUid: ts, length: file.length, chunks: (async function* () { yield file; })() };
      }
      if (sameBytesSyntaxes(rec.storedTransferSyntaxUid).includes(ts)) {
        const head = concatBytes([encodeFileMetaInformation(ds, ts, meta), encodeDataset(ds, ts), encapsulatedPixelDataPrefix(frames.map((f) => f.length))]);
        const length = head.length + frames.reduce((s, f) => s + 8 + f.length + (f.length % 2), 0) + SEQUENCE_DELIMITER.length;
        return { transferSyntaxUid: ts, length, chunks: encapsulated(head, frames) };
      }
      if (ts === EXPLICIT_VR_LITTLE_ENDIAN) {
        const out = ds.clone();
        const pi = out.string(Tags.PhotometricInterpretation);
        if (pi === 'YBR_RCT' || pi === 'YBR_ICT') out.setString(Tags.PhotometricInterpretation, 'CS', 'RGB');
        if ((out.number(Tags.SamplesPerPixel) ?? 1) > 1) out.setNumber(Tags.PlanarConfiguration, 'US', 0);
        const head = concatBytes([encodeFileMetaInformation(out, ts, meta), encodeDataset(out, ts)]);
        const desc = pixelDescription(out);
        const pixLen = nativeLength(desc, frames.length);
        const length = head.length + nativePixelDataHeader(pixLen, 'OB').length + pixLen + (pixLen % 2);
        return { transferSyntaxUid: ts, length, chunks: (async function* () { yield head; yield* decodedPixels(out, frames); })() };
      }
      // JPIP Referenced (PS3.5 A.6, A.7, A.11, A.12): no Pixel Data, a Pixel Data Provider URL.
      const first = frames[0] as FrameRecord;
      const headBytes = await blobs.read(first.framesKey, first.offset, Math.min(first.length, 65536));
      const jds = jpipReferencedDataset(ds, {
        url: `${deps.publicUrl}/jpip?target=${encodeURIComponent(sop)}`,
        transferSyntaxUid: ts,
        codestreamColourTransform: colourTransform(headBytes),
      });
      const file = encodePart10(jds, ts, meta);
      return { transferSyntaxUid: ts, length: file.length, chunks: (async function* () { yield file; })() };
    },

    async frame(sop, frameNumber, choice): Promise<FrameBytes> {
      const rec = instanceOrThrow(sop);
      const f = instances.getFrame(sop, frameNumber);
      if (f === undefined) throw new NotFoundError('FRAME_NOT_FOUND', `instance ${sop} has no frame ${frameNumber} (it has ${rec.numberOfFrames})`);
      const ts = resolve(rec, choice);
      if (sameBytesSyntaxes(rec.storedTransferSyntaxUid).includes(ts)) {
        return { transferSyntaxUid: ts, mediaType: f.summary.htj2k ? 'image/jphc' : 'image/jp2', bytes: await frameBytes(f) };
      }
      if (ts === EXPLICIT_VR_LITTLE_ENDIAN) {
        const { ds } = await storedDataset(rec);
        const desc = pixelDescription(ds);
        const img = decodeStored(deps.codecs, await frameBytes(f), f.summary.htj2k);
        if (desc.bitsAllocated === 1) {
          const packed = new Uint8Array(nativeLength(desc, 1));
          packBits(nativeSamples(img, 8), packed, 0);
          return { transferSyntaxUid: ts, mediaType: 'application/octet-stream', bytes: packed };
        }
        return { transferSyntaxUid: ts, mediaType: 'application/octet-stream', bytes: nativeSamples(img, desc.bitsAllocated) };
      }
      throw new NotAcceptableError('TRANSFER_SYNTAX_NOT_AVAILABLE', `frames cannot be provided in ${ts}`);
    },

    async bulkdata(sop, tagPath) {
      const rec = instanceOrThrow(sop);
      if (tagPath.length === 1 && tagPath[0] === '7FE00010') {
        const frames = rec.numberOfFrames > 0 ? instances.listFrames(sop) : [];
        if (frames.length === 0) throw new NotFoundError('BULKDATA_NOT_FOUND', `instance ${sop} has no Pixel Data`);
        const { ds } = await storedDataset(rec);
        const chunks: Uint8Array[] = [];
        let first = true;
        for await (const c of decodedPixels(ds, frames)) {
          if (!first) chunks.push(c);
          first = false;
        }
        return { mediaType: 'application/octet-stream', bytes: concatBytes(chunks) };
      }
      const { ds } = await storedDataset(rec);
      return { mediaType: 'application/octet-stream', bytes: bulkValue(ds, tagPath) };
    },
  };
}

