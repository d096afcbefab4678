// Objects kept as received (issue 9: a gateway never loses an instance because of its own codec
// limits). When the pixel stage — frame extraction, decode, lossless J2K re-encode, codestream
// index — stops at something Fovea does not implement (1-bit, 32-bit, float or 16-bit colour
// samples, 12-bit DCT JPEG, video, JPEG XL, a J2K over the index caps ...), the object is stored
// whole: its received bytes (a Part 10 file; a bare data set gets a File Meta Information group
// in front, PS3.10 §7.1) become the version's object.dcm, next to the usual dataset.dcm without
// Pixel Data. It has no frame rows, is not JPIP-servable, and the outcome carries a warning.
// A broken object (truncated, malformed DICOM structure) is still refused: that is not a codec limit.

import { LimitExceededError, MalformedError, UnsupportedError, type RandomAccessSource } from '../bytes';
import { CodecError } from '../codec';
import { encodeFileMetaInformation, type ParsedDicom } from '../dicom';
import { FoveaError } from '../errors';

const CHUNK = 4 * 1024 * 1024;

/**
 * The stable code to record when `err`, raised by the pixel stage, is one of Fovea's own codec
 * limits (the object is then kept as received); null when the object must be refused.
 */
export function codecLimitReason(err: unknown): string | null {
  if (!(err instanceof FoveaError)) return null;
  if (err instanceof CodecError || err instanceof UnsupportedError) return err.code;
  // The codestream indexer's caps and parse failures (J2K_*): J2K that Fovea cannot index for JPIP.
  if ((err instanceof LimitExceededError || err instanceof MalformedError) && err.code.startsWith('J2K_'))
    return err.code;
  return null;
}

/** The object's received bytes in chunks, as a Part 10 file (a File Meta Information group added to a bare data set). */
export function* receivedObjectChunks(raw: RandomAccessSource, parsed: ParsedDicom): Generator<Uint8Array> {
  if (parsed.fileMeta === null) yield encodeFileMetaInformation(parsed.dataset, parsed.transferSyntaxUid);
  for (let at = 0; at < raw.size; at += CHUNK) yield raw.read(at, Math.min(CHUNK, raw.size - at));
}
