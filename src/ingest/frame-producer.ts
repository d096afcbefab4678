// Produces the stored codestream of each frame, one frame at a time (memory bounded by one frame):
// JPEG 2000 / HTJ2K frames are kept byte for byte as sent (PS3.5 A.4.4 / A.4.7: one frame may
// span several fragments; a JP2 file inside Pixel Data is kept whole and located by j2k); every
// other encoding is decoded and re-encoded losslessly as JPIP-friendly J2K by the codec layer,
// then given 128x128 precincts at every resolution (j2k repartitionPrecincts; the OpenJPEG
// wrapper cannot write precincts) so that JPIP can serve regions as precinct data-bins
// (ISO/IEC 15444-9 A.3.2).

import { createHash } from 'node:crypto';
import type { RandomAccessSource } from '../bytes';
import { UnsupportedError } from '../bytes';
import {
  frameLocations,
  readFrame,
  readExtendedOffsetTable,
  pixelDescription,
  swapBytes,
  JPEG_2000_LOSSLESS,
  type ParsedDicom,
  type TransferSyntax,
  type PixelDescription,
} from '../dicom';
import type { Codecs, TransferSyntaxFamily as CodecFamily } from '../codec';
import {
  findCodestream,
  codestreamSummary,
  buildPacketIndex,
  encodePacketIndex,
  repartitionPrecincts,
  type PrecinctSize,
} from '../j2k';
import { FoveaError } from '../errors';
import type { FrameWrite } from '../store';

/** The codec family a `family` frame is decoded with for transcoding, or null if codec/ cannot decode it. */
function transcodableFamily(family: TransferSyntax['family']): CodecFamily | null {
  switch (family) {
    case 'native':
    case 'rle':
    case 'jpeg-baseline':
    case 'jpeg-extended':
    case 'jpeg-lossless':
    case 'jpeg-ls':
      return family;
    default:
      return null;
  }
}

export interface FramePlan {
  /** Syntax of the stored codestreams. */
  storedTransferSyntaxUid: string;
  /** Photometric Interpretation the stored object must state (transcoding may change it). */
  photometricInterpretation: string | null;
  numberOfFrames: number;
  /** Yields each frame's stored bytes in order and fills `frames` as it goes. */
  produce(): Generator<Uint8Array>;
  frames: FrameWrite[];
  warnings: string[];
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Indexes one frame: SIZ/COD summary (required) and packet index (best effort, warned). */
function describeFrame(
  frame: Uint8Array,
  frameNumber: number,
  offset: number,
  tsUid: string,
  warnings: string[],
): FrameWrite {
  const loc = findCodestream(frame);
  const codestream = frame.subarray(loc.offset, loc.offset + loc.length);
  const summary = codestreamSummary(codestream);
  let packetIndex: Uint8Array | null = null;
  try {
    packetIndex = encodePacketIndex(buildPacketIndex(codestream));
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    warnings.push(
      `frame ${frameNumber}: no packet index (${typeof code === 'string' ? code : 'error'}: ${(err as Error).message})`,
    );
  }
  return {
    frameNumber,
    offset,
    length: frame.length,
    sha256: sha256(frame),
    transferSyntaxUid: tsUid,
    codestreamOffset: loc.offset,
    summary,
    packetIndex,
  };
}

/** Precincts of transcoded frames: 128x128 at every level (keeps the encoder's 64x64 code-blocks). */
const TRANSCODE_PRECINCTS: readonly PrecinctSize[] = [{ PPx: 7, PPy: 7 }];

/** The transcoded codestream with precincts; the unpartitioned one (warned) if that fails. */
function withPrecincts(codestream: Uint8Array, frameNumber: number, warnings: string[]): Uint8Array {
  try {
    return repartitionPrecincts(codestream, { precincts: TRANSCODE_PRECINCTS });
  } catch (err) {
    if (!(err instanceof FoveaError)) throw err;
    warnings.push(`frame ${frameNumber}: stored without precincts (${err.code}: ${err.message})`);
    return codestream;
  }
}

export function planFrames(parsed: ParsedDicom, ts: TransferSyntax, codecs: Codecs): FramePlan | null {
  const layout = parsed.pixelData;
  if (layout === null) return null;
  const source: RandomAccessSource = parsed.source;
  const ds = parsed.dataset;
  const desc: PixelDescription = pixelDescription(ds);
  const warnings: string[] = [];
  const onWarning = (m: string): void => void warnings.push(m);
  // The syntax is checked first: video (one stream, not frames) and JPEG XL are never located as frames.
  const keep = ts.family === 'j2k' || ts.family === 'htj2k';
  const transcodeFrom = keep ? null : transcodableFamily(ts.family);
  if (!keep && transcodeFrom === null) {
    throw new UnsupportedError(
      'INGEST_TRANSFER_SYNTAX_UNSUPPORTED',
      `pixel data in ${ts.name} (${ts.uid}) cannot be decoded`,
      { context: ts.uid },
    );
  }
  const locations =
    layout.kind === 'native'
      ? frameLocations(layout, desc, source)
      : frameLocations(layout, desc.numberOfFrames, source, readExtendedOffsetTable(ds), { onWarning });
  const frames: FrameWrite[] = [];

  const storedTs = keep ? ts.uid : JPEG_2000_LOSSLESS;
  const plan: FramePlan = {
    storedTransferSyntaxUid: storedTs,
    photometricInterpretation: null,
    numberOfFrames: locations.length,
    frames,
    warnings,
    *produce() {
      let offset = 0;
      for (let i = 0; i < locations.length; i++) {
        let bytes = readFrame(source, locations[i] as (typeof locations)[number]);
        if (transcodeFrom !== null) {
          // Big Endian native samples (PS3.5 A.3) swapped, on a copy, to the little-endian order codecs read.
          if (layout.kind === 'native' && layout.bigEndian && desc.bitsAllocated === 16)
            bytes = swapBytes(bytes.slice(), 2);
          const result = codecs.transcodeToJ2k(transcodeFrom, bytes, desc);
          plan.photometricInterpretation = result.storedPhotometricInterpretation;
          bytes = withPrecincts(result.codestream, i + 1, warnings);
        }
        frames.push(describeFrame(bytes, i + 1, offset, storedTs, warnings));
        offset += bytes.length;
        yield bytes;
      }
    },
  };
  return plan;
}
