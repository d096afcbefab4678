// SOT marker segment: start of tile-part, ISO/IEC 15444-1 A.4.2 Table A.5. Psot = 0 means the
// tile-part runs to EOC (only allowed for the last tile-part, A.4.2); TNsot = 0 means unknown;
// TPsot >= TNsot is left to the caller (a warning: real encoders write it).

import { type ByteReader, MalformedError } from '../../bytes';

export interface Sot {
  Isot: number;
  Psot: number;
  TPsot: number;
  TNsot: number;
}

// ISO/IEC 15444-1 A.4.2 Table A.5
export function parseSot(seg: ByteReader, numTiles: number): Sot {
  const at = seg.offset;
  if (seg.remaining !== 8)
    throw new MalformedError('J2K_SOT_LENGTH', `SOT: Lsot ${seg.remaining + 2} != 10`, {
      offset: at - 2,
      context: 'SOT',
    });
  const Isot = seg.u16('Isot');
  const Psot = seg.u32('Psot');
  const TPsot = seg.u8('TPsot');
  const TNsot = seg.u8('TNsot');
  if (Isot >= numTiles)
    throw new MalformedError('J2K_SOT_TILE', `SOT: tile ${Isot} >= ${numTiles} tiles`, { offset: at, context: 'SOT' });
  if (Psot !== 0 && Psot < 14)
    throw new MalformedError('J2K_SOT_PSOT', `SOT: Psot ${Psot} < 14`, { offset: at + 2, context: 'SOT' });
  return { Isot, Psot, TPsot, TNsot };
}
