// View-window resolution (ISO/IEC 15444-9 C.4.2-C.4.4): fsiz -> number of discarded resolution
// levels r (round-down default, round-up, closest by area with ties to the larger frame), with
// image offsets: fx'(r) = ceil(Xsiz/2^r) - ceil(XOsiz/2^r). roff/rsiz are rescaled to the frame
// actually served (floor start, ceil end, so the region only grows) and clipped to it, then mapped
// to the reduced canvas and the full canvas. Products use BigInt: canvas sizes reach 2^32.

import { ceilDiv, pow2, validateGeometry, type ImageGeometry, type Rect } from './geometry';
import type { Fsiz, XY } from './request';

export interface FrameSize {
  fx: number;
  fy: number;
}

/** Frame size after discarding r levels. // 15444-9 C.4.2 */
export function frameSizeAt(g: ImageGeometry, r: number): FrameSize {
  const d = pow2(r);
  return { fx: ceilDiv(g.Xsiz, d) - ceilDiv(g.XOsiz, d), fy: ceilDiv(g.Ysiz, d) - ceilDiv(g.YOsiz, d) };
}

/** Rmax: the largest NL of any tile-component. */
export function maxDiscardLevels(g: ImageGeometry): number {
  let max = 0;
  for (const list of [g.coding, ...(g.tileCoding?.values() ?? [])]) for (const c of list) max = Math.max(max, c.levels);
  return max;
}

/** Discard levels r for a requested frame size. // 15444-9 C.4.2 (round-direction) */
export function selectDiscardLevels(g: ImageGeometry, fsiz: Fsiz): number {
  const rmax = maxDiscardLevels(g);
  const sizes: FrameSize[] = [];
  for (let r = 0; r <= rmax; r++) sizes.push(frameSizeAt(g, r));
  const at = (r: number): FrameSize => sizes[r] ?? { fx: 0, fy: 0 };
  if (fsiz.round === 'round-down') {
    for (let r = 0; r <= rmax; r++) if (at(r).fx <= fsiz.fx && at(r).fy <= fsiz.fy) return r;
    return rmax;
  }
  if (fsiz.round === 'round-up') {
    for (let r = rmax; r >= 0; r--) if (at(r).fx >= fsiz.fx && at(r).fy >= fsiz.fy) return r;
    return 0;
  }
  const want = BigInt(fsiz.fx) * BigInt(fsiz.fy);
  let best = 0;
  let bestDiff: bigint | null = null;
  for (let r = 0; r <= rmax; r++) {
    const area = BigInt(at(r).fx) * BigInt(at(r).fy);
    const diff = area > want ? area - want : want - area;
    if (bestDiff === null || diff < bestDiff) {
      best = r; // strict '<' keeps the smaller r, i.e. the larger frame, on ties
      bestDiff = diff;
    }
  }
  return best;
}

export interface ViewWindowRequest {
  fsiz?: Fsiz;
  roff?: XY;
  rsiz?: XY;
}

export interface ViewWindow {
  /** Discarded resolution levels. */
  r: number;
  /** Frame size served (fx', fy'). */
  frame: FrameSize;
  /** Region in frame coordinates after scaling and clipping. */
  offset: XY;
  size: XY;
  /** Region on the reduced canvas (frame offset ceil(XOsiz/2^r) added). */
  reduced: Rect;
  /** Region on the full canvas. */
  canvas: Rect;
  empty: boolean;
  /** Whether the served values differ from the request (for JPIP-fsiz/roff/rsiz, D.2). */
  fsizChanged: boolean;
  roffChanged: boolean;
  rsizChanged: boolean;
}

function mulDiv(a: number, b: number, c: number, ceil: boolean): number {
  const n = BigInt(a) * BigInt(b);
  const d = BigInt(c);
  const q = n / d;
  return Number(ceil && q * d !== n ? q + 1n : q);
}

/** fsiz/roff/rsiz -> served frame, region and canvas region. // 15444-9 C.4.2-C.4.4 */
export function resolveViewWindow(g: ImageGeometry, req: ViewWindowRequest): ViewWindow {
  validateGeometry(g);
  const full = frameSizeAt(g, 0);
  const fsiz = req.fsiz ?? { fx: full.fx, fy: full.fy, round: 'round-down' as const };
  const r = selectDiscardLevels(g, fsiz);
  const frame = frameSizeAt(g, r);
  const ox = req.roff?.x ?? 0;
  const oy = req.roff?.y ?? 0;
  const sx = req.rsiz?.x ?? Math.max(0, fsiz.fx - ox);
  const sy = req.rsiz?.y ?? Math.max(0, fsiz.fy - oy);
  const scaled = frame.fx !== fsiz.fx || frame.fy !== fsiz.fy;
  let x0 = scaled ? mulDiv(ox, frame.fx, fsiz.fx, false) : ox;
  let y0 = scaled ? mulDiv(oy, frame.fy, fsiz.fy, false) : oy;
  let x1 = scaled ? mulDiv(ox + sx, frame.fx, fsiz.fx, true) : ox + sx;
  let y1 = scaled ? mulDiv(oy + sy, frame.fy, fsiz.fy, true) : oy + sy;
  x0 = Math.min(x0, frame.fx);
  y0 = Math.min(y0, frame.fy);
  x1 = Math.min(Math.max(x1, x0), frame.fx);
  y1 = Math.min(Math.max(y1, y0), frame.fy);
  const d = pow2(r);
  const fox = ceilDiv(g.XOsiz, d);
  const foy = ceilDiv(g.YOsiz, d);
  const reduced = { x0: fox + x0, y0: foy + y0, x1: fox + x1, y1: foy + y1 };
  const canvas = {
    x0: Math.max(reduced.x0 * d, g.XOsiz),
    y0: Math.max(reduced.y0 * d, g.YOsiz),
    x1: Math.min(reduced.x1 * d, g.Xsiz),
    y1: Math.min(reduced.y1 * d, g.Ysiz),
  };
  const empty = x1 <= x0 || y1 <= y0;
  return {
    r,
    frame,
    offset: { x: x0, y: y0 },
    size: { x: x1 - x0, y: y1 - y0 },
    reduced,
    canvas,
    empty,
    fsizChanged: req.fsiz === undefined || scaled,
    roffChanged: x0 !== ox || y0 !== oy,
    rsizChanged: req.rsiz !== undefined && (x1 - x0 !== req.rsiz.x || y1 - y0 !== req.rsiz.y),
  };
}
