// Public API of src/codec: the only wrappers of the WebAssembly/JS image codecs.
export { loadCodecs, type Codecs } from './load';
export { CodecError, type CodecErrorCode } from './errors';
export type { J2kDecodeOptions, Htj2kDecodeOptions } from './j2k-decode';
export { decompositionLevels, layerRatios, type J2kEncodeOptions } from './j2k-encode';
export { followPixelRepresentation } from './shape';
export type { TranscodeOptions, TranscodeResult } from './transcode';
export type { DecodedImage, PixelDescription, PixelImage, TransferSyntaxFamily } from './types';
