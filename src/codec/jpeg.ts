// JPEG (ISO/IEC 10918-1) frames: the SOF marker (B.2.2) chooses the decoder. Baseline and 8-bit
// extended/progressive DCT → libjpeg-turbo (colour output converted to RGB); lossless SOF3
// (processes 14, DICOM .57/.70) → jpeg-lossless-decoder-js, samples unchanged.
// Not supported (UnsupportedError): 12-bit DCT (.51 with P=12: no 12-bit decoder installed),
// hierarchical SOF5–7/13–15, and arithmetic-coded lossless.

import { ByteReader, MalformedError, ParseError, UnsupportedError } from '../bytes';
import { CodecError, describeThrown } from './errors';
import { copySamples } from './j2k-decode';
import type { DecodedImage } from './types';
import { withDecoder, type LibJpegTurboModule, type LoadedModule } from './wasm-modules';

export interface JpegFrameHeader {
  /** SOFn marker code (0xc0..0xcf except 0xc4/0xc8/0xcc). */
  sof: number;
  precision: number;
  height: number;
  width: number;
  components: number;
}

// ISO/IEC 10918-1 B.1.1.2 (markers), B.2.2 (frame header)
export function readJpegFrameHeader(bytes: Uint8Array): JpegFrameHeader {
  const r = new ByteReader(bytes);
  if (r.u16('SOI') !== 0xffd8)
    throw new MalformedError('CODEC_JPEG_NO_SOI', 'JPEG data does not start with SOI', { offset: 0 });
  for (;;) {
    const at = r.offset;
    if (r.u8('marker prefix') !== 0xff)
      throw new MalformedError('CODEC_JPEG_BAD_MARKER', 'expected a marker', { offset: at });
    let code = r.u8('marker code');
    while (code === 0xff) code = r.u8('marker code'); // fill bytes (B.1.1.2)
    if (code === 0xd9 || code === 0xda)
      throw new MalformedError('CODEC_JPEG_NO_SOF', 'no frame header before the scan', { offset: at });
    const seg = r.sub(r.u16('Lf') - 2, 'marker segment');
    const isSof = (code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc) || code === 0xf7; // 0xf7: JPEG-LS SOF55
    if (isSof) {
      return { sof: code, precision: seg.u8('P'), height: seg.u16('Y'), width: seg.u16('X'), components: seg.u8('Nf') };
    }
  }
}

interface LosslessDecoder {
  decode(buffer: ArrayBuffer, offset: number, length: number): Uint8Array | Uint16Array;
  numComp: number;
  xDim: number;
  yDim: number;
}
type LosslessCtor = new () => LosslessDecoder;

let losslessCtor: LosslessCtor | undefined;
function losslessDecoder(): LosslessDecoder {
  if (losslessCtor === undefined) {
    const mod = require('jpeg-lossless-decoder-js') as { Decoder?: unknown };
    if (typeof mod.Decoder !== 'function')
      throw new CodecError('CODEC_LOAD_FAILED', 'jpeg-lossless-decoder-js has no Decoder');
    losslessCtor = mod.Decoder as LosslessCtor;
  }
  return new losslessCtor();
}

function decodeLossless(bytes: Uint8Array, header: JpegFrameHeader): DecodedImage {
  let out: Uint8Array | Uint16Array;
  try {
    const copy = bytes.slice();
    out = losslessDecoder().decode(copy.buffer, 0, copy.length);
  } catch (e) {
    if (e instanceof ParseError) throw e;
    throw new CodecError('CODEC_DECODE_FAILED', `JPEG lossless decode failed: ${describeThrown(e)}`, { cause: e });
  }
  const expected = header.width * header.height * header.components;
  if (out.length !== expected) {
    throw new CodecError(
      'CODEC_SIZE_MISMATCH',
      `JPEG lossless decoder returned ${out.length} samples, expected ${expected}`,
    );
  }
  const data = out instanceof Uint16Array ? new Uint16Array(out) : new Uint8Array(out);
  return {
    width: header.width,
    height: header.height,
    components: header.components,
    bitsPerSample: out instanceof Uint16Array ? 16 : 8,
    signed: false,
    data,
  };
}

function decodeDct(loaded: LoadedModule<LibJpegTurboModule>, bytes: Uint8Array): DecodedImage {
  const { module, log } = loaded;
  try {
    return withDecoder(
      log,
      () => new module.JPEGDecoder(),
      bytes,
      (dec) => {
        dec.decode();
        const info = dec.getFrameInfo();
        const heap = dec.getDecodedBuffer();
        const expected = info.width * info.height * info.componentCount;
        if (info.width <= 0 || heap.length !== expected || info.bitsPerSample !== 8) {
          throw new CodecError('CODEC_DECODE_FAILED', `libjpeg-turbo produced no usable image: ${log.summary()}`);
        }
        return {
          width: info.width,
          height: info.height,
          components: info.componentCount,
          bitsPerSample: 8,
          signed: false,
          data: copySamples(heap, { bitsPerSample: 8, signed: false }),
        };
      },
    );
  } catch (e) {
    if (e instanceof CodecError) throw e;
    throw new CodecError('CODEC_DECODE_FAILED', `libjpeg-turbo failed: ${describeThrown(e)} ${log.summary()}`, {
      cause: e,
    });
  }
}

/** Decode one JPEG frame; `kind` reports whether colour was converted (DCT) or kept (lossless). */
export function decodeJpegWith(
  loaded: LoadedModule<LibJpegTurboModule>,
  bytes: Uint8Array,
): { image: DecodedImage; kind: 'dct' | 'lossless' } {
  const header = readJpegFrameHeader(bytes);
  const sof = header.sof;
  if (sof === 0xc3) return { image: decodeLossless(bytes, header), kind: 'lossless' };
  if (sof === 0xc0 || sof === 0xc1 || sof === 0xc2 || sof === 0xc9 || sof === 0xca) {
    if (header.precision !== 8) {
      throw new UnsupportedError(
        'CODEC_JPEG_12BIT',
        `${header.precision}-bit DCT JPEG is not supported (8-bit decoder only)`,
      );
    }
    return { image: decodeDct(loaded, bytes), kind: 'dct' };
  }
  throw new UnsupportedError('CODEC_JPEG_PROCESS', `JPEG SOF 0xff${sof.toString(16)} is not supported`);
}
