// Tag-tree decoder, ISO/IEC 15444-1 B.10.2: a quad-tree of lower bounds over a w x h leaf grid.
// Node state persists across layers of one precinct. Typed arrays; no allocation per decode, and
// reset() reuses them for the next precinct (the packet index pools precinct states).

import type { BitReader } from '../bytes';

const UNKNOWN = 0x7fffffff;
/** Root-to-leaf path scratch, shared: decode() is synchronous and never re-entered. */
const STACK = new Int32Array(64);

export class TagTree {
  private value = new Int32Array(0);
  private low = new Int32Array(0);
  private parent = new Int32Array(0);

  constructor(w: number, h: number) {
    this.reset(w, h);
  }

  /** Re-initialises the tree for a w x h leaf grid, reusing its arrays when they are large enough. */
  reset(w: number, h: number): void {
    let total = 0;
    for (let cw = w, ch = h; ; cw = Math.ceil(cw / 2), ch = Math.ceil(ch / 2)) {
      total += cw * ch;
      if (cw * ch <= 1) break;
    }
    if (total > this.value.length) {
      const cap = Math.max(total, 2 * this.value.length);
      this.value = new Int32Array(cap);
      this.low = new Int32Array(cap);
      this.parent = new Int32Array(cap);
    }
    // Plain loops: TypedArray#fill costs more than the few elements of a typical precinct.
    for (let i = 0; i < total; i++) {
      this.value[i] = UNKNOWN;
      this.low[i] = 0;
    }
    if (total > 0) this.parent[total - 1] = -1;
    let base = 0;
    for (let lw = w, lh = h; lw * lh > 1;) {
      const pw = Math.ceil(lw / 2);
      const pbase = base + lw * lh;
      for (let y = 0; y < lh; y++) {
        const row = base + y * lw;
        const prow = pbase + (y >> 1) * pw;
        for (let x = 0; x < lw; x++) this.parent[row + x] = prow + (x >> 1);
      }
      base = pbase;
      lw = pw;
      lh = Math.ceil(lh / 2);
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
