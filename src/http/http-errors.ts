// HTTP-only error types that have no counterpart in src/errors.ts. They carry data, not a status:
// src/http/error-map.ts alone turns them into 416 (RFC 9110 §15.5.17), 405 and 421 (§15.5.20).

import { FoveaError, type FoveaErrorOptions } from '../errors';

/** A Range header that cannot be satisfied for a representation of `size` bytes (RFC 9110 §14.2). */
export class RangeNotSatisfiableError extends FoveaError {
  readonly size: number;
  constructor(code: string, message: string, size: number, options: FoveaErrorOptions = {}) {
    super(code, message, options);
    this.size = size;
  }
}

/** The resource exists but not for this method (e.g. DELETE on a study). */
export class MethodNotAllowedError extends FoveaError {
  readonly allow: string[];
  constructor(code: string, message: string, allow: string[], options: FoveaErrorOptions = {}) {
    super(code, message, options);
    this.allow = allow;
  }
}

/** The request's Host is not a name this server answers for (the DNS-rebinding guard, host-guard.ts). */
export class MisdirectedRequestError extends FoveaError {}
