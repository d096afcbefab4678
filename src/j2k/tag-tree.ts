// Tag-tree decoder, ISO/IEC 15444-1 B.10.2: a quad-tree of lower bounds over a w x h leaf grid.
// Node state persists across layers of one precinct. Typed arrays; no allocation per decode.

import type { BitReader } from '../bytes';

const UNKNOWN = 0x7fffffff;
/** Root-to-leaf path scratch, shared: decode() is synchronous and never re-entered. */
const STACK = new Int32Array(64);

export class TagTree {
  private readonly value: Int32Array;
  private readonly low: Int32Array;
  private readonly parent: Int32Array;

  constructor(w: number, h: number) {
    const dims: Array<[number, number]> = [];
    let cw = w;
    let ch = h;
    let total = 0;
    for (;;) {
      dims.push([cw, ch]);
      total += cw * ch;
      if (cw * ch <= 1) break;
      cw = Math.ceil(cw / 2);
      ch = Math.ceil(ch / 2);
    }
    this.value = new Int32Array(total).fill(UNKNOWN);
    this.low = new Int32Array(total);
    this.parent = new Int32Array(total).fill(-1);
    let base = 0;
    for (let k = 0; k + 1 < dims.length; k++) {
      const [lw, lh] = dims[k] as [number, number];
      const [pw] = dims[k + 1] as [number, number];
      const pbase = base + lw * lh;
      for (let y = 0; y < lh; y++) {
        for (let x = 0; x < lw; x++) this.parent[base + y * lw + x] = pbase + (y >> 1) * pw + (x >> 1);
      }
      base = pbase;
    }
  }

  /** Decodes leaf `leaf` against `threshold`; true iff its value is below the threshold. */
  decode(br: BitReader, leaf: number, threshold: number): boolean {
    let sp = 0;
    let node = leaf;
    while (this.parent[node] !== -1) {
      STACK[sp++] = node;
      node = this.parent[node] as number;
    }
    let low = 0;
    for (;;) {
      const nl = this.low[node] as number;
      if (low > nl) this.low[node] = low;
      else low = nl;
      while (low < threshold && low < (this.value[node] as number)) {
        if (br.bit() === 1) this.value[node] = low;
        else low++;
      }
      this.low[node] = low;
      if (sp === 0) break;
      node = STACK[--sp] as number;
    }
    return (this.value[node] as number) < threshold;
  }

  /** The decoded value of a leaf (valid once decode returned true for it). */
  valueOf(leaf: number): number {
    return this.value[leaf] as number;
  }
}
