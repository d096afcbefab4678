// Public API of j2k/: JPEG 2000 Part 1 and HTJ2K (Part 15) codestream parsing, the packet index
// used by JPIP, its compact binary form, server-side data-bin extraction and client-side
// codestream reconstruction. Pure: bytes in, values or typed errors out.

export { findCodestream, type CodestreamLocation } from './boxes/jp2';
export { parseMainHeader, codestreamSummary, type CodestreamSummary } from './summary';
export { buildPacketIndex } from './packet-index';
export { encodePacketIndex, decodePacketIndex } from './index-codec';
export { mainHeaderBin, tileHeaderBin, precinctBin, findPrecinct, type PrecinctBin } from './data-bins';
export { rebuildCodestream, type RebuildInput } from './rebuild';
export { DEFAULT_LIMITS, type J2kLimits } from './limits';
export { PROGRESSION_NAMES, type Cod, type Coc, type CodingStyle } from './markers/cod-coc';
export type { Siz, SizComponent } from './markers/siz';
export type { MainHeader, J2kWarning, MarkerSegment, ParseOptions } from './header-types';
export {
  PACKET_INDEX_VERSION,
  type PacketIndex,
  type PacketRange,
  type PrecinctEntry,
  type TileEntry,
  type TilePartEntry,
  type ByteRange,
} from './index-types';
// Header parsers for JPIP data-bins (main header bin without SOT: allowEnd; tile-header bins).
export { parseMainHeaderAt, parseTilePartHeader } from './header-parse';
export type { CodingHeader, TilePartHeader } from './header-types';
export { repartitionPrecincts, type RepartitionOptions, type PrecinctSize } from './repacketize';
