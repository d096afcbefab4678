// Public surface of jpip/client/: a JPIP client without I/O (request URLs, response bodies in any
// chunking, data-bin cache, codestream rebuild, decode plan). Network code lives in src/cli.
export {
  buildQuery,
  buildQueryFields,
  joinQuery,
  type JpipSessionFields,
  type JpipStreamType,
  type JpipView,
} from './query';
export {
  parseCnewHeader,
  parseServedHeaders,
  type HeaderLookup,
  type ServedChannel,
  type ServedHeaders,
} from './served-headers';
export {
  cachedMainHeader,
  cachedTileHeaders,
  normaliseTileHeaderBin,
  rebuildFromCache,
  type RebuildOptions,
  type RebuiltCodestream,
} from './codestream';
export { clientGeometry, planDecode, type DecodePlan } from './decode-plan';
export { EOR_NAMES, JpipClientSession, type JpipClientOptions, type ResponseSummary } from './session';
