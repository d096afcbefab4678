// Authentication and authorisation failures. They carry the RFC 6750 §3.1 error code; the HTTP
// status (401 / 403) and the WWW-Authenticate header are chosen in src/http/error-map.ts only.
// Messages never contain the presented credential.

import { FoveaError, type FoveaErrorOptions } from '../errors';
import type { Permission } from './principal';

/** RFC 6750 §3.1 error codes; undefined = no credentials were presented (no error attribute). */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | undefined;

/** No credentials, or credentials that are malformed, unverifiable, expired or revoked (401). */
export class UnauthenticatedError extends FoveaError {
  readonly bearerError: BearerErrorCode;
  constructor(code: string, message: string, bearerError: BearerErrorCode, options: FoveaErrorOptions = {}) {
    super(code, message, options);
    this.bearerError = bearerError;
  }
}

/** A valid principal without the permission the route states (403, RFC 6750 insufficient_scope). */
export class ForbiddenError extends FoveaError {
  readonly needed: Permission;
  constructor(code: string, message: string, needed: Permission, options: FoveaErrorOptions = {}) {
    super(code, message, options);
    this.needed = needed;
  }
}
