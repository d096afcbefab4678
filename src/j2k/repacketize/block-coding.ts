// Per-code-block packet-header fields shared by the reader and the writer: the number of coding
// passes code (ISO/IEC 15444-1 B.10.6 Table B.4) and how the new passes of one contribution split
// into codeword-segment length fields (B.10.7.1 with the termination rules of D.4 Table D.8 for
// BYPASS / TERMALL; 15444-15 B.4 for HT cleanup and refinement segments). The split depends only
// on the code-block's own pass history, never on the precinct it belongs to.

import { MalformedError, type BitReader } from '../../bytes';
import type { BitWriter } from './bit-writer';

export const BYPASS = 0x01;
export const TERMALL = 0x04;
export const HT = 0x40;

export function floorLog2(v: number): number {
  return 31 - Math.clz32(v);
}

/** Last pass (exclusive) of the BYPASS codeword segment holding pass p (D.6, Table D.8). */
function bypassSegmentEnd(p: number): number {
  if (p < 10) return 10;
  const q = (p - 10) % 3;
  return q < 2 ? p - q + 2 : p + 1;
}

/**
 * Pass counts of the length fields for `n` new passes of a code-block that already has `before`
 * passes: one field per codeword segment touched (the field is Lblock + floor(log2 m) bits).
 */
export function lengthFields(cblkStyle: number, before: number, n: number): number[] {
  const out: number[] = [];
  if (cblkStyle & HT) {
    let p = before;
    let left = n;
    if (p === 0) {
      const p1 = n - ((n - 1) % 3);
      out.push(p1);
      if (n - p1 > 0) out.push(n - p1);
      return out;
    }
    while (left > 0) {
      const m = p % 3 === 1 ? Math.min(left, 2) : 1;
      out.push(m);
      p += m;
      left -= m;
    }
    return out;
  }
  if (cblkStyle & TERMALL) {
    for (let i = 0; i < n; i++) out.push(1);
    return out;
  }
  if (cblkStyle & BYPASS) {
    let p = before;
    let left = n;
    while (left > 0) {
      const m = Math.min(bypassSegmentEnd(p) - p, left);
      out.push(m);
      p += m;
      left -= m;
    }
    return out;
  }
  out.push(n);
  return out;
}

// ISO/IEC 15444-1 B.10.6 Table B.4
export function readPassCount(br: BitReader): number {
  if (br.bit() === 0) return 1;
  if (br.bit() === 0) return 2;
  const a = br.bits(2);
  if (a !== 3) return 3 + a;
  const b = br.bits(5);
  if (b !== 31) return 6 + b;
  return 37 + br.bits(7);
}

// ISO/IEC 15444-1 B.10.6 Table B.4 (1..164 passes)
export function writePassCount(bw: BitWriter, n: number): void {
  if (n === 1) bw.bit(0);
  else if (n === 2) bw.bits(0b10, 2);
  else if (n <= 5) {
    bw.bits(0b11, 2);
    bw.bits(n - 3, 2);
  } else if (n <= 36) {
    bw.bits(0b1111, 4);
    bw.bits(n - 6, 5);
  } else if (n <= 164) {
    bw.bits(0b111111111, 9);
    bw.bits(n - 37, 7);
  } else {
    throw new MalformedError('J2K_REPACK_PASSES', `${n} coding passes in one contribution (max 164)`, {
      context: 'packet header',
    });
  }
}
