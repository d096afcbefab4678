// One entry point that decodes a frame of any supported transfer-syntax family into a PixelImage
// (interleaved, little-endian). The photometric interpretation of the result says which colour
// space the samples are in: JPEG DCT colour comes out RGB (libjpeg-turbo converts YCbCr),
// J2K/HTJ2K YBR_RCT/YBR_ICT come out RGB (MCT undone), *_422 comes out full-size (YBR_FULL);
// everything else keeps the source's interpretation and exact samples.

import { UnsupportedError } from '../bytes';
import { checkDescription } from './description';
import { decodeHtj2kWith, decodeJ2kWith } from './j2k-decode';
import { decodeJpegWith } from './jpeg';
import { decodeJpegLsWith } from './jpeg-ls';
import { decodeNative } from './native';
import { decodeRle } from './rle';
import { outputPhotometric, toPixelImage } from './shape';
import type { PixelDescription, PixelImage, TransferSyntaxFamily } from './types';
import type { CharlsModule, LibJpegTurboModule, LoadedModule, OpenJpegModule, OpenJphModule } from './wasm-modules';

export interface DecoderSet {
  openjpeg: LoadedModule<OpenJpegModule>;
  openjph: LoadedModule<OpenJphModule>;
  libjpeg: LoadedModule<LibJpegTurboModule>;
  charls: LoadedModule<CharlsModule>;
}

export function decodeFrameWith(
  set: DecoderSet,
  family: TransferSyntaxFamily,
  bytes: Uint8Array,
  desc: PixelDescription,
): PixelImage {
  checkDescription(desc);
  if (family === 'native') return decodeNative(bytes, desc);
  if (family === 'rle') return decodeRle(bytes, desc);
  if (desc.bitsAllocated === 1)
    throw new UnsupportedError('CODEC_COMPRESSED_1BIT', `1-bit ${family} frames are not supported`);
  const pi = desc.photometricInterpretation;
  const spp = desc.samplesPerPixel;
  switch (family) {
    case 'jpeg-baseline':
    case 'jpeg-extended':
    case 'jpeg-lossless': {
      const { image, kind } = decodeJpegWith(set.libjpeg, bytes);
      return toPixelImage(image, desc, outputPhotometric(pi, spp, kind === 'dct' ? 'jpeg-dct' : 'none'));
    }
    case 'jpeg-ls':
      return toPixelImage(decodeJpegLsWith(set.charls, bytes), desc, outputPhotometric(pi, spp, 'none'));
    case 'j2k':
      return toPixelImage(decodeJ2kWith(set.openjpeg, bytes), desc, outputPhotometric(pi, spp, 'j2k'));
    case 'htj2k':
      return toPixelImage(decodeHtj2kWith(set.openjph, bytes), desc, outputPhotometric(pi, spp, 'j2k'));
    default:
      return assertNever(family);
  }
}

function assertNever(family: never): never {
  throw new UnsupportedError('CODEC_UNKNOWN_FAMILY', `unknown transfer syntax family ${String(family)}`);
}
