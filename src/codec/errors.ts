// Typed failures of the WebAssembly/JS codecs. A codec that reports failure (empty output, a
// thrown C++/WASM exception, a sample count that does not match the header) becomes a
// CodecError with a stable code; input we deliberately do not handle is an UnsupportedError
// from src/bytes (thrown by the callers in this folder).

import { FoveaError, type FoveaErrorOptions } from '../errors';

/** Stable codes used by this folder. */
export type CodecErrorCode =
  | 'CODEC_DECODE_FAILED'
  | 'CODEC_ENCODE_FAILED'
  | 'CODEC_LOAD_FAILED'
  | 'CODEC_SIZE_MISMATCH'
  | 'CODEC_ROUND_TRIP_MISMATCH';

/** A codec (OpenJPEG, OpenJPH, libjpeg-turbo, CharLS, jpeg-lossless) failed on its input. */
export class CodecError extends FoveaError {
  declare readonly code: CodecErrorCode;
  constructor(code: CodecErrorCode, message: string, options: FoveaErrorOptions = {}) {
    super(code, message, options);
  }
}

/** Describe an unknown thrown value (WASM exceptions may be numbers or RuntimeErrors). */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return `non-Error thrown: ${String(e)}`;
}
