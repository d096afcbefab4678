// The ONLY place that chooses an HTTP status (CONVENTIONS.md "Errors: typed in the core, mapped
// once at the edge"): typed errors → status + body, the STOW-RS 200/202/409 decision
// (PS3.18 §10.5.3 Table 10.5.3-1), and the express error middleware. DICOMweb errors are sent as
// application/json `{ "code", "message" }`; JPIP errors as text/plain (ISO/IEC 15444-9 Annex D
// leaves the body free). A 500 is logged with its cause; no body ever carries a stack.

import { inspect } from 'node:util';
import type { ErrorRequestHandler, Response } from 'express';
import {
  BadRequestError,
  ConflictError,
  type FoveaError,
  NotAcceptableError,
  NotFoundError,
  UnavailableError,
  UnsupportedMediaTypeError,
} from '../errors';
import { LimitExceededError, MalformedError, TruncatedError, UnsupportedError } from '../bytes';
import { ForbiddenError, UnauthenticatedError } from '../auth';
import type { Logger } from '../log';
import { MethodNotAllowedError, MisdirectedRequestError, RangeNotSatisfiableError } from './http-errors';

export type ErrorBodyFormat = 'json' | 'text';

export interface MappedError {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
}

export interface MapOptions {
  /** Status for UnsupportedError: 400 by default, 501 where the transaction says so. */
  unsupportedStatus?: 400 | 501;
}

/** res.locals key a route sets (via useNotImplementedForUnsupported) to map UnsupportedError to 501. */
const UNSUPPORTED_STATUS_KEY = 'foveaUnsupportedStatus';

/** Marks the current transaction so that an UnsupportedError becomes 501 Not Implemented. */
export function useNotImplementedForUnsupported(res: Response): void {
  res.locals[UNSUPPORTED_STATUS_KEY] = 501;
}

/** Third-party (body-parser / router) errors are recognised by their documented `type`/`name`, never by `status`. */
function thirdParty(err: unknown): MappedError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const type = (err as { type?: unknown }).type;
  const message = err instanceof Error ? err.message : 'bad request';
  const plain = (status: number, code: string): MappedError => ({ status, code, message, headers: {} });
  switch (type) {
    case 'entity.too.large':
      return plain(413, 'HTTP_BODY_TOO_LARGE');
    case 'entity.parse.failed':
      return plain(400, 'HTTP_BODY_NOT_PARSABLE');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return plain(415, 'HTTP_BODY_ENCODING_UNSUPPORTED');
    case 'request.aborted':
      return plain(400, 'HTTP_REQUEST_ABORTED');
    case 'entity.verify.failed':
      return plain(400, 'HTTP_BODY_INVALID');
    default:
      break;
  }
  if (err instanceof URIError) return plain(400, 'HTTP_BAD_URI_ENCODING');
  return undefined;
}

/** RFC 6750 §3: error_description is printable ASCII without '"' and '\\'. */
function quotable(text: string): string {
  return text.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?');
}

/** Maps any thrown value to a status, a stable code, a client-safe message and extra headers. */
export function mapError(err: unknown, options: MapOptions = {}): MappedError {
  const known = (status: number, e: FoveaError, headers: Record<string, string> = {}): MappedError => ({
    status,
    code: e.code,
    message: e.message,
    headers,
  });
  // RFC 6750 §3: 401 with a Bearer challenge (error attribute only when a credential was presented,
  // §3.1), invalid_request → 400, a valid principal without the permission → 403 insufficient_scope.
  if (err instanceof UnauthenticatedError) {
    const error =
      err.bearerError === undefined ? '' : `, error="${err.bearerError}", error_description="${quotable(err.message)}"`;
    return known(err.bearerError === 'invalid_request' ? 400 : 401, err, {
      'WWW-Authenticate': `Bearer realm="fovea"${error}`,
    });
  }
  if (err instanceof ForbiddenError)
    return known(403, err, {
      'WWW-Authenticate': `Bearer realm="fovea", error="insufficient_scope", error_description="${quotable(err.message)}"`,
    });
  if (err instanceof TruncatedError || err instanceof MalformedError) return known(400, err);
  if (err instanceof UnsupportedError) return known(options.unsupportedStatus ?? 400, err);
  if (err instanceof LimitExceededError) return known(413, err);
  if (err instanceof NotFoundError) return known(404, err);
  if (err instanceof ConflictError) return known(409, err);
  if (err instanceof NotAcceptableError) return known(406, err);
  if (err instanceof UnsupportedMediaTypeError) return known(415, err);
  if (err instanceof BadRequestError) return known(400, err);
  if (err instanceof UnavailableError) return known(503, err, { 'Retry-After': '5' });
  if (err instanceof RangeNotSatisfiableError) return known(416, err, { 'Content-Range': `bytes */${err.size}` });
  if (err instanceof MethodNotAllowedError) return known(405, err, { Allow: err.allow.join(', ') });
  // RFC 9110 §15.5.20: 421 Misdirected Request, "not able to produce a response" for this
  // authority; a client may retry with another connection (unlike 400, which blames the request).
  if (err instanceof MisdirectedRequestError) return known(421, err);
  const tp = thirdParty(err);
  if (tp !== undefined) return tp;
  return { status: 500, code: 'INTERNAL_ERROR', message: 'internal server error', headers: {} };
}

/** Counts of one STOW-RS request's per-instance outcomes. */
export interface StowSummary {
  stored: number;
  failed: number;
  /** Stored instances that came with warnings. */
  warnings: number;
}

/**
 * PS3.18 §10.5.3 Table 10.5.3-1: 200 all stored without warnings; 202 some stored and some
 * failed or stored with warnings; 409 none stored. (400 for a bad request and 415 for a wrong
 * media type are raised as errors before any instance is processed and mapped by mapError.)
 */
export function stowStatus(summary: StowSummary): 200 | 202 | 409 {
  if (summary.stored === 0) return 409;
  if (summary.failed > 0 || summary.warnings > 0) return 202;
  return 200;
}

function causeChain(err: unknown): unknown[] {
  const out: unknown[] = [];
  let cur: unknown = err;
  for (let i = 0; i < 5 && cur !== undefined && cur !== null; i += 1) {
    out.push(
      cur instanceof Error ? { name: cur.name, message: cur.message, stack: cur.stack } : inspect(cur, { depth: 2 }),
    );
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return out;
}

export interface ErrorMiddlewareOptions {
  logger: Logger;
  format: ErrorBodyFormat;
}

/** res.locals key holding the stable code of the error a response answered with. */
export const ERROR_CODE_KEY = 'foveaErrorCode';

/** Express error middleware: maps with mapError, logs (500s with their cause chain), writes the body. */
export function errorMiddleware(options: ErrorMiddlewareOptions): ErrorRequestHandler {
  const { logger, format } = options;
  return (err: unknown, req, res, _next) => {
    const requestId = typeof res.locals['requestId'] === 'string' ? res.locals['requestId'] : undefined;
    const unsupported = res.locals[UNSUPPORTED_STATUS_KEY] === 501 ? 501 : 400;
    const mapped = mapError(err, { unsupportedStatus: unsupported });
    res.locals[ERROR_CODE_KEY] = mapped.code; // for the audit record (src/http/audit.ts)
    if (mapped.status >= 500 && mapped.status !== 501 && mapped.status !== 503) {
      logger.error('request_failed', {
        requestId,
        method: req.method,
        path: req.path,
        error: err,
        causes: causeChain(err),
      });
    } else {
      logger.info('request_rejected', {
        requestId,
        method: req.method,
        path: req.path,
        status: mapped.status,
        code: mapped.code,
      });
    }
    if (res.headersSent) {
      // A streamed response failed midway: the status is already on the wire, so the only honest
      // signal left is to cut the connection (the client sees a truncated body).
      res.destroy(err instanceof Error ? err : undefined);
      return;
    }
    res.status(mapped.status);
    for (const [k, v] of Object.entries(mapped.headers)) res.setHeader(k, v);
    if (format === 'text') {
      res.type('text/plain; charset=utf-8').send(`${mapped.code}: ${mapped.message}\n`);
    } else {
      res.type('application/json').send(JSON.stringify({ code: mapped.code, message: mapped.message }));
    }
  };
}
