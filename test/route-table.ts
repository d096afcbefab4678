// Walks an express app's route table (express 5 / router 2 internals: app.router.stack, layers with
// .route or a mounted router's .handle.stack) and lists every registered route with the access
// its guard states (src/http/auth.ts needs()). Used by the route-permission unit test and the
// authorization matrix (which must cover every route listed here).

import type { Express } from 'express';
import { ROUTE_ACCESS } from '../src/http/auth';

export interface ListedRoute {
  /** Mount path + route path, e.g. "/dicomweb/studies/:study". */
  path: string;
  /** Lower-case methods, or ["_all"] for router.all(). */
  methods: string[];
  /** What the first handler (the guard) states, or undefined when the route has no guard. */
  access: string | undefined;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: unknown }[] };
  handle: unknown;
  name?: string;
}

function accessOf(handle: unknown): string | undefined {
  if (typeof handle !== 'function') return undefined;
  const v = (handle as unknown as Record<symbol, unknown>)[ROUTE_ACCESS];
  return typeof v === 'string' ? v : undefined;
}

function walk(stack: Layer[], prefix: string, mounts: string[], out: ListedRoute[]): void {
  let mountIndex = 0;
  for (const layer of stack) {
    if (layer.route !== undefined) {
      const methods = Object.keys(layer.route.methods).filter((m) => layer.route?.methods[m] === true);
      out.push({ path: `${prefix}${layer.route.path}`, methods, access: accessOf(layer.route.stack[0]?.handle) });
      continue;
    }
    const inner = (layer.handle as { stack?: Layer[] } | undefined)?.stack;
    if (layer.name === 'router' && Array.isArray(inner)) {
      const mount = mounts[mountIndex] ?? '?';
      mountIndex += 1;
      walk(inner, `${prefix}${mount}`, [], out);
    }
  }
}

/** Every route of `app`; `mounts` names the mount paths of its routers in registration order. */
export function listRoutes(app: Express, mounts: string[]): ListedRoute[] {
  const router = (app as unknown as { router: { stack: Layer[] } }).router;
  const out: ListedRoute[] = [];
  walk(router.stack, '', mounts, out);
  return out;
}
