// Frame locations inside Pixel Data. Encapsulated (PS3.5 A.4): Extended Offset Table
// (7FE0,0001/0002, PS3.3 C.7.6.3.1.8), Basic Offset Table, one fragment per frame, or a fragment
// walk where a frame starts at a fragment beginning with a codestream start (J2K FF4F FF51,
// JPEG FFD8 FF, JP2 signature box); one pad byte (0x00, or 0xFF as NEMA WG04 files use) after EOC
// FF D9 is trimmed. Native (PS3.5
// §8.1.1): fixed-size frames, 1-bit frames packed across byte boundaries. JP2 files are returned as is.

import { ByteReader, MalformedError, type RandomAccessSource } from '../bytes';
import type { DicomDataset, Fragment } from './dataset';
import type { PixelDataLayout } from './parse';
import { Tags } from './vr';

export interface ByteRange {
  offset: number;
  length: number;
}

export interface FrameLocation {
  /** Byte ranges in the source, concatenated in order (padding already trimmed). */
  ranges: ByteRange[];
  /** Length of the frame readFrame returns. */
  length: number;
  /** Native 1-bit frames: bit position (0-7) of the first pixel in ranges[0]'s first byte. */
  bitOffset: number;
  /** Number of meaningful bits (length * 8 unless 1-bit native). */
  bitLength: number;
}

export interface FrameGeometry {
  numberOfFrames: number;
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  /** YBR_FULL_422 / YBR_PARTIAL_422 native data hold two samples per pixel (PS3.3 C.7.6.3.1.2). */
  photometricInterpretation?: string;
}

export interface ExtendedOffsetTable {
  offsets: number[];
  lengths: number[];
}

export interface FrameLocationOptions {
  onWarning?: (message: string) => void;
}

function malformed(code: string, message: string): MalformedError {
  return new MalformedError(code, message, { context: 'Pixel Data' });
}

/** Reads (7FE0,0001)/(7FE0,0002) (OV, 64-bit little-endian) from a parsed data set, if present. */
export function readExtendedOffsetTable(ds: DicomDataset): ExtendedOffsetTable | undefined {
  const o = ds.bytes(Tags.ExtendedOffsetTable);
  const l = ds.bytes(Tags.ExtendedOffsetTableLengths);
  if (o === undefined || o.length === 0) return undefined;
  const read = (b: Uint8Array): number[] => {
    if (b.length % 8 !== 0)
      throw malformed('DICOM_BAD_OFFSET_TABLE', 'Extended Offset Table length is not a multiple of 8');
    const r = new ByteReader(b, { littleEndian: true });
    const out: number[] = [];
    while (!r.atEnd) out.push(r.u64('extended offset'));
    return out;
  };
  return { offsets: read(o), lengths: l === undefined ? [] : read(l) };
}

function trimmed(source: RandomAccessSource, frags: Fragment[]): FrameLocation {
  const ranges = frags.map((f) => ({ offset: f.offset, length: f.length }));
  const last = ranges[ranges.length - 1];
  if (last !== undefined && last.length >= 3) {
    const tail = source.read(last.offset + last.length - 3, 3);
    if (tail[0] === 0xff && tail[1] === 0xd9 && (tail[2] === 0x00 || tail[2] === 0xff)) last.length -= 1;
  }
  const length = ranges.reduce((s, r) => s + r.length, 0);
  return { ranges, length, bitOffset: 0, bitLength: length * 8 };
}

function startsFrame(source: RandomAccessSource, f: Fragment): boolean {
  if (f.length < 4) return false;
  const b = source.read(f.offset, Math.min(8, f.length));
  if (b[0] === 0xff && b[1] === 0x4f && b[2] === 0xff && b[3] === 0x51) return true; // J2K SOC + SIZ
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return true; // JPEG / JPEG-LS SOI
  return (
    b.length === 8 &&
    b[0] === 0 &&
    b[1] === 0 &&
    b[2] === 0 &&
    b[3] === 0x0c &&
    b[4] === 0x6a &&
    b[5] === 0x50 &&
    b[6] === 0x20 &&
    b[7] === 0x20
  );
}

function byOffsets(frags: Fragment[], offsets: number[], what: string): Fragment[][] {
  const first = (frags[0] as Fragment).offset - 8;
  const index = new Map<number, number>();
  frags.forEach((f, i) => index.set(f.offset - 8 - first, i));
  const starts = offsets.map((o) => {
    const i = index.get(o);
    if (i === undefined)
      throw malformed('DICOM_BAD_OFFSET_TABLE', `${what} offset ${o} is not the start of a fragment`);
    return i;
  });
  return starts.map((s, k) => {
    const e = k + 1 < starts.length ? (starts[k + 1] as number) : frags.length;
    if (e <= s) throw malformed('DICOM_BAD_OFFSET_TABLE', `${what} offsets are not increasing`);
    return frags.slice(s, e);
  });
}

function encapsulatedFrames(
  layout: Extract<PixelDataLayout, { kind: 'encapsulated' }>,
  nf: number,
  source: RandomAccessSource,
  eot: ExtendedOffsetTable | undefined,
  warn: (m: string) => void,
): Fragment[][] {
  const frags = layout.fragments;
  if (frags.length === 0) throw malformed('DICOM_NO_FRAGMENTS', 'encapsulated Pixel Data has no fragments');
  if (frags.length < nf)
    throw malformed('DICOM_FRAME_COUNT_MISMATCH', `${nf} frames but only ${frags.length} fragments`);
  if (eot !== undefined) {
    if (eot.offsets.length === nf) return byOffsets(frags, eot.offsets, 'Extended Offset Table');
    warn(`Extended Offset Table has ${eot.offsets.length} entries for ${nf} frames; ignored`);
  }
  const bot = layout.basicOffsetTable;
  if (bot.length === nf) return byOffsets(frags, bot, 'Basic Offset Table');
  if (bot.length > 0) warn(`Basic Offset Table has ${bot.length} entries for ${nf} frames; ignored`);
  if (nf === 1) return [frags];
  if (frags.length === nf) return frags.map((f) => [f]);
  const groups: Fragment[][] = [];
  for (const f of frags) {
    const last = groups[groups.length - 1];
    if (last === undefined || startsFrame(source, f)) groups.push([f]);
    else last.push(f);
  }
  if (groups.length !== nf) {
    throw malformed('DICOM_FRAME_COUNT_MISMATCH', `fragment walk found ${groups.length} frame starts for ${nf} frames`);
  }
  return groups;
}

function nativeFrames(layout: Extract<PixelDataLayout, { kind: 'native' }>, g: FrameGeometry): FrameLocation[] {
  const subsampled422 =
    g.samplesPerPixel === 3 &&
    (g.photometricInterpretation === 'YBR_FULL_422' || g.photometricInterpretation === 'YBR_PARTIAL_422');
  const samplesPerPixel = subsampled422 ? 2 : g.samplesPerPixel;
  const frameBits = g.rows * g.columns * samplesPerPixel * g.bitsAllocated;
  if (!Number.isSafeInteger(frameBits) || frameBits <= 0)
    throw malformed('DICOM_BAD_PIXEL_DESCRIPTION', 'invalid frame size');
  if (g.bitsAllocated !== 1 && frameBits % 8 !== 0)
    throw malformed('DICOM_BAD_PIXEL_DESCRIPTION', 'frame size is not whole bytes');
  const needed = Math.ceil((frameBits * g.numberOfFrames) / 8);
  if (needed > layout.length) {
    throw malformed(
      'DICOM_PIXEL_DATA_TOO_SHORT',
      `${g.numberOfFrames} frames need ${needed} bytes, Pixel Data has ${layout.length}`,
    );
  }
  const out: FrameLocation[] = [];
  for (let i = 0; i < g.numberOfFrames; i++) {
    const startBit = i * frameBits;
    const bitOffset = startBit % 8;
    const byteLength = Math.ceil((bitOffset + frameBits) / 8);
    out.push({
      ranges: [{ offset: layout.offset + Math.floor(startBit / 8), length: byteLength }],
      length: Math.ceil(frameBits / 8),
      bitOffset,
      bitLength: frameBits,
    });
  }
  return out;
}

/**
 * Where each frame's bytes are. `geometry` may be a frame count for encapsulated data; native
 * data needs the full geometry. Inconsistent tables are ignored with a warning when another
 * method still applies; otherwise the result is a MalformedError.
 */
export function frameLocations(
  layout: PixelDataLayout,
  geometry: FrameGeometry | number,
  source: RandomAccessSource,
  extendedOffsetTable?: ExtendedOffsetTable,
  options: FrameLocationOptions = {},
): FrameLocation[] {
  const nf = typeof geometry === 'number' ? geometry : geometry.numberOfFrames;
  if (!Number.isSafeInteger(nf) || nf < 1) throw malformed('DICOM_BAD_PIXEL_DESCRIPTION', `Number of Frames ${nf}`);
  if (layout.kind === 'native') {
    if (typeof geometry === 'number')
      throw malformed('DICOM_BAD_PIXEL_DESCRIPTION', 'native Pixel Data needs the frame geometry');
    return nativeFrames(layout, geometry);
  }
  const warn = options.onWarning ?? ((): void => undefined);
  return encapsulatedFrames(layout, nf, source, extendedOffsetTable, warn).map((frags) => trimmed(source, frags));
}

/** The bytes of one frame (a copy); 1-bit frames are shifted to start at bit 0. */
export function readFrame(source: RandomAccessSource, location: FrameLocation): Uint8Array {
  const total = location.ranges.reduce((s, r) => s + r.length, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const r of location.ranges) {
    joined.set(source.read(r.offset, r.length), at);
    at += r.length;
  }
  if (location.bitOffset === 0 && location.bitLength === location.length * 8)
    return joined.length === location.length ? joined : joined.slice(0, location.length);
  const out = new Uint8Array(location.length);
  const s = location.bitOffset;
  for (let k = 0; k < out.length; k++) {
    const lo = (joined[k] ?? 0) >> s;
    const hi = s === 0 ? 0 : ((joined[k + 1] ?? 0) << (8 - s)) & 0xff;
    out[k] = lo | hi;
  }
  const spare = out.length * 8 - location.bitLength;
  if (spare > 0 && out.length > 0) out[out.length - 1] = (out[out.length - 1] as number) & (0xff >> spare);
  return out;
}
