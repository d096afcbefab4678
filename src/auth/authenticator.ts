// Turns a presented bearer credential into a Principal, or throws UnauthenticatedError. The kind is
// told by the prefix: "fovea_k_" API key, "fovea_l_" link token, anything else an OIDC JWT (only
// when OIDC is configured). No express: the HTTP middleware (src/http/auth.ts) extracts the
// credential and calls this; the CLI uses the same issuing functions.

import type { CredentialStore } from '../store';
import { hashApiKey, isWellFormedApiKey, looksLikeApiKey, sameHash } from './api-keys';
import { UnauthenticatedError } from './errors';
import { looksLikeLinkToken, newLinkId, signLinkToken, verifyLinkToken } from './link-tokens';
import type { OidcVerifier } from './oidc';
import { PERMISSIONS, type Permission, type Principal } from './principal';

export interface AuthenticatorDeps {
  credentials: CredentialStore;
  linkSecret: Uint8Array;
  oidc: OidcVerifier | undefined;
  clockToleranceSeconds: number;
  now?: () => number;
}

export interface IssuedLink {
  token: string;
  id: string;
  study: string;
  /** Expiry, ms since the Unix epoch. */
  expires: number;
}

const invalid = (code: string, message: string): UnauthenticatedError =>
  new UnauthenticatedError(code, message, 'invalid_token');

/** A key's last-used time is written at most this often (ms). */
const TOUCH_INTERVAL_MS = 60_000;

export class Authenticator {
  private readonly now: () => number;
  constructor(private readonly deps: AuthenticatorDeps) {
    this.now = deps.now ?? Date.now;
  }

  async authenticate(credential: string): Promise<Principal> {
    if (looksLikeApiKey(credential)) return this.apiKey(credential);
    if (looksLikeLinkToken(credential)) return this.link(credential);
    if (this.deps.oidc === undefined)
      throw invalid('AUTH_TOKEN_UNKNOWN_KIND', 'the bearer token is neither an API key nor a link token');
    return this.deps.oidc.verify(credential);
  }

  private apiKey(key: string): Principal {
    if (!isWellFormedApiKey(key)) throw invalid('AUTH_KEY_MALFORMED', 'the API key is malformed');
    const hash = hashApiKey(key);
    const rec = this.deps.credentials.apiKeyByHash(hash);
    if (rec === undefined || !sameHash(rec.keyHash, hash))
      throw invalid('AUTH_KEY_UNKNOWN', 'the API key is not known');
    if (rec.revokedAt !== null) throw invalid('AUTH_KEY_REVOKED', 'the API key has been revoked');
    const now = this.now();
    if (rec.lastUsedAt === null || now - rec.lastUsedAt >= TOUCH_INTERVAL_MS)
      this.deps.credentials.touchApiKey(rec.name, now);
    const permissions = new Set<Permission>(PERMISSIONS.filter((p) => rec.permissions.includes(p)));
    return { kind: 'key', id: `key:${rec.name}`, keyName: rec.name, permissions };
  }

  private link(token: string): Principal {
    const r = verifyLinkToken(
      this.deps.linkSecret,
      token,
      Math.floor(this.now() / 1000),
      this.deps.clockToleranceSeconds,
    );
    if (!r.ok) {
      const message =
        r.problem === 'LINK_EXPIRED'
          ? 'the link has expired'
          : r.problem === 'LINK_BAD_SIGNATURE'
            ? 'the link signature does not verify'
            : r.problem === 'LINK_NOT_YET_VALID'
              ? 'the link is not valid yet'
              : 'the link token is malformed';
      throw invalid(`AUTH_${r.problem}`, message);
    }
    const stored = this.deps.credentials.link(r.claims.id);
    if (stored?.revokedAt != null) throw invalid('AUTH_LINK_REVOKED', 'the link has been revoked');
    return {
      kind: 'link',
      id: `link:${r.claims.id}`,
      linkId: r.claims.id,
      study: r.claims.study,
      tokenId: r.claims.id,
      expiresAt: r.claims.exp * 1000,
      permissions: new Set<Permission>(['read']),
    };
  }

  /** Signs and records a link granting read of `study` for `ttlSeconds`. */
  issueLink(study: string, ttlSeconds: number): IssuedLink {
    const nowMs = this.now();
    const iat = Math.floor(nowMs / 1000);
    const id = newLinkId();
    const exp = iat + ttlSeconds;
    const token = signLinkToken(this.deps.linkSecret, { id, study, iat, exp });
    this.deps.credentials.addLink({
      linkId: id,
      studyInstanceUid: study,
      expiresAt: exp * 1000,
      createdAt: nowMs,
      revokedAt: null,
    });
    return { token, id, study, expires: exp * 1000 };
  }
}
