// The frame (bulk pixel) media types PS3.18 §8.7.3.3 associates with transfer syntaxes, as WADO-RS
// negotiates them. The UIDs themselves are dicom/'s named constants (PS3.6 Table A-1).

import {
  EXPLICIT_VR_LITTLE_ENDIAN,
  HTJ2K,
  HTJ2K_LOSSLESS,
  HTJ2K_LOSSLESS_RPCL,
  JPEG_2000,
  JPEG_2000_LOSSLESS,
  JPEG_BASELINE,
  JPEG_EXTENDED,
  JPEG_LOSSLESS,
  JPEG_LOSSLESS_SV1,
  JPEG_LS_LOSSLESS,
  JPEG_LS_NEAR_LOSSLESS,
  RLE_LOSSLESS,
  JPEG_XL,
  JPEG_XL_JPEG_RECOMPRESSION,
  JPEG_XL_LOSSLESS,
} from '../dicom';

/**
 * Frame (bulk pixel) media types, PS3.18 §8.7.3.3 Table 8.7.3-5 (subset Fovea produces): each
 * with its acceptable syntaxes, the default first.
 */
export const FRAME_MEDIA_TYPES: ReadonlyMap<string, readonly string[]> = new Map([
  ['application/octet-stream', [EXPLICIT_VR_LITTLE_ENDIAN]],
  ['image/jp2', [JPEG_2000_LOSSLESS, JPEG_2000]],
  ['image/jphc', [HTJ2K_LOSSLESS, HTJ2K_LOSSLESS_RPCL, HTJ2K]],
  // Only objects kept as received (not transcoded) have frames in these; video is not a frame type.
  ['image/jpeg', [JPEG_LOSSLESS_SV1, JPEG_BASELINE, JPEG_EXTENDED, JPEG_LOSSLESS]],
  ['image/jls', [JPEG_LS_LOSSLESS, JPEG_LS_NEAR_LOSSLESS]],
  ['image/dicom-rle', [RLE_LOSSLESS]],
  ['image/jxl', [JPEG_XL_LOSSLESS, JPEG_XL_JPEG_RECOMPRESSION, JPEG_XL]],
]);

/** The frame media type for a syntax, or undefined if frames cannot be sent in it (e.g. JPIP). */
export function frameMediaTypeFor(transferSyntaxUid: string): string | undefined {
  for (const [mediaType, syntaxes] of FRAME_MEDIA_TYPES) if (syntaxes.includes(transferSyntaxUid)) return mediaType;
  return undefined;
}
