// View-window -> relevant precincts (ISO/IEC 15444-9 A.3.2 bins, 15444-1 B.6 and F.3 synthesis).
// For each tile meeting the region and each requested component, the region is mapped to the
// top resolution grid, then walked down one level at a time. Synthesis margin: with whole-sample
// symmetric extension (15444-1 F.3.7) and lifting (F.3.8), an output sample at interleaved
// position n needs positions n-1..n+1 (n even) or n-2..n+2 (n odd) for the 5/3 kernel, and
// n-3..n+3 / n-4..n+4 for the 9/7 kernel. Positions outside the resolution are mirrored back in.
// Even positions are low-pass (L) coefficients 2k, odd ones high-pass (H) 2k+1. A precinct at
// rl > 0 is a cell of 2^(PP-1) coefficients in each subband; it is needed when it holds an HL
// (Hx x Ly), LH (Lx x Hy) or HH (Hx x Hy) coefficient the region needs; the L x L part is the
// region of resolution rl-1. The result is exact (tested against per-sample brute force).

import { LimitExceededError } from '../bytes';
import {
  codingFor,
  pow2,
  precinctBinId,
  precinctGrid,
  precinctSize,
  resolutionBounds,
  tileComponentBounds,
  tileGrid,
  type ImageGeometry,
  type TileComponentCoding,
} from './geometry';
import type { ViewWindow } from './view-window';

export interface PrecinctRef {
  tile: number;
  component: number;
  /** Resolution level rl (0 = lowest, NL = full). */
  resolution: number;
  /** Precinct column/row within the resolution's precinct grid. */
  px: number;
  py: number;
  /** Sequence number s within the tile-component (A.3.2.1). */
  sequence: number;
  /** Precinct data-bin in-class id I. */
  binId: number;
}

export interface PrecinctSelectionOptions {
  /** Components to include (default all). */
  components?: readonly number[];
  /** Cap on the number of precincts returned (default 1,000,000). */
  maxPrecincts?: number;
}

/** Inclusive index interval; lo > hi = empty. */
interface Span {
  lo: number;
  hi: number;
}

const EMPTY: Span = { lo: 1, hi: 0 };

function spanEmpty(s: Span): boolean {
  return s.lo > s.hi;
}

function intersect(a: Span, lo: number, hi: number): Span {
  return { lo: Math.max(a.lo, lo), hi: Math.min(a.hi, hi) };
}

/** Synthesis support half-width at interleaved position n. */
function support(transform: TileComponentCoding['transform'], n: number): number {
  const odd = Math.abs(n % 2) === 1;
  return transform === '5-3' ? (odd ? 2 : 1) : odd ? 4 : 3;
}

/** Interleaved positions [lo, hi] that output samples [a, b] need, mirrored into [u0, u1]. */
function neededPositions(
  transform: TileComponentCoding['transform'],
  a: number,
  b: number,
  u0: number,
  u1: number,
): Span {
  if (u0 === u1) return { lo: u0, hi: u0 }; // a one-sample signal is not transformed (F.3.7)
  let lo = Math.min(a - support(transform, a), b > a ? a + 1 - support(transform, a + 1) : Infinity);
  let hi = Math.max(b + support(transform, b), b > a ? b - 1 + support(transform, b - 1) : -Infinity);
  for (let i = 0; i < 8 && (lo < u0 || hi > u1); i++) {
    if (lo < u0) {
      hi = Math.max(hi, 2 * u0 - lo);
      lo = u0;
    }
    if (hi > u1) {
      lo = Math.min(lo, 2 * u1 - hi);
      hi = u1;
    }
  }
  return { lo: Math.max(lo, u0), hi: Math.min(hi, u1) };
}

interface LevelNeeds {
  /** Low-pass and high-pass coefficient spans at this level (rl > 0), or the LL span (rl = 0). */
  low: Span;
  high: Span;
}

/** Walks one axis from the top resolution down: per rl, the L and H spans needed. */
function axisNeeds(
  transform: TileComponentCoding['transform'],
  top: number,
  region: Span,
  bounds: (rl: number) => Span,
): LevelNeeds[] {
  const out: LevelNeeds[] = new Array<LevelNeeds>(top + 1);
  let cur = region;
  for (let rl = top; rl >= 1; rl--) {
    const b = bounds(rl);
    if (spanEmpty(cur)) {
      out[rl] = { low: EMPTY, high: EMPTY };
      continue;
    }
    const pos = neededPositions(transform, cur.lo, cur.hi, b.lo, b.hi);
    const low = intersect(
      { lo: Math.ceil(pos.lo / 2), hi: Math.floor(pos.hi / 2) },
      Math.ceil(b.lo / 2),
      Math.floor(b.hi / 2),
    );
    const high = intersect(
      { lo: Math.ceil((pos.lo - 1) / 2), hi: Math.floor((pos.hi - 1) / 2) },
      Math.floor(b.lo / 2),
      Math.floor((b.hi - 1) / 2),
    );
    out[rl] = { low, high };
    cur = low;
  }
  out[0] = { low: cur, high: EMPTY };
  return out;
}

/** Precinct cells (relative to the grid origin) holding coefficients of `s`. */
function cells(s: Span, cellLog2: number, origin: number): Span {
  if (spanEmpty(s)) return EMPTY;
  const w = pow2(cellLog2);
  return { lo: Math.floor(s.lo / w) - origin, hi: Math.floor(s.hi / w) - origin };
}

/** Precincts the view-window needs, lowest resolution first. // 15444-9 A.3.2, C.4 */
export function relevantPrecincts(
  g: ImageGeometry,
  view: ViewWindow,
  options: PrecinctSelectionOptions = {},
): PrecinctRef[] {
  const out: PrecinctRef[] = [];
  if (view.empty) return out;
  const max = options.maxPrecincts ?? 1_000_000;
  const comps = options.components ?? g.components.map((_, i) => i);
  const { numX } = tileGrid(g);
  const { canvas } = view;
  const p0 = Math.floor((canvas.x0 - g.XTOsiz) / g.XTsiz);
  const p1 = Math.floor((canvas.x1 - 1 - g.XTOsiz) / g.XTsiz);
  const q0 = Math.floor((canvas.y0 - g.YTOsiz) / g.YTsiz);
  const q1 = Math.floor((canvas.y1 - 1 - g.YTOsiz) / g.YTsiz);
  for (let q = q0; q <= q1; q++) {
    for (let p = p0; p <= p1; p++) {
      const t = p + q * numX;
      for (const c of comps) tileComponentPrecincts(g, view, t, c, out, max);
    }
  }
  out.sort(
    (a, b) => a.resolution - b.resolution || a.tile - b.tile || a.component - b.component || a.sequence - b.sequence,
  );
  return out;
}

function tileComponentPrecincts(
  g: ImageGeometry,
  view: ViewWindow,
  t: number,
  c: number,
  out: PrecinctRef[],
  max: number,
): void {
  const coding = codingFor(g, t, c);
  const sub = g.components[c];
  if (sub === undefined) return;
  const NL = coding.levels;
  const tc = tileComponentBounds(g, t, c);
  const top = Math.max(NL - view.r, 0);
  const topRes = resolutionBounds(tc, NL, top);
  // Region on the top resolution grid: exact ceil mapping when that grid is the reduced
  // canvas sub-sampled; enclosing floor/ceil when r > NL (the client reduces the LL further).
  let rx: Span;
  let ry: Span;
  if (view.r <= NL) {
    rx = { lo: Math.ceil(view.reduced.x0 / sub.XRsiz), hi: Math.ceil(view.reduced.x1 / sub.XRsiz) - 1 };
    ry = { lo: Math.ceil(view.reduced.y0 / sub.YRsiz), hi: Math.ceil(view.reduced.y1 / sub.YRsiz) - 1 };
  } else {
    const dx = sub.XRsiz * pow2(NL);
    const dy = sub.YRsiz * pow2(NL);
    rx = { lo: Math.floor(view.canvas.x0 / dx), hi: Math.ceil(view.canvas.x1 / dx) - 1 };
    ry = { lo: Math.floor(view.canvas.y0 / dy), hi: Math.ceil(view.canvas.y1 / dy) - 1 };
  }
  rx = intersect(rx, topRes.x0, topRes.x1 - 1);
  ry = intersect(ry, topRes.y0, topRes.y1 - 1);
  if (spanEmpty(rx) || spanEmpty(ry)) return;
  const res = (rl: number) => resolutionBounds(tc, NL, rl);
  const nx = axisNeeds(coding.transform, top, rx, (rl) => ({ lo: res(rl).x0, hi: res(rl).x1 - 1 }));
  const ny = axisNeeds(coding.transform, top, ry, (rl) => ({ lo: res(rl).y0, hi: res(rl).y1 - 1 }));
  let sequenceBase = 0;
  for (let rl = 0; rl <= top; rl++) {
    const pp = precinctSize(coding, rl);
    const grid = precinctGrid(res(rl), pp);
    const ax = nx[rl];
    const ay = ny[rl];
    if (ax !== undefined && ay !== undefined && grid.numX > 0 && grid.numY > 0) {
      const selected = new Set<number>();
      const add = (xs: Span, ys: Span): void => {
        for (let ky = Math.max(ys.lo, 0); ky <= Math.min(ys.hi, grid.numY - 1); ky++) {
          for (let kx = Math.max(xs.lo, 0); kx <= Math.min(xs.hi, grid.numX - 1); kx++)
            selected.add(ky * grid.numX + kx);
        }
        if (out.length + selected.size > max)
          throw new LimitExceededError('JPIP_TOO_MANY_PRECINCTS', `view needs more than ${max} precincts`);
      };
      if (rl === 0) {
        add(cells(ax.low, pp.PPx, grid.originX), cells(ay.low, pp.PPy, grid.originY));
      } else {
        const lx = cells(ax.low, pp.PPx - 1, grid.originX);
        const hx = cells(ax.high, pp.PPx - 1, grid.originX);
        const ly = cells(ay.low, pp.PPy - 1, grid.originY);
        const hy = cells(ay.high, pp.PPy - 1, grid.originY);
        add(hx, ly);
        add(lx, hy);
        add(hx, hy);
      }
      for (const k of [...selected].sort((a, b) => a - b)) {
        const s = sequenceBase + k;
        out.push({
          tile: t,
          component: c,
          resolution: rl,
          px: k % grid.numX,
          py: Math.floor(k / grid.numX),
          sequence: s,
          binId: precinctBinId(g, t, c, s),
        });
      }
    }
    sequenceBase += grid.numX * grid.numY;
  }
}

/** Tiles that contribute to a precinct list (their tile-header bins must be sent). */
export function tilesOf(precincts: readonly PrecinctRef[]): number[] {
  return [...new Set(precincts.map((p) => p.tile))].sort((a, b) => a - b);
}
