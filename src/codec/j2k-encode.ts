// Lossless JPEG 2000 encoding with OpenJPEG for JPIP serving (ISO/IEC 15444-1): reversible 5/3
// wavelet, RPCL progression, 64×64 code-blocks, enough decomposition levels that the lowest
// resolution is ≤ 256 px on its long side, and several quality layers whose last one is lossless.
// Limits of the @cornerstonejs/codec-openjpeg wrapper (1.3.x), checked by test: it ignores
// setPrecinct/setBlockDimensions/setTileSize (so one precinct per resolution, PPx=PPy=15, and
// the 64×64 default block size), copies only component 0 for 16-bit data (so 16-bit colour is
// refused here), and reads ≤8-bit input as unsigned bytes (so signed 8-bit is coded at 9 bits).

import { UnsupportedError } from '../bytes';
import { checkDescription } from './description';
import { CodecError, describeThrown } from './errors';
import { mainHeaderFacts, startsWithSoc } from './main-header';
import { wordsFromLittleEndian } from './shape';
import type { PixelImage } from './types';
import { withHandle, type LoadedModule, type OpenJpegModule, type WasmFrameInfo } from './wasm-modules';

export interface J2kEncodeOptions {
  /** Quality layers (1–8, default 4); every layer but the last is rate-limited, the last is lossless. */
  layers?: number;
  /** Long side of the lowest resolution must not exceed this (default 256). */
  maxLowestResolution?: number;
}

const RPCL = 2;

/** Decomposition levels: smallest L ≥ 1 with ceil(long/2^L) ≤ max, capped so 2^L ≤ the short side. */
export function decompositionLevels(width: number, height: number, maxLowest = 256): number {
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  let levels = 1;
  while (Math.ceil(long / 2 ** levels) > maxLowest && levels < 32) levels++;
  const cap = Math.floor(Math.log2(short));
  return Math.max(0, Math.min(levels, cap));
}

/** Compression ratios per layer (last = 0: no rate limit, i.e. lossless). */
export function layerRatios(layers: number): number[] {
  const ratios: number[] = [];
  for (let i = 0; i < layers - 1; i++) ratios.push(6 * 3 ** (layers - 2 - i));
  ratios.push(0);
  return ratios;
}

interface EncoderInput {
  info: WasmFrameInfo;
  bytes: Uint8Array;
}

/** Pick the J2K precision and the sample buffer layout the wrapper expects (see header). */
function prepare(image: PixelImage): EncoderInput {
  const { columns: width, rows: height, samplesPerPixel: spp, bitsStored } = image;
  const signed = image.pixelRepresentation === 1;
  const base = { width, height, componentCount: spp, isSigned: signed, isUsingColorTransform: spp === 3 };
  const count = width * height * spp;
  if (image.bitsAllocated === 8) {
    if (!signed) {
      let max = 0;
      for (let i = 0; i < count; i++) max = Math.max(max, image.data[i] ?? 0);
      return {
        info: { ...base, bitsPerSample: max < 2 ** bitsStored ? bitsStored : 8 },
        bytes: image.data.subarray(0, count),
      };
    }
    if (spp !== 1) throw new UnsupportedError('CODEC_ENCODE_SIGNED_COLOUR', 'signed colour samples cannot be encoded');
    const words = new Int16Array(count);
    for (let i = 0; i < count; i++) words[i] = ((image.data[i] ?? 0) << 24) >> 24;
    return { info: { ...base, bitsPerSample: 9 }, bytes: new Uint8Array(words.buffer) };
  }
  if (image.bitsAllocated !== 16) {
    throw new UnsupportedError('CODEC_ENCODE_BITS_ALLOCATED', `cannot encode Bits Allocated ${image.bitsAllocated}`);
  }
  if (spp !== 1)
    throw new UnsupportedError('CODEC_ENCODE_16BIT_COLOUR', '16-bit colour is not supported by the OpenJPEG wrapper');
  const words = wordsFromLittleEndian(image.data, count);
  let fits = true;
  if (signed) {
    const lo = -(2 ** (bitsStored - 1));
    const hi = 2 ** (bitsStored - 1) - 1;
    for (let i = 0; i < count && fits; i++) {
      const v = ((words[i] ?? 0) << 16) >> 16;
      fits = v >= lo && v <= hi;
    }
  } else {
    const limit = 2 ** bitsStored;
    for (let i = 0; i < count && fits; i++) fits = (words[i] ?? 0) < limit;
  }
  // The wrapper reads 16-bit buffers only for precision > 8; values that do not fit Bits Stored
  // (stray high bits) are kept by coding all 16 bits.
  const precision = fits ? Math.max(9, bitsStored) : 16;
  return { info: { ...base, bitsPerSample: precision }, bytes: new Uint8Array(words.buffer) };
}

export function encodeJ2kLosslessWith(
  loaded: LoadedModule<OpenJpegModule>,
  image: PixelImage,
  options: J2kEncodeOptions = {},
): Uint8Array {
  checkDescription({ ...image, planarConfiguration: 0 });
  const layers = options.layers ?? 4;
  const maxLowest = options.maxLowestResolution ?? 256;
  if (!Number.isSafeInteger(layers) || layers < 1 || layers > 8) {
    throw new UnsupportedError('CODEC_BAD_OPTION', `layers must be 1..8, got ${layers}`, { context: 'layers' });
  }
  if (!Number.isSafeInteger(maxLowest) || maxLowest < 1) {
    throw new UnsupportedError('CODEC_BAD_OPTION', `maxLowestResolution must be ≥ 1`, {
      context: 'maxLowestResolution',
    });
  }
  const expectedBytes = image.columns * image.rows * image.samplesPerPixel * (image.bitsAllocated / 8);
  if (image.data.length < expectedBytes) {
    throw new CodecError('CODEC_SIZE_MISMATCH', `image data has ${image.data.length} bytes, needs ${expectedBytes}`);
  }
  const { info, bytes } = prepare(image);
  const levels = decompositionLevels(image.columns, image.rows, maxLowest);
  const { module, log } = loaded;
  log.clear();
  let codestream: Uint8Array;
  try {
    codestream = withHandle(
      () => new module.J2KEncoder(),
      (enc) => {
        enc.setDecompositions(levels);
        enc.setProgressionOrder(RPCL);
        enc.setBlockDimensions({ width: 64, height: 64 });
        const ratios = layerRatios(layers);
        enc.setQuality(true, ratios.length);
        ratios.forEach((r, i) => enc.setCompressionRatio(i, r));
        enc.getDecodedBuffer(info).set(bytes);
        enc.encode();
        return enc.getEncodedBuffer().slice();
      },
    );
  } catch (e) {
    throw new CodecError('CODEC_ENCODE_FAILED', `OpenJPEG encode failed: ${describeThrown(e)} ${log.summary()}`, {
      cause: e,
    });
  }
  checkEncoded(codestream, image, levels);
  return codestream;
}

/** Sanity check of the produced codestream: SIZ/COD as requested and an EOC at the end (A.4.4). */
function checkEncoded(codestream: Uint8Array, image: PixelImage, levels: number): void {
  const n = codestream.length;
  if (n < 4 || !startsWithSoc(codestream) || codestream[n - 2] !== 0xff || codestream[n - 1] !== 0xd9) {
    throw new CodecError('CODEC_ENCODE_FAILED', 'OpenJPEG produced no complete codestream');
  }
  let h;
  try {
    h = mainHeaderFacts(codestream);
  } catch (e) {
    throw new CodecError('CODEC_ENCODE_FAILED', `OpenJPEG produced an unreadable main header: ${describeThrown(e)}`, {
      cause: e,
    });
  }
  if (
    h.width !== image.columns ||
    h.height !== image.rows ||
    h.components !== image.samplesPerPixel ||
    h.levels !== levels ||
    !h.reversible
  ) {
    throw new CodecError('CODEC_ENCODE_FAILED', 'OpenJPEG codestream does not match the requested parameters');
  }
}
