// API keys (docs/security.md): "fovea_k_" + 32 random bytes in base64url. Only the SHA-256 of the
// whole key is stored; the key itself is printed once by `fovea key create`. Pure functions.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_PREFIX = 'fovea_k_';
const API_KEY = /^fovea_k_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** True when the key has the exact shape generateApiKey makes (checked before hashing). */
export function isWellFormedApiKey(token: string): boolean {
  return API_KEY.test(token);
}

/** Hex SHA-256 of the key: what the store keeps and looks up. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests of equal length. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
