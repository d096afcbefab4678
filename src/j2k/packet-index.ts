// Builds the packet index of a codestream: walks every tile's packets in B.12 order, decoding
// each packet header (B.10) to find header and body ranges, with SOP/EPH (A.8.1, A.8.2) and
// PPM/PPT packed headers (A.7.4, A.7.5). Packet lengths are checked against PLT (A.7.3) and PLM
// (A.7.2) when present: a mismatch is MalformedError J2K_PLT_MISMATCH / J2K_PLM_MISMATCH.

import { BitReader, ByteReader, MalformedError, TruncatedError } from '../bytes';
import { parseCodestream, type TilePart } from './codestream';
import { PackedStream, splitPpm } from './markers/ppm-ppt';
import { plmTileParts } from './markers/tlm-plm-plt';
import { PrecinctState } from './packet-header';
import { blockGrids } from './tile-layout';
import { mainCodingSegments, sortByBinId, tileCodingSegments, tileGeometry } from './index-geometry';
import { resolveLimits } from './limits';
import type { ParseOptions } from './header-types';
import { PACKET_INDEX_VERSION, type PacketIndex, type PrecinctEntry, type TileEntry } from './index-types';

interface HeaderSource {
  br: BitReader;
  data: Uint8Array;
  /** Start and end of this tile-part's header bytes in `br`'s data. */
  start: number;
  end: number;
  /** Maps a header range to its codestream offset (-1 if it straddles marker segments). */
  source: (pos: number, len: number) => number;
}

// ISO/IEC 15444-1 B.9 (packets), B.10 (packet headers), B.12 (progression)
export function buildPacketIndex(cs: Uint8Array, options: ParseOptions = {}): PacketIndex {
  const limits = resolveLimits(options.limits);
  const parsed = parseCodestream(cs, options);
  const { main, numTiles } = parsed;
  const Csiz = main.siz.Csiz;
  const ppmStream = main.ppm.length > 0 ? new PackedStream(cs, main.ppm, 'PPM') : null;
  const ppmChunks = ppmStream ? splitPpm(ppmStream) : [];
  const plm = main.plm.length > 0 ? plmTileParts(main.plm) : null;
  const precincts: PrecinctEntry[] = [];
  const tiles: TileEntry[] = [];
  let packetCount = 0;
  let precinctTotal = 0;
  let layersMax = 0;
  let packed = ppmStream !== null;
  const reader = new ByteReader(cs);
  const tpLengths: number[][] = parsed.tileParts.map(() => []);
  // Precinct decoder states are pooled: one per precinct in flight, reused across precincts and tiles.
  const pool: PrecinctState[] = [];

  for (let t = 0; t < numTiles; t++) {
    const parts = parsed.tiles[t] as TilePart[];
    tiles.push({
      tile: t,
      parts: parts.map((p) => ({
        offset: p.sotOffset,
        length: p.length,
        TPsot: p.TPsot,
        dataOffset: p.dataOffset,
        markers: p.markers,
        codingSegments: tileCodingSegments(cs, p.markers),
      })),
    });
    const geo = tileGeometry(
      main,
      parts.map((p) => p.header),
      t,
      numTiles,
      limits.maxPrecincts - precinctTotal,
      limits.maxPackets - packetCount,
    );
    const { layout: L, sequence: seq, local } = geo;
    precinctTotal += L.numPrecincts;
    layersMax = Math.max(layersMax, L.layers);
    for (const e of local) precincts.push(e);
    if (parts.length === 0) {
      if (L.numPrecincts > 0)
        options.onWarning?.({ code: 'J2K_TILE_MISSING', message: `tile ${t} has no tile-parts`, offset: cs.length });
      continue;
    }
    const sop = (L.Scod & 2) !== 0;
    const eph = (L.Scod & 4) !== 0;
    const states: Array<PrecinctState | undefined> = new Array<PrecinctState | undefined>(L.numPrecincts);
    let pi = 0;
    for (const part of parts) {
      const lens = tpLengths[part.order] as number[];
      const hs = headerSource(cs, part, ppmStream, ppmChunks);
      if (hs !== null) packed = true;
      const br = hs?.br ?? new BitReader(cs, part.dataOffset, part.dataEnd);
      let hpos = hs ? hs.start : part.dataOffset;
      let bodyPos = part.dataOffset;
      const end = part.dataEnd;
      while (pi < seq.count && (hs ? hpos < hs.end : bodyPos < end)) {
        const id = seq.precinct[pi] as number;
        const layer = seq.layer[pi] as number;
        const entry = local[id] as PrecinctEntry;
        const start = bodyPos;
        if (sop && bodyPos + 6 <= end) {
          reader.seek(bodyPos);
          if (reader.peekU16() === 0xff91) {
            reader.skip(2);
            if (reader.u16('Lsop') !== 4)
              throw new MalformedError('J2K_SOP_LENGTH', 'Lsop != 4', { offset: bodyPos + 2, context: 'SOP' });
            bodyPos += 6;
          }
        }
        if (!hs) hpos = bodyPos;
        let st = states[id];
        if (st === undefined) {
          const grids = blockGrids(
            L,
            entry.component,
            entry.resolution,
            entry.precinct,
            limits.maxCodeBlocksPerPrecinct,
          );
          const cblkStyle = L.comps[entry.component]?.style.cblkStyle ?? 0;
          st = pool.pop()?.reset(grids, cblkStyle) ?? new PrecinctState(grids, cblkStyle);
          states[id] = st;
        }
        br.reset(hpos);
        const bodyLength = st.decode(br, layer);
        br.align();
        let hend = br.position;
        if (eph) {
          const hdata = hs ? hs.data : cs;
          const limit = hs ? hs.end : end;
          if (hend + 2 <= limit && hdata[hend] === 0xff && hdata[hend + 1] === 0x92) hend += 2;
          else
            options.onWarning?.({
              code: 'J2K_EPH_MISSING',
              message: 'EPH expected after packet header',
              offset: hs ? hs.source(hend, 0) : hend,
            });
        }
        const headerLength = hend - hpos;
        let headerOffset = hpos;
        if (hs) {
          headerOffset = hs.source(hpos, headerLength);
          if (headerOffset < 0)
            throw new MalformedError('J2K_PACKED_HEADER_SPLIT', 'packed packet header straddles two marker segments', {
              offset: hs.source(hpos, 0),
            });
          hpos = hend;
        } else {
          bodyPos = hend;
        }
        const bodyOffset = bodyPos;
        bodyPos += bodyLength;
        if (bodyPos > end) {
          const truncated = end === cs.length;
          const Err = truncated ? TruncatedError : MalformedError;
          throw new Err(
            truncated ? 'J2K_PACKET_TRUNCATED' : 'J2K_PACKET_OVERRUN',
            `packet body runs ${bodyPos - end} bytes past its tile-part`,
            { offset: bodyOffset },
          );
        }
        entry.packets.push({ headerOffset, headerLength, bodyOffset, bodyLength });
        lens.push(bodyPos - start);
        if (layer + 1 >= L.layers) {
          pool.push(st);
          states[id] = undefined;
        }
        pi++;
        packetCount++;
      }
      if (bodyPos < end && pi >= seq.count) {
        options.onWarning?.({
          code: 'J2K_TILE_PART_TRAILING',
          message: `${end - bodyPos} bytes after the last packet of tile ${t}`,
          offset: bodyPos,
        });
      }
    }
    for (const st of states) if (st !== undefined) pool.push(st);
    if (pi < seq.count) {
      options.onWarning?.({
        code: 'J2K_PACKETS_MISSING',
        message: `tile ${t}: ${seq.count - pi} of ${seq.count} packets absent`,
        offset: parts[parts.length - 1]?.dataEnd ?? 0,
      });
    }
    checkPlt(parts, tpLengths);
  }
  if (plm) checkPlm(parsed.tileParts, plm, tpLengths);
  return {
    version: PACKET_INDEX_VERSION,
    codestreamLength: cs.length,
    mainHeader: { offset: 0, length: main.end },
    mainMarkers: main.markers,
    codingSegments: mainCodingSegments(cs, main.markers),
    numTiles,
    numComponents: Csiz,
    layers: layersMax,
    packedHeaders: packed,
    tiles,
    precincts: sortByBinId(precincts, numTiles),
    packetCount,
  };
}

/** Where the packet headers of a tile-part are: its PPM chunk, its PPT segments, or null (in the body). */
function headerSource(
  cs: Uint8Array,
  part: TilePart,
  ppm: PackedStream | null,
  chunks: Array<{ start: number; length: number }>,
): HeaderSource | null {
  if (ppm !== null) {
    const chunk = chunks[part.order];
    if (chunk === undefined) {
      throw new MalformedError('J2K_PPM_MISSING_CHUNK', `PPM has no headers for tile-part ${part.order}`, {
        offset: part.sotOffset,
      });
    }
    return {
      br: new BitReader(ppm.bytes, chunk.start, chunk.start + chunk.length),
      data: ppm.bytes,
      start: chunk.start,
      end: chunk.start + chunk.length,
      source: (p, n) => ppm.sourceOffset(p, n),
    };
  }
  if (part.header.ppt.length === 0) return null;
  const s = new PackedStream(cs, part.header.ppt, 'PPT');
  return {
    br: new BitReader(s.bytes),
    data: s.bytes,
    start: 0,
    end: s.bytes.length,
    source: (p, n) => s.sourceOffset(p, n),
  };
}

function compareLengths(expected: number[], computed: number[], code: string, offset: number, what: string): void {
  const n = Math.max(expected.length, computed.length);
  for (let i = 0; i < n; i++) {
    if (expected[i] !== computed[i]) {
      throw new MalformedError(
        code,
        `${what}: packet ${i} length ${computed[i] ?? 'absent'} but the marker says ${expected[i] ?? 'absent'}`,
        { offset },
      );
    }
  }
}

// ISO/IEC 15444-1 A.7.3: PLT lengths of a tile, in tile-part then Zplt order, equal the packet lengths.
function checkPlt(parts: TilePart[], tpLengths: number[][]): void {
  if (!parts.some((p) => p.header.plt.length > 0)) return;
  const expected: number[] = [];
  const computed: number[] = [];
  for (const p of parts) {
    for (const plt of [...p.header.plt].sort((a, b) => a.Zplt - b.Zplt)) expected.push(...plt.lengths);
    computed.push(...(tpLengths[p.order] as number[]));
  }
  compareLengths(expected, computed, 'J2K_PLT_MISMATCH', parts[0]?.sotOffset ?? 0, `tile ${parts[0]?.tile}`);
}

// ISO/IEC 15444-1 A.7.2: PLM gives the packet lengths of each tile-part in codestream order.
function checkPlm(tileParts: TilePart[], plm: number[][], tpLengths: number[][]): void {
  for (const tp of tileParts) {
    compareLengths(
      plm[tp.order] ?? [],
      tpLengths[tp.order] as number[],
      'J2K_PLM_MISMATCH',
      tp.sotOffset,
      `tile-part ${tp.order}`,
    );
  }
}
