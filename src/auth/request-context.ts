// The principal of the request being served, carried through async calls (AsyncLocalStorage) so
// that the study-scoped store view (study-scoped-store.ts) can hide every other study from a link
// token without each handler passing it along. Outside a request (DIMSE, CLI) there is none.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from './principal';

const storage = new AsyncLocalStorage<Principal>();

export function runAs<T>(principal: Principal, fn: () => T): T {
  return storage.run(principal, fn);
}

export function currentPrincipal(): Principal | undefined {
  return storage.getStore();
}

/** The one study the current principal may see, or undefined for every study. */
export function currentStudyScope(): string | undefined {
  return storage.getStore()?.study;
}
