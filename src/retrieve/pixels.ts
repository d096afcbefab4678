// Decoded frames as DICOM native Pixel Data (PS3.5 §8.1.1, §8.2): little-endian samples of
// Bits Allocated each, interleaved; 1-bit data packed LSB first, continuous across frames.

import { followPixelRepresentation, type Codecs, type DecodedImage } from '../codec';
import type { PixelDescription } from '../dicom';

/** Bytes of one decoded frame as native samples of `bitsAllocated` (8 or 16; 1 is packed by the caller). */
export function nativeSamples(img: DecodedImage, bitsAllocated: number): Uint8Array {
  const n = img.data.length;
  if (bitsAllocated === 8 || bitsAllocated === 1) {
    if (img.data instanceof Uint8Array) return img.data;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = (img.data[i] as number) & 0xff;
    return out;
  }
  const out = new Uint8Array(n * 2);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < n; i++) dv.setUint16(i * 2, (img.data[i] as number) & 0xffff, true);
  return out;
}

/** Packs 0/1 samples (one per byte) into bits, LSB first, starting at bit `bitOffset` of out. */
export function packBits(samples: Uint8Array, out: Uint8Array, bitOffset: number): void {
  for (let i = 0; i < samples.length; i++) {
    if ((samples[i] as number) !== 0) {
      const bit = bitOffset + i;
      out[bit >> 3] = (out[bit >> 3] as number) | (1 << (bit & 7));
    }
  }
}

/** Length of native Pixel Data for all frames, before even padding. */
export function nativeLength(desc: PixelDescription, frames: number): number {
  const samples = desc.rows * desc.columns * desc.samplesPerPixel;
  if (desc.bitsAllocated === 1) return Math.ceil((samples * frames) / 8);
  return samples * (desc.bitsAllocated / 8) * frames;
}

/** A stored codestream decoded, its samples read as the header says (Bits Stored, Pixel Representation):
 *  signed samples go out sign-extended to Bits Allocated even when the codestream says unsigned. */
export function decodeStored(
  codecs: Codecs,
  codestream: Uint8Array,
  htj2k: boolean,
  desc: Pick<PixelDescription, 'bitsStored' | 'pixelRepresentation'>,
): DecodedImage {
  const img = htj2k ? codecs.decodeHtj2k(codestream) : codecs.decodeJ2k(codestream);
  return followPixelRepresentation(img, desc.bitsStored, desc.pixelRepresentation);
}
