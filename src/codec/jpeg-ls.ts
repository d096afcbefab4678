// JPEG-LS (ISO/IEC 14495-1, DICOM .80 lossless / .81 near-lossless) with CharLS. Output is
// interleaved: CharLS returns planes for ILV=none, which are interleaved here. No colour
// transform is applied (HP colour transforms are not used by DICOM).

import { MalformedError, TruncatedError, UnsupportedError } from '../bytes';
import { CodecError, describeThrown } from './errors';
import { copySamples } from './j2k-decode';
import { readJpegFrameHeader } from './jpeg';
import type { DecodedImage } from './types';
import { withDecoder, type CharlsModule, type LoadedModule } from './wasm-modules';

function interleavePlanes(planar: Uint8Array, pixels: number, components: number, bytesPerSample: number): Uint8Array {
  const out = new Uint8Array(planar.length);
  const planeBytes = pixels * bytesPerSample;
  for (let c = 0; c < components; c++) {
    for (let p = 0; p < pixels; p++) {
      for (let b = 0; b < bytesPerSample; b++) {
        out[(p * components + c) * bytesPerSample + b] = planar[c * planeBytes + p * bytesPerSample + b] ?? 0;
      }
    }
  }
  return out;
}

/**
 * Structural pre-check (14495-1 C.1: SOI, SOF55 before the scan, EOI at the end). CharLS spends
 * seconds failing on a truncated stream, so a stream without an EOI in its last 16 bytes (room
 * for fragment padding, PS3.5 A.4, which some writers fill with non-zero bytes) is refused here.
 */
export function checkJpegLsStream(bytes: Uint8Array): void {
  const header = readJpegFrameHeader(bytes);
  if (header.sof !== 0xf7)
    throw new MalformedError('CODEC_JLS_NOT_JPEG_LS', `not a JPEG-LS frame (SOF 0xff${header.sof.toString(16)})`);
  for (let i = bytes.length - 2; i >= Math.max(0, bytes.length - 16); i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return;
  }
  throw new TruncatedError('CODEC_JLS_NO_EOI', 'JPEG-LS stream does not end with EOI', { offset: bytes.length });
}

export function decodeJpegLsWith(loaded: LoadedModule<CharlsModule>, bytes: Uint8Array): DecodedImage {
  checkJpegLsStream(bytes);
  const { module, log } = loaded;
  try {
    return withDecoder(
      log,
      () => new module.JpegLSDecoder(),
      bytes,
      (dec) => {
        dec.decode();
        const info = dec.getFrameInfo();
        if (info.bitsPerSample < 2 || info.bitsPerSample > 16) {
          throw new UnsupportedError('CODEC_UNSUPPORTED_PRECISION', `JPEG-LS ${info.bitsPerSample}-bit samples`);
        }
        const bytesPerSample = info.bitsPerSample <= 8 ? 1 : 2;
        const pixels = info.width * info.height;
        const heap = dec.getDecodedBuffer();
        if (info.width <= 0 || heap.length !== pixels * info.componentCount * bytesPerSample) {
          throw new CodecError('CODEC_DECODE_FAILED', `CharLS produced no usable image: ${log.summary()}`);
        }
        const raw =
          info.componentCount > 1 && dec.getInterleaveMode() === 0
            ? interleavePlanes(heap, pixels, info.componentCount, bytesPerSample)
            : heap;
        return {
          width: info.width,
          height: info.height,
          components: info.componentCount,
          bitsPerSample: info.bitsPerSample,
          signed: false,
          data: copySamples(raw, { bitsPerSample: info.bitsPerSample, signed: false }),
        };
      },
    );
  } catch (e) {
    if (e instanceof CodecError || e instanceof UnsupportedError) throw e;
    const detail = module.getExceptionMessage === undefined ? '' : safeMessage(module, e);
    throw new CodecError('CODEC_DECODE_FAILED', `CharLS failed: ${describeThrown(e)} ${detail} ${log.summary()}`, {
      cause: e,
    });
  }
}

function safeMessage(module: CharlsModule, e: unknown): string {
  try {
    return String(module.getExceptionMessage?.(e));
  } catch {
    return '';
  }
}
