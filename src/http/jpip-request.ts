// Reads a JPIP request from HTTP (ISO/IEC 15444-9 Annex F): GET fields from the raw query string
// (each value %-decoded once by the jpip parser, '+' literal), POST fields from an
// application/x-www-form-urlencoded body (decoded by jpip/'s parseJpipBody: '+' = space) after any
// query fields (a client may POST to the Pixel Data Provider URL `/jpip?target=<uid>`). Here only
// the HTTP reading: body size bound and media type. The target is the `target` field or the path
// segment `/jpip/<target>`; both must agree when both are given.

import type { Request } from 'express';
import { LimitExceededError } from '../bytes';
import { BadRequestError, UnsupportedMediaTypeError } from '../errors';
import { parseJpipBody, parseJpipQuery, type JpipRequest } from '../jpip';

export const MAX_JPIP_BODY = 1024 * 1024;

function rawQuery(req: Request): string {
  const q = req.originalUrl.indexOf('?');
  return q < 0 ? '' : req.originalUrl.slice(q + 1);
}

async function readBody(req: Request, max: number): Promise<Uint8Array> {
  let total = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > max) throw new LimitExceededError('JPIP_BODY_TOO_LARGE', `request body over ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The parsed request and its target (SOP Instance UID) if named. // 15444-9 C.1, C.2.1, F.2 */
export async function readJpipRequest(req: Request): Promise<{ request: JpipRequest; target: string | undefined }> {
  const query = rawQuery(req);
  const limits = { maxQueryLength: MAX_JPIP_BODY + 8192 };
  let request: JpipRequest;
  if (req.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type !== 'application/x-www-form-urlencoded') {
      throw new UnsupportedMediaTypeError(
        'JPIP_BAD_BODY_TYPE',
        `POST body must be application/x-www-form-urlencoded, got '${type || 'none'}'`,
      );
    }
    request = parseJpipBody(await readBody(req, MAX_JPIP_BODY), { ...limits, query });
  } else {
    request = parseJpipQuery(query, limits);
  }
  const param = req.params['target'];
  const pathTarget = typeof param === 'string' && param.length > 0 ? param : undefined;
  if (pathTarget !== undefined && request.target !== undefined && pathTarget !== request.target) {
    throw new BadRequestError('JPIP_TARGET_CONFLICT', 'the target field and the path name different targets', {
      context: 'target',
    });
  }
  return { request, target: request.target ?? pathTarget };
}
