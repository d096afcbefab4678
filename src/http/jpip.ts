// JPIP over HTTP (ISO/IEC 15444-9 Annex F), the thin adapter: GET/POST /jpip and /jpip/<target>.
// It reads the request (jpip-request.ts), hands it to the JPIP service (jpip-service/: sessions,
// frames, cache model, plan), writes status 200 and the service's headers, and streams the body
// with back-pressure (send.ts), telling the service whether every byte went out (the cache model
// is saved only then, B.2). Statuses come from error-map.ts only (conformance/jpip.md lists them).
// Framing: Content-Length (the planned length, enforced by Node's strictContentLength so a body can
// never disagree with it) unless jpip-framing.ts picks chunked; a failure after the headers went
// out cuts the connection (error-map.ts), so the client sees a short body, never a wrong length.

import { Router, type Request, type Response } from 'express';
import { JpipPrefRefusedError, type JpipResponse, type JpipService } from '../jpip-service';
import { noteJpipView, sessionTarget } from './audit-jpip';
import { needs, principalOf } from './auth';
import { useNotImplementedForUnsupported } from './error-map';
import { MethodNotAllowedError } from './http-errors';
import { jpipFraming } from './jpip-framing';
import { readJpipRequest } from './jpip-request';
import { sendStream } from './send';

export interface JpipRouterDeps {
  service: JpipService;
  /** Smallest session response sent chunked to HTTP/1.1 clients; 0 or absent = always Content-Length. */
  chunkedMinBytes?: number;
}

/** True once the whole response was handed to the OS ('finish'), false if the connection closed first. */
function finished(res: Response): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.writableFinished) resolve(true);
    res.once('finish', () => resolve(true));
    res.once('close', () => resolve(res.writableFinished));
  });
}

export function createJpipRouter(deps: JpipRouterDeps): Router {
  async function handle(req: Request, res: Response): Promise<void> {
    const call = await readJpipRequest(req);
    useNotImplementedForUnsupported(res); // from here on an UnsupportedError is 501 (15444-9 D.1)
    let response: JpipResponse;
    const owner = principalOf(res)?.id ?? 'anonymous';
    const target = call.target ?? sessionTarget(deps.service, call.request.cid, owner);
    try {
      // A channel belongs to the principal that opened it (docs/security.md).
      response = await deps.service.respond({ ...call, owner });
    } catch (e) {
      if (e instanceof JpipPrefRefusedError) for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v); // D.2.18
      throw e;
    }
    const headers: Record<string, string> = {
      'Cache-Control': 'no-cache',
      ...response.headers,
      'Content-Type': response.mediaType,
    };
    const framing = jpipFraming({
      httpVersion: req.httpVersion,
      length: response.length,
      inSession: response.inSession,
      chunkedMinBytes: deps.chunkedMinBytes ?? 0,
    });
    if (framing === 'content-length' && response.length !== undefined) {
      headers['Content-Length'] = String(response.length);
      res.strictContentLength = true; // Node refuses to write more or end with less than declared
    }
    noteJpipView(res, call.request, target, response.headers['JPIP-cnew'], response.length ?? 0); // before 'finish'
    const done = finished(res);
    let delivered = false;
    try {
      await sendStream(res, 200, headers, response.body);
      delivered = await done;
    } finally {
      response.finish(delivered);
    }
  }

  const router = Router();
  for (const path of ['/', '/:target']) {
    router.get(path, needs('read'), handle);
    router.post(path, needs('read'), handle);
    router.all(path, needs('read'), (req) => {
      throw new MethodNotAllowedError('JPIP_METHOD', `${req.method} is not allowed on /jpip`, [
        'GET',
        'HEAD',
        'POST',
        'OPTIONS',
      ]);
    });
  }
  return router;
}
