// Per-tile coding parameters and geometry. Parameter precedence per ISO/IEC 15444-1 A.6:
// tile-part COC > tile-part COD > main COC > main COD (same for QCC/QCD); a POC in a tile-part
// header replaces the main header's for that tile (A.6.6). Precinct sequence numbers s count
// resolution 0 first, raster order within each resolution (15444-9 A.3.2.1).

import { LimitExceededError } from '../bytes';
import type { CodingStyle } from './markers/cod-coc';
import type { PocEntry } from './markers/poc';
import type { CodingHeader, MainHeader } from './header-types';
import {
  bandRect,
  precinctBlocks,
  precinctGrid,
  resolutionRect,
  tileComponentRect,
  tileRect,
  type BlockGrid,
  type PrecinctGrid,
  type Rect,
} from './geometry';

export interface ResLayout {
  r: number;
  rect: Rect;
  PPx: number;
  PPy: number;
  grid: PrecinctGrid;
  numPrecincts: number;
  /** Sequence number s of this resolution's first precinct within the tile-component. */
  seqBase: number;
  /** Sub-band rectangles: [LL] for r = 0, [HL, LH, HH] otherwise. */
  bands: Rect[];
  bandIds: number[];
}

export interface CompLayout {
  c: number;
  rect: Rect;
  XRsiz: number;
  YRsiz: number;
  style: CodingStyle;
  res: ResLayout[];
  /** Total precincts of this tile-component. */
  numPrecincts: number;
}

export interface TileLayout {
  t: number;
  rect: Rect;
  Scod: number;
  progression: number;
  layers: number;
  poc: PocEntry[];
  comps: CompLayout[];
  /** Max NL over components: resolutions run 0..maxNL. */
  maxNL: number;
  numPrecincts: number;
}

export function tileLayout(
  main: MainHeader,
  tileHeaders: readonly CodingHeader[],
  t: number,
  maxPrecincts: number,
): TileLayout {
  let tileCod = null;
  for (const h of tileHeaders) if (h.cod !== null) tileCod = h.cod;
  const cod = tileCod ?? main.cod;
  const poc: PocEntry[] = [];
  for (const h of tileHeaders) poc.push(...h.poc);
  const rect = tileRect(main.siz, t);
  const comps: CompLayout[] = [];
  let maxNL = 0;
  let total = 0;
  for (let c = 0; c < main.siz.Csiz; c++) {
    let style: CodingStyle | undefined;
    for (const h of tileHeaders) style = h.coc.get(c) ?? style;
    style ??= tileCod ?? main.coc.get(c) ?? main.cod;
    const comp = main.siz.components[c];
    const XRsiz = comp?.XRsiz ?? 1;
    const YRsiz = comp?.YRsiz ?? 1;
    const tc = tileComponentRect(rect, XRsiz, YRsiz);
    const res: ResLayout[] = [];
    let seq = 0;
    for (let r = 0; r <= style.levels; r++) {
      const rr = resolutionRect(tc, style.levels, r);
      const PPx = style.PPx[r] ?? 15;
      const PPy = style.PPy[r] ?? 15;
      const grid = precinctGrid(rr, PPx, PPy);
      const numPrecincts = grid.pw * grid.ph;
      const bandIds = r === 0 ? [0] : [1, 2, 3];
      res.push({
        r,
        rect: rr,
        PPx,
        PPy,
        grid,
        numPrecincts,
        seqBase: seq,
        bands: bandIds.map((b) => bandRect(tc, style.levels, r, b)),
        bandIds,
      });
      seq += numPrecincts;
      total += numPrecincts;
      if (total > maxPrecincts) {
        throw new LimitExceededError('J2K_LIMIT_PRECINCTS', `tile ${t}: more than ${maxPrecincts} precincts`, {
          context: 'precincts',
        });
      }
    }
    maxNL = Math.max(maxNL, style.levels);
    comps.push({ c, rect: tc, XRsiz, YRsiz, style, res, numPrecincts: seq });
  }
  return {
    t,
    rect,
    Scod: cod.Scod,
    progression: cod.progression,
    layers: cod.layers,
    poc: poc.length > 0 ? poc : main.poc,
    comps,
    maxNL,
    numPrecincts: total,
  };
}

/** Code-block grids of precinct k of (component c, resolution r), one per sub-band (B.6, B.7). */
export function blockGrids(L: TileLayout, c: number, r: number, k: number, maxBlocks: number): BlockGrid[] {
  const comp = L.comps[c];
  const res = comp?.res[r];
  if (comp === undefined || res === undefined) return [];
  const kx = k % Math.max(1, res.grid.pw);
  const ky = Math.floor(k / Math.max(1, res.grid.pw));
  const out: BlockGrid[] = [];
  let n = 0;
  for (const band of res.bands) {
    const g = precinctBlocks(band, res.grid, r, res.PPx, res.PPy, comp.style.xcb, comp.style.ycb, kx, ky);
    n += g.nw * g.nh;
    out.push(g);
  }
  if (n > maxBlocks) {
    throw new LimitExceededError(
      'J2K_LIMIT_CODEBLOCKS',
      `tile ${L.t} c${c} r${r} precinct ${k}: ${n} code-blocks over cap ${maxBlocks}`,
      { context: 'code-blocks' },
    );
  }
  return out;
}
