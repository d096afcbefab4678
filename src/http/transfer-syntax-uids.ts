// The transfer syntax UIDs the HTTP layer negotiates (PS3.5 §10 / PS3.6 Annex A) and the media
// types PS3.18 §8.7.3 associates with them for frames. Kept here (rather than importing
// src/dicom internals) because negotiation needs only the UIDs and their media type.

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const JPEG2000_LOSSLESS = '1.2.840.10008.1.2.4.90';
export const JPEG2000 = '1.2.840.10008.1.2.4.91';
export const HTJ2K_LOSSLESS = '1.2.840.10008.1.2.4.201';
export const HTJ2K_LOSSLESS_RPCL = '1.2.840.10008.1.2.4.202';
export const HTJ2K = '1.2.840.10008.1.2.4.203';
export const JPIP_REFERENCED = '1.2.840.10008.1.2.4.94';
export const JPIP_REFERENCED_DEFLATE = '1.2.840.10008.1.2.4.95';
export const JPIP_HTJ2K_REFERENCED = '1.2.840.10008.1.2.4.204';
export const JPIP_HTJ2K_REFERENCED_DEFLATE = '1.2.840.10008.1.2.4.205';

export const JPIP_SYNTAXES: readonly string[] = [JPIP_REFERENCED, JPIP_REFERENCED_DEFLATE, JPIP_HTJ2K_REFERENCED, JPIP_HTJ2K_REFERENCED_DEFLATE];

/**
 * Frame (bulk pixel) media types, PS3.18 §8.7.3.3 Table 8.7.3-5 (subset Fovea produces): each
 * with its acceptable syntaxes, the default first.
 */
export const FRAME_MEDIA_TYPES: ReadonlyMap<string, readonly string[]> = new Map([
  ['application/octet-stream', [EXPLICIT_VR_LITTLE_ENDIAN]],
  ['image/jp2', [JPEG2000_LOSSLESS, JPEG2000]],
  ['image/jphc', [HTJ2K_LOSSLESS, HTJ2K_LOSSLESS_RPCL, HTJ2K]],
]);

/** The frame media type for a syntax, or undefined if frames cannot be sent in it (e.g. JPIP). */
export function frameMediaTypeFor(transferSyntaxUid: string): string | undefined {
  for (const [mediaType, syntaxes] of FRAME_MEDIA_TYPES) if (syntaxes.includes(transferSyntaxUid)) return mediaType;
  return undefined;
}

/** PS3.5 §9.1 UID syntax: dot-separated numeric components without leading zeros, at most 64 characters. */
export function isUid(s: string): boolean {
  return s.length > 0 && s.length <= 64 && /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(s);
}
