// Whole-codestream answers (type=raw, ISO/IEC 15444-9 C.7.3) in a file format PS3.5 §8.4.1
// allows: a JP2 file (15444-1 Annex I; image/jp2) for Part 1 codestreams, a JPH file (15444-15
// Annex D; image/jph) for HTJ2K. Boxes: signature, ftyp, jp2h (ihdr, bpcc when the components
// differ, colr enumerated: sRGB for 3+ components, greyscale otherwise, UnkC = 1 because the
// DICOM Photometric Interpretation, not the box, defines the colours), then jp2c.

import { concatBytes } from '../../bytes';
import type { MainHeader } from '../../j2k';

export function box(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, out.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  return out;
}

function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0));
}

export interface RawWrapper {
  mediaType: 'image/jp2' | 'image/jph';
  /** Bytes before the codestream (up to and including the jp2c box header). */
  prefix: Uint8Array;
}

/** The boxes a JP2 (JPH) file of this codestream starts with: signature, ftyp, jp2h. // 15444-1 I.5 */
export interface Jp2HeaderBoxes {
  signature: Uint8Array;
  ftyp: Uint8Array;
  jp2h: Uint8Array;
}

/** Signature, File Type (brand `jp2 `, or `jph ` for HTJ2K) and JP2 Header boxes. // 15444-1 I.5.1-I.5.3 */
export function jp2HeaderBoxes(main: MainHeader, htj2k: boolean): Jp2HeaderBoxes {
  const { siz } = main;
  const brand = htj2k ? 'jph ' : 'jp2 ';
  const signature = box('jP  ', new Uint8Array([0x0d, 0x0a, 0x87, 0x0a]));
  const ftyp = box('ftyp', new Uint8Array([...ascii(brand), 0, 0, 0, 0, ...ascii(brand)]));
  const first = siz.components[0];
  const uniform = siz.components.every((c) => c.Ssiz === first?.Ssiz);
  const ihdr = new Uint8Array(14);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, siz.Ysiz - siz.YOsiz);
  dv.setUint32(4, siz.Xsiz - siz.XOsiz);
  dv.setUint16(8, siz.Csiz);
  ihdr[10] = uniform ? (first?.Ssiz ?? 7) : 0xff;
  ihdr[11] = 7; // C: JPEG 2000 compression
  ihdr[12] = 1; // UnkC: colour space not known from the box
  ihdr[13] = 0; // IPR
  const boxes = [box('ihdr', ihdr)];
  if (!uniform) boxes.push(box('bpcc', new Uint8Array(siz.components.map((c) => c.Ssiz))));
  const colr = new Uint8Array([1, 0, 0, 0, 0, 0, siz.Csiz >= 3 ? 16 : 17]);
  boxes.push(box('colr', colr));
  return { signature, ftyp, jp2h: box('jp2h', concatBytes(boxes)) };
}

/** The header of the Contiguous Codestream box holding `codestreamLength` bytes. // 15444-1 I.5.4 */
export function jp2cHeader(codestreamLength: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setUint32(0, 8 + codestreamLength);
  out.set(ascii('jp2c'), 4);
  return out;
}

/** File-format boxes around a codestream of `codestreamLength` bytes. */
export function rawWrapper(main: MainHeader, htj2k: boolean, codestreamLength: number): RawWrapper {
  const { signature, ftyp, jp2h } = jp2HeaderBoxes(main, htj2k);
  return {
    mediaType: htj2k ? 'image/jph' : 'image/jp2',
    prefix: concatBytes([signature, ftyp, jp2h, jp2cHeader(codestreamLength)]),
  };
}
