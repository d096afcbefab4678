// What the JPIP server knows about one stored codestream (ISO/IEC 15444-9 A.3.2-A.3.4; docs
// JPIP.md §4.1): its packet index, parsed main header, JPIP geometry and the layout of every
// data-bin as byte ranges of the stored codestream, so a response reads only the bytes it sends.
// Main header bin: SOC + main-header segments without TLM/PLM/PPM. Tile-header bin: every
// tile-part header segment but SOT/SOD/PLT/PPT. Precinct bin: its packets in layer order, header
// (re-inserted from PPM/PPT when packed) then body; SOP segments are not part of the index ranges.

import { ByteReader, MalformedError, concatBytes } from '../../bytes';
import {
  parseMainHeaderAt,
  parseTilePartHeader,
  type CodingHeader,
  type MainHeader,
  type PacketIndex,
  type PrecinctEntry,
} from '../../j2k';
import type { ImageGeometry } from '../geometry';
import { imageGeometry } from './geometry-adapter';

/** Random access to the bytes of one stored codestream (offset 0 = SOC). */
export interface CodestreamReader {
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A piece of a data-bin: bytes held in memory, or a range of the stored codestream. */
export type BinSegment = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'file'; offset: number; length: number };

export interface BinLayout {
  segments: BinSegment[];
  length: number;
  /** For precinct bins: layerEnds[l] = bin length up to and including the packet of layer l. */
  layerEnds: number[];
}

export interface FrameModel {
  index: PacketIndex;
  main: MainHeader;
  geometry: ImageGeometry;
  htj2k: boolean;
  /** Main-header data-bin bytes (class 6, id 0). */
  mainHeaderBin: Uint8Array;
  /** Rough memory held by this model (for a byte-bounded cache). */
  approxBytes: number;
}

const COD = 0xff52;
const COC = 0xff53;
const MAIN_STRIP: ReadonlySet<number> = new Set([0xff55, 0xff57, 0xff60]); // TLM, PLM, PPM
const TILE_STRIP: ReadonlySet<number> = new Set([0xff58, 0xff61]); // PLT, PPT
const SOC = new Uint8Array([0xff, 0x4f]);

function mismatch(message: string): MalformedError {
  return new MalformedError('JPIP_INDEX_MISMATCH', message, { context: 'packet index' });
}

/** Reads and parses the headers a frame needs; tile headers only where they carry COD/COC. */
export async function prepareFrame(index: PacketIndex, reader: CodestreamReader): Promise<FrameModel> {
  const { offset, length } = index.mainHeader;
  if (offset !== 0 || length < 2 || length > index.codestreamLength)
    throw mismatch('main header range outside the codestream');
  const headerBytes = await reader.read(0, length);
  if (headerBytes.length !== length) throw mismatch('short read of the main header');
  const main = parseMainHeaderAt(headerBytes, 0, { allowEnd: true });
  const kept = index.mainMarkers.filter((m) => !MAIN_STRIP.has(m.marker));
  const parts: Uint8Array[] = [SOC];
  for (const m of kept) {
    if (m.offset < 0 || m.offset + m.length > length) throw mismatch('main-header segment outside the main header');
    parts.push(headerBytes.subarray(m.offset, m.offset + m.length));
  }
  const mainHeaderBin = concatBytes(parts);
  const tileHeaders = new Map<number, CodingHeader[]>();
  for (const tile of index.tiles) {
    const coding = tile.parts.flatMap((p) => p.markers.filter((m) => m.marker === COD || m.marker === COC));
    if (coding.length === 0) continue;
    const segs = await Promise.all(coding.map((m) => reader.read(m.offset, m.length)));
    const header = parseTilePartHeader(new ByteReader(concatBytes(segs)), main.siz.Csiz, { allowEnd: true });
    tileHeaders.set(tile.tile, [header]);
  }
  const geometry = imageGeometry(main, tileHeaders);
  let htj2k = main.cap?.htj2k ?? false;
  if ((main.cod.cblkStyle & 0x40) !== 0) htj2k = true;
  for (const coc of main.coc.values()) if ((coc.cblkStyle & 0x40) !== 0) htj2k = true;
  const approxBytes =
    1024 + mainHeaderBin.length + index.precincts.length * 96 + index.packetCount * 48 + index.tiles.length * 128;
  return { index, main, geometry, htj2k, mainHeaderBin, approxBytes };
}

/** Appends a file range, merging it with the previous one when adjacent. */
function pushRange(segments: BinSegment[], offset: number, length: number): void {
  if (length === 0) return;
  const prev = segments[segments.length - 1];
  if (prev !== undefined && prev.kind === 'file' && prev.offset + prev.length === offset) prev.length += length;
  else segments.push({ kind: 'file', offset, length });
}

/** Tile-header data-bin t as ranges of the codestream. // 15444-9 A.3.3 */
export function tileHeaderLayout(model: FrameModel, t: number): BinLayout {
  const tile = model.index.tiles[t];
  const segments: BinSegment[] = [];
  let length = 0;
  if (tile !== undefined) {
    for (const p of tile.parts) {
      for (const m of p.markers) {
        if (TILE_STRIP.has(m.marker)) continue;
        pushRange(segments, m.offset, m.length);
        length += m.length;
      }
    }
  }
  return { segments, length, layerEnds: [] };
}

/** Tile data-bin t (JPT-stream): all tile-parts, SOT..end of data. // 15444-9 A.3.4 */
export function tileLayout(model: FrameModel, t: number): BinLayout {
  const tile = model.index.tiles[t];
  const segments: BinSegment[] = [];
  let length = 0;
  for (const p of tile?.parts ?? []) {
    pushRange(segments, p.offset, p.length);
    length += p.length;
  }
  return { segments, length, layerEnds: [] };
}

/** Precinct data-bin as ranges of the codestream. // 15444-9 A.3.2 */
export function precinctLayout(entry: PrecinctEntry): BinLayout {
  const segments: BinSegment[] = [];
  const layerEnds: number[] = [];
  let length = 0;
  for (const p of entry.packets) {
    pushRange(segments, p.headerOffset, p.headerLength);
    pushRange(segments, p.bodyOffset, p.bodyLength);
    length += p.headerLength + p.bodyLength;
    layerEnds.push(length);
  }
  return { segments, length, layerEnds };
}

/** The segments covering bytes [from, from + n) of a bin. */
export function sliceSegments(segments: readonly BinSegment[], from: number, n: number): BinSegment[] {
  const out: BinSegment[] = [];
  let pos = 0;
  const end = from + n;
  for (const s of segments) {
    const len = s.kind === 'bytes' ? s.bytes.length : s.length;
    const lo = Math.max(from, pos);
    const hi = Math.min(end, pos + len);
    if (lo < hi) {
      if (s.kind === 'bytes') out.push({ kind: 'bytes', bytes: s.bytes.subarray(lo - pos, hi - pos) });
      else out.push({ kind: 'file', offset: s.offset + (lo - pos), length: hi - lo });
    }
    pos += len;
    if (pos >= end) break;
  }
  return out;
}
