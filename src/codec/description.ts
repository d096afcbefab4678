// Validation of a PixelDescription (PS3.3 C.7.6.3.1) before any decoder allocates for it, and
// the frame-size arithmetic shared by the native and RLE decoders.

import { LimitExceededError, MalformedError, UnsupportedError } from '../bytes';
import type { PixelDescription, PixelImage } from './types';

/** Largest frame we decode (rows × columns × samples); bigger frames are refused before allocating. */
export const MAX_FRAME_SAMPLES = 65535 * 65535;
const MAX_FRAME_BYTES = 2 ** 31 - 1;

export function checkDescription(desc: PixelDescription): void {
  const bad = (field: string, v: number): never => {
    throw new MalformedError('CODEC_BAD_PIXEL_DESCRIPTION', `${field} = ${v} is invalid`, { context: field });
  };
  const int = (v: number): boolean => Number.isSafeInteger(v);
  if (!int(desc.rows) || desc.rows < 1 || desc.rows > 65535) bad('rows', desc.rows);
  if (!int(desc.columns) || desc.columns < 1 || desc.columns > 65535) bad('columns', desc.columns);
  if (desc.samplesPerPixel !== 1 && desc.samplesPerPixel !== 3) {
    throw new UnsupportedError('CODEC_UNSUPPORTED_SAMPLES', `${desc.samplesPerPixel} samples per pixel`);
  }
  if (desc.bitsAllocated !== 1 && desc.bitsAllocated !== 8 && desc.bitsAllocated !== 16) {
    throw new UnsupportedError('CODEC_UNSUPPORTED_BITS_ALLOCATED', `Bits Allocated ${desc.bitsAllocated}`);
  }
  if (!int(desc.bitsStored) || desc.bitsStored < 1 || desc.bitsStored > desc.bitsAllocated)
    bad('bitsStored', desc.bitsStored);
  if (desc.pixelRepresentation !== 0 && desc.pixelRepresentation !== 1)
    bad('pixelRepresentation', desc.pixelRepresentation);
  if (desc.samplesPerPixel > 1 && desc.planarConfiguration !== 0 && desc.planarConfiguration !== 1) {
    bad('planarConfiguration', desc.planarConfiguration);
  }
  if (desc.bitsAllocated === 1 && desc.samplesPerPixel !== 1) {
    throw new UnsupportedError('CODEC_UNSUPPORTED_SAMPLES', '1-bit data with more than one sample per pixel');
  }
  if (frameBytes(desc) > MAX_FRAME_BYTES) {
    throw new LimitExceededError(
      'CODEC_FRAME_TOO_LARGE',
      `frame of ${frameBytes(desc)} bytes exceeds ${MAX_FRAME_BYTES}`,
    );
  }
}

/** Bytes of one decoded frame (interleaved, full-size chroma); 1-bit frames are packed (PS3.5 8.1.1). */
export function frameBytes(desc: PixelDescription): number {
  return Math.ceil((desc.rows * desc.columns * desc.samplesPerPixel * desc.bitsAllocated) / 8);
}

export function imageOf(desc: PixelDescription, photometricInterpretation: string, data: Uint8Array): PixelImage {
  return {
    columns: desc.columns,
    rows: desc.rows,
    samplesPerPixel: desc.samplesPerPixel,
    bitsAllocated: desc.bitsAllocated,
    bitsStored: desc.bitsStored,
    pixelRepresentation: desc.pixelRepresentation,
    photometricInterpretation,
    data,
  };
}
