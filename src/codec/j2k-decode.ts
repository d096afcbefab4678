// JPEG 2000 (ISO/IEC 15444-1) decode with OpenJPEG and HTJ2K (15444-15) decode with OpenJPH.
// Samples are copied out of the WASM heap into JS-owned typed arrays. `reduce` discards the r
// finest resolution levels (15444-1 B.5); `layers` limits the quality layers decoded (B.12).
// Not supported: components with different precision/signedness or subsampling (the wrappers
// return one buffer with a single bitsPerSample), precisions above 16 bits.

import { MalformedError, ParseError, UnsupportedError } from '../bytes';
import { CodecError, describeThrown } from './errors';
import { mainHeaderFacts, startsWithSoc } from './main-header';
import type { DecodedImage } from './types';
import {
  withDecoder,
  type HtJ2kDecoderHandle,
  type J2kDecoderHandle,
  type LoadedModule,
  type OpenJpegModule,
  type OpenJphModule,
  type WasmFrameInfo,
} from './wasm-modules';

export interface J2kDecodeOptions {
  /** Number of finest resolution levels to discard (0 = full size). */
  reduce?: number;
  /** Decode at most this many quality layers (default: all). */
  layers?: number;
}

export interface Htj2kDecodeOptions {
  reduce?: number;
}

function checkCount(name: string, v: number | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || v < min || v > 32) {
    throw new UnsupportedError('CODEC_BAD_OPTION', `${name} must be an integer in [${min}, 32], got ${v}`, {
      context: name,
    });
  }
  return v;
}

/** Reject a reduce beyond the decomposition levels (the wrappers' readHeader() is a no-op). */
function checkReduce(codestream: Uint8Array, reduce: number): void {
  if (reduce === 0 || !startsWithSoc(codestream)) return;
  let levels: number;
  try {
    levels = mainHeaderFacts(codestream).levels;
  } catch (e) {
    if (e instanceof ParseError) return; // the decode reports a damaged header as CODEC_DECODE_FAILED
    throw e;
  }
  if (reduce > levels) {
    throw new UnsupportedError('CODEC_REDUCE_TOO_LARGE', `reduce ${reduce} exceeds the ${levels} decomposition levels`);
  }
}

function checkCodestream(codestream: Uint8Array): void {
  if (codestream.length < 2) throw new MalformedError('CODEC_EMPTY_INPUT', 'empty JPEG 2000 codestream');
}

/** Copy `heap` (a view on WASM memory) into a typed array matching the sample format. */
export function copySamples(heap: Uint8Array, info: { bitsPerSample: number; signed: boolean }): DecodedImage['data'] {
  const bytes = new Uint8Array(heap.length);
  bytes.set(heap);
  if (info.bitsPerSample <= 8) return info.signed ? new Int8Array(bytes.buffer) : bytes;
  if (bytes.length % 2 !== 0) throw new CodecError('CODEC_SIZE_MISMATCH', 'odd byte count for 16-bit samples');
  return info.signed ? new Int16Array(bytes.buffer) : new Uint16Array(bytes.buffer);
}

function toDecoded(
  heap: Uint8Array,
  info: WasmFrameInfo,
  size: { width: number; height: number },
  codec: string,
  log: LoadedModule<unknown>['log'],
): DecodedImage {
  if (info.width <= 0 || info.height <= 0 || info.componentCount <= 0 || heap.length === 0) {
    throw new CodecError('CODEC_DECODE_FAILED', `${codec} could not decode the codestream: ${log.summary()}`);
  }
  if (info.bitsPerSample < 1 || info.bitsPerSample > 16) {
    throw new UnsupportedError(
      'CODEC_UNSUPPORTED_PRECISION',
      `${codec}: ${info.bitsPerSample}-bit samples are not supported`,
    );
  }
  const bytesPerSample = info.bitsPerSample <= 8 ? 1 : 2;
  const expected = size.width * size.height * info.componentCount * bytesPerSample;
  if (heap.length !== expected) {
    throw new CodecError(
      'CODEC_SIZE_MISMATCH',
      `${codec} returned ${heap.length} bytes, expected ${expected} (${size.width}x${size.height}x${info.componentCount}); ` +
        'components with different size or precision are not supported',
    );
  }
  return {
    width: size.width,
    height: size.height,
    components: info.componentCount,
    bitsPerSample: info.bitsPerSample,
    signed: info.isSigned,
    data: copySamples(heap, { bitsPerSample: info.bitsPerSample, signed: info.isSigned }),
  };
}

function wrapThrown(codec: string, e: unknown, log: LoadedModule<unknown>['log']): never {
  if (e instanceof CodecError || e instanceof UnsupportedError || e instanceof MalformedError) throw e;
  throw new CodecError('CODEC_DECODE_FAILED', `${codec} failed: ${describeThrown(e)} ${log.summary()}`, { cause: e });
}

/** The decoder calls both wrappers share (OpenJPEG's J2KDecoder, OpenJPH's HTJ2KDecoder). */
type ResolutionDecoder = Pick<
  J2kDecoderHandle,
  'delete' | 'getEncodedBuffer' | 'getDecodedBuffer' | 'decode' | 'getFrameInfo' | 'calculateSizeAtDecompositionLevel'
>;

/**
 * One decode on a fresh decoder handle: the codestream copied in, `decodeReduced` (or a full
 * decode when it is null), the samples copied out at the size of resolution `reduce`.
 */
function decodeOnce<D extends ResolutionDecoder>(
  codec: string,
  log: LoadedModule<unknown>['log'],
  create: () => D,
  codestream: Uint8Array,
  reduce: number,
  decodeReduced: ((dec: D) => void) | null,
): DecodedImage {
  try {
    return withDecoder(log, create, codestream, (dec) => {
      if (decodeReduced === null) dec.decode();
      else decodeReduced(dec);
      const info = dec.getFrameInfo();
      const size = reduce === 0 ? info : dec.calculateSizeAtDecompositionLevel(reduce);
      return toDecoded(dec.getDecodedBuffer(), info, size, codec, log);
    });
  } catch (e) {
    return wrapThrown(codec, e, log);
  }
}

/** Decode a J2K codestream (or JP2 file) with OpenJPEG. */
export function decodeJ2kWith(
  loaded: LoadedModule<OpenJpegModule>,
  codestream: Uint8Array,
  options: J2kDecodeOptions = {},
): DecodedImage {
  checkCodestream(codestream);
  const reduce = checkCount('reduce', options.reduce, 0) ?? 0;
  const layers = checkCount('layers', options.layers, 1) ?? 0;
  checkReduce(codestream, reduce);
  const { module, log } = loaded;
  const partial =
    reduce === 0 && layers === 0 ? null : (dec: J2kDecoderHandle): void => dec.decodeSubResolution(reduce, layers);
  return decodeOnce('OpenJPEG', log, () => new module.J2KDecoder(), codestream, reduce, partial);
}

/** Decode an HTJ2K (or J2K) codestream with OpenJPH. */
export function decodeHtj2kWith(
  loaded: LoadedModule<OpenJphModule>,
  codestream: Uint8Array,
  options: Htj2kDecodeOptions = {},
): DecodedImage {
  checkCodestream(codestream);
  const reduce = checkCount('reduce', options.reduce, 0) ?? 0;
  checkReduce(codestream, reduce);
  const { module, log } = loaded;
  const partial = reduce === 0 ? null : (dec: HtJ2kDecoderHandle): void => dec.decodeSubResolution(reduce);
  return decodeOnce('OpenJPH', log, () => new module.HTJ2KDecoder(), codestream, reduce, partial);
}
