// Writes decoded samples as PGM/PPM (Netpbm P5/P6, maxval = 2^bits - 1: 8-bit samples as one
// byte, 9-16-bit as two bytes big-endian, values kept exactly) or PNG (pngjs; grey, RGB or RGBA;
// samples above 8 bits are written as 16-bit PNG, scaled by a left shift as PNG's sBIT rule does).
// Signed samples are offset by 2^(bits-1) so that they fit unsigned formats (stated in the output).

import { PNG } from 'pngjs';
import type { DecodedImage } from '../codec';

export interface Picture {
  width: number;
  height: number;
  components: number;
  bits: number;
  /** Unsigned sample values, interleaved. */
  samples: Uint16Array;
}

/** Crops `img` to a region and keeps the listed components (default: all), as unsigned values. */
export function pictureOf(
  img: DecodedImage,
  region: { x: number; y: number; width: number; height: number },
  components?: readonly number[],
): Picture {
  const comps = components ?? Array.from({ length: img.components }, (_, c) => c);
  const offset = img.signed ? 2 ** (img.bitsPerSample - 1) : 0;
  const samples = new Uint16Array(region.width * region.height * comps.length);
  let k = 0;
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) {
      const base = (y * img.width + x) * img.components;
      for (const c of comps) samples[k++] = (img.data[base + c] ?? 0) + offset;
    }
  }
  return { width: region.width, height: region.height, components: comps.length, bits: img.bitsPerSample, samples };
}

/** Netpbm: P5 for one component, P6 for three. */
export function encodePnm(p: Picture): Buffer {
  if (p.components !== 1 && p.components !== 3)
    throw new RangeError(`PGM/PPM needs 1 or 3 components, the picture has ${p.components}`);
  const maxval = 2 ** p.bits - 1;
  const header = Buffer.from(`${p.components === 1 ? 'P5' : 'P6'}\n${p.width} ${p.height}\n${maxval}\n`, 'latin1');
  const wide = maxval > 255;
  const body = Buffer.alloc(p.samples.length * (wide ? 2 : 1));
  p.samples.forEach((v, i) => (wide ? body.writeUInt16BE(v, 2 * i) : body.writeUInt8(v, i)));
  return Buffer.concat([header, body]);
}

const PNG_COLOR: Record<number, 0 | 2 | 4 | 6> = { 1: 0, 2: 4, 3: 2, 4: 6 };

export function encodePng(p: Picture): Buffer {
  const colorType = PNG_COLOR[p.components];
  if (colorType === undefined) throw new RangeError(`PNG needs 1 to 4 components, the picture has ${p.components}`);
  const depth = p.bits <= 8 ? 8 : 16;
  const shift = depth - p.bits;
  const png = new PNG({
    width: p.width,
    height: p.height,
    colorType,
    inputColorType: colorType,
    bitDepth: depth,
    inputHasAlpha: colorType === 4 || colorType === 6,
  });
  if (depth === 8) png.data = Buffer.from(Uint8Array.from(p.samples, (v) => (v << shift) & 0xff));
  else png.data = Buffer.from(Uint16Array.from(p.samples, (v) => v << shift).buffer);
  return PNG.sync.write(png, {
    colorType,
    inputColorType: colorType,
    bitDepth: depth,
    inputHasAlpha: colorType === 4 || colorType === 6,
  });
}
