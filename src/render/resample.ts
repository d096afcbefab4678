// Separable resampling of a rectangle of an interleaved image to an output size: area averaging
// (box filter with fractional coverage) when shrinking, bilinear (pixel-centre aligned, edge
// samples clamped to the rectangle) when enlarging; optional horizontal/vertical flip. Values stay
// in the sample domain (Float32) so windowing happens after resampling.

export interface SampleImage {
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
}

/** Rectangle in source pixel coordinates; fractional edges are allowed. */
export interface SourceRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface Taps {
  /** Tap range of output index o: [start[o], start[o + 1]). */
  start: Int32Array;
  index: Int32Array;
  weight: Float32Array;
}

/** Filter taps of one axis: output n samples from source [a0, a1) of a size-`size` axis. */
export function axisTaps(a0: number, a1: number, n: number, size: number): Taps {
  const step = (a1 - a0) / n;
  const lo = Math.max(0, Math.min(size - 1, Math.floor(a0)));
  const hi = Math.max(lo, Math.min(size - 1, Math.ceil(a1) - 1));
  const idx: number[] = [];
  const wts: number[] = [];
  const start = new Int32Array(n + 1);
  for (let o = 0; o < n; o++) {
    start[o] = idx.length;
    if (step >= 1) {
      const a = a0 + o * step;
      const b = a + step;
      let total = 0;
      const first = idx.length;
      for (let k = Math.floor(a); k < Math.ceil(b); k++) {
        const wgt = Math.min(b, k + 1) - Math.max(a, k);
        if (wgt <= 0) continue;
        idx.push(Math.min(hi, Math.max(lo, k)));
        wts.push(wgt);
        total += wgt;
      }
      for (let i = first; i < wts.length; i++) wts[i] = (wts[i] as number) / total;
    } else {
      const c = a0 + (o + 0.5) * step - 0.5;
      const k = Math.floor(c);
      const t = c - k;
      idx.push(Math.min(hi, Math.max(lo, k)), Math.min(hi, Math.max(lo, k + 1)));
      wts.push(1 - t, t);
    }
  }
  start[n] = idx.length;
  return { start, index: Int32Array.from(idx), weight: Float32Array.from(wts) };
}

/** Resamples `rect` of `src` to outW × outH (interleaved Float32, src.channels per pixel). */
export function resample(
  src: SampleImage,
  rect: SourceRect,
  outW: number,
  outH: number,
  flipX = false,
  flipY = false,
): Float32Array {
  const ch = src.channels;
  const tx = axisTaps(rect.x0, rect.x1, outW, src.width);
  const ty = axisTaps(rect.y0, rect.y1, outH, src.height);
  // Source rows any output row touches.
  let rowLo = src.height;
  let rowHi = -1;
  for (let i = 0; i < ty.index.length; i++) {
    const r = ty.index[i] as number;
    if (r < rowLo) rowLo = r;
    if (r > rowHi) rowHi = r;
  }
  const rowsNeeded = Math.max(0, rowHi - rowLo + 1);
  // Horizontal pass: rowsNeeded × outW.
  const tmp = new Float32Array(rowsNeeded * outW * ch);
  const data = src.data;
  for (let y = 0; y < rowsNeeded; y++) {
    const rowBase = (rowLo + y) * src.width * ch;
    const outBase = y * outW * ch;
    for (let o = 0; o < outW; o++) {
      const s = tx.start[o] as number;
      const e = tx.start[o + 1] as number;
      for (let c = 0; c < ch; c++) {
        let acc = 0;
        for (let t = s; t < e; t++)
          acc += (data[rowBase + (tx.index[t] as number) * ch + c] as number) * (tx.weight[t] as number);
        tmp[outBase + o * ch + c] = acc;
      }
    }
  }
  // Vertical pass with flips.
  const out = new Float32Array(outW * outH * ch);
  for (let o = 0; o < outH; o++) {
    const s = ty.start[o] as number;
    const e = ty.start[o + 1] as number;
    const oy = flipY ? outH - 1 - o : o;
    for (let x = 0; x < outW; x++) {
      const ox = flipX ? outW - 1 - x : x;
      for (let c = 0; c < ch; c++) {
        let acc = 0;
        for (let t = s; t < e; t++)
          acc += (tmp[((ty.index[t] as number) - rowLo) * outW * ch + x * ch + c] as number) * (ty.weight[t] as number);
        out[(oy * outW + ox) * ch + c] = acc;
      }
    }
  }
  return out;
}
