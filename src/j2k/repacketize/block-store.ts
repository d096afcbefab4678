// Code-block contributions of one tile, stored per sub-band independently of precincts, so that
// packets read with one precinct partition can be written with another. A code-block is named by
// its position in its sub-band's code-block grid (ISO/IEC 15444-1 B.7: blocks of 2^xcb' x 2^ycb'
// anchored at 0 of the sub-band, xcb' = min(xcb, PPx') with PPx' = PPx or PPx - 1, B.6).

import { LimitExceededError } from '../../bytes';
import type { Rect } from '../geometry';
import type { TileLayout } from '../tile-layout';

/** What one packet carries for one code-block: B.10.6 passes, B.10.7.1 Lblock step and lengths. */
export interface Contribution {
  passes: number;
  /** Lblock increment signalled with this contribution (kept, so length fields keep their width). */
  lbInc: number;
  /** Codeword segment lengths in this contribution, one per length field. */
  lengths: number[];
  /** Offset of the contribution's bytes in the source codestream, and their total length. */
  offset: number;
  length: number;
}

export interface BandStore {
  /** Code-block grid of the sub-band in absolute block coordinates. */
  bx0: number;
  by0: number;
  nw: number;
  nh: number;
  /** Block size exponents (B.7 xcb', ycb'). */
  xcbE: number;
  ycbE: number;
  cblkStyle: number;
  layers: number;
  /** Zero bit-planes (B.10.5) and first layer of inclusion (B.10.4), -1 while unknown / never. */
  zbp: Int32Array;
  first: Int32Array;
  /** Contribution of block i in layer l at [i * layers + l]. */
  contrib: Array<Contribution | undefined>;
  /** Running Lblock and pass count, used by the reader and then again by the writer. */
  lblock: Uint8Array;
  passes: Int32Array;
}

/** Stores indexed [component][resolution][band of the resolution]. */
export type TileStores = BandStore[][][];

export interface PrecinctBand {
  store: BandStore;
  nw: number;
  nh: number;
  /** Store indices of the precinct's code-blocks in this band, raster order (B.10.4). */
  blocks: Int32Array;
}

const pow2 = (n: number): number => 2 ** n;

function cellExponents(L: TileLayout, c: number, r: number): { ppx: number; ppy: number; xcbE: number; ycbE: number } {
  const comp = L.comps[c];
  const res = comp?.res[r];
  if (comp === undefined || res === undefined) return { ppx: 15, ppy: 15, xcbE: 6, ycbE: 6 };
  const ppx = r === 0 ? res.PPx : res.PPx - 1;
  const ppy = r === 0 ? res.PPy : res.PPy - 1;
  return { ppx, ppy, xcbE: Math.min(comp.style.xcb, ppx), ycbE: Math.min(comp.style.ycb, ppy) };
}

function bandStore(band: Rect, xcbE: number, ycbE: number, cblkStyle: number, layers: number): BandStore {
  const empty = band.x1 <= band.x0 || band.y1 <= band.y0;
  const bx0 = Math.floor(band.x0 / pow2(xcbE));
  const by0 = Math.floor(band.y0 / pow2(ycbE));
  const nw = empty ? 0 : Math.ceil(band.x1 / pow2(xcbE)) - bx0;
  const nh = empty ? 0 : Math.ceil(band.y1 / pow2(ycbE)) - by0;
  const n = nw * nh;
  return {
    bx0,
    by0,
    nw,
    nh,
    xcbE,
    ycbE,
    cblkStyle,
    layers,
    zbp: new Int32Array(n).fill(-1),
    first: new Int32Array(n).fill(-1),
    contrib: new Array<Contribution | undefined>(n * layers),
    lblock: new Uint8Array(n).fill(3),
    passes: new Int32Array(n),
  };
}

/** One store per sub-band of the tile; `maxEntries` caps blocks x layers over the tile. */
export function buildStores(L: TileLayout, maxEntries: number): TileStores {
  let entries = 0;
  return L.comps.map((comp) =>
    comp.res.map((res) => {
      const { xcbE, ycbE } = cellExponents(L, comp.c, res.r);
      return res.bands.map((band) => {
        const s = bandStore(band, xcbE, ycbE, comp.style.cblkStyle, L.layers);
        entries += s.nw * s.nh * L.layers;
        if (entries > maxEntries) {
          throw new LimitExceededError(
            'J2K_LIMIT_CODEBLOCKS',
            `tile ${L.t}: more than ${maxEntries} code-block contributions`,
            { context: 'code-blocks' },
          );
        }
        return s;
      });
    }),
  );
}

/** Resets the running Lblock / pass counts before the stores are walked again (by the writer). */
export function resetRunningState(stores: TileStores): void {
  for (const comp of stores)
    for (const res of comp)
      for (const s of res) {
        s.lblock.fill(3);
        s.passes.fill(0);
      }
}

/**
 * The code-blocks of precinct k of (c, r) under layout L, per non-empty sub-band (B.6: the
 * precinct is a 2^PPx' x 2^PPy' cell of each sub-band of resolution r).
 */
export function precinctBands(L: TileLayout, stores: TileStores, c: number, r: number, k: number): PrecinctBand[] {
  const res = L.comps[c]?.res[r];
  const bandStores = stores[c]?.[r];
  if (res === undefined || bandStores === undefined) return [];
  const { ppx, ppy, xcbE, ycbE } = cellExponents(L, c, r);
  const kx = k % Math.max(1, res.grid.pw);
  const ky = Math.floor(k / Math.max(1, res.grid.pw));
  const out: PrecinctBand[] = [];
  res.bands.forEach((band, j) => {
    const store = bandStores[j];
    if (store === undefined) return;
    const cx0 = Math.max((res.grid.px0 + kx) * pow2(ppx), band.x0);
    const cx1 = Math.min((res.grid.px0 + kx + 1) * pow2(ppx), band.x1);
    const cy0 = Math.max((res.grid.py0 + ky) * pow2(ppy), band.y0);
    const cy1 = Math.min((res.grid.py0 + ky + 1) * pow2(ppy), band.y1);
    if (cx1 <= cx0 || cy1 <= cy0) return;
    const bxa = Math.floor(cx0 / pow2(xcbE));
    const bya = Math.floor(cy0 / pow2(ycbE));
    const nw = Math.ceil(cx1 / pow2(xcbE)) - bxa;
    const nh = Math.ceil(cy1 / pow2(ycbE)) - bya;
    const blocks = new Int32Array(nw * nh);
    for (let y = 0; y < nh; y++) {
      for (let x = 0; x < nw; x++) blocks[y * nw + x] = (bya + y - store.by0) * store.nw + (bxa + x - store.bx0);
    }
    out.push({ store, nw, nh, blocks });
  });
  return out;
}
