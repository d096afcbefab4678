// Client side: rebuilds a decodable codestream from JPIP data-bins (15444-9 Annex C; docs JPIP.md
// §4.3): the main header bin, tile-header bins and precinct bins that may be prefixes or absent.
// Emits LRCP (COD progression byte rewritten, POC dropped), one tile-part per tile, every packet
// in order: the bin's complete packet, or an empty packet (0x00, plus EPH when Scod says so) when
// it is missing, incomplete, above `maxLayers` or in a discarded resolution. TLM/PLM/PPM/PLT/PPT
// are dropped; SOP segments are not emitted (they are optional, A.8.1).

import { BitReader, ByteReader, TruncatedError } from '../bytes';
import * as M from './markers/codes';
import { parseMainHeaderAt, parseTilePartHeader } from './header-parse';
import { PrecinctState } from './packet-header';
import { blockGrids, tileLayout, type TileLayout } from './tile-layout';
import { resolveLimits } from './limits';
import type { MarkerSegment, ParseOptions } from './header-types';

export interface RebuildInput extends ParseOptions {
  /** Main-header data-bin (complete): SOC up to the first SOT. */
  mainHeader: Uint8Array;
  /** Tile-header data-bins by tile index (absent = main-header defaults apply). */
  tileHeaders: ReadonlyMap<number, Uint8Array>;
  /** Precinct data-bins by in-class id; each may be a prefix. */
  precincts: ReadonlyMap<number, Uint8Array>;
  /** Resolution levels the decoder will discard: packets above NL - discardLevels are left empty. */
  discardLevels?: number;
  /** Keep at most this many layers. */
  maxLayers?: number;
}

const STRIP = new Set([M.TLM, M.PLM, M.PPM, M.POC, M.PLT, M.PPT]);

class Chunks {
  readonly parts: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array): void {
    this.parts.push(b);
    this.length += b.length;
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let pos = 0;
    for (const p of this.parts) {
      out.set(p, pos);
      pos += p.length;
    }
    return out;
  }
}

/** Copies marker segments, dropping STRIP and rewriting COD's progression order to LRCP. */
function copySegments(out: Chunks, src: Uint8Array, base: number, markers: readonly MarkerSegment[]): void {
  for (const m of markers) {
    if (STRIP.has(m.marker)) continue;
    const seg = src.slice(m.offset - base, m.offset - base + m.length);
    if (m.marker === M.COD) seg[5] = 0; // SGcod progression order (A.6.1 Table A.14) := LRCP
    out.push(seg);
  }
}

/** Complete packets at the start of a precinct bin, in layer order (SOP segments skipped). */
function binPackets(bin: Uint8Array | undefined, st: PrecinctState, layers: number, eph: boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (bin === undefined) return out;
  const r = new ByteReader(bin);
  const br = new BitReader(bin);
  for (let l = 0; l < layers && r.remaining > 0; l++) {
    if (r.remaining >= 6 && r.peekU16() === M.SOP) r.skip(6);
    const start = r.position;
    try {
      br.reset(start);
      const body = st.decode(br, l);
      br.align();
      r.seek(br.position);
      if (eph && r.remaining >= 2 && r.peekU16() === M.EPH) r.skip(2);
      r.skip(body);
    } catch (e) {
      if (e instanceof TruncatedError) break; // trailing partial packet: dropped (JPIP.md §4.3 step 4)
      throw e;
    }
    out.push(bin.subarray(start, r.position));
  }
  return out;
}

function tilePackets(L: TileLayout, input: RebuildInput, Csiz: number, numTiles: number, maxBlocks: number): Chunks {
  const out = new Chunks();
  const eph = (L.Scod & 4) !== 0;
  const empty = eph ? new Uint8Array([0, 0xff, 0x92]) : new Uint8Array([0]);
  const keepLayers = Math.min(L.layers, input.maxLayers ?? L.layers);
  // packets[c][r][k]: complete packets of that precinct.
  const packets = L.comps.map((comp) =>
    comp.res.map((res) => {
      const list: Uint8Array[][] = [];
      const keep = res.r <= comp.style.levels - (input.discardLevels ?? 0);
      for (let k = 0; k < res.numPrecincts; k++) {
        const binId = L.t + (comp.c + (res.seqBase + k) * Csiz) * numTiles;
        const bin = keep ? input.precincts.get(binId) : undefined;
        list.push(
          bin === undefined
            ? []
            : binPackets(
                bin,
                new PrecinctState(blockGrids(L, comp.c, res.r, k, maxBlocks), comp.style.cblkStyle),
                keepLayers,
                eph,
              ),
        );
      }
      return list;
    }),
  );
  for (let l = 0; l < L.layers; l++) {
    for (let r = 0; r <= L.maxNL; r++) {
      for (const comp of L.comps) {
        const list = packets[comp.c]?.[r];
        if (list === undefined) continue;
        for (const pk of list) out.push(pk[l] ?? empty);
      }
    }
  }
  return out;
}

// 15444-9 Annex C (codestream reconstruction), 15444-1 A.4.2 (SOT), B.12.1.1 (LRCP)
export function rebuildCodestream(input: RebuildInput): Uint8Array {
  const limits = resolveLimits(input.limits);
  const main = parseMainHeaderAt(input.mainHeader, 0, { ...input, allowEnd: true });
  const Csiz = main.siz.Csiz;
  const numTiles = main.siz.tilesX * main.siz.tilesY;
  const out = new Chunks();
  out.push(new Uint8Array([0xff, 0x4f]));
  copySegments(out, input.mainHeader, 0, main.markers);
  for (let t = 0; t < numTiles; t++) {
    const hb = input.tileHeaders.get(t) ?? new Uint8Array(0);
    const th = parseTilePartHeader(new ByteReader(hb), Csiz, { ...input, allowEnd: true });
    const L = tileLayout(main, [th], t, limits.maxPrecincts);
    const head = new Chunks();
    copySegments(head, hb, 0, th.markers);
    const body = tilePackets(L, input, Csiz, numTiles, limits.maxCodeBlocksPerPrecinct);
    const sot = new Uint8Array(12);
    const psot = 12 + head.length + 2 + body.length;
    const dv = new DataView(sot.buffer);
    dv.setUint16(0, M.SOT);
    dv.setUint16(2, 10);
    dv.setUint16(4, t);
    dv.setUint32(6, psot);
    sot[10] = 0;
    sot[11] = 1;
    out.push(sot);
    for (const p of head.parts) out.push(p);
    out.push(new Uint8Array([0xff, 0x93]));
    for (const p of body.parts) out.push(p);
  }
  out.push(new Uint8Array([0xff, 0xd9]));
  return out.concat();
}
