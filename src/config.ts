// The one config reader: command-line flags over environment over defaults, validated once and
// frozen. Modules receive the values they need as parameters; nothing else reads process.env. Its DIMSE
// part is config-dimse.ts, the shared value readers config-values.ts (both take the environment as a parameter).

import * as path from 'node:path';
import { readDimse, type DimseConfig } from './config-dimse';
import { readAllowedHosts, readHttpTls, type AllowedHost, type HttpTlsConfig } from './config-http';
import { ConfigError, integer, type ConfigInput } from './config-values';
import type { OverwritePolicy } from './store';

export { ConfigError, type ConfigInput } from './config-values';
export type { AllowedHost, HttpTlsConfig } from './config-http';
export type { DimseAeGrant, DimseAeGrants, DimseConfig, DimsePeerConfig, DimseTlsConfig } from './config-dimse';

export interface Limits {
  /** Largest STOW-RS request body (bytes). */
  maxBodyBytes: number;
  /** Largest single part / imported file (bytes). */
  maxPartBytes: number;
  /** Most parts in one STOW-RS request. */
  maxParts: number;
  /** Longest multipart boundary of a STOW-RS request (RFC 2046's 70 is for senders; Orthanc sends 73). */
  maxBoundaryLength: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Base URL used in every URL the gateway hands out (RetrieveURL, BulkDataURI, Pixel Data Provider URL). */
  publicUrl: string;
  /** True when the public URL was configured; false when derived from host and port. */
  publicUrlExplicit: boolean;
  /** Allowed CORS origins; ['*'] allows any origin (the default without auth; none by default with auth on). */
  corsOrigins: string[];
  limits: Limits;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  dimse: DimseConfig;
  jpip: JpipConfig;
  /** FOVEA_OVERWRITE: a different object under a stored SOP Instance UID is refused ('never', default) or replaces it. */
  overwrite: OverwritePolicy;
  auth: AuthConfig;
  audit: AuditConfig;
  /** HTTPS on the HTTP port (FOVEA_TLS_CERT/KEY), or null for plain HTTP. */
  tls: HttpTlsConfig | null;
  /** FOVEA_ALLOWED_HOSTS: Host values accepted besides the public URL's (the DNS-rebinding guard). */
  allowedHosts: readonly AllowedHost[];
}

/** The audit trail (docs/security.md "Audit trail"). */
export interface AuditConfig {
  /** FOVEA_AUDIT_LOG: the JSON-lines audit log, default <data>/audit.log. */
  logPath: string;
  /** FOVEA_AUDIT_SYSLOG=udp://host:port | tcp://host:port: also send each record as RFC 5424 syslog. */
  syslog: SyslogTarget | undefined;
}

/** Access control (docs/security.md). */
export interface AuthConfig {
  /** 'on': every route but /healthz, /readyz needs a principal (FOVEA_AUTH=on, or OIDC configured);
   *  'off': FOVEA_AUTH=off, anonymous access on any host (warned at every start); 'loopback':
   *  nothing configured, anonymous access allowed only on a loopback host. */
  mode: 'on' | 'off' | 'loopback';
  oidc: OidcConfig | undefined;
  /** FOVEA_LINK_SECRET; undefined = a generated key kept in <data>/link-secret. */
  linkSecret: string | undefined;
  /** Default and longest lifetime of a link token (s). */
  linkTtlSeconds: number;
  linkMaxTtlSeconds: number;
  /** Clock tolerance for exp/nbf/iat of JWTs and link tokens (s). */
  clockToleranceSeconds: number;
}

export interface OidcConfig {
  issuer: string;
  audience: string;
  /** Signing keys: an https URL (http only for a loopback host), or a local JWKS file. */
  jwks: { kind: 'remote'; url: string } | { kind: 'file'; path: string } | undefined;
  /** FOVEA_OIDC_HS256_SECRET: allows HS256 tokens signed with it. */
  hs256Secret: string | undefined;
  /** Claim holding the scopes (default "scope"). */
  scopeClaim: string;
  scopes: { read: string; write: string; admin: string };
}

export interface JpipConfig {
  /** Most live JPIP sessions (Annex B); more get 503. */
  maxSessions: number;
  /** A session idle this long expires (ms). */
  sessionIdleMs: number;
  /** Memory bound of the shared frame-model cache (decoded packet indexes and headers, used by JPIP and rendered images), bytes. */
  indexCacheBytes: number;
  /** Smallest JPIP session response sent chunked to HTTP/1.1 clients, bytes; 0 = always Content-Length. */
  chunkedMinBytes: number;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;

/** True for a host name that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

function nonEmpty(raw: string | undefined): string | undefined {
  const v = raw?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** Where audit records are also sent as RFC 5424 syslog (docs/security.md). */
export interface SyslogTarget {
  protocol: 'udp' | 'tcp';
  host: string;
  port: number;
}

/** Parses FOVEA_AUDIT_SYSLOG: "udp://host:port" or "tcp://host:port" (IPv6 literal in brackets). */
export function parseSyslogTarget(raw: string): SyslogTarget | undefined {
  const m = /^(udp|tcp):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/.exec(raw.trim());
  if (m === null || m[1] === undefined || m[2] === undefined || m[3] === undefined) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  const host = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2];
  return { protocol: m[1] === 'udp' ? 'udp' : 'tcp', host, port };
}

/** FOVEA_AUDIT_LOG, FOVEA_AUDIT_SYSLOG. */
export function readAudit(env: NodeJS.ProcessEnv, dataDir: string): AuditConfig {
  const logRaw = nonEmpty(env['FOVEA_AUDIT_LOG']);
  const syslogRaw = nonEmpty(env['FOVEA_AUDIT_SYSLOG']);
  const syslog = syslogRaw === undefined ? undefined : parseSyslogTarget(syslogRaw);
  if (syslogRaw !== undefined && syslog === undefined)
    throw new ConfigError('CONFIG_BAD_AUDIT_SYSLOG', `FOVEA_AUDIT_SYSLOG must be udp://host:port or tcp://host:port`);
  return Object.freeze({ logPath: path.resolve(logRaw ?? path.join(dataDir, 'audit.log')), syslog });
}

/** FOVEA_AUTH, FOVEA_OIDC_*, FOVEA_LINK_*, FOVEA_AUTH_CLOCK_TOLERANCE_S. */
function readAuth(env: NodeJS.ProcessEnv): AuthConfig {
  const modeRaw = nonEmpty(env['FOVEA_AUTH']);
  if (modeRaw !== undefined && modeRaw !== 'on' && modeRaw !== 'off')
    throw new ConfigError('CONFIG_BAD_AUTH', `FOVEA_AUTH must be "on" or "off", got "${modeRaw}"`);
  const issuer = nonEmpty(env['FOVEA_OIDC_ISSUER']);
  const audience = nonEmpty(env['FOVEA_OIDC_AUDIENCE']);
  const jwksRaw = nonEmpty(env['FOVEA_OIDC_JWKS']);
  const hs256Secret = nonEmpty(env['FOVEA_OIDC_HS256_SECRET']);
  let oidc: OidcConfig | undefined;
  if (issuer !== undefined || audience !== undefined || jwksRaw !== undefined || hs256Secret !== undefined) {
    if (issuer === undefined || audience === undefined)
      throw new ConfigError('CONFIG_OIDC_INCOMPLETE', 'OIDC needs both FOVEA_OIDC_ISSUER and FOVEA_OIDC_AUDIENCE');
    if (jwksRaw === undefined && hs256Secret === undefined)
      throw new ConfigError(
        'CONFIG_OIDC_INCOMPLETE',
        'OIDC needs FOVEA_OIDC_JWKS (URL or file) or FOVEA_OIDC_HS256_SECRET',
      );
    if (hs256Secret !== undefined && Buffer.byteLength(hs256Secret, 'utf8') < 32)
      throw new ConfigError('CONFIG_OIDC_WEAK_SECRET', 'FOVEA_OIDC_HS256_SECRET must be at least 32 bytes');
    let jwks: OidcConfig['jwks'];
    if (jwksRaw !== undefined) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(jwksRaw)) {
        let u: URL;
        try {
          u = new URL(jwksRaw);
        } catch {
          throw new ConfigError('CONFIG_OIDC_BAD_JWKS', `FOVEA_OIDC_JWKS is not a valid URL: "${jwksRaw}"`);
        }
        if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname)))
          throw new ConfigError(
            'CONFIG_OIDC_BAD_JWKS',
            'FOVEA_OIDC_JWKS must be an https URL (http only on a loopback host)',
          );
        jwks = { kind: 'remote', url: u.toString() };
      } else {
        jwks = { kind: 'file', path: path.resolve(jwksRaw) };
      }
    }
    oidc = Object.freeze({
      issuer,
      audience,
      jwks,
      hs256Secret,
      scopeClaim: nonEmpty(env['FOVEA_OIDC_SCOPE_CLAIM']) ?? 'scope',
      scopes: Object.freeze({
        read: nonEmpty(env['FOVEA_OIDC_SCOPE_READ']) ?? 'fovea:read',
        write: nonEmpty(env['FOVEA_OIDC_SCOPE_WRITE']) ?? 'fovea:write',
        admin: nonEmpty(env['FOVEA_OIDC_SCOPE_ADMIN']) ?? 'fovea:admin',
      }),
    });
  }
  const linkSecret = nonEmpty(env['FOVEA_LINK_SECRET']);
  if (linkSecret !== undefined && Buffer.byteLength(linkSecret, 'utf8') < 32)
    throw new ConfigError('CONFIG_WEAK_LINK_SECRET', 'FOVEA_LINK_SECRET must be at least 32 bytes');
  const mode = modeRaw === 'off' ? 'off' : modeRaw === 'on' || oidc !== undefined ? 'on' : 'loopback';
  const linkMaxTtlSeconds = integer('link max TTL seconds', env['FOVEA_LINK_MAX_TTL_S'], 7 * 86400, 1, 365 * 86400);
  return Object.freeze({
    mode,
    oidc,
    linkSecret,
    linkTtlSeconds: integer('link TTL seconds', env['FOVEA_LINK_TTL_S'], 900, 1, linkMaxTtlSeconds),
    linkMaxTtlSeconds,
    clockToleranceSeconds: integer('auth clock tolerance seconds', env['FOVEA_AUTH_CLOCK_TOLERANCE_S'], 30, 0, 600),
  });
}

/**
 * The loopback rule (docs/security.md): without an auth configuration Fovea serves only on a
 * loopback host; any other host needs auth on, or FOVEA_AUTH=off said explicitly. Returns the
 * warning to log at every start, if any.
 */
export function checkExposure(config: Readonly<Config>): string | undefined {
  if (config.auth.mode === 'off')
    return 'FOVEA_AUTH=off: every route is open to anyone who reaches this server, without authentication';
  if (config.auth.mode === 'loopback' && !isLoopbackHost(config.host))
    throw new ConfigError(
      'CONFIG_AUTH_REQUIRED',
      `refusing to serve on non-loopback host "${config.host}" without authentication: configure OIDC ` +
        '(FOVEA_OIDC_ISSUER, FOVEA_OIDC_AUDIENCE, FOVEA_OIDC_JWKS) or FOVEA_AUTH=on (API keys, links), ' +
        'or set FOVEA_AUTH=off to serve without authentication (see docs/security.md)',
    );
  return undefined;
}

/** http(s)://host:port, with IPv6 literals bracketed and the wildcard address replaced by loopback. */
export function defaultPublicUrl(host: string, port: number, https = false): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `${https ? 'https' : 'http'}://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
const OVERWRITE_POLICIES = ['never', 'always'] as const;

/** Builds the configuration from flags (first) and environment variables FOVEA_* (second). */
export function readConfig(flags: ConfigInput, env: NodeJS.ProcessEnv): Readonly<Config> {
  const port = integer('port', flags.port ?? env['FOVEA_PORT'], 8080, 0, 65535);
  const host = flags.host ?? env['FOVEA_HOST'] ?? '127.0.0.1';
  if (host.length === 0) throw new ConfigError('CONFIG_BAD_HOST', 'host must not be empty');
  const dataDir = path.resolve(flags.data ?? env['FOVEA_DATA'] ?? './data');
  const tls = readHttpTls(env);
  const explicitUrl = flags.publicUrl ?? env['FOVEA_PUBLIC_URL'];
  const rawUrl = explicitUrl ?? defaultPublicUrl(host, port, tls !== null);
  let publicUrl: string;
  try {
    const u = new URL(rawUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    publicUrl = u.toString().replace(/\/+$/, '');
  } catch {
    throw new ConfigError('CONFIG_BAD_PUBLIC_URL', `public URL must be an absolute http(s) URL, got "${rawUrl}"`);
  }
  const auth = readAuth(env);
  // No "*" default once auth is on: cross-origin callers are listed in FOVEA_CORS_ORIGINS.
  const corsOrigins = (flags.corsOrigins ?? env['FOVEA_CORS_ORIGINS'] ?? (auth.mode === 'on' ? '' : '*'))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const logLevelRaw = flags.logLevel ?? env['FOVEA_LOG_LEVEL'] ?? 'info';
  const logLevel = LOG_LEVELS.find((l) => l === logLevelRaw);
  if (logLevel === undefined)
    throw new ConfigError('CONFIG_BAD_LOG_LEVEL', `log level must be one of ${LOG_LEVELS.join(', ')}`);
  const overwriteRaw = flags.overwrite ?? env['FOVEA_OVERWRITE'] ?? 'never';
  const overwrite = OVERWRITE_POLICIES.find((p) => p === overwriteRaw);
  if (overwrite === undefined)
    throw new ConfigError(
      'CONFIG_BAD_OVERWRITE',
      `overwrite policy must be one of ${OVERWRITE_POLICIES.join(', ')}, got "${overwriteRaw}"`,
    );
  const limits: Limits = {
    maxBodyBytes: integer(
      'max body bytes',
      flags.maxBodyBytes ?? env['FOVEA_MAX_BODY_BYTES'],
      8 * 1024 ** 3,
      1024,
      2 ** 50,
    ),
    maxPartBytes: integer(
      'max part bytes',
      flags.maxPartBytes ?? env['FOVEA_MAX_PART_BYTES'],
      4 * 1024 ** 3,
      1024,
      2 ** 50,
    ),
    maxParts: integer('max parts', flags.maxParts ?? env['FOVEA_MAX_PARTS'], 10000, 1, 1_000_000),
    maxBoundaryLength: integer('max boundary length', env['FOVEA_MAX_BOUNDARY_LENGTH'], 256, 70, 8192),
  };
  const dimse = readDimse(flags, env);
  const jpip: JpipConfig = Object.freeze({
    maxSessions: integer('JPIP max sessions', env['FOVEA_JPIP_MAX_SESSIONS'], 256, 1, 1_000_000),
    sessionIdleMs: integer('JPIP session idle seconds', env['FOVEA_JPIP_SESSION_IDLE_S'], 600, 1, 7 * 24 * 3600) * 1000,
    indexCacheBytes: integer('frame-model cache MiB', env['FOVEA_JPIP_INDEX_CACHE_MB'], 64, 1, 1 << 20) * 1024 * 1024,
    chunkedMinBytes: integer('JPIP chunked minimum KiB', env['FOVEA_JPIP_CHUNKED_MIN_KB'], 0, 0, 1 << 30) * 1024,
  });
  return Object.freeze({
    port,
    host,
    dataDir,
    audit: readAudit(env, dataDir),
    publicUrl,
    publicUrlExplicit: explicitUrl !== undefined,
    corsOrigins,
    limits: Object.freeze(limits),
    logLevel,
    dimse,
    jpip,
    overwrite,
    auth,
    tls,
    allowedHosts: readAllowedHosts(env),
  });
}
