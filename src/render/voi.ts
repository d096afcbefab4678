// Grayscale value pipeline (PS3.3 C.11.1 Modality LUT, C.11.2 VOI LUT): stored value → Rescale
// Slope/Intercept → VOI (window with LINEAR / LINEAR_EXACT / SIGMOID per C.11.2.1.2-3, or a VOI
// LUT Sequence item, or the value range of the rendered pixels) → 0..255, inverted for
// MONOCHROME1 (C.7.6.3.1.2). Not supported: Modality LUT Sequence (the rescale is used instead).

import type { WindowSpec } from './types';

export interface ModalityRescale {
  slope: number;
  intercept: number;
}

/** VOI LUT Sequence item (0028,3010): LUT Descriptor (0028,3002) and LUT Data (0028,3006). */
export interface VoiLut {
  /** First input value mapped (already sign-corrected). */
  firstMapped: number;
  /** Bits per entry (8..16): output range 0..2^bits-1. */
  bits: number;
  data: Uint16Array;
}

export type Voi =
  | { kind: 'window'; window: WindowSpec }
  | { kind: 'lut'; lut: VoiLut }
  /** Linear over [min, max] of the rendered values (no VOI in the object nor the request). */
  | { kind: 'range'; min: number; max: number };

const Y_MIN = 0;
const Y_MAX = 255;

/** One window function evaluated at x, output in [0, 255] (not rounded). // PS3.3 C.11.2.1.2-3 */
export function applyWindow(x: number, w: WindowSpec): number {
  const c = w.center;
  const width = w.width;
  switch (w.function) {
    case 'linear': {
      // C.11.2.1.2.1: if (x <= c - 0.5 - (w-1)/2) y = ymin; else if (x > c - 0.5 + (w-1)/2) y = ymax;
      // else y = ((x - (c - 0.5)) / (w-1) + 0.5) * (ymax - ymin) + ymin
      const lo = c - 0.5 - (width - 1) / 2;
      const hi = c - 0.5 + (width - 1) / 2;
      if (x <= lo) return Y_MIN;
      if (x > hi) return Y_MAX;
      return width === 1 ? Y_MAX : ((x - (c - 0.5)) / (width - 1) + 0.5) * (Y_MAX - Y_MIN) + Y_MIN;
    }
    case 'linear-exact': {
      // C.11.2.1.3.2: if (x <= c - w/2) ymin; else if (x > c + w/2) ymax; else ((x - c) / w + 0.5) * (ymax - ymin) + ymin
      if (x <= c - width / 2) return Y_MIN;
      if (x > c + width / 2) return Y_MAX;
      return ((x - c) / width + 0.5) * (Y_MAX - Y_MIN) + Y_MIN;
    }
    case 'sigmoid':
      // C.11.2.1.3.1: y = (ymax - ymin) / (1 + exp(-4 (x - c) / w)) + ymin
      return (Y_MAX - Y_MIN) / (1 + Math.exp((-4 * (x - c)) / width)) + Y_MIN;
  }
}

/** VOI LUT lookup: inputs below the first mapped value use the first entry, above the last the last. */
export function applyVoiLut(x: number, lut: VoiLut): number {
  const n = lut.data.length;
  let i = Math.round(x) - lut.firstMapped;
  if (i < 0) i = 0;
  else if (i >= n) i = n - 1;
  const max = 2 ** lut.bits - 1;
  return (Math.min(lut.data[i] ?? 0, max) / max) * (Y_MAX - Y_MIN) + Y_MIN;
}

/** Maps a modality value (after rescale) to [0, 255]. */
export function voiFunction(voi: Voi): (x: number) => number {
  switch (voi.kind) {
    case 'window':
      return (x) => applyWindow(x, voi.window);
    case 'lut':
      return (x) => applyVoiLut(x, voi.lut);
    case 'range': {
      const { min, max } = voi;
      if (!(max > min)) return () => Y_MIN;
      return (x) => Math.min(Y_MAX, Math.max(Y_MIN, ((x - min) / (max - min)) * (Y_MAX - Y_MIN)));
    }
  }
}

export interface GrayPipeline {
  rescale: ModalityRescale;
  voi: Voi;
  /** MONOCHROME1: minimum value displayed white. */
  invert: boolean;
}

/** Grayscale samples (stored values) → 8-bit display values. */
export function toDisplay8(values: Float32Array, p: GrayPipeline): Uint8Array {
  const f = voiFunction(p.voi);
  const { slope, intercept } = p.rescale;
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let y = Math.round(f((values[i] as number) * slope + intercept));
    if (y < 0) y = 0;
    else if (y > 255) y = 255;
    out[i] = p.invert ? 255 - y : y;
  }
  return out;
}

/** Min and max of rescaled values (for the 'range' VOI). */
export function valueRange(values: Float32Array, rescale: ModalityRescale): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return { min: 0, max: 0 };
  const a = min * rescale.slope + rescale.intercept;
  const b = max * rescale.slope + rescale.intercept;
  return { min: Math.min(a, b), max: Math.max(a, b) };
}
