// CORS (Fetch standard §3.2, "CORS protocol"): configurable origins. With "*" any origin may use the
// safe methods (GET, HEAD) — the default, for viewers on other hosts; POST (STOW-RS) cross-origin
// needs the origin to be listed explicitly. Preflight OPTIONS is answered here (204). Exposed
// headers include those DICOMweb and JPIP clients read (Content-Location, Warning, Content-Range,
// JPIP-* of ISO/IEC 15444-9 Annex D).

import type { RequestHandler } from 'express';

export interface CorsOptions {
  /** Allowed origins; "*" allows any origin for GET/HEAD. */
  origins: readonly string[];
  maxAgeSeconds?: number;
}

export const EXPOSED_HEADERS = [
  'Content-Length',
  'Content-Range',
  'Accept-Ranges',
  'Content-Location',
  'Warning',
  'X-Request-Id',
  'JPIP-tid',
  'JPIP-cnew',
  'JPIP-qid',
  'JPIP-fsiz',
  'JPIP-rsiz',
  'JPIP-roff',
  'JPIP-comps',
  'JPIP-stream',
  'JPIP-context',
  'JPIP-roi',
  'JPIP-layers',
  'JPIP-srate',
  'JPIP-metareq',
  'JPIP-len',
  'JPIP-quality',
  'JPIP-type',
  'JPIP-mset',
  'JPIP-cap',
  'JPIP-pref',
  'JPIP-align',
  'JPIP-subtarget',
];
const SAFE = ['GET', 'HEAD'];
const ALL = ['GET', 'HEAD', 'POST'];
const ALLOWED_REQUEST_HEADERS = 'Accept, Content-Type, Range, If-Range, Authorization, X-Request-Id';

export function corsMiddleware(options: CorsOptions): RequestHandler {
  const anyOrigin = options.origins.includes('*');
  const listed = new Set(options.origins.filter((o) => o !== '*'));
  const maxAge = String(options.maxAgeSeconds ?? 600);
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    const methods = origin !== undefined && listed.has(origin) ? ALL : anyOrigin ? SAFE : [];
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (origin !== undefined && methods.length > 0) {
      const requested = preflight ? String(req.headers['access-control-request-method']).toUpperCase() : req.method;
      if (methods.includes(requested) || req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Origin', listed.has(origin) ? origin : '*');
        res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
      }
    }
    if (preflight) {
      if (origin !== undefined && methods.length > 0) {
        res.setHeader('Access-Control-Allow-Methods', methods.join(', '));
        res.setHeader('Access-Control-Allow-Headers', ALLOWED_REQUEST_HEADERS);
        res.setHeader('Access-Control-Max-Age', maxAge);
      }
      res.status(204).end();
      return;
    }
    next();
  };
}
