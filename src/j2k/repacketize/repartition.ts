// Precinct re-partitioning of a JPEG 2000 Part 1 / HTJ2K codestream (ISO/IEC 15444-1 B.6, B.9,
// B.10, B.12): every packet header is decoded, each code-block's contributions are kept per
// sub-band, and packets are written again for the requested precincts, in the original
// progression (COD/POC) over the new precinct grid. Tier-1 data is copied untouched, so a
// decoder yields the same samples. Output: one tile-part per tile, COD/COC with Scod/Scoc bit 0
// and the new sizes, TLM/PLM/PLT dropped (their lengths would be stale), Psot recomputed.
// Refused (UnsupportedError): PPM/PPT packed headers, sizes that would change code-blocks.
// Incomplete input (no tile-part at all, packets of a present tile missing) is TruncatedError;
// a tile without tile-parts is warned (J2K_TILE_MISSING) and left out, as in the input.

import { TruncatedError, UnsupportedError, concatBytes } from '../../bytes';
import { parseCodestream } from '../codestream';
import type { CodingHeader, J2kWarning, MainHeader } from '../header-types';
import { resolveLimits, type J2kLimits } from '../limits';
import * as M from '../markers/codes';
import type { Coc } from '../markers/cod-coc';
import { tileLayout } from '../tile-layout';
import { buildStores, resetRunningState } from './block-store';
import { cocSegment, codSegment, sotSegment, withPrecincts, type PrecinctSize } from './coding-style';
import { readTilePackets } from './read-packets';
import { writeTilePackets } from './write-packets';

export interface RepartitionOptions {
  /** PPx/PPy exponents per resolution level 0..NL, or one value for every level (see withPrecincts). */
  precincts: readonly PrecinctSize[];
  limits?: Partial<J2kLimits>;
  onWarning?: (w: J2kWarning) => void;
}

/** Markers whose content the new packet layout would make stale (A.7.1-A.7.3) or that we rewrite. */
const DROPPED = new Set([M.TLM, M.PLM, M.PLT, M.COD, M.COC]);

function restyleHeader<T extends CodingHeader>(h: T, precincts: readonly PrecinctSize[], where: string): T {
  const coc = new Map<number, Coc>();
  for (const [c, style] of h.coc) coc.set(c, withPrecincts(style, precincts, `${where} COC ${c}`));
  return { ...h, cod: h.cod === null ? null : withPrecincts(h.cod, precincts, `${where} COD`), coc };
}

function codingSegments(h: CodingHeader, Csiz: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (h.cod !== null) out.push(codSegment(h.cod));
  for (const c of [...h.coc.keys()].sort((a, b) => a - b)) out.push(cocSegment(h.coc.get(c) as Coc, Csiz));
  return out;
}

// ISO/IEC 15444-1 A.6.1 (COD precincts), B.6 (precinct partition), B.10 (packet headers), B.12
export function repartitionPrecincts(codestream: Uint8Array, options: RepartitionOptions): Uint8Array {
  const limits = resolveLimits(options.limits);
  const parseOptions = options.onWarning === undefined ? { limits } : { limits, onWarning: options.onWarning };
  const parsed = parseCodestream(codestream, parseOptions);
  const { main } = parsed;
  if (main.ppm.length > 0)
    throw new UnsupportedError('J2K_REPACK_PPM', 'packed packet headers (PPM) are not supported', {
      offset: main.markers.find((m) => m.marker === M.PPM)?.offset ?? 0,
    });
  for (const tp of parsed.tileParts) {
    if (tp.header.ppt.length > 0)
      throw new UnsupportedError('J2K_REPACK_PPT', 'packed packet headers (PPT) are not supported', {
        offset: tp.sotOffset,
      });
  }
  if (parsed.tileParts.length === 0)
    throw new TruncatedError('J2K_REPACK_NO_TILE_PARTS', 'codestream has no tile-parts', { offset: main.end });
  const Csiz = main.siz.Csiz;
  const newMain: MainHeader = restyleHeader(main, options.precincts, 'main');

  const chunks: Uint8Array[] = [Uint8Array.of(0xff, 0x4f)];
  let codingWritten = false;
  for (const m of main.markers) {
    if (m.marker === M.COD || m.marker === M.COC) {
      if (!codingWritten) chunks.push(...codingSegments(newMain, Csiz));
      codingWritten = true;
      continue;
    }
    if (DROPPED.has(m.marker)) continue;
    chunks.push(codestream.subarray(m.offset, m.offset + m.length));
  }

  let precinctsLeft = limits.maxPrecincts;
  let packetsLeft = limits.maxPackets;
  for (let t = 0; t < parsed.numTiles; t++) {
    const parts = parsed.tiles[t] ?? [];
    const headers = parts.map((p) => p.header);
    const oldL = tileLayout(main, headers, t, precinctsLeft);
    if (parts.length === 0) {
      // A missing tile stays missing (decoders leave its area empty), as in buildPacketIndex.
      if (oldL.numPrecincts > 0)
        options.onWarning?.({
          code: 'J2K_TILE_MISSING',
          message: `tile ${t} has no tile-parts`,
          offset: codestream.length,
        });
      continue;
    }
    const newHeaders = headers.map((h, i) => restyleHeader(h, options.precincts, `tile ${t} part ${i}`));
    const newL = tileLayout(newMain, newHeaders, t, precinctsLeft);
    precinctsLeft -= Math.max(oldL.numPrecincts, newL.numPrecincts);
    const stores = buildStores(oldL, limits.maxPackets);
    packetsLeft -= readTilePackets(codestream, oldL, parts, stores, packetsLeft, options.onWarning);
    resetRunningState(stores);

    // One tile-part: the tile's COD/COC (last one wins, A.6), then every other header segment.
    const merged: CodingHeader = {
      cod: null,
      coc: new Map(),
      qcd: null,
      qcc: new Map(),
      rgn: [],
      poc: [],
      com: [],
      markers: [],
    };
    for (const h of newHeaders) {
      if (h.cod !== null) merged.cod = h.cod;
      for (const [c, s] of h.coc) merged.coc.set(c, s);
    }
    const header: Uint8Array[] = codingSegments(merged, Csiz);
    for (const p of parts) {
      for (const m of p.markers)
        if (!DROPPED.has(m.marker)) header.push(codestream.subarray(m.offset, m.offset + m.length));
    }
    header.push(Uint8Array.of(0xff, 0x93));
    const packets: Uint8Array[] = [];
    const packetBytes = writeTilePackets(codestream, newL, stores, limits.maxPackets, packets);
    const Psot = 12 + header.reduce((a, h) => a + h.length, 0) + packetBytes;
    if (Psot > 0xffffffff)
      throw new UnsupportedError('J2K_REPACK_PSOT', `tile ${t} would need ${Psot} bytes (over 2^32 - 1)`, {
        offset: parts[0]?.sotOffset ?? 0,
      });
    chunks.push(sotSegment(t, Psot), ...header, ...packets);
  }
  chunks.push(Uint8Array.of(0xff, 0xd9));
  return concatBytes(chunks);
}
