// GIF89a writer: the image data is decoded back with an LZW decoder written here from the GIF89a
// specification (Appendix F), for gray (exact) and RGB (6x7x6 cube) images, including images
// large enough to fill the 4096-entry code table several times (clear codes).

import { encodeGif } from '../../../src/render';

interface Decoded {
  width: number;
  height: number;
  palette: Uint8Array;
  indices: Uint8Array;
}

function decodeGif(g: Uint8Array): Decoded {
  const dv = new DataView(g.buffer, g.byteOffset, g.byteLength);
  expect(String.fromCharCode(...g.subarray(0, 6))).toBe('GIF89a');
  const width = dv.getUint16(6, true);
  const height = dv.getUint16(8, true);
  expect(g[10]).toBe(0xf7);
  const palette = g.subarray(13, 13 + 768);
  let p = 13 + 768;
  expect(g[p]).toBe(0x2c);
  expect([dv.getUint16(p + 5, true), dv.getUint16(p + 7, true), g[p + 9]]).toEqual([width, height, 0]);
  p += 10;
  const minCode = g[p++] as number;
  const data: number[] = [];
  for (let n = g[p++] as number; n !== 0; n = g[p++] as number) {
    for (let i = 0; i < n; i++) data.push(g[p + i] as number);
    p += n;
  }
  expect(g[p]).toBe(0x3b);
  expect(p).toBe(g.length - 1);
  const clear = 1 << minCode;
  const eoi = clear + 1;
  let size = minCode + 1;
  let dict: number[][] = [];
  const reset = (): void => {
    dict = [];
    for (let i = 0; i < clear; i++) dict.push([i]);
    dict.push([], []);
    size = minCode + 1;
  };
  reset();
  const out: number[] = [];
  let bitPos = 0;
  let prev: number[] | null = null;
  for (;;) {
    let code = 0;
    for (let b = 0; b < size; b++, bitPos++) code |= (((data[bitPos >> 3] ?? 0) >> (bitPos & 7)) & 1) << b;
    if (code === clear) {
      reset();
      prev = null;
      continue;
    }
    if (code === eoi) break;
    let entry: number[];
    if (code < dict.length) entry = dict[code] as number[];
    else if (prev !== null && code === dict.length) entry = [...prev, prev[0] as number];
    else throw new Error(`bad code ${code}`);
    out.push(...entry);
    if (prev !== null && dict.length < 4096) dict.push([...prev, entry[0] as number]);
    if (dict.length === 1 << size && size < 12) size++;
    prev = entry;
  }
  return { width, height, palette, indices: Uint8Array.from(out) };
}

describe('encodeGif', () => {
  it('gray: indices are the 8-bit values, the palette is the gray ramp', () => {
    const w = 300;
    const h = 200;
    const px = new Uint8Array(w * h);
    let s = 12345;
    for (let i = 0; i < px.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      px[i] = i % 7 === 0 ? s >>> 24 : (i >> 6) & 0xff;
    }
    const d = decodeGif(encodeGif(w, h, 1, px));
    expect([d.width, d.height]).toEqual([w, h]);
    expect(d.indices).toEqual(px);
    expect([...d.palette.subarray(3 * 77, 3 * 78)]).toEqual([77, 77, 77]);
  });
  it('RGB: each pixel maps to the nearest cube colour', () => {
    const px = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 128, 128, 128, 10, 200, 90, 255, 255, 255]);
    const d = decodeGif(encodeGif(3, 2, 3, px));
    for (let i = 0; i < 6; i++) {
      const k = d.indices[i] as number;
      const c = [...d.palette.subarray(k * 3, k * 3 + 3)];
      for (let ch = 0; ch < 3; ch++)
        expect(Math.abs((c[ch] as number) - (px[i * 3 + ch] as number))).toBeLessThanOrEqual(26);
    }
  });
  it('a one-pixel image', () => {
    expect(decodeGif(encodeGif(1, 1, 1, Uint8Array.from([9]))).indices).toEqual(Uint8Array.from([9]));
  });
});
