// Tile, tile-component, resolution, sub-band, precinct and code-block geometry, ISO/IEC 15444-1
// Annex B: B.3 (tiles, Eq. B-7..B-12), B.5 (resolutions, Eq. B-14), B.5/B.6 (sub-bands, Eq. B-15;
// precincts, Eq. B-16..B-20), B.7 (code-blocks, Eq. B-17). Pure integer maths; no allocation per
// code-block.

import type { Siz } from './markers/siz';

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);
/** 2^0 .. 2^63: a table lookup, since `2 ** n` costs ~50 ns in V8 and runs per code-block grid. */
const POW2 = Float64Array.from({ length: 64 }, (_, i) => 2 ** i);
export const pow2 = (n: number): number => (n >= 0 && n < 64 ? (POW2[n] as number) : 2 ** n);

/** Tile t on the reference grid, B.3 Eq. B-7..B-10 (clipped to the image area). */
export function tileRect(siz: Siz, t: number): Rect {
  const p = t % siz.tilesX;
  const q = Math.floor(t / siz.tilesX);
  return {
    x0: Math.max(siz.XTOsiz + p * siz.XTsiz, siz.XOsiz),
    y0: Math.max(siz.YTOsiz + q * siz.YTsiz, siz.YOsiz),
    x1: Math.min(siz.XTOsiz + (p + 1) * siz.XTsiz, siz.Xsiz),
    y1: Math.min(siz.YTOsiz + (q + 1) * siz.YTsiz, siz.Ysiz),
  };
}

/** Tile-component bounds, B.3 Eq. B-12. */
export function tileComponentRect(tile: Rect, XRsiz: number, YRsiz: number): Rect {
  return {
    x0: ceilDiv(tile.x0, XRsiz),
    y0: ceilDiv(tile.y0, YRsiz),
    x1: ceilDiv(tile.x1, XRsiz),
    y1: ceilDiv(tile.y1, YRsiz),
  };
}

/** Resolution level r (0 = LL) of a tile-component with NL levels, B.5 Eq. B-14. */
export function resolutionRect(tc: Rect, NL: number, r: number): Rect {
  const d = pow2(NL - r);
  return { x0: ceilDiv(tc.x0, d), y0: ceilDiv(tc.y0, d), x1: ceilDiv(tc.x1, d), y1: ceilDiv(tc.y1, d) };
}

/**
 * Sub-band of resolution r: band 0 = LL (r = 0), 1 = HL, 2 = LH, 3 = HH (r > 0), B.5 Eq. B-15
 * with nb = NL - r + 1 (nb = NL for LL).
 */
export function bandRect(tc: Rect, NL: number, r: number, band: number): Rect {
  const nb = r === 0 ? NL : NL - r + 1;
  const xob = band === 1 || band === 3 ? 1 : 0;
  const yob = band === 2 || band === 3 ? 1 : 0;
  const d = pow2(nb);
  const ox = nb === 0 ? 0 : pow2(nb - 1) * xob;
  const oy = nb === 0 ? 0 : pow2(nb - 1) * yob;
  return {
    x0: ceilDiv(tc.x0 - ox, d),
    y0: ceilDiv(tc.y0 - oy, d),
    x1: ceilDiv(tc.x1 - ox, d),
    y1: ceilDiv(tc.y1 - oy, d),
  };
}

export interface PrecinctGrid {
  /** Precincts across and down (0 when the resolution is empty), B.6 Eq. B-16. */
  pw: number;
  ph: number;
  /** floor(trx0 / 2^PPx), floor(try0 / 2^PPy): grid index of the first precinct column/row. */
  px0: number;
  py0: number;
}

// ISO/IEC 15444-1 B.6 Eq. B-16
export function precinctGrid(res: Rect, PPx: number, PPy: number): PrecinctGrid {
  const px0 = Math.floor(res.x0 / pow2(PPx));
  const py0 = Math.floor(res.y0 / pow2(PPy));
  const pw = res.x1 > res.x0 ? ceilDiv(res.x1, pow2(PPx)) - px0 : 0;
  const ph = res.y1 > res.y0 ? ceilDiv(res.y1, pow2(PPy)) - py0 : 0;
  return { pw: pw > 0 && ph > 0 ? pw : 0, ph: pw > 0 && ph > 0 ? ph : 0, px0, py0 };
}

/** Code-block grid of one precinct in one sub-band: count across/down (0 when empty). */
export interface BlockGrid {
  nw: number;
  nh: number;
}

/**
 * Code-blocks of precinct (kx, ky) of resolution r in `band`, B.6/B.7: the precinct maps to a
 * 2^PPx' x 2^PPy' cell of the sub-band (PP' = PP for r = 0, PP - 1 otherwise); code-blocks of
 * 2^min(xcb, PPx') are anchored at 0 of the sub-band and clipped to the cell and the band.
 */
export function precinctBlocks(
  bandR: Rect,
  grid: PrecinctGrid,
  r: number,
  PPx: number,
  PPy: number,
  xcb: number,
  ycb: number,
  kx: number,
  ky: number,
): BlockGrid {
  const ppx = r === 0 ? PPx : PPx - 1;
  const ppy = r === 0 ? PPy : PPy - 1;
  const cx0 = Math.max((grid.px0 + kx) * pow2(ppx), bandR.x0);
  const cx1 = Math.min((grid.px0 + kx + 1) * pow2(ppx), bandR.x1);
  const cy0 = Math.max((grid.py0 + ky) * pow2(ppy), bandR.y0);
  const cy1 = Math.min((grid.py0 + ky + 1) * pow2(ppy), bandR.y1);
  if (cx1 <= cx0 || cy1 <= cy0) return { nw: 0, nh: 0 };
  const bx = pow2(Math.min(xcb, ppx));
  const by = pow2(Math.min(ycb, ppy));
  return {
    nw: ceilDiv(cx1, bx) - Math.floor(cx0 / bx),
    nh: ceilDiv(cy1, by) - Math.floor(cy0 / by),
  };
}
