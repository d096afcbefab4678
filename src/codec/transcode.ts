// Decode a frame of any family and re-encode it as a lossless, JPIP-friendly J2K codestream (what
// ingest stores for every encoding other than J2K/HTJ2K). The result says which Photometric
// Interpretation the stored object must carry: OpenJPEG always applies the reversible colour
// transform to 3-sample images, so RGB is stored as YBR_RCT (PS3.5 A.4.4, 8.2.4); YBR_FULL keeps
// its name (the RCT is undone on decode).

import { decodeFrameWith, type DecoderSet } from './decode-frame';
import { CodecError } from './errors';
import { decodeJ2kWith } from './j2k-decode';
import { encodeJ2kLosslessWith, type J2kEncodeOptions } from './j2k-encode';
import { toPixelImage } from './shape';
import type { PixelDescription, PixelImage, TransferSyntaxFamily } from './types';

export interface TranscodeOptions extends J2kEncodeOptions {
  /** Decode the new codestream and compare with the source pixels (default false). */
  verify?: boolean;
}

export interface TranscodeResult {
  codestream: Uint8Array;
  /** The decoded source frame that was encoded (its photometricInterpretation is the sample colour space). */
  image: PixelImage;
  /** Photometric Interpretation to record for the J2K-encoded object. */
  storedPhotometricInterpretation: string;
}

export function transcodeToJ2kWith(
  set: DecoderSet,
  family: TransferSyntaxFamily,
  frameBytes: Uint8Array,
  desc: PixelDescription,
  options: TranscodeOptions = {},
): TranscodeResult {
  const image = decodeFrameWith(set, family, frameBytes, desc);
  const codestream = encodeJ2kLosslessWith(set.openjpeg, image, options);
  if (options.verify === true) verifyRoundTrip(set, codestream, image);
  const storedPhotometricInterpretation =
    image.samplesPerPixel === 3 && image.photometricInterpretation === 'RGB'
      ? 'YBR_RCT'
      : image.photometricInterpretation;
  return { codestream, image, storedPhotometricInterpretation };
}

/** Decode `codestream` and require the exact samples of `image` (throws CODEC_ROUND_TRIP_MISMATCH). */
export function verifyRoundTrip(set: DecoderSet, codestream: Uint8Array, image: PixelImage): void {
  const desc: PixelDescription = { ...image, planarConfiguration: 0 };
  const back = toPixelImage(decodeJ2kWith(set.openjpeg, codestream), desc, image.photometricInterpretation);
  const a = back.data;
  const b = image.data;
  let same = a.length === b.length;
  for (let i = 0; same && i < a.length; i++) same = a[i] === b[i];
  if (!same) throw new CodecError('CODEC_ROUND_TRIP_MISMATCH', 'J2K round trip did not reproduce the source samples');
}
