// Memoised instantiation of the WebAssembly codecs behind the synchronous `Codecs` API.
// A failed load is not memoised (the next call retries). WASM instances are process-wide and
// used synchronously, so one instance of each module serves every caller.

import { decodeFrameWith, type DecoderSet } from './decode-frame';
import { decodeHtj2kWith, decodeJ2kWith, type Htj2kDecodeOptions, type J2kDecodeOptions } from './j2k-decode';
import { encodeJ2kLosslessWith, type J2kEncodeOptions } from './j2k-encode';
import { transcodeToJ2kWith, type TranscodeOptions, type TranscodeResult } from './transcode';
import type { DecodedImage, PixelDescription, PixelImage, TransferSyntaxFamily } from './types';
import {
  instantiate,
  type CharlsModule,
  type LibJpegTurboModule,
  type OpenJpegModule,
  type OpenJphModule,
} from './wasm-modules';

export interface Codecs {
  /** Decode a J2K codestream or JP2 file with OpenJPEG. */
  decodeJ2k(codestream: Uint8Array, options?: J2kDecodeOptions): DecodedImage;
  /** Decode an HTJ2K (or plain J2K) codestream with OpenJPH. */
  decodeHtj2k(codestream: Uint8Array, options?: Htj2kDecodeOptions): DecodedImage;
  /** Reversible 5/3, RPCL, ≤256 px lowest resolution, quality layers (last lossless), 64×64 blocks. */
  encodeJ2kLossless(image: PixelImage, options?: J2kEncodeOptions): Uint8Array;
  /** Decode one frame of any supported family to interleaved little-endian samples. */
  decodeFrame(family: TransferSyntaxFamily, bytes: Uint8Array, desc: PixelDescription): PixelImage;
  /** decodeFrame + encodeJ2kLossless, with the Photometric Interpretation to record. */
  transcodeToJ2k(
    family: TransferSyntaxFamily,
    frameBytes: Uint8Array,
    desc: PixelDescription,
    options?: TranscodeOptions,
  ): TranscodeResult;
}

let pending: Promise<Codecs> | undefined;

async function build(): Promise<Codecs> {
  const [openjpeg, openjph, libjpeg, charls] = await Promise.all([
    instantiate<OpenJpegModule>('@cornerstonejs/codec-openjpeg/wasmjs', (m) => 'J2KDecoder' in m && 'J2KEncoder' in m),
    instantiate<OpenJphModule>('@cornerstonejs/codec-openjph/wasmjs', (m) => 'HTJ2KDecoder' in m),
    instantiate<LibJpegTurboModule>('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', (m) => 'JPEGDecoder' in m),
    instantiate<CharlsModule>('@cornerstonejs/codec-charls/decodewasmjs', (m) => 'JpegLSDecoder' in m),
  ]);
  const set: DecoderSet = { openjpeg, openjph, libjpeg, charls };
  return Object.freeze({
    decodeJ2k: (codestream: Uint8Array, options?: J2kDecodeOptions) => decodeJ2kWith(openjpeg, codestream, options),
    decodeHtj2k: (codestream: Uint8Array, options?: Htj2kDecodeOptions) =>
      decodeHtj2kWith(openjph, codestream, options),
    encodeJ2kLossless: (image: PixelImage, options?: J2kEncodeOptions) =>
      encodeJ2kLosslessWith(openjpeg, image, options),
    decodeFrame: (family: TransferSyntaxFamily, bytes: Uint8Array, desc: PixelDescription) =>
      decodeFrameWith(set, family, bytes, desc),
    transcodeToJ2k: (
      family: TransferSyntaxFamily,
      frameBytes: Uint8Array,
      desc: PixelDescription,
      options?: TranscodeOptions,
    ) => transcodeToJ2kWith(set, family, frameBytes, desc, options),
  });
}

/** Instantiate the codecs once per process; later calls return the same object. */
export function loadCodecs(): Promise<Codecs> {
  if (pending === undefined) {
    pending = build().catch((e: unknown) => {
      pending = undefined;
      throw e;
    });
  }
  return pending;
}
