// The packet index of one codestream: what a JPIP server needs to emit main-header, tile-header
// and precinct data-bins by byte-range copying (15444-9 A.3; docs JPIP.md §4.1).

import type { MarkerSegment } from './header-types';

export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * One packet. Without packed headers the header (after any SOP, EPH included) is immediately
 * followed by the body. With PPM/PPT the header range points into the PPM/PPT marker data.
 */
export interface PacketRange {
  headerOffset: number;
  headerLength: number;
  bodyOffset: number;
  bodyLength: number;
}

export interface PrecinctEntry {
  /** JPIP precinct data-bin in-class id I = t + (c + s * Csiz) * numTiles. */
  binId: number;
  tile: number;
  component: number;
  resolution: number;
  /** Precinct number within its tile-component-resolution (raster order). */
  precinct: number;
  /** Packets in layer order (a prefix of the layers when the codestream lacks some). */
  packets: PacketRange[];
}

export interface TilePartEntry {
  /** Offset of SOT and the tile-part length (Psot, or computed for Psot = 0). */
  offset: number;
  length: number;
  TPsot: number;
  /** Offset of the first body byte (after SOD). */
  dataOffset: number;
  /** Header marker segments, SOT and SOD excluded. */
  markers: MarkerSegment[];
  /**
   * Raw COD, COC and POC segments of this tile-part header (usually empty): with the main
   * header's codingSegments, what the tile's packet order derives from. Empty in a version 1 index.
   */
  codingSegments: Uint8Array;
}

export interface TileEntry {
  tile: number;
  /** Tile-parts in TPsot order. */
  parts: TilePartEntry[];
}

/** Version written by encodePacketIndex; decodePacketIndex also reads version 1. */
export const PACKET_INDEX_VERSION = 2;

export interface PacketIndex {
  version: number;
  codestreamLength: number;
  /** [SOC, first SOT). */
  mainHeader: ByteRange;
  /** Main-header marker segments (so a server can strip TLM/PLM/PPM). */
  mainMarkers: MarkerSegment[];
  /**
   * Raw SIZ, COD, COC and POC segments of the main header, in codestream order: the geometry and
   * packet order (B.12) of every tile derive from them. Empty in an index decoded from version 1.
   */
  codingSegments: Uint8Array;
  numTiles: number;
  numComponents: number;
  /** Max number of layers over tiles. */
  layers: number;
  /** True when headers are packed in PPM/PPT. */
  packedHeaders: boolean;
  tiles: TileEntry[];
  /** Sorted by binId. */
  precincts: PrecinctEntry[];
  packetCount: number;
}
