// multipart/related response writer (RFC 2387, body syntax RFC 2046 §5.1.1) for WADO-RS
// (PS3.18 §8.6.1.2 / §8.7.3): encodes parts pulled from an (async) iterable, one at a time, so
// instances are streamed from storage without being held together in memory. The boundary is
// random (128 bits), so it cannot plausibly occur inside a part body.

import { randomBytes } from 'node:crypto';
import { formatParam } from './media-type';

export interface OutgoingPart {
  /** Full Content-Type of the part, e.g. `application/dicom; transfer-syntax=1.2.840.10008.1.2.1`. */
  contentType: string;
  contentLocation?: string;
  /** Byte length when known; written as Content-Length. */
  contentLength?: number;
  body: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/** A fresh random boundary (32 hex digits after a fixed prefix). */
export function randomBoundary(): string {
  return `fovea-${randomBytes(16).toString('hex')}`;
}

/** `multipart/related; type="<partType>"; boundary=<b>[; name=value]` (RFC 2387 §3: type is required). */
export function multipartContentType(
  partType: string,
  boundary: string,
  extra: ReadonlyArray<[string, string]> = [],
): string {
  const params = [
    `type=${formatParam(partType)}`,
    `boundary=${formatParam(boundary)}`,
    ...extra.map(([k, v]) => `${k}=${formatParam(v)}`),
  ];
  return `multipart/related; ${params.join('; ')}`;
}

function headerBlock(part: OutgoingPart, boundary: string): Buffer {
  let s = `--${boundary}\r\nContent-Type: ${part.contentType}\r\n`;
  if (part.contentLocation !== undefined) s += `Content-Location: ${part.contentLocation}\r\n`;
  if (part.contentLength !== undefined) s += `Content-Length: ${part.contentLength}\r\n`;
  return Buffer.from(`${s}\r\n`, 'latin1');
}

/** Encodes parts as a multipart body: the chunks to write, in order, ending with the close delimiter. */
export async function* encodeMultipart(
  parts: AsyncIterable<OutgoingPart> | Iterable<OutgoingPart>,
  boundary: string,
): AsyncGenerator<Uint8Array> {
  const crlf = Buffer.from('\r\n');
  for await (const part of parts) {
    yield headerBlock(part, boundary);
    if (part.body instanceof Uint8Array) {
      if (part.body.length > 0) yield part.body;
    } else {
      for await (const chunk of part.body) if (chunk.length > 0) yield chunk;
    }
    yield crlf;
  }
  yield Buffer.from(`--${boundary}--\r\n`, 'latin1');
}
