// The one config reader: command-line flags over environment over defaults, validated once and
// frozen. Modules receive the values they need as parameters; nothing else reads process.env.

import * as path from 'node:path';
import { BadRequestError } from './errors';
import type { OverwritePolicy } from './store';

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
  /** Allowed CORS origins; ['*'] allows any origin. */
  corsOrigins: string[];
  limits: Limits;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  dimse: DimseConfig;
  jpip: JpipConfig;
  /** FOVEA_OVERWRITE: a different object under a stored SOP Instance UID is refused ('never', default) or replaces it. */
  overwrite: OverwritePolicy;
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

export interface DimsePeerConfig {
  aeTitle: string;
  host: string;
  port: number;
}

export interface DimseConfig {
  /** 0 disables the DICOM listener. */
  port: number;
  aeTitle: string;
  /** Calling AE titles allowed to associate, or 'any'. */
  acceptedCallingAeTitles: string[] | 'any';
  /** Known peers, destinations of C-MOVE. */
  peers: DimsePeerConfig[];
}

export interface ConfigInput {
  port?: string | undefined;
  host?: string | undefined;
  data?: string | undefined;
  publicUrl?: string | undefined;
  corsOrigins?: string | undefined;
  maxBodyBytes?: string | undefined;
  maxPartBytes?: string | undefined;
  maxParts?: string | undefined;
  logLevel?: string | undefined;
  dimsePort?: string | undefined;
  aeTitle?: string | undefined;
  callingAeTitles?: string | undefined;
  peers?: string | undefined;
  overwrite?: string | undefined;
}

/** Thrown for invalid configuration; the CLI maps it to exit code 2. */
export class ConfigError extends BadRequestError {}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError('CONFIG_NOT_INTEGER', `${name} must be a whole number, got "${raw}"`);
  const v = Number(raw);
  if (v < min || v > max)
    throw new ConfigError('CONFIG_OUT_OF_RANGE', `${name} must be between ${min} and ${max}, got ${v}`);
  return v;
}

const AE_TITLE = /^[\x20-\x5b\x5d-\x7e]{1,16}$/;

function aeTitle(name: string, raw: string): string {
  const v = raw.trim();
  if (!AE_TITLE.test(v))
    throw new ConfigError(
      'CONFIG_BAD_AE_TITLE',
      `${name} must be 1-16 printable characters without backslash, got "${raw}"`,
    );
  return v;
}

/** DIMSE settings: FOVEA_DIMSE_PORT (default 11112, 0 = off), FOVEA_AE_TITLE (FOVEA),
 *  FOVEA_DIMSE_CALLING_AETS (comma list, default any), FOVEA_DIMSE_PEERS ("AE@host:port,..."). */
function readDimse(flags: ConfigInput, env: NodeJS.ProcessEnv): DimseConfig {
  const port = integer('DIMSE port', flags.dimsePort ?? env['FOVEA_DIMSE_PORT'], 11112, 0, 65535);
  const ae = aeTitle('AE title', flags.aeTitle ?? env['FOVEA_AE_TITLE'] ?? 'FOVEA');
  const callingRaw = flags.callingAeTitles ?? env['FOVEA_DIMSE_CALLING_AETS'];
  const calling =
    callingRaw === undefined || callingRaw.trim() === '' || callingRaw.trim() === '*'
      ? ('any' as const)
      : callingRaw.split(',').map((a) => aeTitle('calling AE title', a));
  const peersRaw = flags.peers ?? env['FOVEA_DIMSE_PEERS'] ?? '';
  const peers: DimsePeerConfig[] = [];
  for (const item of peersRaw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)) {
    const m = /^([^@]+)@(.+):(\d+)$/.exec(item);
    if (m === null || m[1] === undefined || m[2] === undefined || m[3] === undefined) {
      throw new ConfigError('CONFIG_BAD_PEER', `peer must look like AE@host:port, got "${item}"`);
    }
    peers.push({ aeTitle: aeTitle('peer AE title', m[1]), host: m[2], port: integer('peer port', m[3], 0, 1, 65535) });
  }
  return Object.freeze({
    port,
    aeTitle: ae,
    acceptedCallingAeTitles: calling,
    peers: Object.freeze(peers) as DimsePeerConfig[],
  });
}

/** http://host:port, with IPv6 literals bracketed and the wildcard address replaced by loopback. */
export function defaultPublicUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
const OVERWRITE_POLICIES = ['never', 'always'] as const;

/** Builds the configuration from flags (first) and environment variables FOVEA_* (second). */
export function readConfig(flags: ConfigInput, env: NodeJS.ProcessEnv): Readonly<Config> {
  const port = integer('port', flags.port ?? env['FOVEA_PORT'], 8080, 0, 65535);
  const host = flags.host ?? env['FOVEA_HOST'] ?? '127.0.0.1';
  if (host.length === 0) throw new ConfigError('CONFIG_BAD_HOST', 'host must not be empty');
  const dataDir = path.resolve(flags.data ?? env['FOVEA_DATA'] ?? './data');
  const explicitUrl = flags.publicUrl ?? env['FOVEA_PUBLIC_URL'];
  const rawUrl = explicitUrl ?? defaultPublicUrl(host, port);
  let publicUrl: string;
  try {
    const u = new URL(rawUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    publicUrl = u.toString().replace(/\/+$/, '');
  } catch {
    throw new ConfigError('CONFIG_BAD_PUBLIC_URL', `public URL must be an absolute http(s) URL, got "${rawUrl}"`);
  }
  const corsOrigins = (flags.corsOrigins ?? env['FOVEA_CORS_ORIGINS'] ?? '*')
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
    publicUrl,
    publicUrlExplicit: explicitUrl !== undefined,
    corsOrigins,
    limits: Object.freeze(limits),
    logLevel,
    dimse,
    jpip,
    overwrite,
  });
}
