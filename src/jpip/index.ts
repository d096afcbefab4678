// Public surface of jpip/: ISO/IEC 15444-9 request parsing, view-window and precinct selection,
// cache models, jpp/jpt-stream messages and response headers. Pure: no HTTP, fs or SQL.
export { encodeVbas, readVbas, vbasLength, writeVbas, MAX_VBAS_BYTES } from './vbas';
export {
  BinClass,
  EorReason,
  JpipStreamWriter,
  baseClass,
  binIdLength,
  encodeEor,
  encodeMessage,
  hasAux,
  isBinClassId,
  isEorReason,
  messageHeaderLength,
  type BinClassId,
  type EorReasonCode,
  type HeaderState,
  type JpipMessage,
} from './messages';
export { JpipStreamReader, readJpipStream, type JpipStreamEvent, type JpipStreamReaderOptions } from './message-reader';
export {
  KNOWN_FIELDS,
  parseJpipBody,
  parseJpipQuery,
  type Fsiz,
  type FsizRound,
  type JpipRequest,
  type ParseBodyOptions,
  type ParseRequestOptions,
  type XY,
} from './request';
export { expandRanges, type SampledRange, type UintRange } from './request-values';
export type { ImageReturnType, Metareq, MetareqBoxProp, MetareqItem, PrefItem, Subtarget } from './request-lists';
export {
  parseModel,
  parseTpModel,
  type BinSelector,
  type ModelBin,
  type ModelLimit,
  type ModelStatement,
  type RangeSelector,
  type TilePart,
  type TpModelStatement,
} from './model';
export {
  CacheModel,
  type ApplyResult,
  type BinState,
  type CacheEntry,
  type CacheModelOptions,
  type ModelContext,
  type SendRange,
} from './cache-model';
export {
  codingFor,
  precinctBinId,
  precinctGrid,
  resolutionBounds,
  tileBounds,
  tileComponentBounds,
  tileCount,
  tileGrid,
  validateGeometry,
  type ComponentSampling,
  type ImageGeometry,
  type PrecinctGrid,
  type PrecinctSize,
  type Rect,
  type TileComponentCoding,
} from './geometry';
export {
  frameSizeAt,
  maxDiscardLevels,
  resolveViewWindow,
  selectDiscardLevels,
  type FrameSize,
  type ViewWindow,
  type ViewWindowRequest,
} from './view-window';
export { relevantPrecincts, tilesOf, type PrecinctRef, type PrecinctSelectionOptions } from './precincts';
export { ClientCache, type ClientBinView, type ClientCacheOptions } from './client-cache';
export {
  formatRanges,
  resolveComponents,
  resolveStreams,
  responseHeaders,
  type NewChannel,
  type ServedResponse,
} from './response-headers';
export * from './server';
export * from './client';
