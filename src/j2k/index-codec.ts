// Compact binary form of a PacketIndex for storage beside a frame (versioned, "J2PI" magic).
// Unsigned LEB128 varints; offsets are deltas from the previous range's end (zig-zag when they
// may be negative), so a typical packet costs 4-6 bytes. Decoding checks every count against
// the bytes left and every range against the codestream length: bad input is a typed error.

import { ByteReader, MalformedError, UnsupportedError } from '../bytes';
import type { MarkerSegment } from './header-types';
import { PACKET_INDEX_VERSION, type PacketIndex, type PacketRange, type PrecinctEntry, type TileEntry } from './index-types';

const MAGIC = [0x4a, 0x32, 0x50, 0x49]; // "J2PI"

class Writer {
  private buf = new Uint8Array(1024);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }
  byte(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }
  uv(v: number): void {
    this.ensure(10);
    let x = v;
    while (x >= 128) {
      this.buf[this.length++] = (x % 128) | 0x80;
      x = Math.floor(x / 128);
    }
    this.buf[this.length++] = x;
  }
  sv(v: number): void {
    this.uv(v < 0 ? -2 * v - 1 : 2 * v);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function uv(r: ByteReader): number {
  let v = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    const b = r.u8('varint');
    v += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return v;
    scale *= 128;
  }
  throw new MalformedError('J2K_INDEX_VARINT', 'varint longer than 8 bytes', { offset: r.offset });
}

function sv(r: ByteReader): number {
  const z = uv(r);
  return z % 2 === 1 ? -(z + 1) / 2 : z / 2;
}

function count(r: ByteReader, what: string, minBytesEach: number): number {
  const n = uv(r);
  if (n * minBytesEach > r.remaining) {
    throw new MalformedError('J2K_INDEX_COUNT', `${what}: ${n} entries cannot fit in ${r.remaining} bytes`, { offset: r.offset, context: what });
  }
  return n;
}

function writeMarkers(w: Writer, markers: readonly MarkerSegment[], start: number): void {
  w.uv(markers.length);
  let prev = start;
  for (const m of markers) {
    w.byte(m.marker & 0xff);
    w.sv(m.offset - prev);
    w.uv(m.length);
    prev = m.offset + m.length;
  }
}

function readMarkers(r: ByteReader, start: number, check: (o: number, l: number) => void): MarkerSegment[] {
  const n = count(r, 'markers', 3);
  const out: MarkerSegment[] = [];
  let prev = start;
  for (let i = 0; i < n; i++) {
    const marker = 0xff00 | r.u8('marker');
    const offset = prev + sv(r);
    const length = uv(r);
    check(offset, length);
    out.push({ marker, offset, length });
    prev = offset + length;
  }
  return out;
}

export function encodePacketIndex(index: PacketIndex): Uint8Array {
  const w = new Writer();
  for (const b of MAGIC) w.byte(b);
  w.byte(PACKET_INDEX_VERSION);
  for (const v of [index.codestreamLength, index.mainHeader.offset, index.mainHeader.length, index.numTiles, index.numComponents, index.layers, index.packedHeaders ? 1 : 0, index.packetCount]) w.uv(v);
  writeMarkers(w, index.mainMarkers, 0);
  w.uv(index.tiles.length);
  let prev = 0;
  for (const t of index.tiles) {
    w.uv(t.tile);
    w.uv(t.parts.length);
    for (const p of t.parts) {
      w.sv(p.offset - prev);
      w.uv(p.length);
      w.uv(p.TPsot);
      w.uv(p.dataOffset - p.offset);
      writeMarkers(w, p.markers, p.offset + 12);
      prev = p.offset + p.length;
    }
  }
  w.uv(index.precincts.length);
  let prevBin = 0;
  let end = 0;
  let bodyEnd = 0;
  for (const e of index.precincts) {
    w.uv(e.binId - prevBin);
    prevBin = e.binId;
    for (const v of [e.tile, e.component, e.resolution, e.precinct, e.packets.length]) w.uv(v);
    for (const p of e.packets) {
      w.sv(p.headerOffset - end);
      w.uv(p.headerLength);
      end = p.headerOffset + p.headerLength;
      if (index.packedHeaders) {
        w.sv(p.bodyOffset - bodyEnd);
      } else if (p.bodyOffset !== end) {
        throw new MalformedError('J2K_INDEX_LAYOUT', 'unpacked packet whose body does not follow its header', { offset: p.bodyOffset });
      }
      w.uv(p.bodyLength);
      bodyEnd = p.bodyOffset + p.bodyLength;
      if (!index.packedHeaders) end = bodyEnd;
    }
  }
  return w.result();
}

export function decodePacketIndex(bytes: Uint8Array): PacketIndex {
  const r = new ByteReader(bytes);
  for (const b of MAGIC) {
    if (r.u8('magic') !== b) throw new MalformedError('J2K_INDEX_MAGIC', 'not a packet index (magic J2PI)', { offset: 0 });
  }
  const version = r.u8('version');
  if (version !== PACKET_INDEX_VERSION) throw new UnsupportedError('J2K_INDEX_VERSION', `packet index version ${version}`, { offset: 4 });
  const [codestreamLength, mhOffset, mhLength, numTiles, numComponents, layers, flags, packetCount] = Array.from({ length: 8 }, () => uv(r)) as number[] as [number, number, number, number, number, number, number, number];
  const check = (o: number, l: number): void => {
    if (o < 0 || l < 0 || o + l > codestreamLength) {
      throw new MalformedError('J2K_INDEX_RANGE', `range ${o}+${l} outside the codestream of ${codestreamLength} bytes`, { offset: r.offset });
    }
  };
  check(mhOffset, mhLength);
  const mainMarkers = readMarkers(r, 0, check);
  const tiles: TileEntry[] = [];
  const nt = count(r, 'tiles', 2);
  let prev = 0;
  for (let i = 0; i < nt; i++) {
    const tile = uv(r);
    const np = count(r, 'tile-parts', 5);
    const parts: TileEntry['parts'] = [];
    for (let j = 0; j < np; j++) {
      const offset = prev + sv(r);
      const length = uv(r);
      const TPsot = uv(r);
      const dataOffset = offset + uv(r);
      check(offset, length);
      check(dataOffset, 0);
      parts.push({ offset, length, TPsot, dataOffset, markers: readMarkers(r, offset + 12, check) });
      prev = offset + length;
    }
    tiles.push({ tile, parts });
  }
  const packed = (flags & 1) !== 0;
  const nprec = count(r, 'precincts', 6);
  const precincts: PrecinctEntry[] = [];
  let bin = 0;
  let end = 0;
  let bodyEnd = 0;
  let total = 0;
  for (let i = 0; i < nprec; i++) {
    bin += uv(r);
    const [tile, component, resolution, precinct] = [uv(r), uv(r), uv(r), uv(r)] as [number, number, number, number];
    const n = count(r, 'packets', packed ? 4 : 3);
    const packets: PacketRange[] = [];
    for (let k = 0; k < n; k++) {
      const headerOffset = end + sv(r);
      const headerLength = uv(r);
      end = headerOffset + headerLength;
      const bodyOffset = packed ? bodyEnd + sv(r) : end;
      const bodyLength = uv(r);
      check(headerOffset, headerLength);
      check(bodyOffset, bodyLength);
      bodyEnd = bodyOffset + bodyLength;
      if (!packed) end = bodyEnd;
      packets.push({ headerOffset, headerLength, bodyOffset, bodyLength });
    }
    total += n;
    precincts.push({ binId: bin, tile, component, resolution, precinct, packets });
  }
  if (r.remaining !== 0) throw new MalformedError('J2K_INDEX_TRAILING', `${r.remaining} bytes after the index`, { offset: r.offset });
  if (total !== packetCount) throw new MalformedError('J2K_INDEX_COUNT', `packet count ${packetCount} but ${total} packets`, { offset: r.offset });
  return {
    version, codestreamLength, mainHeader: { offset: mhOffset, length: mhLength }, mainMarkers, numTiles, numComponents, layers,
    packedHeaders: packed, tiles, precincts, packetCount,
  };
}
