// COM marker segment: comment, ISO/IEC 15444-1 A.9.2 Table A.40. Rcom 1 = Latin-1 text, 0 = binary.

import type { ByteReader } from '../../bytes';

export interface Com {
  Rcom: number;
  /** Latin-1 text when Rcom = 1, else null. */
  text: string | null;
  length: number;
}

// ISO/IEC 15444-1 A.9.2 Table A.40
export function parseCom(seg: ByteReader): Com {
  const Rcom = seg.u16('Rcom');
  const length = seg.remaining;
  const text = Rcom === 1 ? seg.ascii(length, 'Ccom') : (seg.skip(length, 'Ccom'), null);
  return { Rcom, text, length };
}
