// The DIMSE part of the one config reader (called by config.ts): the AE title, calling AEs bound
// to addresses, store and query rights, C-MOVE destinations and DICOM TLS (PS3.15 B.9), from
// flags over the environment passed in. It never reads process.env itself.

import { isIP } from 'node:net';
import * as path from 'node:path';
import { ConfigError, integer, type ConfigInput } from './config-values';

export interface DimsePeerConfig {
  aeTitle: string;
  host: string;
  port: number;
  /** Associations to this peer use DICOM TLS (PS3.15 B.9). */
  tls: boolean;
}

/** An AE title, optionally bound to the address (IP or CIDR network) it must connect from. */
export interface DimseAeGrant {
  aeTitle: string;
  /** IPv4/IPv6 address or network ("10.1.2.0/24"); undefined = any address. */
  from?: string | undefined;
}

/** A list of grants, or 'any' (no restriction beyond the ones applied before). */
export type DimseAeGrants = readonly DimseAeGrant[] | 'any';

/** DICOM TLS of the DIMSE listener and of outgoing TLS associations (PEM files). */
export interface DimseTlsConfig {
  certFile: string;
  keyFile: string;
  /** CA bundle: client certificates are then required and verified; also verifies TLS peers. */
  caFile?: string | undefined;
}

export interface DimseConfig {
  /** 0 disables the DICOM listener. */
  port: number;
  aeTitle: string;
  /** Calling AEs allowed to associate (bound to addresses or not), or 'any'. */
  acceptedCallingAeTitles: DimseAeGrants;
  /** Of the accepted calling AEs, those whose C-STORE requests are served ('any' = all accepted). */
  storeAeTitles: DimseAeGrants;
  /** Of the accepted calling AEs, those whose C-FIND/C-MOVE/C-GET requests are served. */
  queryAeTitles: DimseAeGrants;
  /** When set the DIMSE port speaks DICOM TLS only (no plain TCP). */
  tls: DimseTlsConfig | null;
  /** Known peers, destinations of C-MOVE. */
  peers: DimsePeerConfig[];
  /** Concurrent TCP connections to the DIMSE port, associated or not. */
  maxAssociations: number;
  /** Of those, from one remote address. */
  maxAssociationsPerAddress: number;
  /** ARTIM (PS3.8 §9.1.5): TCP accept to A-ASSOCIATE-RQ, and the close linger. */
  artimMs: number;
  /** An association with no traffic either way for this long is aborted. */
  idleMs: number;
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

/** `AE`, `AE@10.1.2.3` or `AE@10.1.2.0/24` (IPv6 too); the address part follows the last '@'. */
function aeGrant(name: string, raw: string): DimseAeGrant {
  const at = raw.lastIndexOf('@');
  if (at < 0) return { aeTitle: aeTitle(name, raw) };
  const from = raw.slice(at + 1).trim();
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(from);
  const family = m?.[1] === undefined ? 0 : isIP(m[1]);
  const prefix = m?.[2] === undefined ? undefined : Number(m[2]);
  if (family === 0 || (prefix !== undefined && prefix > (family === 4 ? 32 : 128)))
    throw new ConfigError(
      'CONFIG_BAD_AE_ADDRESS',
      `${name} address must be an IP address or CIDR network, got "${from}"`,
    );
  return { aeTitle: aeTitle(name, raw.slice(0, at)), from };
}

/** Unset, empty or '*' = any; 'none' = nobody; else a comma list of grants. */
function aeGrants(name: string, raw: string | undefined): DimseAeGrants {
  const v = raw?.trim() ?? '';
  if (v === '' || v === '*') return 'any';
  if (v.toLowerCase() === 'none') return Object.freeze([]);
  return Object.freeze(v.split(',').map((a) => Object.freeze(aeGrant(name, a))));
}

function dimseTls(env: NodeJS.ProcessEnv): DimseTlsConfig | null {
  const [certFile, keyFile, caFile] = ['CERT', 'KEY', 'CA'].map((k) => {
    const v = env[`FOVEA_DIMSE_TLS_${k}`]?.trim();
    return v === undefined || v === '' ? undefined : path.resolve(v);
  });
  if (certFile === undefined && keyFile === undefined && caFile === undefined) return null;
  if (certFile === undefined || keyFile === undefined)
    throw new ConfigError('CONFIG_DIMSE_TLS', 'DICOM TLS needs both FOVEA_DIMSE_TLS_CERT and FOVEA_DIMSE_TLS_KEY');
  return Object.freeze({ certFile, keyFile, caFile });
}

/** DIMSE settings: FOVEA_DIMSE_PORT (default 11112, 0 = off), FOVEA_AE_TITLE (FOVEA),
 *  FOVEA_DIMSE_CALLING_AETS (grants, default any), FOVEA_DIMSE_STORE_AETS / FOVEA_DIMSE_QUERY_AETS
 *  (default: every accepted calling AE), FOVEA_DIMSE_TLS_CERT/KEY/CA, and
 *  FOVEA_DIMSE_PEERS ("AE@host:port[/tls],..."), and the abuse limits FOVEA_DIMSE_MAX_ASSOCIATIONS
 *  (32), FOVEA_DIMSE_MAX_ASSOCIATIONS_PER_ADDRESS (8, at most the former), FOVEA_DIMSE_ARTIM_S (10)
 *  and FOVEA_DIMSE_IDLE_S (60). */
export function readDimse(flags: ConfigInput, env: NodeJS.ProcessEnv): DimseConfig {
  const port = integer('DIMSE port', flags.dimsePort ?? env['FOVEA_DIMSE_PORT'], 11112, 0, 65535);
  const ae = aeTitle('AE title', flags.aeTitle ?? env['FOVEA_AE_TITLE'] ?? 'FOVEA');
  const calling = aeGrants('calling AE title', flags.callingAeTitles ?? env['FOVEA_DIMSE_CALLING_AETS']);
  const storeAes = aeGrants('store AE title', flags.storeAeTitles ?? env['FOVEA_DIMSE_STORE_AETS']);
  const queryAes = aeGrants('query AE title', flags.queryAeTitles ?? env['FOVEA_DIMSE_QUERY_AETS']);
  const tls = dimseTls(env);
  const peersRaw = flags.peers ?? env['FOVEA_DIMSE_PEERS'] ?? '';
  const peers: DimsePeerConfig[] = [];
  for (const item of peersRaw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)) {
    const m = /^([^@]+)@(.+):(\d+)(\/tls)?$/.exec(item);
    if (m === null || m[1] === undefined || m[2] === undefined || m[3] === undefined) {
      throw new ConfigError('CONFIG_BAD_PEER', `peer must look like AE@host:port or AE@host:port/tls, got "${item}"`);
    }
    if (m[4] !== undefined && tls === null)
      throw new ConfigError('CONFIG_DIMSE_TLS', `peer "${item}" uses TLS: set FOVEA_DIMSE_TLS_CERT and _KEY`);
    peers.push({
      aeTitle: aeTitle('peer AE title', m[1]),
      host: m[2],
      port: integer('peer port', m[3], 0, 1, 65535),
      tls: m[4] !== undefined,
    });
  }
  const maxAssociations = integer('DIMSE max associations', env['FOVEA_DIMSE_MAX_ASSOCIATIONS'], 32, 1, 100_000);
  const perAddress = integer(
    'DIMSE max associations per address',
    env['FOVEA_DIMSE_MAX_ASSOCIATIONS_PER_ADDRESS'],
    Math.min(8, maxAssociations),
    1,
    maxAssociations,
  );
  return Object.freeze({
    maxAssociations,
    maxAssociationsPerAddress: perAddress,
    artimMs: integer('DIMSE ARTIM seconds', env['FOVEA_DIMSE_ARTIM_S'], 10, 1, 3600) * 1000,
    idleMs: integer('DIMSE idle seconds', env['FOVEA_DIMSE_IDLE_S'], 60, 1, 7 * 24 * 3600) * 1000,
    port,
    aeTitle: ae,
    acceptedCallingAeTitles: calling,
    storeAeTitles: storeAes,
    queryAeTitles: queryAes,
    tls,
    peers: Object.freeze(peers) as DimsePeerConfig[],
  });
}
