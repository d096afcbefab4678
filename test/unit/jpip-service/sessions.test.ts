// JPIP sessions over the real SQLite store (15444-9 Annex B): limit → UnavailableError (503),
// idle expiry and unknown cid → NotFoundError (404), cclose of one or all channels, cache model
// blobs saved and read back, per-session serialisation (exclusive, acquire/release).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NotFoundError, UnavailableError } from '../../../src/errors';
import { JpipSessions } from '../../../src/jpip-service';
import { openStore, type OpenedStore } from '../../../src/store';

let dir: string;
let store: OpenedStore;
let now = 1_000_000;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-jpip-sessions-'));
  store = openStore({ dataDir: dir });
  now = 1_000_000;
});

afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

test('bounded number of sessions; expired ones free their slot', () => {
  const s = new JpipSessions(store.jpipSessions, { maxSessions: 2, idleMs: 1000, now: () => now });
  s.open('1.2.3', 'T1', new Uint8Array([1]), 'http');
  s.open('1.2.3', 'T1', new Uint8Array([2]), 'http');
  expect(() => s.open('1.2.3', 'T1', new Uint8Array(0), 'http')).toThrow(UnavailableError);
  expect(codeOf(() => s.open('1.2.3', 'T1', new Uint8Array(0), 'http'))).toBe('JPIP_SESSION_LIMIT');
  now += 1001;
  expect(() => s.open('1.2.3', 'T1', new Uint8Array(0), 'http')).not.toThrow();
  expect(store.jpipSessions.count()).toBe(1);
});

test('lookup, save, idle expiry and unknown cids', () => {
  const s = new JpipSessions(store.jpipSessions, { idleMs: 1000, now: () => now });
  const { session, cid } = s.open('1.2.3', 'T1', new Uint8Array([9, 9]), 'http');
  expect(s.lookup(cid).cacheModel).toEqual(new Uint8Array([9, 9]));
  now += 900;
  s.save(session.sessionId, 'T2', new Uint8Array([7]));
  now += 900; // used 900 ms ago: still alive
  expect(s.lookup(cid)).toMatchObject({ tid: 'T2', cacheModel: new Uint8Array([7]), target: '1.2.3' });
  now += 1001;
  expect(codeOf(() => s.lookup(cid))).toBe('JPIP_UNKNOWN_CID');
  expect(() => s.lookup('Cnothing')).toThrow(NotFoundError);
});

test('cclose of one channel keeps the session; "*" closes it', () => {
  const s = new JpipSessions(store.jpipSessions, { now: () => now });
  const { session, cid } = s.open('1.2.3', 'T1', new Uint8Array(0), 'http');
  const second = s.addChannel(session.sessionId, 'http');
  s.close(session.sessionId, [cid]);
  expect(() => s.lookup(cid)).toThrow(NotFoundError);
  expect(s.lookup(second).sessionId).toBe(session.sessionId);
  s.close(session.sessionId, '*');
  expect(() => s.lookup(second)).toThrow(NotFoundError);
  expect(store.jpipSessions.count()).toBe(0);
  expect(() => s.addChannel(session.sessionId, 'http')).toThrow(NotFoundError);
});

test('requests of one session run one at a time', async () => {
  const s = new JpipSessions(store.jpipSessions, { now: () => now });
  const log: string[] = [];
  const job = (name: string, ms: number) =>
    s.exclusive('S1', async () => {
      log.push(`${name}+`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name}-`);
    });
  await Promise.all([
    job('a', 30),
    job('b', 1),
    s.exclusive('S1', () => Promise.reject(new Error('x'))).catch(() => undefined),
    job('c', 1),
  ]);
  expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
});

test('acquire holds the lock until released (a response keeps it while its body is sent); release is idempotent', async () => {
  const s = new JpipSessions(store.jpipSessions, { now: () => now });
  const release = await s.acquire('S1');
  let ran = false;
  const later = s.exclusive('S1', () => Promise.resolve((ran = true)));
  const other = await s.acquire('S2'); // another session is not blocked
  other();
  await new Promise((r) => setTimeout(r, 10));
  expect(ran).toBe(false);
  release();
  release();
  await later;
  expect(ran).toBe(true);
  const again = await s.acquire('S1'); // free again
  again();
});
