// The image geometry the JPIP layer needs (ISO/IEC 15444-1 Annex B as used by 15444-9 A.3.2):
// SIZ canvas and tile grid, component sub-sampling, per tile-component decomposition levels,
// precinct partitions and wavelet kernel. Defined here as plain data so the caller can adapt
// j2k's parsed headers to it. Helpers compute tile, tile-component, resolution and precinct
// grids (B.3-B.6) and precinct data-bin ids (15444-9 A.3.2.1).

import { LimitExceededError, MalformedError } from '../bytes';

export interface PrecinctSize {
  /** log2 of the precinct width on the resolution grid (15 = no user precincts). */
  PPx: number;
  PPy: number;
}

export interface TileComponentCoding {
  /** NL: number of decomposition levels. */
  levels: number;
  /** Precinct size per resolution level rl = 0..NL; missing entries mean 15,15. */
  precincts: readonly PrecinctSize[];
  /** Wavelet kernel: '5-3' reversible, '9-7' irreversible. */
  transform: '5-3' | '9-7';
  /** Number of quality layers. */
  layers: number;
}

export interface ComponentSampling {
  XRsiz: number;
  YRsiz: number;
}

export interface ImageGeometry {
  Xsiz: number;
  Ysiz: number;
  XOsiz: number;
  YOsiz: number;
  XTsiz: number;
  YTsiz: number;
  XTOsiz: number;
  YTOsiz: number;
  components: readonly ComponentSampling[];
  /** Coding per component from the main header (COD overridden by COC). */
  coding: readonly TileComponentCoding[];
  /** Tile-header overrides: tile index -> coding per component. */
  tileCoding?: ReadonlyMap<number, readonly TileComponentCoding[]>;
}

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export const MAX_TILES = 65535;

/** 2^k as a number (k up to 63 stays exact). */
export function pow2(k: number): number {
  return 2 ** k;
}

export function ceilDiv(a: number, d: number): number {
  return Math.ceil(a / d);
}

function geometryError(message: string): MalformedError {
  return new MalformedError('JPIP_BAD_GEOMETRY', message, { context: 'geometry' });
}

/** Checks the invariants of 15444-1 A.5.1 that the maths below relies on. */
export function validateGeometry(g: ImageGeometry): void {
  const ints = [g.Xsiz, g.Ysiz, g.XOsiz, g.YOsiz, g.XTsiz, g.YTsiz, g.XTOsiz, g.YTOsiz];
  if (!ints.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff))
    throw geometryError('SIZ values must be 32-bit unsigned');
  if (g.Xsiz <= g.XOsiz || g.Ysiz <= g.YOsiz) throw geometryError('empty image area');
  if (g.XTsiz < 1 || g.YTsiz < 1 || g.XTOsiz > g.XOsiz || g.YTOsiz > g.YOsiz) throw geometryError('bad tile grid');
  if (g.XTOsiz + g.XTsiz <= g.XOsiz || g.YTOsiz + g.YTsiz <= g.YOsiz) throw geometryError('first tile is empty');
  const { numX, numY } = tileGrid(g);
  if (numX * numY > MAX_TILES) throw new LimitExceededError('JPIP_TOO_MANY_TILES', `${numX * numY} tiles`);
  if (g.components.length < 1 || g.components.length > 16384) throw geometryError('bad component count');
  if (g.coding.length !== g.components.length) throw geometryError('one coding entry per component expected');
  for (const s of g.components) {
    if (
      !Number.isInteger(s.XRsiz) ||
      !Number.isInteger(s.YRsiz) ||
      s.XRsiz < 1 ||
      s.YRsiz < 1 ||
      s.XRsiz > 255 ||
      s.YRsiz > 255
    ) {
      throw geometryError('bad sub-sampling');
    }
  }
  const all = [g.coding, ...(g.tileCoding?.values() ?? [])];
  for (const list of all) {
    if (list.length !== g.components.length) throw geometryError('one coding entry per component expected');
    for (const c of list) validateCoding(c);
  }
}

function validateCoding(c: TileComponentCoding): void {
  if (!Number.isInteger(c.levels) || c.levels < 0 || c.levels > 32) throw geometryError('NL must be 0..32');
  if (!Number.isInteger(c.layers) || c.layers < 1 || c.layers > 65535) throw geometryError('layers must be 1..65535');
  if (c.precincts.length > c.levels + 1) throw geometryError('more precinct sizes than resolutions');
  c.precincts.forEach((p, rl) => {
    const min = rl === 0 ? 0 : 1;
    if (
      !Number.isInteger(p.PPx) ||
      !Number.isInteger(p.PPy) ||
      p.PPx < min ||
      p.PPy < min ||
      p.PPx > 15 ||
      p.PPy > 15
    ) {
      throw geometryError(`bad precinct size at resolution ${rl}`);
    }
  });
}

/** XTnum, YTnum. // 15444-1 B.3 */
export function tileGrid(g: ImageGeometry): { numX: number; numY: number } {
  return { numX: ceilDiv(g.Xsiz - g.XTOsiz, g.XTsiz), numY: ceilDiv(g.Ysiz - g.YTOsiz, g.YTsiz) };
}

export function tileCount(g: ImageGeometry): number {
  const { numX, numY } = tileGrid(g);
  return numX * numY;
}

/** Tile t on the canvas. // 15444-1 B.3 (B-7) */
export function tileBounds(g: ImageGeometry, t: number): Rect {
  const { numX } = tileGrid(g);
  const p = t % numX;
  const q = Math.floor(t / numX);
  return {
    x0: Math.max(g.XTOsiz + p * g.XTsiz, g.XOsiz),
    y0: Math.max(g.YTOsiz + q * g.YTsiz, g.YOsiz),
    x1: Math.min(g.XTOsiz + (p + 1) * g.XTsiz, g.Xsiz),
    y1: Math.min(g.YTOsiz + (q + 1) * g.YTsiz, g.Ysiz),
  };
}

export function codingFor(g: ImageGeometry, t: number, c: number): TileComponentCoding {
  const coding = g.tileCoding?.get(t)?.[c] ?? g.coding[c];
  if (coding === undefined) throw geometryError(`no coding for component ${c}`);
  return coding;
}

export function precinctSize(coding: TileComponentCoding, rl: number): PrecinctSize {
  return coding.precincts[rl] ?? { PPx: 15, PPy: 15 };
}

/** Tile-component bounds on the component grid. // 15444-1 B.3 (B-12) */
export function tileComponentBounds(g: ImageGeometry, t: number, c: number): Rect {
  const tb = tileBounds(g, t);
  const s = g.components[c];
  if (s === undefined) throw geometryError(`no component ${c}`);
  return {
    x0: ceilDiv(tb.x0, s.XRsiz),
    y0: ceilDiv(tb.y0, s.YRsiz),
    x1: ceilDiv(tb.x1, s.XRsiz),
    y1: ceilDiv(tb.y1, s.YRsiz),
  };
}

/** Bounds of resolution rl of a tile-component. // 15444-1 B.5 (B-14) */
export function resolutionBounds(tc: Rect, levels: number, rl: number): Rect {
  const d = pow2(levels - rl);
  return { x0: ceilDiv(tc.x0, d), y0: ceilDiv(tc.y0, d), x1: ceilDiv(tc.x1, d), y1: ceilDiv(tc.y1, d) };
}

export interface PrecinctGrid {
  numX: number;
  numY: number;
  /** floor(trx0 / 2^PPx): index of the first precinct column in the anchored partition. */
  originX: number;
  originY: number;
}

/** Precinct partition of one resolution. // 15444-1 B.6 (B-16) */
export function precinctGrid(res: Rect, pp: PrecinctSize): PrecinctGrid {
  const w = pow2(pp.PPx);
  const h = pow2(pp.PPy);
  const originX = Math.floor(res.x0 / w);
  const originY = Math.floor(res.y0 / h);
  const empty = res.x1 <= res.x0 || res.y1 <= res.y0;
  return {
    numX: empty ? 0 : ceilDiv(res.x1, w) - originX,
    numY: empty ? 0 : ceilDiv(res.y1, h) - originY,
    originX,
    originY,
  };
}

/** In-class id of a precinct data-bin: I = t + (c + s * Csiz) * numTiles. // 15444-9 A.3.2.1 */
export function precinctBinId(g: ImageGeometry, t: number, c: number, s: number): number {
  return t + (c + s * g.components.length) * tileCount(g);
}
