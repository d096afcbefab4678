// Compact binary form of a PacketIndex for storage beside a frame ("J2PI" magic, version byte).
// Version 2 stores the main header's coding segments (SIZ, COD, COC, POC) and, per tile-part, its
// own: the decoder re-derives every tile's precincts (ids, component, resolution, number) and its
// B.12 packet sequence from them (ISO/IEC 15444-1 B.6, B.12; 15444-9 A.3.2.1). Packets are then
// stored tile by tile in codestream order as bare lengths: a packet's header starts where the
// previous packet ended (plus a per-tile-part default gap, 6 bytes when every packet has SOP), so
// a typical packet costs 2-4 bytes. Unsigned LEB128 varints throughout (index-varint.ts).
// Decoding checks every count against the bytes left, every range against the codestream length,
// and the packet count of every tile against its packet sequence: bad input is a typed error.
// Version 1 (index-codec-v1.ts) is still decoded.

import { ByteReader, MalformedError, UnsupportedError } from '../bytes';
import { decodeV1 } from './index-codec-v1';
import { mainFromCodingSegments, sortByBinId, tileFromCodingSegments, tileGeometry } from './index-geometry';
import {
  INDEX_MAGIC,
  IndexWriter,
  rangeChecker,
  readBytes,
  readCount,
  readMarkers,
  readSv,
  readUv,
  writeMarkers,
} from './index-varint';
import { resolveLimits } from './limits';
import type { MainHeader } from './header-types';
import {
  PACKET_INDEX_VERSION,
  type PacketIndex,
  type PacketRange,
  type PrecinctEntry,
  type TileEntry,
  type TilePartEntry,
} from './index-types';

const layoutError = (message: string, offset = 0): MalformedError =>
  new MalformedError('J2K_INDEX_LAYOUT', message, { offset });

/** Packets of tile `t` in codestream (B.12 sequence) order, checked against the tile's geometry. */
function tilePacketsInOrder(
  index: PacketIndex,
  main: MainHeader,
  tile: TileEntry,
  byBin: ReadonlyMap<number, PrecinctEntry>,
  budget: { precincts: number; packets: number },
): PacketRange[] {
  const Csiz = main.siz.Csiz;
  const geo = tileGeometry(
    main,
    tile.parts.map((p) => tileFromCodingSegments(p.codingSegments, Csiz)),
    tile.tile,
    index.numTiles,
    budget.precincts,
    budget.packets,
  );
  budget.precincts -= geo.layout.numPrecincts;
  const entries: PrecinctEntry[] = [];
  let total = 0;
  for (const g of geo.local) {
    const e = byBin.get(g.binId);
    if (
      e === undefined ||
      e.tile !== g.tile ||
      e.component !== g.component ||
      e.resolution !== g.resolution ||
      e.precinct !== g.precinct
    ) {
      throw layoutError(`precinct data-bin ${g.binId} of tile ${tile.tile} does not match the coding segments`);
    }
    entries.push(e);
    total += e.packets.length;
  }
  if (total > geo.sequence.count)
    throw layoutError(`tile ${tile.tile}: ${total} packets but its sequence has ${geo.sequence.count}`);
  budget.packets -= total;
  const out: PacketRange[] = [];
  for (let i = 0; i < total; i++) {
    const p = (entries[geo.sequence.precinct[i] as number] as PrecinctEntry).packets[geo.sequence.layer[i] as number];
    if (p === undefined) throw layoutError(`tile ${tile.tile}: packets are not a prefix of the progression order`);
    out.push(p);
  }
  return out;
}

/** Splits a tile's ordered packets over its tile-parts: a part holds the bodies inside [dataOffset, end]. */
function packetsPerPart(parts: readonly TilePartEntry[], packets: readonly PacketRange[]): number[] {
  const counts = parts.map(() => 0);
  let j = 0;
  for (const p of packets) {
    for (;;) {
      const part = parts[j];
      if (part === undefined) throw layoutError('packet outside every tile-part of its tile', p.bodyOffset);
      if (p.bodyOffset >= part.dataOffset && p.bodyOffset + p.bodyLength <= part.offset + part.length) break;
      j++;
    }
    counts[j] = (counts[j] as number) + 1;
  }
  return counts;
}

function writePackets(
  w: IndexWriter,
  part: TilePartEntry,
  packets: readonly PacketRange[],
  packed: boolean,
  cursor: { header: number },
): void {
  const first = packets[0];
  const headerGap = first === undefined ? 0 : first.headerOffset - (packed ? cursor.header : part.dataOffset);
  const bodyGap = first === undefined || !packed ? 0 : first.bodyOffset - part.dataOffset;
  w.sv(packed ? bodyGap : headerGap);
  let body = part.dataOffset;
  for (const p of packets) {
    const expected = packed ? cursor.header : body + headerGap;
    w.uv(2 * p.headerLength + (p.headerOffset === expected ? 0 : 1));
    if (p.headerOffset !== expected) w.sv(p.headerOffset - expected);
    if (packed) {
      const expectedBody = body + bodyGap;
      w.uv(2 * p.bodyLength + (p.bodyOffset === expectedBody ? 0 : 1));
      if (p.bodyOffset !== expectedBody) w.sv(p.bodyOffset - expectedBody);
      cursor.header = p.headerOffset + p.headerLength;
    } else {
      if (p.bodyOffset !== p.headerOffset + p.headerLength)
        throw layoutError('unpacked packet whose body does not follow its header', p.bodyOffset);
      w.uv(p.bodyLength);
    }
    body = p.bodyOffset + p.bodyLength;
  }
}

export function encodePacketIndex(index: PacketIndex): Uint8Array {
  const w = new IndexWriter();
  for (const b of INDEX_MAGIC) w.byte(b);
  w.byte(PACKET_INDEX_VERSION);
  for (const v of [
    index.codestreamLength,
    index.mainHeader.offset,
    index.mainHeader.length,
    index.numTiles,
    index.numComponents,
    index.layers,
    index.packedHeaders ? 1 : 0,
    index.packetCount,
  ])
    w.uv(v);
  w.bytes(index.codingSegments);
  writeMarkers(w, index.mainMarkers, 0);
  const limits = resolveLimits(undefined);
  const main = mainFromCodingSegments(index.codingSegments, limits);
  if (index.tiles.length !== index.numTiles || index.tiles.some((t, i) => t.tile !== i))
    throw layoutError('tiles are not 0..numTiles-1');
  const byBin = new Map(index.precincts.map((e) => [e.binId, e]));
  const budget = { precincts: limits.maxPrecincts, packets: limits.maxPackets };
  const cursor = { header: 0 };
  let prev = 0;
  for (const t of index.tiles) {
    w.uv(t.parts.length);
    for (const p of t.parts) {
      w.sv(p.offset - prev);
      w.uv(p.length);
      w.uv(p.TPsot);
      w.uv(p.dataOffset - p.offset);
      writeMarkers(w, p.markers, p.offset + 12);
      w.bytes(p.codingSegments);
      prev = p.offset + p.length;
    }
    const packets = tilePacketsInOrder(index, main, t, byBin, budget);
    const counts = packetsPerPart(t.parts, packets);
    let k = 0;
    t.parts.forEach((p, j) => {
      const n = counts[j] as number;
      w.uv(n);
      writePackets(w, p, packets.slice(k, k + n), index.packedHeaders, cursor);
      k += n;
    });
  }
  if (
    limits.maxPackets - budget.packets !== index.packetCount ||
    byBin.size !== index.precincts.length ||
    limits.maxPrecincts - budget.precincts !== index.precincts.length
  ) {
    throw layoutError('packet or precinct count does not match the tiles');
  }
  return w.result();
}

export function decodePacketIndex(bytes: Uint8Array): PacketIndex {
  const r = new ByteReader(bytes);
  for (const b of INDEX_MAGIC) {
    if (r.u8('magic') !== b)
      throw new MalformedError('J2K_INDEX_MAGIC', 'not a packet index (magic J2PI)', { offset: 0 });
  }
  const version = r.u8('version');
  if (version === 1) return decodeV1(r);
  if (version !== PACKET_INDEX_VERSION)
    throw new UnsupportedError('J2K_INDEX_VERSION', `packet index version ${version}`, { offset: 4 });
  const [codestreamLength, mhOffset, mhLength, numTiles, numComponents, layers, flags, packetCount] = Array.from(
    { length: 8 },
    () => readUv(r),
  ) as [number, number, number, number, number, number, number, number];
  const check = rangeChecker(r, codestreamLength);
  check(mhOffset, mhLength);
  const packed = (flags & 1) !== 0;
  const codingSegments = readBytes(r, 'coding segments');
  const mainMarkers = readMarkers(r, 0, check);
  const limits = resolveLimits(undefined);
  const main = mainFromCodingSegments(codingSegments, limits);
  const Csiz = main.siz.Csiz;
  if (Csiz !== numComponents || main.siz.tilesX * main.siz.tilesY !== numTiles)
    throw layoutError('SIZ does not match the tile and component counts', r.offset);
  const tiles: TileEntry[] = [];
  const precincts: PrecinctEntry[] = [];
  let precinctBudget = limits.maxPrecincts;
  let total = 0;
  let prev = 0;
  let header = 0;
  for (let t = 0; t < numTiles; t++) {
    const parts: TilePartEntry[] = [];
    const np = readCount(r, 'tile-parts', 6);
    for (let j = 0; j < np; j++) {
      const offset = prev + readSv(r);
      const length = readUv(r);
      const TPsot = readUv(r);
      const dataOffset = offset + readUv(r);
      check(offset, length);
      check(dataOffset, 0);
      const markers = readMarkers(r, offset + 12, check);
      parts.push({
        offset,
        length,
        TPsot,
        dataOffset,
        markers,
        codingSegments: readBytes(r, 'tile-part coding segments'),
      });
      prev = offset + length;
    }
    tiles.push({ tile: t, parts });
    const geo = tileGeometry(
      main,
      parts.map((p) => tileFromCodingSegments(p.codingSegments, Csiz)),
      t,
      numTiles,
      precinctBudget,
      limits.maxPackets - total,
    );
    precinctBudget -= geo.layout.numPrecincts;
    for (const e of geo.local) precincts.push(e);
    let i = 0;
    for (const part of parts) {
      const n = readCount(r, 'packets', 2);
      if (i + n > geo.sequence.count)
        throw layoutError(`tile ${t}: more packets than its sequence has (${geo.sequence.count})`, r.offset);
      const gap = readSv(r);
      let body = part.dataOffset;
      for (let k = 0; k < n; k++, i++) {
        const h = readUv(r);
        const headerLength = Math.floor(h / 2);
        const headerOffset = (packed ? header : body + gap) + (h % 2 === 1 ? readSv(r) : 0);
        let bodyOffset = headerOffset + headerLength;
        let bodyLength: number;
        if (packed) {
          const b = readUv(r);
          bodyLength = Math.floor(b / 2);
          bodyOffset = body + gap + (b % 2 === 1 ? readSv(r) : 0);
          header = headerOffset + headerLength;
        } else {
          bodyLength = readUv(r);
        }
        check(headerOffset, headerLength);
        check(bodyOffset, bodyLength);
        body = bodyOffset + bodyLength;
        (geo.local[geo.sequence.precinct[i] as number] as PrecinctEntry).packets.push({
          headerOffset,
          headerLength,
          bodyOffset,
          bodyLength,
        });
      }
    }
    total += i;
  }
  if (r.remaining !== 0)
    throw new MalformedError('J2K_INDEX_TRAILING', `${r.remaining} bytes after the index`, { offset: r.offset });
  if (total !== packetCount)
    throw new MalformedError('J2K_INDEX_COUNT', `packet count ${packetCount} but ${total} packets`, {
      offset: r.offset,
    });
  return {
    version,
    codestreamLength,
    mainHeader: { offset: mhOffset, length: mhLength },
    mainMarkers,
    codingSegments,
    numTiles,
    numComponents,
    layers,
    packedHeaders: packed,
    tiles,
    precincts: sortByBinId(precincts, numTiles),
    packetCount,
  };
}
