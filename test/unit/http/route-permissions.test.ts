// Every route of the route tables (app.ts, dicomweb/router.ts, jpip.ts, WADO-URI, /api/links)
// states the permission it needs with needs() as its first handler (src/http/auth.ts); only
// /healthz and /readyz may be public. A route added without a stated permission fails here.

import type { FrameRenderer } from '../../../src/frames';
import { createApp, createJpipRouter } from '../../../src/http';
import type { JpipService } from '../../../src/jpip-service';
import { listRoutes } from '../../route-table';

function fullApp(): ReturnType<typeof createApp> {
  return createApp({
    ingestor: {} as never,
    store: {} as never,
    retrieve: {} as never,
    publicUrl: 'http://127.0.0.1:1',
    tmpDir: '/tmp',
    limits: { maxBodyBytes: 1 << 20, maxPartBytes: 1 << 20, maxParts: 10 },
    renderer: {} as FrameRenderer,
    jpipRouter: createJpipRouter({ service: {} as JpipService }),
    links: {
      issuer: { issueLink: () => ({ token: '', id: '', study: '', expires: 0 }) },
      defaultTtlSeconds: 60,
      maxTtlSeconds: 60,
    },
  });
}

const OPEN = new Set(['/healthz', '/readyz']);

test('every registered route states read, write or admin (public only for /healthz and /readyz)', () => {
  const routes = listRoutes(fullApp(), ['/dicomweb', '/jpip']);
  // The walk really sees the tables: DICOMweb 16 + 8 rendered/thumbnail, /healthz, /wado,
  // /api/links, JPIP 2 paths × (GET, POST, other methods → 405).
  expect(routes.length).toBe(33);
  expect(routes.map((r) => r.path)).toEqual(
    expect.arrayContaining(['/healthz', '/wado', '/api/links', '/dicomweb/studies', '/jpip/:target']),
  );
  const missing = routes.filter((r) => r.access === undefined || (r.access === 'public' && !OPEN.has(r.path)));
  expect(missing).toEqual([]);
  for (const r of routes) {
    if (OPEN.has(r.path)) expect(r.access).toBe('public');
    else expect(['read', 'write', 'admin']).toContain(r.access);
  }
});

test('the walker catches a route registered without a permission', () => {
  const app = fullApp();
  app.get('/unguarded', (_req, res) => {
    res.end();
  });
  const routes = listRoutes(app, ['/dicomweb', '/jpip']);
  expect(routes.filter((r) => r.access === undefined).map((r) => r.path)).toEqual(['/unguarded']);
});

test('write routes are the STOW-RS ones and /api/links; everything else that is guarded needs read', () => {
  const routes = listRoutes(fullApp(), ['/dicomweb', '/jpip']);
  const writes = routes.filter((r) => r.access === 'write').map((r) => `${r.methods.join(',')} ${r.path}`);
  expect(writes.sort()).toEqual(['post /api/links', 'post /dicomweb/studies', 'post /dicomweb/studies/:study']);
});
