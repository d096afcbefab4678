// Study-scoped link tokens (docs/security.md): "fovea_l_" + base64url(JSON claims) + "." +
// base64url(HMAC-SHA-256(secret, "fovea_l_" + payload)). Claims: v (1), id (random, revocable),
// study (StudyInstanceUID), iat and exp (seconds since epoch). Signed and checked by Fovea only, so
// there is no algorithm negotiation at all (nothing like JWT `alg: none` can exist). Pure.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const LINK_TOKEN_PREFIX = 'fovea_l_';
/** Longest token accepted before any decoding (a real one is about 200 characters). */
const MAX_TOKEN_LENGTH = 1024;
const UID = /^[0-9]+(\.[0-9]+)*$/;
const LINK_ID = /^[A-Za-z0-9_-]{8,64}$/;

export interface LinkClaims {
  id: string;
  study: string;
  /** Issued at, seconds since the Unix epoch. */
  iat: number;
  /** Expires at, seconds since the Unix epoch. */
  exp: number;
}

/** Why a presented link token is refused (stable codes; the HTTP layer turns them into 401). */
export type LinkTokenProblem = 'LINK_MALFORMED' | 'LINK_BAD_SIGNATURE' | 'LINK_EXPIRED' | 'LINK_NOT_YET_VALID';

export function looksLikeLinkToken(token: string): boolean {
  return token.startsWith(LINK_TOKEN_PREFIX);
}

export function newLinkId(): string {
  return randomBytes(12).toString('base64url');
}

function mac(secret: Uint8Array, signed: string): Buffer {
  return createHmac('sha256', secret).update(signed, 'utf8').digest();
}

export function signLinkToken(secret: Uint8Array, claims: LinkClaims): string {
  const payload = Buffer.from(
    JSON.stringify({ v: 1, id: claims.id, study: claims.study, iat: claims.iat, exp: claims.exp }),
    'utf8',
  ).toString('base64url');
  const signed = `${LINK_TOKEN_PREFIX}${payload}`;
  return `${signed}.${mac(secret, signed).toString('base64url')}`;
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Checks shape, signature (constant time) and validity window; returns the claims or a problem. */
export function verifyLinkToken(
  secret: Uint8Array,
  token: string,
  nowSeconds: number,
  clockToleranceSeconds: number,
): { ok: true; claims: LinkClaims } | { ok: false; problem: LinkTokenProblem } {
  if (token.length > MAX_TOKEN_LENGTH || !token.startsWith(LINK_TOKEN_PREFIX))
    return { ok: false, problem: 'LINK_MALFORMED' };
  const dot = token.lastIndexOf('.');
  if (dot <= LINK_TOKEN_PREFIX.length) return { ok: false, problem: 'LINK_MALFORMED' };
  const signed = token.slice(0, dot);
  const sigText = token.slice(dot + 1);
  const payloadText = signed.slice(LINK_TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(payloadText) || !/^[A-Za-z0-9_-]{43}$/.test(sigText))
    return { ok: false, problem: 'LINK_MALFORMED' };
  const given = Buffer.from(sigText, 'base64url');
  // Only the canonical encoding is accepted: base64url's unused low bits cannot make a second spelling.
  if (
    given.toString('base64url') !== sigText ||
    Buffer.from(payloadText, 'base64url').toString('base64url') !== payloadText
  )
    return { ok: false, problem: 'LINK_MALFORMED' };
  const expected = mac(secret, signed);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, problem: 'LINK_BAD_SIGNATURE' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payloadText, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, problem: 'LINK_MALFORMED' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { ok: false, problem: 'LINK_MALFORMED' };
  const o = parsed as Record<string, unknown>;
  const { v, id, study, iat, exp } = o;
  if (
    v !== 1 ||
    typeof id !== 'string' ||
    !LINK_ID.test(id) ||
    typeof study !== 'string' ||
    study.length > 64 ||
    !UID.test(study) ||
    !isInt(iat) ||
    !isInt(exp)
  )
    return { ok: false, problem: 'LINK_MALFORMED' };
  if (exp + clockToleranceSeconds <= nowSeconds) return { ok: false, problem: 'LINK_EXPIRED' };
  if (iat - clockToleranceSeconds > nowSeconds) return { ok: false, problem: 'LINK_NOT_YET_VALID' };
  return { ok: true, claims: { id, study, iat, exp } };
}

/** "15m", "2h", "1d", "90s" or plain seconds → seconds; undefined when malformed. */
export function parseTtl(raw: string): number | undefined {
  const m = /^(\d{1,9})([smhd]?)$/.exec(raw.trim());
  if (m === null || m[1] === undefined) return undefined;
  const n = Number(m[1]);
  const unit = m[2] === 'm' ? 60 : m[2] === 'h' ? 3600 : m[2] === 'd' ? 86400 : 1;
  const s = n * unit;
  return s > 0 ? s : undefined;
}
