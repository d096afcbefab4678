// Who is asking, as every access-control decision sees it (HTTP today; DIMSE, the audit trail and
// the overwrite policy use the same type). A principal is authenticated by exactly one mechanism:
// an OIDC bearer JWT, an API key, a study-scoped link token, or nothing (anonymous, only where the
// deployment allows it: a loopback host or FOVEA_AUTH=off). No express, no SQL, no env here.

/** The three permissions of Fovea (docs/security.md): read = query, retrieve, rendered, JPIP;
 *  write = STOW-RS and import; admin = delete, keys, links, audit (and implies read and write). */
export type Permission = 'read' | 'write' | 'admin';
export const PERMISSIONS: readonly Permission[] = ['read', 'write', 'admin'];

export type PrincipalKind = 'oidc' | 'key' | 'link' | 'anonymous';

export interface Principal {
  kind: PrincipalKind;
  /** Stable identity string, unique across kinds: "oidc:<iss>#<sub>", "key:<name>", "link:<id>",
   *  "anonymous". JPIP channels are owned by it; audit records name it. */
  id: string;
  permissions: ReadonlySet<Permission>;
  /** OIDC: the token's `sub`. */
  subject?: string;
  /** OIDC: `client_id` (or `azp`) of the token, when present. */
  clientId?: string;
  /** OIDC: issuer (`iss`). */
  issuer?: string;
  /** API key: its name. */
  keyName?: string;
  /** Link token: its id (revocable with `fovea link revoke ID`). */
  linkId?: string;
  /** Link token: the one study (StudyInstanceUID) it grants read of. Undefined = every study. */
  study?: string;
  /** OIDC `jti` (or the link id): for the audit trail. */
  tokenId?: string;
  /** Expiry of the credential (ms since epoch), when it has one. */
  expiresAt?: number;
}

export const ANONYMOUS: Principal = Object.freeze({
  kind: 'anonymous',
  id: 'anonymous',
  permissions: new Set<Permission>(PERMISSIONS),
});

/** True when `p` may do what `needed` names; admin implies read and write. */
export function hasPermission(p: Principal, needed: Permission): boolean {
  return p.permissions.has(needed) || p.permissions.has('admin');
}

/** Parses "read,write" (CLI) into permissions; unknown words are reported. */
export function parsePermissions(raw: string): { permissions: Permission[]; unknown: string[] } {
  const permissions: Permission[] = [];
  const unknown: string[] = [];
  for (const word of raw
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter((w) => w.length > 0)) {
    const p = PERMISSIONS.find((x) => x === word);
    if (p === undefined) unknown.push(word);
    else if (!permissions.includes(p)) permissions.push(p);
  }
  return { permissions, unknown };
}
