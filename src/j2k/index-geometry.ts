// What the packet order and the precinct data-bin ids of a codestream derive from: the coding
// marker segments SIZ, COD, COC and POC of the main header (ISO/IEC 15444-1 A.5.1, A.6.1, A.6.2,
// A.6.6) and COD, COC, POC of the tile-part headers. The packet index keeps their raw bytes so its
// binary form (index-codec.ts) can store packets as bare lengths in B.12 order and re-derive the
// precinct of each one, instead of storing ids and offsets per packet.

import { ByteReader, MalformedError } from '../bytes';
import { readSegment } from './header-parse';
import * as M from './markers/codes';
import { parseCoc, parseCod } from './markers/cod-coc';
import { parsePoc } from './markers/poc';
import { parseSiz } from './markers/siz';
import { emptyCodingHeader, type CodingHeader, type MainHeader, type MarkerSegment } from './header-types';
import { parseTilePartHeader } from './header-parse';
import { packetSequence, type PacketSequence } from './progression';
import { tileLayout, type TileLayout } from './tile-layout';
import type { J2kLimits } from './limits';
import type { PrecinctEntry } from './index-types';

const MAIN_CODING = new Set([M.SIZ, M.COD, M.COC, M.POC]);
const TILE_CODING = new Set([M.COD, M.COC, M.POC]);

function concat(cs: Uint8Array, markers: readonly MarkerSegment[], keep: ReadonlySet<number>): Uint8Array {
  const kept = markers.filter((m) => keep.has(m.marker));
  const out = new Uint8Array(kept.reduce((n, m) => n + m.length, 0));
  let pos = 0;
  for (const m of kept) {
    out.set(cs.subarray(m.offset, m.offset + m.length), pos);
    pos += m.length;
  }
  return out;
}

/** SIZ, COD, COC and POC segments of the main header, in codestream order. */
export function mainCodingSegments(cs: Uint8Array, markers: readonly MarkerSegment[]): Uint8Array {
  return concat(cs, markers, MAIN_CODING);
}

/** COD, COC and POC segments of one tile-part header. */
export function tileCodingSegments(cs: Uint8Array, markers: readonly MarkerSegment[]): Uint8Array {
  return concat(cs, markers, TILE_CODING);
}

/** Parses main-header coding segments into the MainHeader fields tileLayout reads (A.5.1, A.6). */
export function mainFromCodingSegments(bytes: Uint8Array, limits: J2kLimits): MainHeader {
  const r = new ByteReader(bytes);
  const first = readSegment(r);
  if (first.marker !== M.SIZ)
    throw new MalformedError('J2K_INDEX_GEOMETRY', 'packet index geometry does not start with SIZ', { offset: 0 });
  const siz = parseSiz(first.seg, limits);
  const h: CodingHeader = emptyCodingHeader();
  while (r.remaining > 0) {
    const { marker, offset, seg } = readSegment(r);
    if (marker === M.COD) h.cod = parseCod(seg);
    else if (marker === M.COC) {
      const c = parseCoc(seg, siz.Csiz);
      h.coc.set(c.Ccoc, c);
    } else if (marker === M.POC) h.poc.push(...parsePoc(seg, siz.Csiz));
    else
      throw new MalformedError('J2K_INDEX_GEOMETRY', `${M.markerName(marker)} in the packet index geometry`, {
        offset,
      });
  }
  if (h.cod === null)
    throw new MalformedError('J2K_INDEX_GEOMETRY', 'packet index geometry has no COD', { offset: bytes.length });
  return { ...h, cod: h.cod, siz, cap: null, ppm: [], tlm: [], plm: [], crg: null, end: 0 };
}

/** Parses the coding segments of one tile-part header (COD, COC, POC). */
export function tileFromCodingSegments(bytes: Uint8Array, Csiz: number): CodingHeader {
  return parseTilePartHeader(new ByteReader(bytes), Csiz, { allowEnd: true });
}

export interface TileGeometry {
  layout: TileLayout;
  sequence: PacketSequence;
  /** Precinct entries by tile-local id (component base + s), packets empty. */
  local: PrecinctEntry[];
}

/** Layout, B.12 packet sequence and the precinct entries (JPIP in-class ids, 15444-9 A.3.2.1) of tile t. */
export function tileGeometry(
  main: MainHeader,
  headers: readonly CodingHeader[],
  t: number,
  numTiles: number,
  precinctBudget: number,
  packetBudget: number,
): TileGeometry {
  const layout = tileLayout(main, headers, t, precinctBudget);
  const sequence = packetSequence(layout, packetBudget);
  const Csiz = main.siz.Csiz;
  const local = new Array<PrecinctEntry>(layout.numPrecincts);
  for (const comp of layout.comps) {
    const base = sequence.precinctBase[comp.c] as number;
    for (const rl of comp.res) {
      for (let k = 0; k < rl.numPrecincts; k++) {
        const s = rl.seqBase + k;
        local[base + s] = {
          binId: t + (comp.c + s * Csiz) * numTiles,
          tile: t,
          component: comp.c,
          resolution: rl.r,
          precinct: k,
          packets: [],
        };
      }
    }
  }
  return { layout, sequence, local };
}

/**
 * Precincts arrive by tile, then component and sequence number; bin ids are t + (c + s Csiz) N.
 * A stable counting sort on floor(binId / N) = c + s Csiz keeps tiles ascending within a key,
 * which is binId order; a comparison sort is the fallback when the key range is sparse.
 */
export function sortByBinId(entries: PrecinctEntry[], numTiles: number): PrecinctEntry[] {
  let maxKey = 0;
  for (const e of entries) maxKey = Math.max(maxKey, Math.floor(e.binId / numTiles));
  if (maxKey > 4 * entries.length + 1024) return entries.sort((a, b) => a.binId - b.binId);
  const start = new Int32Array(maxKey + 2);
  for (const e of entries) {
    const k = Math.floor(e.binId / numTiles) + 1;
    start[k] = (start[k] as number) + 1;
  }
  for (let k = 1; k < start.length; k++) start[k] = (start[k] as number) + (start[k - 1] as number);
  const out = new Array<PrecinctEntry>(entries.length);
  for (const e of entries) {
    const k = Math.floor(e.binId / numTiles);
    const at = start[k] as number;
    out[at] = e;
    start[k] = at + 1;
  }
  return out;
}
