// OIDC / OAuth 2.0 bearer JWTs (RFC 6750, RFC 7519) verified with jose: signature against the
// issuer's JWKS (remote, fetched and cached by jose's createRemoteJWKSet, which refetches on an
// unknown `kid`, i.e. on key rotation; or a local JWKS document), issuer, audience, exp/nbf/iat with
// a clock tolerance. Algorithms: RS256 and ES256; HS256 only when a shared secret is configured;
// `alg: none` is never accepted (jose refuses unsecured JWTs in jwtVerify, and it is not listed).
// Permissions come from a configurable claim (default `scope`, space-separated string or array).
// Keys that cannot be fetched are UnavailableError (503), never a 401 blamed on the token.

import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { UnavailableError } from '../errors';
import { UnauthenticatedError } from './errors';
import type { Permission, Principal } from './principal';

export type JwksSource = { kind: 'remote'; url: string } | { kind: 'local'; jwks: JSONWebKeySet };

export interface OidcOptions {
  issuer: string;
  audience: string;
  /** Where the signing keys come from; undefined when only HS256 is configured. */
  jwks: JwksSource | undefined;
  /** HS256 shared secret (bytes); undefined = HS256 refused. */
  hs256Secret: Uint8Array | undefined;
  clockToleranceSeconds: number;
  /** Claim holding the permissions (default "scope"). */
  scopeClaim: string;
  /** Scope strings granting each permission (default fovea:read, fovea:write, fovea:admin). */
  scopes: Readonly<Record<Permission, string>>;
  /** Least time between two JWKS fetches, ms (default 30 s; a token with an unknown kid triggers one). */
  jwksCooldownMs?: number;
  /** Longest token accepted before parsing (default 16 KiB). */
  maxTokenLength?: number;
}

export interface OidcVerifier {
  verify(token: string): Promise<Principal>;
}

const ASYMMETRIC = ['RS256', 'ES256'];
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Each segment in canonical base64url (no second spelling through unused low bits, RFC 4648 §3.5). */
function canonical(token: string): boolean {
  return token.split('.').every((seg) => Buffer.from(seg, 'base64url').toString('base64url') === seg);
}

function scopeWords(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter((w) => w.length > 0);
  if (Array.isArray(value)) return value.filter((w): w is string => typeof w === 'string');
  return [];
}

/** The IdP's keys could not be fetched (timeout, refused connection, not a JWKS): the token may be
 *  fine, so this is 503 (UnavailableError), not 401. jose's own errors about the token are 401. */
function unavailable(err: unknown): UnavailableError | undefined {
  if (
    err instanceof joseErrors.JWKSTimeout ||
    err instanceof joseErrors.JWKSInvalid ||
    !(err instanceof joseErrors.JOSEError)
  )
    return new UnavailableError(
      'AUTH_JWKS_UNAVAILABLE',
      'the signing keys of the identity provider could not be obtained',
      {
        cause: err,
      },
    );
  return undefined;
}

function problem(err: unknown): UnauthenticatedError {
  const fail = (code: string, message: string): UnauthenticatedError =>
    new UnauthenticatedError(code, message, 'invalid_token', { cause: err });
  if (err instanceof joseErrors.JWTExpired) return fail('AUTH_TOKEN_EXPIRED', 'the token has expired');
  if (err instanceof joseErrors.JWTClaimValidationFailed)
    return fail('AUTH_TOKEN_CLAIM', `the token's "${err.claim}" claim is not accepted`);
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return fail('AUTH_TOKEN_ALG', 'the token algorithm is not accepted');
  if (err instanceof joseErrors.JWSSignatureVerificationFailed)
    return fail('AUTH_TOKEN_SIGNATURE', 'the token signature does not verify');
  if (err instanceof joseErrors.JWKSNoMatchingKey) return fail('AUTH_TOKEN_KEY', 'no known key signed the token');
  return fail('AUTH_TOKEN_INVALID', 'the token is not a valid JWT');
}

export function createOidcVerifier(options: OidcOptions): OidcVerifier {
  const maxLength = options.maxTokenLength ?? 16 * 1024;
  const jwks: JWTVerifyGetKey | undefined =
    options.jwks === undefined
      ? undefined
      : options.jwks.kind === 'remote'
        ? createRemoteJWKSet(new URL(options.jwks.url), {
            cooldownDuration: options.jwksCooldownMs ?? 30_000,
            cacheMaxAge: 10 * 60_000,
          })
        : createLocalJWKSet(options.jwks.jwks);
  const secret = options.hs256Secret;
  const algorithms = [...(jwks === undefined ? [] : ASYMMETRIC), ...(secret === undefined ? [] : ['HS256'])];
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256' && secret !== undefined) return secret;
    if (jwks === undefined) throw new joseErrors.JOSEAlgNotAllowed('alg not allowed');
    return jwks(header, token);
  };
  const toPermissions = (payload: JWTPayload): Set<Permission> => {
    const words = new Set(scopeWords(payload[options.scopeClaim]));
    const out = new Set<Permission>();
    for (const p of ['read', 'write', 'admin'] as const) if (words.has(options.scopes[p])) out.add(p);
    return out;
  };
  return {
    async verify(token: string): Promise<Principal> {
      if (token.length > maxLength || !JWT_SHAPE.test(token) || !canonical(token))
        throw new UnauthenticatedError('AUTH_TOKEN_MALFORMED', 'the bearer token is malformed', 'invalid_token');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms,
          clockTolerance: options.clockToleranceSeconds,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (err) {
        throw unavailable(err) ?? problem(err);
      }
      const now = Date.now() / 1000;
      if (typeof payload.iat === 'number' && payload.iat - options.clockToleranceSeconds > now)
        throw new UnauthenticatedError(
          'AUTH_TOKEN_CLAIM',
          'the token\'s "iat" claim is in the future',
          'invalid_token',
        );
      const sub = String(payload.sub);
      const clientId =
        typeof payload['client_id'] === 'string'
          ? payload['client_id']
          : typeof payload['azp'] === 'string'
            ? payload['azp']
            : undefined;
      return {
        kind: 'oidc',
        id: `oidc:${options.issuer}#${sub}`,
        permissions: toPermissions(payload),
        subject: sub,
        issuer: options.issuer,
        ...(clientId === undefined ? {} : { clientId }),
        ...(typeof payload.jti === 'string' ? { tokenId: payload.jti } : {}),
        ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp * 1000 } : {}),
      };
    },
  };
}
