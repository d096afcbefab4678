// The one route table of the gateway: /dicomweb (PS3.18 RESTful services), /wado (WADO-URI,
// PS3.18 §8.2), /jpip (ISO/IEC 15444-9, router supplied by the JPIP module), /api/links, /healthz.
// Every route states the permission it needs with needs() (auth.ts, docs/security.md); the
// authenticate() middleware resolves the principal first.
// Cross-cutting: request ids (X-Request-Id, echoed), access log, HSTS under HTTPS, the Host guard
// (host-guard.ts), CORS, a JSON body limit, a JSON
// 404 for unknown routes and the error middleware (error-map.ts) — text/plain under /jpip.

import { randomUUID } from 'node:crypto';
import express, { type Express, type Router } from 'express';
import { NotFoundError } from '../errors';
import type { FrameRenderer } from '../frames';
import type { Ingestor } from '../ingest';
import { createLogger, type Logger } from '../log';
import type { RetrieveService } from '../retrieve';
import type { InstanceStore } from '../store';
import type { AuditSink } from '../audit';
import { auditMiddleware } from './audit';
import { authenticate, needs, type HttpAuthOptions } from './auth';
import { corsMiddleware } from './cors';
import { createDicomwebRouter, type DicomwebLimits } from './dicomweb/router';
import { wadoUriHandler } from './dicomweb/wado-uri';
import { errorMiddleware } from './error-map';
import { hostGuard, type HostGuardOptions } from './host-guard';
import { linksHandler, type LinkIssuer } from './links';

export interface AppDeps {
  ingestor: Ingestor;
  store: InstanceStore;
  retrieve: RetrieveService;
  publicUrl: string;
  tmpDir: string;
  limits: DicomwebLimits;
  /** Allowed CORS origins; default ["*"] (any origin, GET/HEAD). */
  corsOrigins?: readonly string[];
  logger?: Logger;
  /** The JPIP router (built by the JPIP module), mounted at /jpip when given. */
  jpipRouter?: Router;
  /** Largest JSON request body; default 1 MiB. */
  jsonLimitBytes?: number;
  /** Renders images (DICOMweb /rendered, /thumbnail; WADO-URI image/jpeg, image/png, image/gif)
   *  from the shared frame-model cache. Without it those are not available. */
  renderer?: FrameRenderer;
  /** Access control; absent = anonymous access with every permission, no credential verifiable. */
  auth?: HttpAuthOptions;
  /** Issues study-scoped links (POST /api/links); absent = the route is not served. */
  links?: { issuer: LinkIssuer; defaultTtlSeconds: number; maxTtlSeconds: number };
  /** The audit trail (docs/security.md): one record per access; absent = none written. */
  audit?: AuditSink;
  /** The DNS-rebinding guard (host-guard.ts); absent = any Host is served. */
  hostGuard?: HostGuardOptions;
  /** Strict-Transport-Security value on every response (RFC 6797; HTTPS served directly). */
  strictTransportSecurity?: string;
}

export const DICOMWEB_PATH = '/dicomweb';

export function createApp(deps: AppDeps): Express {
  const logger = deps.logger ?? createLogger('silent');
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
    res.locals['requestId'] = id;
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      logger.info('request', {
        requestId: id,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
    next();
  });
  const hsts = deps.strictTransportSecurity;
  if (hsts !== undefined)
    app.use((_req, res, next) => {
      res.setHeader('Strict-Transport-Security', hsts);
      next();
    });
  if (deps.hostGuard !== undefined) app.use(hostGuard(deps.hostGuard));
  if (deps.audit !== undefined) app.use(auditMiddleware({ sink: deps.audit, store: deps.store }));
  app.use(corsMiddleware({ origins: deps.corsOrigins ?? ['*'] }));
  app.use(authenticate(deps.auth ?? { authenticator: undefined, required: false }));
  app.use(express.json({ limit: deps.jsonLimitBytes ?? 1024 * 1024, type: ['application/json'] }));

  app.get('/healthz', needs('public'), (_req, res) => {
    res.status(200).json({ status: 'ok' });
  });
  const renderer = deps.renderer;
  app.use(
    DICOMWEB_PATH,
    createDicomwebRouter({
      ingestor: deps.ingestor,
      store: deps.store,
      retrieve: deps.retrieve,
      publicUrl: deps.publicUrl,
      tmpDir: deps.tmpDir,
      limits: deps.limits,
      logger,
      mountPath: DICOMWEB_PATH,
      ...(renderer === undefined ? {} : { renderer }),
    }),
  );
  app.get(
    '/wado',
    needs('read'),
    wadoUriHandler({ store: deps.store, retrieve: deps.retrieve, ...(renderer === undefined ? {} : { renderer }) }),
  );
  if (deps.links !== undefined) {
    app.post(
      '/api/links',
      needs('write'),
      linksHandler({ ...deps.links, store: deps.store, publicUrl: deps.publicUrl }),
    );
  }
  if (deps.jpipRouter !== undefined) {
    app.use('/jpip', deps.jpipRouter, errorMiddleware({ logger, format: 'text' }));
  }
  app.use((req, _res, next) => {
    next(new NotFoundError('HTTP_NO_ROUTE', `no resource at ${req.method} ${req.path}`));
  });
  app.use(errorMiddleware({ logger, format: 'json' }));
  return app;
}
