// CRG marker segment: component registration, ISO/IEC 15444-1 A.9.1 Table A.39. Informational
// (display registration); it does not affect packet layout.

import { type ByteReader, MalformedError } from '../../bytes';

export interface Crg {
  Xcrg: number[];
  Ycrg: number[];
}

// ISO/IEC 15444-1 A.9.1 Table A.39
export function parseCrg(seg: ByteReader, Csiz: number): Crg {
  if (seg.remaining !== 4 * Csiz) {
    throw new MalformedError('J2K_CRG_LENGTH', `CRG: ${seg.remaining} bytes for ${Csiz} components`, {
      offset: seg.offset,
      context: 'CRG',
    });
  }
  const Xcrg: number[] = [];
  const Ycrg: number[] = [];
  for (let i = 0; i < Csiz; i++) {
    Xcrg.push(seg.u16('Xcrg'));
    Ycrg.push(seg.u16('Ycrg'));
  }
  return { Xcrg, Ycrg };
}
