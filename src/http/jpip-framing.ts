// How a JPIP response body is framed on HTTP/1.x (ISO/IEC 15444-9 Annex F; RFC 9112 §6-7). Fovea
// plans every response before sending it, so its length is known: Content-Length is the default,
// because some native JPIP clients cannot parse chunked transfer coding (JPIP.md §9 item 12).
// Chunked only where it can help and the client can take it: the operator enabled it
// (FOVEA_JPIP_CHUNKED_MIN_KB > 0), the client speaks HTTP/1.1 (every HTTP/1.1 recipient must accept
// chunked, RFC 9112 §7), the request belongs to a JPIP session (the interactive dialect Kakadu- and
// ESA-family clients stream) and the planned body is at least that large. conformance/jpip.md.

export type JpipFraming = 'content-length' | 'chunked';

export interface JpipFramingInput {
  /** `req.httpVersion`, e.g. "1.1" or "1.0". */
  httpVersion: string;
  /** Planned body length, undefined when not known before sending. */
  length: number | undefined;
  inSession: boolean;
  /** Smallest body sent chunked; 0 = never chunked (the default). */
  chunkedMinBytes: number;
}

export function jpipFraming(input: JpipFramingInput): JpipFraming {
  const { httpVersion, length, inSession, chunkedMinBytes } = input;
  if (length === undefined) return 'chunked'; // nothing else can frame an unknown length on HTTP/1.1
  const http11 = httpVersion === '1.1';
  if (chunkedMinBytes > 0 && http11 && inSession && length >= chunkedMinBytes) return 'chunked';
  return 'content-length';
}
