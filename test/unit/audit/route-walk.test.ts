// Every route of the route tables (app.ts, dicomweb/router.ts, jpip.ts) is an audited access
// except the health check: a route added later without an audit action fails here. Walks the
// real routers (built with inert dependencies: no handler runs) and classifies each path with the
// audit trail's own auditedRoute(), checking the UIDs it reads from the path.

import type { Router } from 'express';
import type { FrameRenderer } from '../../../src/frames';
import { createApp, createJpipRouter } from '../../../src/http';
import { auditedRoute } from '../../../src/http/audit-routes';
import { createDicomwebRouter } from '../../../src/http/dicomweb/router';
import type { JpipService } from '../../../src/jpip-service';
import { createLogger } from '../../../src/log';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

function routesOf(router: { stack: RouteLayer[] }, prefix: string): [string, string][] {
  const out: [string, string][] = [];
  for (const layer of router.stack) {
    if (layer.route === undefined) continue;
    for (const m of Object.keys(layer.route.methods))
      if (m !== '_all') out.push([m.toUpperCase(), prefix + layer.route.path]);
  }
  return out;
}

const UIDS: Record<string, string> = {
  ':study': '1.2.3',
  ':series': '4.5',
  ':instance': '6.7',
  ':frames': '1',
  '*tagpath': '7FE00010',
  ':target': '6.7',
};
const concrete = (p: string): string =>
  p.replace(/:study|:series|:instance|:frames|\*tagpath|:target/g, (k) => UIDS[k]!);

const limits = { maxBodyBytes: 1024, maxPartBytes: 1024, maxParts: 1 };
const inert = {} as never;
const renderer = {} as FrameRenderer;
const dicomweb = createDicomwebRouter({
  ingestor: inert,
  store: inert,
  retrieve: inert,
  publicUrl: 'http://gw.test',
  tmpDir: '/nonexistent',
  limits,
  logger: createLogger('silent'),
  renderer,
}) as unknown as { stack: RouteLayer[] };
const jpip = createJpipRouter({ service: {} as JpipService }) as unknown as { stack: RouteLayer[] };
const app = createApp({
  ingestor: inert,
  store: inert,
  retrieve: inert,
  publicUrl: 'http://gw.test',
  tmpDir: '/nonexistent',
  limits,
  links: { issuer: inert, defaultTtlSeconds: 60, maxTtlSeconds: 60 },
}) as unknown as { router: Router & { stack: RouteLayer[] } };

const routes = [
  ...routesOf(app.router, ''),
  ...routesOf(dicomweb, '/dicomweb'),
  ...routesOf(jpip, '/jpip').map(([m, p]): [string, string] => [m, p.replace(/\/$/, '')]),
];

test('the walk finds the route tables', () => {
  expect(routes.length).toBeGreaterThan(30);
  expect(routes).toContainEqual(['POST', '/api/links']);
  expect(routes).toContainEqual(['GET', '/dicomweb/studies/:study/series/:series/instances/:instance/frames/:frames']);
  expect(routes).toContainEqual(['POST', '/jpip/:target']);
});

const PUBLIC = new Set(['/healthz', '/readyz']); // health checks touch no data

test.each(routes)('%s %s: audited with the UIDs of its path (health checks: not)', (method, path) => {
  const r = auditedRoute(method, concrete(path), {});
  if (PUBLIC.has(path)) {
    expect(r).toBeUndefined();
    return;
  }
  expect(r).toBeDefined();
  if (path.includes(':study')) expect(r?.study).toBe('1.2.3');
  if (path.includes(':series')) expect(r?.series).toBe('4.5');
  if (path.includes(':instance')) expect(r?.instance).toBe('6.7');
});
