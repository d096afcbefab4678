// Metadata-bin contents (ISO/IEC 15444-9 A.3.6: metadata-bin 0 holds the top-level boxes of the
// logical target, big or codestream boxes replaced by placeholder boxes, A.3.6.3). A target named
// as a raw codestream (the SOP Instance UID) has no boxes: bin 0 is empty. A target named as a JP2
// file (`<uid>.jp2`) is frame 1 wrapped as in type=raw: bin 0 = signature, ftyp, jp2h (ihdr, bpcc,
// colr) inline, then a `phld` standing for the jp2c box whose contents are codestream CSn.
// Placeholder layout as JPIP.md §4.1 gives it (ESA's server): Flags 4 = "codestream", OrigID 0,
// OrigBH = the jp2c box header in its 16-byte XLBox form (15444-1 I.4; OpenJPEG's reader takes the
// box length from there), EquivID 0, EquivBH 0, CSID. Not supported: other metadata-bins.

import type { MainHeader } from '../../j2k';
import { box, jp2HeaderBoxes } from './raw';

/** The contents of metadata-bin 0 as whole boxes (messages never split a box unless `len` cuts one). */
export interface MetadataBin {
  boxes: readonly Uint8Array[];
  length: number;
}

export const EMPTY_METADATA_BIN: MetadataBin = Object.freeze({ boxes: [], length: 0 });

/** Placeholder box for a jp2c box whose contents are codestream `csn`. // 15444-9 A.3.6.3 */
export function codestreamPlaceholder(csn: number, codestreamLength: number): Uint8Array {
  const body = new Uint8Array(4 + 8 + 16 + 8 + 8 + 8);
  const dv = new DataView(body.buffer);
  dv.setUint32(0, 4); // Flags: the original box's contents are codestream CSID
  // OrigID (8 bytes) = 0: the original box is not available as a metadata-bin
  dv.setUint32(12, 1); // OrigBH: LBox = 1, TBox = jp2c, XLBox = 16 + codestream
  body.set([0x6a, 0x70, 0x32, 0x63], 16);
  dv.setBigUint64(20, BigInt(16 + codestreamLength));
  // EquivID (8) = 0 and EquivBH (8) = 0: no equivalent box
  dv.setBigUint64(44, BigInt(csn)); // CSID
  return box('phld', body);
}

/** Metadata-bin 0 of the JP2 view of a frame. // 15444-9 A.3.6, 15444-1 I.5 */
export function jp2MetadataBin(main: MainHeader, htj2k: boolean, csn: number, codestreamLength: number): MetadataBin {
  const { signature, ftyp, jp2h } = jp2HeaderBoxes(main, htj2k);
  const boxes = [signature, ftyp, jp2h, codestreamPlaceholder(csn, codestreamLength)];
  return { boxes, length: boxes.reduce((n, b) => n + b.length, 0) };
}
