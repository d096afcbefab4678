// QCD and QCC marker segments: quantization, ISO/IEC 15444-1 A.6.4 Tables A.27-A.30 and A.6.5
// Table A.31. Step sizes are validated for count and kept raw; the index does not need them.

import { type ByteReader, MalformedError } from '../../bytes';

export interface Quantization {
  /** Sqcd/Sqcc: bits 0..4 style (0 none, 1 scalar derived, 2 scalar expounded), bits 5..7 guard bits. */
  Sq: number;
  style: number;
  guardBits: number;
  /** SPqcd/SPqcc values: 8-bit exponents (style 0) or 16-bit exponent/mantissa words. */
  steps: number[];
}

export interface Qcc extends Quantization {
  Cqcc: number;
}

// ISO/IEC 15444-1 A.6.4 Table A.28
function parseQuant(seg: ByteReader, name: string): Quantization {
  const at = seg.offset;
  const Sq = seg.u8('Sqcd');
  const style = Sq & 0x1f;
  const steps: number[] = [];
  if (style === 0) {
    while (seg.remaining > 0) steps.push(seg.u8('SPqcd'));
  } else if (style === 1 || style === 2) {
    if (seg.remaining % 2 !== 0 || seg.remaining === 0) {
      throw new MalformedError(`J2K_${name}_LENGTH`, `${name}: step sizes of odd length`, {
        offset: seg.offset,
        context: name,
      });
    }
    while (seg.remaining > 0) steps.push(seg.u16('SPqcd'));
  } else {
    throw new MalformedError(`J2K_${name}_VALUE`, `${name}: quantization style ${style}`, {
      offset: at,
      context: name,
    });
  }
  return { Sq, style, guardBits: Sq >> 5, steps };
}

// ISO/IEC 15444-1 A.6.4 Table A.27
export function parseQcd(seg: ByteReader): Quantization {
  return parseQuant(seg, 'QCD');
}

// ISO/IEC 15444-1 A.6.5 Table A.31
export function parseQcc(seg: ByteReader, Csiz: number): Qcc {
  const at = seg.offset;
  const Cqcc = Csiz < 257 ? seg.u8('Cqcc') : seg.u16('Cqcc');
  if (Cqcc >= Csiz)
    throw new MalformedError('J2K_QCC_COMPONENT', `QCC: component ${Cqcc} >= Csiz`, { offset: at, context: 'QCC' });
  return { Cqcc, ...parseQuant(seg, 'QCC') };
}
