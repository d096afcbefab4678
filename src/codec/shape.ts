// Turns a codec's DecodedImage into a PixelImage laid out as the DICOM description asks
// (PS3.5 8.1.1 / 8.2: interleaved, little-endian words, sample bit patterns kept). Codecs that
// code signed data as unsigned bit patterns (JPEG lossless, JPEG-LS, some J2K writers; see
// J2K_pixelrep_mismatch) are sign-extended from Bits Stored when the description says signed.

import { imageOf } from './description';
import { CodecError } from './errors';
import type { DecodedImage, PixelDescription, PixelImage } from './types';

/** Photometric interpretation of samples that came out of a colour-converting decoder. */
export function outputPhotometric(source: string, samplesPerPixel: number, codec: 'none' | 'j2k' | 'jpeg-dct'): string {
  if (samplesPerPixel !== 3) return source;
  if (codec === 'jpeg-dct') return 'RGB'; // libjpeg-turbo converts YCbCr to RGB (JFIF / Adobe marker)
  if (codec === 'j2k' && (source === 'YBR_RCT' || source === 'YBR_ICT')) return 'RGB'; // MCT undone (15444-1 G.2/G.3)
  if (source === 'YBR_FULL_422' || source === 'YBR_PARTIAL_422') return source.replace('_422', ''); // full-size chroma
  return source;
}

/** Check the codec output against the description and copy it into PixelImage bytes. */
export function toPixelImage(
  decoded: DecodedImage,
  desc: PixelDescription,
  photometricInterpretation: string,
): PixelImage {
  if (decoded.width !== desc.columns || decoded.height !== desc.rows || decoded.components !== desc.samplesPerPixel) {
    throw new CodecError(
      'CODEC_SIZE_MISMATCH',
      `decoded ${decoded.width}x${decoded.height}x${decoded.components}, dataset says ` +
        `${desc.columns}x${desc.rows}x${desc.samplesPerPixel}`,
    );
  }
  const n = decoded.data.length;
  if (decoded.bitsPerSample > desc.bitsAllocated) checkRange(decoded, desc.bitsAllocated);
  const signExtend = desc.pixelRepresentation === 1 && !decoded.signed && desc.bitsStored < desc.bitsAllocated;
  const signBit = 1 << (desc.bitsStored - 1);
  const valueMask = signBit * 2 - 1;
  const fix = (v: number): number => {
    if (!signExtend) return v;
    const m = v & valueMask;
    return m & signBit ? m - valueMask - 1 : m;
  };
  let data: Uint8Array;
  if (desc.bitsAllocated === 8) {
    data = new Uint8Array(n);
    for (let i = 0; i < n; i++) data[i] = fix(decoded.data[i] ?? 0) & 0xff;
  } else if (desc.bitsAllocated === 16) {
    const words = new Uint16Array(n);
    for (let i = 0; i < n; i++) words[i] = fix(decoded.data[i] ?? 0) & 0xffff;
    data = littleEndianBytes(words);
  } else {
    throw new CodecError(
      'CODEC_SIZE_MISMATCH',
      `Bits Allocated ${desc.bitsAllocated} is not 8 or 16 for a compressed frame`,
    );
  }
  return imageOf(desc, photometricInterpretation, data);
}

/**
 * Decoded samples read as the DICOM header says (PS3.3 C.7.6.3.1.1: Bits Stored, Pixel
 * Representation), whatever the codestream's SIZ Ssiz sign bit says (15444-1 A.5.1): the low Bits
 * Stored bits of each sample, two's complement when Pixel Representation is 1. Some writers code
 * signed CT as unsigned (TOSHIBA_J2K_OpenJPEGv2Regression, J2K_pixelrep_mismatch, pydicom issue
 * 1149); GDCM and DCMTK follow the header, and so does Fovea. Unchanged when both agree.
 */
export function followPixelRepresentation(
  decoded: DecodedImage,
  bitsStored: number,
  pixelRepresentation: number,
): DecodedImage {
  const signed = pixelRepresentation === 1;
  if (decoded.signed === signed || !(bitsStored >= 1 && bitsStored <= 16)) return decoded;
  const n = decoded.data.length;
  const mask = 2 ** bitsStored - 1;
  const signBit = 2 ** (bitsStored - 1);
  const narrow = bitsStored <= 8 && decoded.bitsPerSample <= 8;
  const data = signed
    ? narrow
      ? new Int8Array(n)
      : new Int16Array(n)
    : narrow
      ? new Uint8Array(n)
      : new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const m = (decoded.data[i] ?? 0) & mask;
    data[i] = signed && m >= signBit ? m - mask - 1 : m;
  }
  return { ...decoded, signed, data };
}

/** Wider-than-allocated samples are accepted only if every value fits (e.g. 8-bit signed coded at 9 bits). */
function checkRange(decoded: DecodedImage, bits: number): void {
  const lo = decoded.signed ? -(2 ** (bits - 1)) : 0;
  const hi = decoded.signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  for (const v of decoded.data) {
    if (v < lo || v > hi) {
      throw new CodecError(
        'CODEC_SIZE_MISMATCH',
        `decoded ${decoded.bitsPerSample}-bit samples do not fit Bits Allocated ${bits}`,
      );
    }
  }
}

const HOST_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The bytes of 16-bit words in little-endian order. */
export function littleEndianBytes(words: Uint16Array | Int16Array): Uint8Array {
  const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  if (HOST_LITTLE_ENDIAN) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < out.length; i += 2) {
    out[i] = bytes[i + 1] ?? 0;
    out[i + 1] = bytes[i] ?? 0;
  }
  return out;
}

/** Read little-endian 16-bit words (copying, so the result is aligned and host-endian). */
export function wordsFromLittleEndian(bytes: Uint8Array, count: number): Uint16Array {
  const words = new Uint16Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) words[i] = view.getUint16(i * 2, true);
  return words;
}
