// The DNS-rebinding guard (docs/security.md "Host header guard"): a page on an attacker's domain
// whose name is re-pointed at this server's address still sends its own name in `Host`
// (RFC 9110 §7.2), so a request is served only when Host names this server: the public URL's
// host and port, a configured FOVEA_ALLOWED_HOSTS entry, or (listening on loopback or the
// wildcard address) a loopback name with the bound port; a browser sends a loopback name only for
// a page that is itself on loopback, never for a rebound foreign name. Anything else is
// MisdirectedRequestError, which error-map.ts turns into 421 Misdirected Request
// (RFC 9110 §15.5.20). /healthz and /readyz answer whatever the Host: a load balancer probes by
// IP address.

import type { RequestHandler } from 'express';
import { MisdirectedRequestError } from './http-errors';

/** A Host value a rule accepts: name lower case (IPv6 in brackets), port undefined = any. */
export interface HostRule {
  name: string;
  port?: number | undefined;
}

export interface HostGuardOptions {
  /** The base URL handed out; its host and port are always accepted. */
  publicUrl: string;
  /** FOVEA_ALLOWED_HOSTS. */
  allowedHosts: readonly HostRule[];
  /** Set when the server listens on a loopback (or the wildcard) address: localhost, 127.0.0.1,
   *  [::1] (and that address) with this port are accepted. */
  loopback?: { host: string; port: number } | undefined;
}

/** Paths answered for any Host (probes by IP address). */
const OPEN_PATHS = new Set(['/healthz', '/readyz']);

const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?\.?)(?::(\d{1,5}))?$/i;

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

/** The accepted Host values of a server. */
export function hostRules(options: HostGuardOptions): { rules: HostRule[]; defaultPort: number } {
  const u = new URL(options.publicUrl);
  const dflt = defaultPort(u.protocol);
  const rules: HostRule[] = [
    { name: u.hostname.toLowerCase(), port: u.port === '' ? dflt : Number(u.port) },
    ...options.allowedHosts,
  ];
  if (options.loopback !== undefined) {
    const own = options.loopback.host.includes(':') ? `[${options.loopback.host}]` : options.loopback.host;
    for (const name of new Set(['localhost', '127.0.0.1', '[::1]', own.toLowerCase()]))
      rules.push({ name, port: options.loopback.port });
  }
  return { rules, defaultPort: dflt };
}

/** True when the Host header value is accepted. A Host without a port means the public URL
 *  scheme's default port (80 or 443). */
export function hostAllowed(host: string | undefined, rules: readonly HostRule[], dfltPort: number): boolean {
  if (host === undefined) return false;
  const m = HOST.exec(host);
  if (m === null || m[1] === undefined) return false;
  const name = m[1].toLowerCase().replace(/\.$/, '');
  const port = m[2] === undefined ? dfltPort : Number(m[2]);
  return rules.some((r) => r.name === name && (r.port === undefined || r.port === port));
}

/** Express middleware: refuses a request whose Host names another server (421 via error-map.ts). */
export function hostGuard(options: HostGuardOptions): RequestHandler {
  const { rules, defaultPort: dflt } = hostRules(options);
  return (req, _res, next) => {
    if (OPEN_PATHS.has(req.path) || hostAllowed(req.headers.host, rules, dflt)) {
      next();
      return;
    }
    // The Host value is not echoed: it is attacker-chosen text.
    next(
      new MisdirectedRequestError(
        'HTTP_MISDIRECTED_HOST',
        'this server does not answer for the Host of the request; use its public URL (see FOVEA_ALLOWED_HOSTS)',
      ),
    );
  };
}
