// Server side: the bytes of each JPIP data-bin from the original codestream and its packet index
// (ISO/IEC 15444-9 A.3.2-A.3.4; docs JPIP.md §4.1). Main header: [SOC, first SOT) without TLM,
// PLM, PPM (they describe the original layout). Tile header: all tile-part header segments of
// the tile, SOT/SOD excluded, without PLT and PPT. Precinct: its packets in layer order, each
// header (re-inserted from PPM/PPT if packed) followed by its body, SOP segments removed.

import { NotFoundError } from '../errors';
import { MalformedError } from '../bytes';
import * as M from './markers/codes';
import type { MarkerSegment } from './header-types';
import type { PacketIndex, PrecinctEntry } from './index-types';

const MAIN_STRIP = new Set([M.TLM, M.PLM, M.PPM]);
const TILE_STRIP = new Set([M.PLT, M.PPT]);

function checkRange(cs: Uint8Array, index: PacketIndex, offset: number, length: number): void {
  if (cs.length !== index.codestreamLength || offset < 0 || length < 0 || offset + length > cs.length) {
    throw new MalformedError(
      'J2K_INDEX_MISMATCH',
      `range ${offset}+${length} outside the codestream (${cs.length} bytes)`,
      { offset },
    );
  }
}

function concatSegments(
  cs: Uint8Array,
  index: PacketIndex,
  segments: readonly MarkerSegment[],
  strip: ReadonlySet<number>,
  prefix: Uint8Array | null,
): Uint8Array {
  const kept = segments.filter((m) => !strip.has(m.marker));
  let total = prefix?.length ?? 0;
  for (const m of kept) {
    checkRange(cs, index, m.offset, m.length);
    total += m.length;
  }
  const out = new Uint8Array(total);
  let pos = 0;
  if (prefix) {
    out.set(prefix, 0);
    pos = prefix.length;
  }
  for (const m of kept) {
    out.set(cs.subarray(m.offset, m.offset + m.length), pos);
    pos += m.length;
  }
  return out;
}

/** Main-header data-bin (class 6, id 0): SOC and the main-header segments but TLM/PLM/PPM. */
export function mainHeaderBin(cs: Uint8Array, index: PacketIndex): Uint8Array {
  return concatSegments(cs, index, index.mainMarkers, MAIN_STRIP, new Uint8Array([0xff, 0x4f]));
}

/** Tile-header data-bin (class 2, id t): header segments of every tile-part but PLT/PPT. */
export function tileHeaderBin(cs: Uint8Array, index: PacketIndex, t: number): Uint8Array {
  const tile = index.tiles[t];
  if (tile === undefined) throw new NotFoundError('J2K_NO_SUCH_TILE', `tile ${t} not in 0..${index.numTiles - 1}`);
  const all: MarkerSegment[] = [];
  for (const p of tile.parts) all.push(...p.markers);
  return concatSegments(cs, index, all, TILE_STRIP, null);
}

/** Finds a precinct entry by its data-bin id (binary search; precincts are sorted by binId). */
export function findPrecinct(index: PacketIndex, binId: number): PrecinctEntry | undefined {
  let lo = 0;
  let hi = index.precincts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = index.precincts[mid] as PrecinctEntry;
    if (e.binId === binId) return e;
    if (e.binId < binId) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

export interface PrecinctBin {
  bytes: Uint8Array;
  /** layerEnds[l] = byte length of the bin up to and including the packet of layer l. */
  layerEnds: number[];
}

/** Precinct data-bin (class 0/1, id binId): every packet of the precinct, header then body. */
export function precinctBin(cs: Uint8Array, index: PacketIndex, binId: number): PrecinctBin {
  const e = findPrecinct(index, binId);
  if (e === undefined) throw new NotFoundError('J2K_NO_SUCH_PRECINCT', `no precinct data-bin ${binId}`);
  let total = 0;
  for (const p of e.packets) {
    checkRange(cs, index, p.headerOffset, p.headerLength);
    checkRange(cs, index, p.bodyOffset, p.bodyLength);
    total += p.headerLength + p.bodyLength;
  }
  const bytes = new Uint8Array(total);
  const layerEnds: number[] = [];
  let pos = 0;
  for (const p of e.packets) {
    if (p.headerOffset + p.headerLength === p.bodyOffset) {
      bytes.set(cs.subarray(p.headerOffset, p.bodyOffset + p.bodyLength), pos);
    } else {
      bytes.set(cs.subarray(p.headerOffset, p.headerOffset + p.headerLength), pos);
      bytes.set(cs.subarray(p.bodyOffset, p.bodyOffset + p.bodyLength), pos + p.headerLength);
    }
    pos += p.headerLength + p.bodyLength;
    layerEnds.push(pos);
  }
  return { bytes, layerEnds };
}
