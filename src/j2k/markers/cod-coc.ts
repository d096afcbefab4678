// COD and COC marker segments: coding style, ISO/IEC 15444-1 A.6.1 Tables A.12-A.15 (COD) and
// A.6.2 Tables A.16-A.17 (COC). SPcod/SPcoc share one reader. Code-block style bit 0x40 is the
// HT block coder and 0xC0 "mixed" (15444-15 A.4); both are accepted.

import { type ByteReader, MalformedError } from '../../bytes';

/** Fields shared by SPcod and SPcoc (Table A.15). */
export interface CodingStyle {
  /** NL: number of decomposition levels (0..32). */
  levels: number;
  /** xcb, ycb exponents (SPcod value + 2). */
  xcb: number;
  ycb: number;
  /** Code-block style byte (Table A.19). */
  cblkStyle: number;
  /** 0 = 9/7 irreversible, 1 = 5/3 reversible. */
  transform: number;
  /** True when precinct sizes were given (Scod/Scoc bit 0). */
  userPrecincts: boolean;
  /** PPx, PPy per resolution 0..NL (15 without user precincts). */
  PPx: number[];
  PPy: number[];
}

export interface Cod extends CodingStyle {
  Scod: number;
  /** Progression order 0..4 = LRCP, RLCP, RPCL, PCRL, CPRL. */
  progression: number;
  layers: number;
  mct: number;
}

export interface Coc extends CodingStyle {
  Ccoc: number;
  Scoc: number;
}

export const PROGRESSION_NAMES = ['LRCP', 'RLCP', 'RPCL', 'PCRL', 'CPRL'] as const;

// ISO/IEC 15444-1 A.6.1 Table A.15
function parseSpcod(seg: ByteReader, userPrecincts: boolean, name: string): CodingStyle {
  const at = seg.offset;
  const levels = seg.u8('NL');
  const xcb = seg.u8('xcb') + 2;
  const ycb = seg.u8('ycb') + 2;
  const cblkStyle = seg.u8('code-block style');
  const transform = seg.u8('transform');
  const code = `J2K_${name}_VALUE`;
  if (levels > 32) throw new MalformedError(code, `${name}: NL ${levels} > 32`, { offset: at, context: name });
  if (xcb > 10 || ycb > 10 || xcb + ycb > 12) {
    throw new MalformedError(code, `${name}: code-block size 2^${xcb} x 2^${ycb} too large`, {
      offset: at + 1,
      context: name,
    });
  }
  if (transform > 1)
    throw new MalformedError(code, `${name}: transform ${transform}`, { offset: at + 4, context: name });
  const PPx: number[] = [];
  const PPy: number[] = [];
  for (let r = 0; r <= levels; r++) {
    if (userPrecincts) {
      const b = seg.u8('precinct size');
      const x = b & 0x0f;
      const y = b >> 4;
      if (r > 0 && (x === 0 || y === 0)) {
        throw new MalformedError(code, `${name}: precinct exponent 0 at resolution ${r}`, {
          offset: seg.offset - 1,
          context: name,
        });
      }
      PPx.push(x);
      PPy.push(y);
    } else {
      PPx.push(15);
      PPy.push(15);
    }
  }
  return { levels, xcb, ycb, cblkStyle, transform, userPrecincts, PPx, PPy };
}

function checkConsumed(seg: ByteReader, name: string): void {
  if (seg.remaining !== 0) {
    throw new MalformedError(`J2K_${name}_LENGTH`, `${name}: ${seg.remaining} unexpected trailing bytes`, {
      offset: seg.offset,
      context: name,
    });
  }
}

// ISO/IEC 15444-1 A.6.1 Table A.12
export function parseCod(seg: ByteReader): Cod {
  const Scod = seg.u8('Scod');
  const progression = seg.u8('progression order');
  const layers = seg.u16('layers');
  const mct = seg.u8('MCT');
  if (progression > 4) {
    throw new MalformedError('J2K_COD_VALUE', `COD: progression order ${progression}`, {
      offset: seg.offset - 4,
      context: 'COD',
    });
  }
  if (layers === 0)
    throw new MalformedError('J2K_COD_VALUE', 'COD: zero layers', { offset: seg.offset - 3, context: 'COD' });
  const style = parseSpcod(seg, (Scod & 1) !== 0, 'COD');
  checkConsumed(seg, 'COD');
  return { Scod, progression, layers, mct, ...style };
}

// ISO/IEC 15444-1 A.6.2 Table A.16
export function parseCoc(seg: ByteReader, Csiz: number): Coc {
  const at = seg.offset;
  const Ccoc = Csiz < 257 ? seg.u8('Ccoc') : seg.u16('Ccoc');
  if (Ccoc >= Csiz)
    throw new MalformedError('J2K_COC_COMPONENT', `COC: component ${Ccoc} >= Csiz ${Csiz}`, {
      offset: at,
      context: 'COC',
    });
  const Scoc = seg.u8('Scoc');
  const style = parseSpcod(seg, (Scoc & 1) !== 0, 'COC');
  checkConsumed(seg, 'COC');
  return { Ccoc, Scoc, ...style };
}
