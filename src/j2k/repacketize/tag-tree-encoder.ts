// Tag-tree encoder, ISO/IEC 15444-1 B.10.2: the mirror of ../tag-tree.ts. Leaf values are fixed
// at construction (internal nodes take the minimum of their children); node state (the lower
// bound reached and whether the value was signalled) persists across the layers of a precinct,
// so encode(leaf, t) emits exactly the bits a decoder consumes in decode(leaf, t).

import type { BitWriter } from './bit-writer';

/** Path scratch, shared: encode() is synchronous and never re-entered. */
const STACK = new Int32Array(64);

export class TagTreeEncoder {
  private readonly value: Int32Array;
  private readonly low: Int32Array;
  private readonly known: Uint8Array;
  private readonly parent: Int32Array;

  /** `leafValue(i)` gives leaf i's value (raster order over the w x h leaves); must be ≥ 0. */
  constructor(w: number, h: number, leafValue: (i: number) => number) {
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
    this.value = new Int32Array(total).fill(0x7fffffff);
    this.low = new Int32Array(total);
    this.known = new Uint8Array(total);
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
    for (let i = 0; i < w * h; i++) this.value[i] = leafValue(i);
    // Parents always follow their children in storage order, so one pass gives the minima.
    for (let i = 0; i < total; i++) {
      const p = this.parent[i] as number;
      if (p >= 0 && (this.value[i] as number) < (this.value[p] as number)) this.value[p] = this.value[i] as number;
    }
  }

  /** Emits the bits telling whether leaf `leaf` is below `threshold` (B.10.2). */
  encode(bw: BitWriter, leaf: number, threshold: number): boolean {
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
      while (low < threshold) {
        if (low >= (this.value[node] as number)) {
          if (this.known[node] === 0) {
            bw.bit(1);
            this.known[node] = 1;
          }
          break;
        }
        bw.bit(0);
        low++;
      }
      this.low[node] = low;
      if (sp === 0) break;
      node = STACK[--sp] as number;
    }
    return (this.value[node] as number) < threshold;
  }
}
