// Access control at the HTTP edge (docs/security.md). authenticate(): one app-level middleware that
// takes the bearer credential from `Authorization: Bearer` or a `?token=` query parameter (RFC 6750
// §2.1, §2.3), removes `token` from the URL before anything else sees it (handlers, JPIP's strict
// query parser, logs), resolves the Principal and runs the rest of the request as it
// (src/auth/request-context.ts). needs(permission): the guard every route of the route tables
// states (app.ts, dicomweb/router.ts, jpip.ts); it throws UnauthenticatedError / ForbiddenError,
// which error-map.ts alone turns into 401 / 403. A test walks every route for its guard.

import type { Request, RequestHandler, Response } from 'express';
import {
  ANONYMOUS,
  type Authenticator,
  ForbiddenError,
  hasPermission,
  type Permission,
  type Principal,
  runAs,
  UnauthenticatedError,
} from '../auth';

export interface HttpAuthOptions {
  /** Verifies presented credentials; undefined = none can be verified (every credential is refused). */
  authenticator: Pick<Authenticator, 'authenticate'> | undefined;
  /** True when every guarded route needs a principal; false = anonymous gets every permission
   *  (a loopback host without auth configuration, or FOVEA_AUTH=off). Presented credentials are
   *  verified either way. */
  required: boolean;
}

/** What a route needs: a permission, or 'public' (only /healthz and /readyz). */
export type RouteAccess = Permission | 'public';

const PRINCIPAL_KEY = 'foveaPrincipal';
const AUTH_ERROR_KEY = 'foveaAuthError';
/** The property a guard carries so the route-table test can read what each route states. */
export const ROUTE_ACCESS = Symbol.for('fovea.routeAccess');

export type GuardHandler = RequestHandler & { [ROUTE_ACCESS]: RouteAccess };

/** The principal authenticate() resolved for this request (undefined on failure or without auth middleware). */
export function principalOf(res: Response): Principal | undefined {
  const p: unknown = res.locals[PRINCIPAL_KEY];
  return typeof p === 'object' && p !== null ? (p as Principal) : undefined;
}

/** Why authentication failed for this request, if it did (for the audit trail's login failures). */
export function authFailureOf(res: Response): UnauthenticatedError | undefined {
  const e: unknown = res.locals[AUTH_ERROR_KEY];
  return e instanceof UnauthenticatedError ? e : undefined;
}

/** Removes every `token` parameter from a URL's query, keeping the rest byte for byte. */
export function stripTokenParam(url: string): { url: string; tokens: string[] } {
  const q = url.indexOf('?');
  if (q < 0) return { url, tokens: [] };
  const tokens: string[] = [];
  const kept: string[] = [];
  for (const part of url.slice(q + 1).split('&')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (name === 'token') {
      let value = eq < 0 ? '' : part.slice(eq + 1);
      try {
        value = decodeURIComponent(value.replace(/\+/g, ' '));
      } catch {
        value = '';
      }
      tokens.push(value);
    } else kept.push(part);
  }
  return { url: kept.length === 0 ? url.slice(0, q) : `${url.slice(0, q)}?${kept.join('&')}`, tokens };
}

/** The presented credential, undefined when none; UnauthenticatedError when more than one or not Bearer. */
function credentialOf(req: Request, queryTokens: string[]): string | undefined {
  const header = req.headers.authorization;
  const given: string[] = [...queryTokens];
  if (header !== undefined) {
    const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    if (m === null || m[1] === undefined) {
      throw new UnauthenticatedError(
        /^Bearer\b/i.test(header) ? 'AUTH_TOKEN_MALFORMED' : 'AUTH_NOT_BEARER',
        /^Bearer\b/i.test(header) ? 'the bearer token is malformed' : 'only Bearer credentials are accepted',
        /^Bearer\b/i.test(header) ? 'invalid_token' : 'invalid_request',
      );
    }
    given.push(m[1]);
  }
  if (given.length > 1)
    throw new UnauthenticatedError(
      'AUTH_SEVERAL_CREDENTIALS',
      'send one credential only (header or ?token=)',
      'invalid_request',
    );
  return given[0];
}

export function authenticate(options: HttpAuthOptions): RequestHandler {
  return async (req, res, next) => {
    const stripped = stripTokenParam(req.url);
    if (stripped.tokens.length > 0) {
      req.url = stripped.url;
      req.originalUrl = stripTokenParam(req.originalUrl).url;
    }
    let principal: Principal | undefined;
    try {
      const credential = credentialOf(req, stripped.tokens);
      if (credential === undefined) principal = options.required ? undefined : ANONYMOUS;
      else if (credential.length === 0)
        throw new UnauthenticatedError('AUTH_TOKEN_MALFORMED', 'the token is empty', 'invalid_token');
      else if (options.authenticator === undefined)
        throw new UnauthenticatedError('AUTH_NOT_CONFIGURED', 'this server verifies no credentials', 'invalid_token');
      else principal = await options.authenticator.authenticate(credential);
    } catch (err) {
      if (!(err instanceof UnauthenticatedError)) {
        next(err);
        return;
      }
      res.locals[AUTH_ERROR_KEY] = err;
    }
    if (principal === undefined) {
      next();
      return;
    }
    res.locals[PRINCIPAL_KEY] = principal;
    runAs(principal, () => next());
  };
}

/** The guard of one route: what it needs, stated where the route is registered. */
export function needs(access: RouteAccess): GuardHandler {
  const guard: RequestHandler = (_req, res, next) => {
    if (access === 'public') {
      next();
      return;
    }
    const failure: unknown = res.locals[AUTH_ERROR_KEY];
    if (failure instanceof UnauthenticatedError) throw failure;
    const principal = principalOf(res);
    if (principal === undefined)
      throw new UnauthenticatedError('AUTH_REQUIRED', 'authentication is required', undefined);
    if (!hasPermission(principal, access))
      throw new ForbiddenError('AUTH_FORBIDDEN', `this resource needs the "${access}" permission`, access);
    next();
  };
  return Object.assign(guard, { [ROUTE_ACCESS]: access });
}
