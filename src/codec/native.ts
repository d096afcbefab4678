// Native (uncompressed) frames, PS3.5 8.1 / 8.2 and PS3.3 C.7.6.3.1.3: converts colour-by-plane
// (Planar Configuration 1) to colour-by-pixel, and expands native YBR_FULL_422 (Y1 Y2 Cb Cr per
// pixel pair, C.7.6.3.1.2) to full-size YBR_FULL by repeating each chroma pair. 1-bit frames are
// returned packed as stored. Input must already be little-endian (big-endian swapping is the
// caller's job). Bit patterns outside Bits Stored are kept.

import { TruncatedError, MalformedError } from '../bytes';
import { checkDescription, frameBytes, imageOf } from './description';
import type { PixelDescription, PixelImage } from './types';

export function decodeNative(bytes: Uint8Array, desc: PixelDescription): PixelImage {
  checkDescription(desc);
  const pi = desc.photometricInterpretation;
  if (desc.samplesPerPixel === 3 && (pi === 'YBR_FULL_422' || pi === 'YBR_PARTIAL_422')) return expand422(bytes, desc);
  const size = frameBytes(desc);
  if (bytes.length < size) {
    throw new TruncatedError('CODEC_NATIVE_SHORT_FRAME', `frame has ${bytes.length} bytes, needs ${size}`, {
      offset: bytes.length,
    });
  }
  const frame = bytes.slice(0, size);
  if (desc.samplesPerPixel === 1 || desc.planarConfiguration === 0) return imageOf(desc, pi, frame);
  return imageOf(desc, pi, planarToInterleaved(frame, desc.rows * desc.columns, desc.bitsAllocated / 8));
}

function planarToInterleaved(frame: Uint8Array, pixels: number, bytesPerSample: number): Uint8Array {
  const out = new Uint8Array(frame.length);
  const planeBytes = pixels * bytesPerSample;
  for (let s = 0; s < 3; s++) {
    for (let p = 0; p < pixels; p++) {
      for (let b = 0; b < bytesPerSample; b++) {
        out[(p * 3 + s) * bytesPerSample + b] = frame[s * planeBytes + p * bytesPerSample + b] ?? 0;
      }
    }
  }
  return out;
}

function expand422(bytes: Uint8Array, desc: PixelDescription): PixelImage {
  if (desc.bitsAllocated !== 8 || desc.columns % 2 !== 0 || desc.planarConfiguration !== 0) {
    throw new MalformedError(
      'CODEC_BAD_422',
      'native YBR_*_422 needs 8-bit samples, an even number of columns and planar configuration 0',
    );
  }
  const pairs = (desc.rows * desc.columns) / 2;
  if (bytes.length < pairs * 4) {
    throw new TruncatedError('CODEC_NATIVE_SHORT_FRAME', `frame has ${bytes.length} bytes, needs ${pairs * 4}`, {
      offset: bytes.length,
    });
  }
  const out = new Uint8Array(pairs * 6);
  for (let i = 0; i < pairs; i++) {
    const y1 = bytes[i * 4] ?? 0;
    const y2 = bytes[i * 4 + 1] ?? 0;
    const cb = bytes[i * 4 + 2] ?? 0;
    const cr = bytes[i * 4 + 3] ?? 0;
    out.set([y1, cb, cr, y2, cb, cr], i * 6);
  }
  return imageOf(desc, desc.photometricInterpretation.replace('_422', ''), out);
}
