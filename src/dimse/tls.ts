// DICOM TLS (PS3.15 Annex B): the Non-downgrading BCP 195 TLS Secure Transport Connection Profile
// (B.9): TLS 1.2 or later only, no fallback to plain TCP on the TLS port, and the BCP 195
// (RFC 9325 §4.2) AEAD cipher suites with forward secrecy. The Basic profile's (B.1)
// TLS_RSA_WITH_3DES_EDE_CBC_SHA and the AES profile's (B.3) non-AEAD suites are not offered.
// With a CA configured, peer entity authentication is mutual: a client certificate is required
// and must chain to that CA (PS3.15 B.9 / B.1 "authentication of both entities").

import * as fs from 'node:fs';
import * as tls from 'node:tls';
import { BadRequestError } from '../errors';

/** TLS 1.2 suites of RFC 9325 §4.2 (ECDHE + AES-GCM, ChaCha20-Poly1305); TLS 1.3 suites are all AEAD. */
export const BCP195_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export const TLS_MIN_VERSION = 'TLSv1.2' as const;

/** PEM files of the listener's certificate and key, and the optional CA bundle. */
export interface DimseTlsFiles {
  certFile: string;
  keyFile: string;
  caFile?: string | undefined;
}

/** Key material for outgoing TLS associations (C-MOVE destinations marked `/tls`). */
export interface TlsClientOptions {
  key: Buffer;
  cert: Buffer;
  ca?: Buffer | undefined;
}

export interface LoadedTls {
  server: tls.TlsOptions;
  client: TlsClientOptions;
  /** Client certificates required and verified against the CA. */
  mutual: boolean;
}

/** Reads the PEM files and checks that key and certificate belong together (fails at start). */
export function loadTls(files: DimseTlsFiles, handshakeTimeoutMs: number): LoadedTls {
  let client: TlsClientOptions;
  try {
    client = {
      key: fs.readFileSync(files.keyFile),
      cert: fs.readFileSync(files.certFile),
      ca: files.caFile === undefined ? undefined : fs.readFileSync(files.caFile),
    };
    tls.createSecureContext({ ...client, minVersion: TLS_MIN_VERSION, ciphers: BCP195_CIPHERS });
  } catch (err) {
    throw new BadRequestError('CONFIG_DIMSE_TLS', `DICOM TLS key/certificate/CA cannot be used: ${String(err)}`);
  }
  const mutual = client.ca !== undefined;
  return {
    client,
    mutual,
    server: {
      ...client,
      minVersion: TLS_MIN_VERSION,
      ciphers: BCP195_CIPHERS,
      honorCipherOrder: true,
      requestCert: mutual,
      // Checked in the connection handler (refusedClient), which can log why; Node's own
      // rejection closes the socket without saying.
      rejectUnauthorized: false,
      handshakeTimeout: handshakeTimeoutMs,
    },
  };
}

/** Why a client of a mutual-TLS listener is refused (no or unverified certificate), or null. */
export function refusedClient(socket: tls.TLSSocket, mutual: boolean): string | null {
  if (!mutual || socket.authorized) return null;
  const err: unknown = socket.authorizationError;
  const code = err instanceof Error ? ((err as NodeJS.ErrnoException).code ?? err.message) : String(err);
  const presented = Object.keys(socket.getPeerCertificate()).length > 0;
  return presented ? `client certificate: ${code}` : 'no client certificate';
}

/** Options of an outgoing TLS connection: the peer's certificate is verified (CA or system roots). */
export function clientConnectOptions(opts: TlsClientOptions, host: string, port: number): tls.ConnectionOptions {
  return {
    host,
    port,
    key: opts.key,
    cert: opts.cert,
    ca: opts.ca,
    minVersion: TLS_MIN_VERSION,
    ciphers: BCP195_CIPHERS,
    rejectUnauthorized: true,
    // SNI and host name check by name; an IP literal is checked against the certificate's IP SANs.
    servername: /^[\d.]+$|:/.test(host) ? undefined : host,
  };
}
