// Response writers shared by the DICOMweb, WADO-URI and JPIP handlers: DICOM JSON bodies, streamed
// bodies with back-pressure (the one write loop of http/; the first chunk is produced before the
// status line is written, so errors raised while preparing the first part still reach the error
// middleware as a normal status), and single-range byte responses (RFC 9110 §14: 206 / 416,
// Accept-Ranges).

import { once } from 'node:events';
import type { Request, Response } from 'express';
import { RangeNotSatisfiableError } from './http-errors';

/** Sends a DICOM JSON (PS3.18 Annex F) body. */
export function sendDicomJson(
  res: Response,
  status: number,
  body: unknown,
  mediaType = 'application/dicom+json',
): void {
  res.status(status).setHeader('Content-Type', `${mediaType}; charset=utf-8`);
  res.end(JSON.stringify(body));
}

/** Streams chunks with back-pressure. A failure after the headers went out propagates (the error middleware cuts the connection). */
export async function sendStream(
  res: Response,
  status: number,
  headers: Record<string, string>,
  chunks: AsyncIterable<Uint8Array>,
): Promise<void> {
  const it = chunks[Symbol.asyncIterator]();
  let r = await it.next();
  res.status(status);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  try {
    while (r.done !== true) {
      if (res.destroyed) return; // client went away
      if (!res.write(r.value)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      r = await it.next();
    }
    res.end();
  } finally {
    if (r.done !== true) await it.return?.();
  }
}

/**
 * RFC 9110 §14.1.2 byte ranges: one range ("a-b", "a-", "-n") or null for "send everything".
 * Decisions: several ranges, other units, unparsable values or an If-Range precondition are
 * ignored (full 200, as §14.2 allows); a syntactically valid but unsatisfiable range is 416.
 */
export function parseRange(
  header: string | undefined,
  ifRange: string | undefined,
  size: number,
): { start: number; end: number } | null {
  if (header === undefined || ifRange !== undefined) return null;
  const m = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (m === null || m[1] === undefined || m[2] === undefined || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0)
      throw new RangeNotSatisfiableError(
        'HTTP_RANGE_NOT_SATISFIABLE',
        'an empty suffix range cannot be satisfied',
        size,
      );
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return null; // invalid range-spec: ignored
  }
  if (start >= size || size === 0)
    throw new RangeNotSatisfiableError(
      'HTTP_RANGE_NOT_SATISFIABLE',
      `range starts beyond the ${size}-byte representation`,
      size,
    );
  return { start, end };
}

/** Sends bytes as a single body, honouring one Range. */
export function sendBytes(
  req: Request,
  res: Response,
  contentType: string,
  bytes: Uint8Array,
  extra: Record<string, string> = {},
): void {
  const ifRange = req.headers['if-range'];
  const range = parseRange(req.headers.range, typeof ifRange === 'string' ? ifRange : undefined, bytes.length);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', contentType);
  for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
  if (range === null) {
    res.status(200).end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return;
  }
  res.status(206).setHeader('Content-Range', `bytes ${range.start}-${range.end}/${bytes.length}`);
  res.end(Buffer.from(bytes.buffer, bytes.byteOffset + range.start, range.end - range.start + 1));
}
