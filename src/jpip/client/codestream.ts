// Client-side codestream reconstruction from cached data-bins (ISO/IEC 15444-9 Annex A.3, docs
// JPIP.md §4.3). JPP-stream: main header + tile-header bins + precinct-bin prefixes go through
// j2k's rebuildCodestream (missing packets become empty ones). JPT-stream: the main header and,
// per tile, the complete tile-parts found at the start of each tile data-bin (A.3.3), then EOC.
// Peer quirk handled on purpose (JPIP.md §9.1): OpenJPEG's opj_server puts the SOT body (Lsot..
// TNsot) and SOD into tile-header bins; such bins are detected and trimmed, with a warning.

import { ByteReader, MalformedError, TruncatedError, concatBytes } from '../../bytes';
import { parseMainHeaderAt, rebuildCodestream, type MainHeader } from '../../j2k';
import type { ClientCache } from '../client-cache';

const SOT = 0xff90;
const SOD = 0xff93;
const EOC = 0xffd9;

export interface RebuildOptions {
  /** Resolution levels the decoder will discard (packets above are left empty). */
  discardLevels?: number;
  /** Keep at most this many quality layers. */
  maxLayers?: number;
}

export interface RebuiltCodestream {
  codestream: Uint8Array;
  kind: 'jpp' | 'jpt';
  main: MainHeader;
  warnings: string[];
}

/**
 * A tile-header bin in OpenJPEG's non-conformant form (Lsot=10 .. TNsot, segments, SOD) is
 * returned without those 10 leading and 2 trailing bytes; a conformant bin is returned as is.
 */
export function normaliseTileHeaderBin(bin: Uint8Array, onWarning?: (message: string) => void): Uint8Array {
  if (bin.length < 12) return bin;
  const r = new ByteReader(bin);
  const first = r.u16('tile-header bin');
  r.seek(bin.length - 2);
  const last = r.u16('tile-header bin');
  if (first !== 10 || last !== SOD) return bin;
  onWarning?.('tile-header bin holds the SOT body and SOD (OpenJPEG server form); trimmed');
  return bin.subarray(10, bin.length - 2);
}

/** Complete main-header bin of `csn`, parsed; TruncatedError when it has not fully arrived. */
export function cachedMainHeader(cache: ClientCache, csn: number): { bytes: Uint8Array; main: MainHeader } {
  const bin = cache.get(csn, 6, 0);
  if (bin === undefined || !bin.complete) {
    throw new TruncatedError(
      'JPIP_CLIENT_NO_MAIN_HEADER',
      `the main header of codestream ${csn} has not been received completely`,
      { context: `csn ${csn}` },
    );
  }
  return { bytes: bin.prefix, main: parseMainHeaderAt(bin.prefix, 0, { allowEnd: true }) };
}

/** Complete tile-header bins of `csn` (normalised); incomplete ones are left out with a warning. */
export function cachedTileHeaders(cache: ClientCache, csn: number, warnings: string[]): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const b of cache.list(csn, 2)) {
    if (!b.complete) {
      warnings.push(`tile-header bin ${b.binId} is incomplete (${b.prefix.length} bytes): main-header coding used`);
      continue;
    }
    out.set(
      b.binId,
      normaliseTileHeaderBin(b.prefix, (m) => warnings.push(`tile ${b.binId}: ${m}`)),
    );
  }
  return out;
}

/** Complete tile-parts at the start of a tile data-bin (SOT .. end of its Psot). // 15444-1 A.4.2 */
function completeTileParts(bin: Uint8Array, complete: boolean, t: number): Uint8Array {
  const r = new ByteReader(bin);
  let end = 0;
  while (r.remaining >= 12) {
    const start = r.position;
    if (r.u16('SOT') !== SOT)
      throw new MalformedError('JPIP_CLIENT_BAD_TILE_BIN', `tile bin ${t}: no SOT at byte ${start}`, { offset: start });
    const Lsot = r.u16('Lsot');
    const Isot = r.u16('Isot');
    const Psot = r.u32('Psot');
    if (Lsot !== 10 || Isot !== t)
      throw new MalformedError('JPIP_CLIENT_BAD_TILE_BIN', `tile bin ${t}: bad SOT (Lsot ${Lsot}, Isot ${Isot})`, {
        offset: start,
      });
    if (Psot === 0) {
      if (complete) end = bin.length; // last tile-part runs to the end of the data (A.4.2)
      break;
    }
    if (Psot < 14 || start + Psot > bin.length) break; // partial tile-part: not usable
    end = start + Psot;
    r.seek(end);
  }
  return bin.subarray(0, end);
}

/** Rebuilds a decodable codestream for codestream `csn` from what the cache holds. */
export function rebuildFromCache(cache: ClientCache, csn: number, options: RebuildOptions = {}): RebuiltCodestream {
  const warnings: string[] = [];
  const { bytes, main } = cachedMainHeader(cache, csn);
  const tiles = cache.list(csn, 4);
  const precinctBins = cache.list(csn, 0);
  if (tiles.length > 0 && precinctBins.length === 0) {
    const parts: Uint8Array[] = [bytes];
    for (const tb of tiles) {
      const usable = completeTileParts(tb.prefix, tb.complete, tb.binId);
      if (usable.length < tb.received)
        warnings.push(`tile ${tb.binId}: ${tb.received - usable.length} bytes of incomplete tile-parts left out`);
      parts.push(usable);
    }
    parts.push(Uint8Array.of(EOC >> 8, EOC & 0xff));
    return { codestream: concatBytes(parts), kind: 'jpt', main, warnings };
  }
  if (tiles.length > 0) warnings.push('both tile and precinct bins received: tile bins ignored');
  const precincts = new Map<number, Uint8Array>();
  for (const b of precinctBins) if (b.prefix.length > 0) precincts.set(b.binId, b.prefix);
  const codestream = rebuildCodestream({
    mainHeader: bytes,
    tileHeaders: cachedTileHeaders(cache, csn, warnings),
    precincts,
    ...(options.discardLevels !== undefined ? { discardLevels: options.discardLevels } : {}),
    ...(options.maxLayers !== undefined && options.maxLayers > 0 ? { maxLayers: options.maxLayers } : {}),
  });
  return { codestream, kind: 'jpp', main, warnings };
}
