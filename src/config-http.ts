// The HTTP-edge part of the one config reader (called by config.ts): HTTPS served directly
// (FOVEA_TLS_CERT / FOVEA_TLS_KEY, FOVEA_HSTS_MAX_AGE_S) and the Host header guard's extra names
// (FOVEA_ALLOWED_HOSTS), from the environment passed in. It never reads process.env itself; the
// PEM files are read (and key and certificate matched) when the server starts (src/server.ts).

import * as path from 'node:path';
import { ConfigError, integer } from './config-values';

/** HTTPS on the HTTP port (docs/security.md "HTTPS"). */
export interface HttpTlsConfig {
  certFile: string;
  keyFile: string;
  /** Strict-Transport-Security max-age (RFC 6797 §6.1.1), seconds; 0 = no header. */
  hstsMaxAgeSeconds: number;
}

/** One allowed Host header value: a name (lower case, IPv6 bracketed) and an optional port. */
export interface AllowedHost {
  name: string;
  /** undefined = any port. */
  port?: number | undefined;
}

/** `name`, `name:port`, `[v6]` or `[v6]:port` (RFC 9110 §7.2 uri-host [ ":" port ]); undefined if not one. */
export function parseHostPort(raw: string): AllowedHost | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?\.?)(?::(\d{1,5}))?$/i.exec(raw.trim());
  if (m === null || m[1] === undefined) return undefined;
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { name: m[1].toLowerCase().replace(/\.$/, ''), port };
}

/** FOVEA_TLS_CERT + FOVEA_TLS_KEY (PEM paths, both or neither) and FOVEA_HSTS_MAX_AGE_S (default one year). */
export function readHttpTls(env: NodeJS.ProcessEnv): HttpTlsConfig | null {
  const [certFile, keyFile] = ['FOVEA_TLS_CERT', 'FOVEA_TLS_KEY'].map((k) => {
    const v = env[k]?.trim();
    return v === undefined || v === '' ? undefined : path.resolve(v);
  });
  if (certFile === undefined && keyFile === undefined) return null;
  if (certFile === undefined || keyFile === undefined)
    throw new ConfigError('CONFIG_HTTP_TLS', 'HTTPS needs both FOVEA_TLS_CERT and FOVEA_TLS_KEY');
  const hstsMaxAgeSeconds = integer('HSTS max-age seconds', env['FOVEA_HSTS_MAX_AGE_S'], 31_536_000, 0, 2 ** 31 - 1);
  return Object.freeze({ certFile, keyFile, hstsMaxAgeSeconds });
}

/** FOVEA_ALLOWED_HOSTS: comma-separated Host values accepted besides the public URL's host. */
export function readAllowedHosts(env: NodeJS.ProcessEnv): readonly AllowedHost[] {
  const out: AllowedHost[] = [];
  for (const item of (env['FOVEA_ALLOWED_HOSTS'] ?? '').split(',').map((s) => s.trim())) {
    if (item === '') continue;
    const h = parseHostPort(item);
    if (h === undefined)
      throw new ConfigError(
        'CONFIG_BAD_ALLOWED_HOST',
        `FOVEA_ALLOWED_HOSTS entries must look like host or host:port, got "${item}"`,
      );
    out.push(Object.freeze(h));
  }
  return Object.freeze(out);
}
