// CredentialStore over SQLite (migration 0005): API key rows by hash, unique names, revocation that
// keeps the row; links recorded at issue, revocation by id (also of a link this database never
// issued), idempotence reported; JPIP session owners stored and read back.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, type OpenedStore } from '../../../src/store';

let dir: string;
let store: OpenedStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-cred-'));
  store = openStore({ dataDir: dir });
});

afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const key = {
  name: 'pacs',
  keyHash: 'ab'.repeat(32),
  permissions: ['read', 'write'],
  createdAt: 1,
  lastUsedAt: null,
  revokedAt: null,
};

test('API keys: added once per name, found by hash, touched, revoked (row kept)', () => {
  const c = store.credentials;
  expect(c.addApiKey(key)).toBe(true);
  expect(c.addApiKey({ ...key, keyHash: 'cd'.repeat(32) })).toBe(false);
  expect(c.apiKeyByHash(key.keyHash)).toEqual(key);
  expect(c.apiKeyByHash('ef'.repeat(32))).toBeUndefined();
  c.touchApiKey('pacs', 50);
  expect(c.apiKeyByHash(key.keyHash)?.lastUsedAt).toBe(50);
  expect(c.revokeApiKey('pacs', 60)).toBe(true);
  expect(c.revokeApiKey('pacs', 70)).toBe(false);
  expect(c.revokeApiKey('nobody', 70)).toBe(false);
  expect(c.listApiKeys()).toEqual([{ ...key, lastUsedAt: 50, revokedAt: 60 }]);
});

test('links: recorded, revoked once, and a foreign id can be revoked ahead of use', () => {
  const c = store.credentials;
  c.addLink({ linkId: 'link-0001', studyInstanceUid: '1.2.3', expiresAt: 900, createdAt: 1, revokedAt: null });
  expect(c.link('link-0001')).toEqual({
    linkId: 'link-0001',
    studyInstanceUid: '1.2.3',
    expiresAt: 900,
    createdAt: 1,
    revokedAt: null,
  });
  expect(c.revokeLink('link-0001', 5)).toBe(true);
  expect(c.revokeLink('link-0001', 6)).toBe(false);
  expect(c.link('link-0001')?.revokedAt).toBe(5);
  expect(c.revokeLink('elsewhere-01', 7)).toBe(true);
  expect(c.link('elsewhere-01')?.revokedAt).toBe(7);
});

test('JPIP sessions keep their owner (default anonymous)', () => {
  const s = store.jpipSessions;
  const base = { target: '1.2', tid: 't', cacheModel: new Uint8Array(0), createdAt: 1, lastUsedAt: 1 };
  s.create({ ...base, sessionId: 'S1', owner: 'key:pacs' }, 'C1', 'http');
  s.create({ ...base, sessionId: 'S2' }, 'C2', 'http');
  expect(s.byChannel('C1')?.owner).toBe('key:pacs');
  expect(s.byChannel('C2')?.owner).toBe('anonymous');
});
