// Packet header decoding, ISO/IEC 15444-1 B.10 (B.10.2 tag trees, B.10.4 inclusion, B.10.5 zero
// bit-planes, B.10.6 number of passes, B.10.7.1 Lblock and segment lengths, with the termination
// rules of D.4 / Table D.8 for BYPASS and TERMALL) and 15444-15 B.4 for HT code-blocks (cleanup
// and refinement segments). Only lengths are decoded; the code-block data itself is not touched.

import { MalformedError, type BitReader } from '../bytes';
import { TagTree } from './tag-tree';
import type { BlockGrid } from './geometry';

const BYPASS = 0x01;
const TERMALL = 0x04;
const HT = 0x40;
const ONE_SEGMENT = 1 << 30;

interface BandState {
  nw: number;
  nh: number;
  base: number;
  incl: TagTree;
  zbp: TagTree;
}

/** Decoder state of one precinct, carried from layer to layer (B.10). Reusable via reset(). */
export class PrecinctState {
  numBlocks = 0;
  private readonly bands: BandState[] = [];
  private numBands = 0;
  private cblkStyle = 0;
  private included = new Uint8Array(0);
  private lblock = new Uint8Array(0);
  private passes = new Int32Array(0);
  private segPasses = new Int32Array(0);
  private segMax = new Int32Array(0);
  private segCount = new Int32Array(0);

  constructor(grids: readonly BlockGrid[], cblkStyle: number) {
    this.reset(grids, cblkStyle);
  }

  /** Re-initialises the state for another precinct, reusing its arrays and tag trees. */
  reset(grids: readonly BlockGrid[], cblkStyle: number): this {
    this.cblkStyle = cblkStyle;
    let n = 0;
    let k = 0;
    for (const g of grids) {
      const cnt = g.nw * g.nh;
      if (cnt === 0) continue;
      const band = this.bands[k];
      if (band === undefined) {
        this.bands.push({ nw: g.nw, nh: g.nh, base: n, incl: new TagTree(g.nw, g.nh), zbp: new TagTree(g.nw, g.nh) });
      } else {
        band.nw = g.nw;
        band.nh = g.nh;
        band.base = n;
        band.incl.reset(g.nw, g.nh);
        band.zbp.reset(g.nw, g.nh);
      }
      k++;
      n += cnt;
    }
    this.numBands = k;
    this.numBlocks = n;
    if (n > this.included.length) {
      const cap = Math.max(n, 2 * this.included.length);
      this.included = new Uint8Array(cap);
      this.lblock = new Uint8Array(cap);
      this.passes = new Int32Array(cap);
      this.segPasses = new Int32Array(cap);
      this.segMax = new Int32Array(cap);
      this.segCount = new Int32Array(cap);
    }
    for (let b = 0; b < n; b++) {
      this.included[b] = 0;
      this.lblock[b] = 3;
      this.passes[b] = 0;
      this.segPasses[b] = 0;
      this.segMax[b] = 0;
      this.segCount[b] = 0;
    }
    return this;
  }

  private newSegment(b: number): void {
    const k = this.segCount[b] as number;
    let max = ONE_SEGMENT;
    if (this.cblkStyle & TERMALL) max = 1;
    else if (this.cblkStyle & BYPASS) {
      const prev = this.segMax[b] as number;
      max = k === 0 ? 10 : prev === 1 || prev === 10 ? 2 : 1;
    }
    this.segMax[b] = max;
    this.segPasses[b] = 0;
    this.segCount[b] = k + 1;
  }

  /**
   * Decodes the header of this precinct's packet for `layer` from `br` (positioned at its first
   * bit) and returns the body length in bytes. The caller aligns the reader and handles EPH.
   */
  decode(br: BitReader, layer: number): number {
    if (br.bit() === 0) return 0;
    let body = 0;
    for (let k = 0; k < this.numBands; k++) {
      const band = this.bands[k] as BandState;
      const count = band.nw * band.nh;
      for (let i = 0; i < count; i++) {
        const b = band.base + i;
        let first = false;
        if (this.included[b] === 0) {
          if (!band.incl.decode(br, i, layer + 1)) continue;
          first = true;
        } else if (br.bit() === 0) continue;
        if (first) {
          let t = 1;
          while (!band.zbp.decode(br, i, t)) {
            if (++t > 80)
              throw new MalformedError('J2K_ZERO_BITPLANES', 'zero bit-planes value above 80', {
                offset: br.offset,
                context: 'packet header',
              });
          }
          this.included[b] = 1;
        }
        const n = readPassCount(br);
        let lb = this.lblock[b] as number;
        while (br.bit() === 1) {
          if (++lb > 32)
            throw new MalformedError('J2K_LBLOCK', 'Lblock above 32', { offset: br.offset, context: 'packet header' });
        }
        this.lblock[b] = lb;
        body += this.cblkStyle & HT ? this.htLengths(br, b, n, lb) : this.part1Lengths(br, b, n, lb);
      }
    }
    return body;
  }

  // ISO/IEC 15444-1 B.10.7.1 and D.4.1 (codeword segments per termination mode)
  private part1Lengths(br: BitReader, b: number, n: number, lb: number): number {
    if (this.segCount[b] === 0 || this.segPasses[b] === this.segMax[b]) this.newSegment(b);
    let total = 0;
    let left = n;
    for (;;) {
      const m = Math.min((this.segMax[b] as number) - (this.segPasses[b] as number), left);
      total += readLength(br, lb + floorLog2(m));
      this.segPasses[b] = (this.segPasses[b] as number) + m;
      left -= m;
      if (left === 0) break;
      this.newSegment(b);
    }
    this.passes[b] = (this.passes[b] as number) + n;
    return total;
  }

  // ISO/IEC 15444-15 B.4 (HT cleanup / refinement segments); see docs JPIP.md §6.6
  private htLengths(br: BitReader, b: number, n: number, lb: number): number {
    let total = 0;
    let p = this.passes[b] as number;
    let left = n;
    if (p === 0) {
      const p1 = n - ((n - 1) % 3);
      total += readLength(br, lb + floorLog2(p1));
      const rest = n - p1;
      if (rest === 2) total += readLength(br, lb + 1);
      else if (rest === 1) total += readLength(br, lb);
      p = n;
      left = 0;
    }
    while (left > 0) {
      const phase = p % 3;
      const m = phase === 1 ? Math.min(left, 2) : 1;
      total += readLength(br, lb + floorLog2(m));
      p += m;
      left -= m;
    }
    this.passes[b] = p;
    return total;
  }
}

function floorLog2(v: number): number {
  return 31 - Math.clz32(v);
}

function readLength(br: BitReader, bits: number): number {
  if (bits > 32)
    throw new MalformedError('J2K_SEGMENT_LENGTH_BITS', `codeword length field of ${bits} bits`, {
      offset: br.offset,
      context: 'packet header',
    });
  return br.bits(bits);
}

// ISO/IEC 15444-1 B.10.6 Table B.4
function readPassCount(br: BitReader): number {
  if (br.bit() === 0) return 1;
  if (br.bit() === 0) return 2;
  const a = br.bits(2);
  if (a !== 3) return 3 + a;
  const b = br.bits(5);
  if (b !== 31) return 6 + b;
  return 37 + br.bits(7);
}
