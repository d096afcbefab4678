// Composition root: the one place that builds the store, codecs, ingest pipeline, retrieve
// service and HTTP app from the configuration, and starts listening.

import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import * as path from 'node:path';
import {
  Authenticator,
  createOidcVerifier,
  loadOrCreateLinkSecret,
  studyScopedStore,
  type JwksSource,
  type JWK,
  type OidcVerifier,
} from './auth';
import { AuditTrail } from './audit';
import {
  checkExposure,
  ConfigError,
  defaultPublicUrl,
  isLoopbackHost,
  type Config,
  type HttpTlsConfig,
  type OidcConfig,
} from './config';
import { createLogger, type Logger } from './log';
import { openStore, type OpenedStore } from './store';
import { loadCodecs } from './codec';
import { createIngestor, backfillPacketIndexes } from './ingest';
import { createRetrieveService } from './retrieve';
import { FrameModelCache, FrameRenderer } from './frames';
import { JpipService } from './jpip-service';
import { createApp, createJpipRouter } from './http';
import { BCP195_CIPHERS, startDimse, TLS_MIN_VERSION, type RunningDimse } from './dimse';
import type { Ingestor } from './ingest';
import type { RetrieveService } from './retrieve';

export interface Gateway {
  config: Readonly<Config>;
  store: OpenedStore;
  ingestor: Ingestor;
  retrieve: RetrieveService;
  logger: Logger;
  app: ReturnType<typeof createApp>;
  /** Verifies credentials and issues links (also used by the CLI's key and link commands). */
  authenticator: Authenticator;
  /** The audit trail (docs/security.md "Audit trail"), shared by HTTP and DIMSE. */
  audit: AuditTrail;
  close(): Promise<void>;
}

function oidcVerifier(oidc: OidcConfig | undefined, clockToleranceSeconds: number): OidcVerifier | undefined {
  if (oidc === undefined) return undefined;
  let jwks: JwksSource | undefined;
  if (oidc.jwks?.kind === 'remote') jwks = { kind: 'remote', url: oidc.jwks.url };
  else if (oidc.jwks?.kind === 'file') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(oidc.jwks.path, 'utf8'));
    } catch (cause) {
      throw new ConfigError('CONFIG_OIDC_BAD_JWKS', `FOVEA_OIDC_JWKS file ${oidc.jwks.path} is not readable JSON`, {
        cause,
      });
    }
    const keys = typeof parsed === 'object' && parsed !== null ? (parsed as { keys?: unknown }).keys : undefined;
    if (!Array.isArray(keys))
      throw new ConfigError('CONFIG_OIDC_BAD_JWKS', `FOVEA_OIDC_JWKS file ${oidc.jwks.path} has no "keys" array`);
    jwks = { kind: 'local', jwks: { keys: keys as JWK[] } };
  }
  return createOidcVerifier({
    issuer: oidc.issuer,
    audience: oidc.audience,
    jwks,
    hs256Secret: oidc.hs256Secret === undefined ? undefined : Buffer.from(oidc.hs256Secret, 'utf8'),
    clockToleranceSeconds,
    scopeClaim: oidc.scopeClaim,
    scopes: oidc.scopes,
  });
}

const WILDCARD = new Set(['0.0.0.0', '::']);

/** The credential verifier of a data folder (server and CLI key/link commands). */
export function buildAuthenticator(config: Readonly<Config>, store: OpenedStore): Authenticator {
  return new Authenticator({
    credentials: store.credentials,
    linkSecret: loadOrCreateLinkSecret(config.dataDir, config.auth.linkSecret),
    oidc: oidcVerifier(config.auth.oidc, config.auth.clockToleranceSeconds),
    clockToleranceSeconds: config.auth.clockToleranceSeconds,
  });
}

/** Builds every service without listening (used by `serve`, `import` and integration tests). */
export async function buildGateway(
  config: Readonly<Config>,
  logger: Logger = createLogger(config.logLevel),
): Promise<Gateway> {
  const store = openStore({ dataDir: config.dataDir });
  let authenticator: Authenticator;
  try {
    authenticator = buildAuthenticator(config, store);
  } catch (err) {
    store.close();
    throw err;
  }
  let audit: AuditTrail;
  try {
    audit = await AuditTrail.open({ logPath: config.audit.logPath, syslog: config.audit.syslog, logger });
  } catch (err) {
    store.close();
    throw err;
  }
  // What HTTP handlers read: a link token's request sees its own study only (docs/security.md).
  const instances = studyScopedStore(store.instances);
  const tmpDir = path.join(config.dataDir, 'tmp');
  // Crash recovery: version folders no row references and stale temporary files are removed.
  const swept = await store.sweepOrphans();
  if (swept.removedVersions.length > 0 || swept.removedTmp > 0)
    logger.info('store.swept', { versions: swept.removedVersions.length, tmp: swept.removedTmp });
  await backfillPacketIndexes(store, logger);
  const codecs = await loadCodecs();
  const ingestor = createIngestor({
    store,
    codecs,
    publicUrl: config.publicUrl,
    logger,
    maxObjectBytes: config.limits.maxPartBytes,
    overwrite: config.overwrite,
  });
  const retrieve = createRetrieveService({
    store: { ...store, instances },
    codecs,
    publicUrl: config.publicUrl,
  });
  // One bounded cache of prepared frame models, shared by JPIP and every rendered image.
  const frames = new FrameModelCache(store.blobs, { maxBytes: config.jpip.indexCacheBytes });
  const app = createApp({
    ingestor,
    store: instances,
    retrieve,
    publicUrl: config.publicUrl,
    tmpDir,
    corsOrigins: config.corsOrigins,
    limits: config.limits,
    logger,
    jpipRouter: createJpipRouter({
      service: new JpipService({
        store: instances,
        blobs: store.blobs,
        sessions: store.jpipSessions,
        frames,
        sessionOptions: { maxSessions: config.jpip.maxSessions, idleMs: config.jpip.sessionIdleMs },
      }),
      chunkedMinBytes: config.jpip.chunkedMinBytes,
    }),
    renderer: new FrameRenderer(instances, { blobs: store.blobs, codecs, frames }),
    auth: { authenticator, required: config.auth.mode === 'on' },
    links: {
      issuer: authenticator,
      defaultTtlSeconds: config.auth.linkTtlSeconds,
      maxTtlSeconds: config.auth.linkMaxTtlSeconds,
    },
    audit,
    hostGuard: {
      publicUrl: config.publicUrl,
      allowedHosts: config.allowedHosts,
      // A wildcard listener is reachable on loopback too (a port published by Docker is reached as localhost).
      loopback: isLoopbackHost(config.host)
        ? { host: config.host, port: config.port }
        : WILDCARD.has(config.host)
          ? { host: '127.0.0.1', port: config.port }
          : undefined,
    },
    ...(config.tls !== null && config.tls.hstsMaxAgeSeconds > 0
      ? { strictTransportSecurity: `max-age=${config.tls.hstsMaxAgeSeconds}` }
      : {}),
  });
  return {
    config,
    store,
    ingestor,
    retrieve,
    logger,
    app,
    authenticator,
    audit,
    close: async () => {
      await audit.close();
      store.close();
    },
  };
}

/** HTTPS options from the PEM files: TLS 1.2 or later with the BCP 195 (RFC 9325 §4.2) AEAD suites
 *  with forward secrecy, as DICOM TLS; an unreadable file or a key that does not match the
 *  certificate is a ConfigError (CLI exit code 2) at start. */
export function loadHttpsOptions(files: HttpTlsConfig): https.ServerOptions {
  let cert: Buffer;
  let key: Buffer;
  try {
    cert = fs.readFileSync(files.certFile);
    key = fs.readFileSync(files.keyFile);
  } catch (cause) {
    throw new ConfigError('CONFIG_HTTP_TLS', `FOVEA_TLS_CERT / FOVEA_TLS_KEY cannot be read: ${String(cause)}`, {
      cause,
    });
  }
  const options: https.ServerOptions = {
    cert,
    key,
    minVersion: TLS_MIN_VERSION,
    ciphers: BCP195_CIPHERS,
    honorCipherOrder: true,
  };
  try {
    tls.createSecureContext(options); // throws for a key that does not match, or a PEM that is not one
  } catch (cause) {
    throw new ConfigError('CONFIG_HTTP_TLS', `FOVEA_TLS_CERT / FOVEA_TLS_KEY cannot be used: ${String(cause)}`, {
      cause,
    });
  }
  return options;
}

export interface RunningServer {
  gateway: Gateway;
  server: http.Server | https.Server;
  /** The port actually bound (useful with port 0). */
  port: number;
  /** The DICOM (DIMSE) listener, or null when disabled (port 0). */
  dimse: RunningDimse | null;
  stop(): Promise<void>;
}

/** Listens on config.host:config.port, then builds the gateway (with the bound port in the
 *  default public URL when port 0 asked for an ephemeral one). */
export async function startServer(config: Readonly<Config>, logger?: Logger): Promise<RunningServer> {
  const exposureWarning = checkExposure(config); // the loopback rule: throws CONFIG_AUTH_REQUIRED
  let handler: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.setHeader('retry-after', '1');
    res.end('starting');
  };
  const listener: http.RequestListener = (req, res) => handler(req, res);
  const server =
    config.tls === null ? http.createServer(listener) : https.createServer(loadHttpsOptions(config.tls), listener);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const bound = server.address();
  const boundPort = typeof bound === 'object' && bound !== null ? bound.port : config.port;
  // The bound port (port 0 asked for an ephemeral one) goes into the default public URL and the Host guard.
  const effective = Object.freeze({
    ...config,
    port: boundPort,
    publicUrl: config.publicUrlExplicit
      ? config.publicUrl
      : defaultPublicUrl(config.host, boundPort, config.tls !== null),
  });
  let gateway: Gateway;
  try {
    gateway = await buildGateway(effective, logger);
  } catch (err) {
    server.close();
    throw err;
  }
  handler = gateway.app;
  let dimse: RunningDimse | null = null;
  if (config.dimse.port !== 0) {
    try {
      dimse = await startDimse({
        ingestor: gateway.ingestor,
        store: gateway.store.instances,
        retrieve: gateway.retrieve,
        logger: gateway.logger,
        aeTitle: config.dimse.aeTitle,
        port: config.dimse.port,
        host: config.host,
        acceptedCallingAeTitles: config.dimse.acceptedCallingAeTitles,
        storeAeTitles: config.dimse.storeAeTitles,
        queryAeTitles: config.dimse.queryAeTitles,
        tls: config.dimse.tls,
        peers: config.dimse.peers,
        tmpDir: path.join(config.dataDir, 'tmp', 'dimse'),
        maxObjectBytes: config.limits.maxPartBytes,
        maxAssociations: config.dimse.maxAssociations,
        maxAssociationsPerAddress: config.dimse.maxAssociationsPerAddress,
        artimMs: config.dimse.artimMs,
        idleMs: config.dimse.idleMs,
        audit: gateway.audit,
      });
      // startDimse logs dimse.listening (host, port, AE title) itself: once per listener.
    } catch (err) {
      server.close();
      await gateway.close();
      throw err;
    }
  }
  if (exposureWarning !== undefined) gateway.logger.warn('auth.off', { message: exposureWarning });
  gateway.logger.info('listening', {
    auth: config.auth.mode,
    host: config.host,
    port: boundPort,
    https: config.tls !== null,
    dataDir: config.dataDir,
    publicUrl: effective.publicUrl,
  });
  return {
    gateway,
    server,
    port: boundPort,
    dimse,
    stop: async () => {
      await dimse?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await gateway.close();
    },
  };
}
