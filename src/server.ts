// Composition root: the one place that builds the store, codecs, ingest pipeline, retrieve
// service and HTTP app from the configuration, and starts listening.

import * as http from 'node:http';
import * as path from 'node:path';
import type { Config } from './config';
import { createLogger, type Logger } from './log';
import { openStore, type OpenedStore } from './store';
import { loadCodecs } from './codec';
import { createIngestor } from './ingest';
import { createRetrieveService } from './retrieve';
import { createApp } from './http';
import type { Ingestor } from './ingest/types';
import type { RetrieveService } from './retrieve/types';

export interface Gateway {
  config: Readonly<Config>;
  store: OpenedStore;
  ingestor: Ingestor;
  retrieve: RetrieveService;
  logger: Logger;
  app: ReturnType<typeof createApp>;
  close(): Promise<void>;
}

/** Builds every service without listening (used by `serve`, `import` and integration tests). */
export async function buildGateway(config: Readonly<Config>, logger: Logger = createLogger(config.logLevel)): Promise<Gateway> {
  const store = openStore({ dataDir: config.dataDir });
  const tmpDir = path.join(config.dataDir, 'tmp');
  const codecs = await loadCodecs();
  const ingestor = createIngestor({ store, codecs, publicUrl: config.publicUrl, logger, maxObjectBytes: config.limits.maxPartBytes });
  const retrieve = createRetrieveService({ store, codecs, publicUrl: config.publicUrl });
  const app = createApp({
    ingestor,
    store: store.instances,
    retrieve,
    publicUrl: config.publicUrl,
    tmpDir,
    corsOrigins: config.corsOrigins,
    limits: config.limits,
    logger,
  });
  return {
    config,
    store,
    ingestor,
    retrieve,
    logger,
    app,
    close: async () => {
      store.close();
    },
  };
}

export interface RunningServer {
  gateway: Gateway;
  server: http.Server;
  /** The port actually bound (useful with port 0). */
  port: number;
  stop(): Promise<void>;
}

/** Builds the gateway and listens on config.host:config.port. */
export async function startServer(config: Readonly<Config>, logger?: Logger): Promise<RunningServer> {
  const gateway = await buildGateway(config, logger);
  const server = http.createServer(gateway.app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  gateway.logger.info('listening', { host: config.host, port, dataDir: config.dataDir, publicUrl: config.publicUrl });
  return {
    gateway,
    server,
    port,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await gateway.close();
    },
  };
}
