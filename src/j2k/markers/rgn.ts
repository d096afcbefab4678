// RGN marker segment: region of interest, ISO/IEC 15444-1 A.6.3 Tables A.24-A.26. Only the
// implicit (maxshift, Srgn = 0) style exists in Part 1; the shift does not change packet layout.

import { type ByteReader, MalformedError } from '../../bytes';

export interface Rgn {
  Crgn: number;
  Srgn: number;
  SPrgn: number;
}

// ISO/IEC 15444-1 A.6.3 Table A.24
export function parseRgn(seg: ByteReader, Csiz: number): Rgn {
  const at = seg.offset;
  const Crgn = Csiz < 257 ? seg.u8('Crgn') : seg.u16('Crgn');
  const Srgn = seg.u8('Srgn');
  const SPrgn = seg.u8('SPrgn');
  if (Crgn >= Csiz)
    throw new MalformedError('J2K_RGN_COMPONENT', `RGN: component ${Crgn} >= Csiz`, { offset: at, context: 'RGN' });
  if (seg.remaining !== 0)
    throw new MalformedError('J2K_RGN_LENGTH', 'RGN: trailing bytes', { offset: seg.offset, context: 'RGN' });
  return { Crgn, Srgn, SPrgn };
}
