// The CLI side of access control: `fovea key create/list/revoke`, `fovea link [revoke]` against a
// real data folder, then used against a real gateway on it; and the loopback rule of `fovea serve`
// (a non-loopback host without auth refuses to start with exit code 2 unless FOVEA_AUTH=off, which
// is logged as a warning at every start). The generated link secret is mode 0600.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { errorLine, exitCodeFor } from '../../src/cli/exit-codes';
import { checkExposure, readConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startServer } from '../../src/server';
import { call } from './auth-helpers';
import { stowBody } from './harness';
import { generateJ2kDicom } from './jpip-helpers';
import { runCliCaptured } from '../cli-capture';

const cli = runCliCaptured;

let dataDir: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-auth-cli-'));
});

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('key create prints the key once, stores only its hash; list and revoke; the server honours them', async () => {
  const created = await cli('key', 'create', '--name', 'pacs-1', '--scope', 'read,write', '--data', dataDir);
  expect(created.code).toBe(0);
  const key = created.stdout.trim();
  expect(key).toMatch(/^fovea_k_[A-Za-z0-9_-]{43}$/);
  const db = fs.readFileSync(path.join(dataDir, 'fovea.sqlite'));
  expect(db.includes(key)).toBe(false); // never the key itself
  expect((await cli('key', 'create', '--name', 'pacs-1', '--scope', 'read', '--data', dataDir)).code).toBe(1);
  await expect(cli('key', 'create', '--name', 'x', '--scope', 'root', '--data', dataDir)).rejects.toThrow(
    /unknown scope/,
  );

  const config = readConfig(
    { port: '0', host: '127.0.0.1', data: dataDir, logLevel: 'silent' },
    {
      FOVEA_DIMSE_PORT: '0',
      FOVEA_AUTH: 'on',
    },
  );
  const running = await startServer(config, createLogger('silent'));
  const url = `http://127.0.0.1:${running.port}`;
  try {
    const img = generateJ2kDicom({ width: 64, height: 64, components: 1, bits: 8, opj: ['-n', '2'] });
    const { body, contentType } = stowBody([img.file]);
    const stored = await call(`${url}/dicomweb/studies`, {
      method: 'POST',
      token: key,
      body,
      headers: { 'content-type': contentType },
    });
    expect(stored.status).toBe(200);
    expect((await call(`${url}/dicomweb/studies`, { token: key })).status).toBe(200);
    const listed = await cli('key', 'list', '--json', '--data', dataDir);
    const keys = JSON.parse(listed.stdout) as {
      name: string;
      scopes: string[];
      lastUsed: string | null;
      revoked: string | null;
    }[];
    expect(keys).toEqual([expect.objectContaining({ name: 'pacs-1', scopes: ['read', 'write'], revoked: null })]);
    expect(keys[0]?.lastUsed).not.toBeNull();
    expect(listed.stdout.includes(key)).toBe(false);

    // fovea link: the URL it prints opens the study, and `fovea link revoke` closes it.
    const study = running.gateway.store.instances.getInstance(img.sopInstanceUid)?.studyInstanceUid ?? '';
    const linked = await cli(
      'link',
      '--study',
      study,
      '--ttl',
      '15m',
      '--json',
      '--data',
      dataDir,
      '--public-url',
      url,
    );
    expect(linked.code).toBe(0);
    const link = JSON.parse(linked.stdout) as { url: string; id: string; expires: string };
    expect(link.url.startsWith(`${url}/dicomweb/studies/${study}?token=fovea_l_`)).toBe(true);
    expect(Math.abs(Date.parse(link.expires) - Date.now() - 15 * 60_000)).toBeLessThan(5_000);
    expect((await call(link.url)).status).toBe(200);
    // Audited as link-issued by the OS user (the token itself is never written to the audit log).
    const auditLog = fs.readFileSync(path.join(dataDir, 'audit.log'), 'utf8');
    const issued = auditLog
      .split('\n')
      .filter((l) => l.includes('"link-issued"'))
      .map((l) => JSON.parse(l) as { principal: { id: string }; studies: string[]; link: { id: string } });
    expect(issued).toEqual([
      expect.objectContaining({
        principal: expect.objectContaining({ id: expect.stringMatching(/^cli:/) as unknown }) as unknown,
        studies: [study],
        link: expect.objectContaining({ id: link.id }) as unknown,
      }),
    ]);
    expect(auditLog).not.toContain(link.url.split('token=')[1] ?? 'no-token');
    expect((await cli('link', 'revoke', link.id, '--data', dataDir)).code).toBe(0);
    expect((await call(link.url)).status).toBe(401);
    expect((await cli('link', '--study', '1.2.3.999', '--data', dataDir)).code).toBe(1);
    // No viewer page is served yet, so there is no viewer link that would open nothing.
    await expect(cli('link', '--study', study, '--viewer', '--data', dataDir)).rejects.toThrow(
      /Unknown option '--viewer'/,
    );

    expect((await cli('key', 'revoke', 'pacs-1', '--data', dataDir)).code).toBe(0);
    expect((await call(`${url}/dicomweb/studies`, { token: key })).status).toBe(401);
    expect((await cli('key', 'revoke', 'pacs-1', '--data', dataDir)).code).toBe(1);
  } finally {
    await running.stop();
  }
  expect(fs.statSync(path.join(dataDir, 'link-secret')).mode & 0o777).toBe(0o600);
});

test('serve on a non-loopback host without auth refuses to start: CONFIG_AUTH_REQUIRED, exit code 2', async () => {
  const err = await cli('serve', '--host', '0.0.0.0', '--port', '0', '--data', dataDir, '--dimse-port', '0').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ code: 'CONFIG_AUTH_REQUIRED' });
  expect(exitCodeFor(err)).toBe(2);
  expect(errorLine(err)).toMatch(/refusing to serve on non-loopback host "0\.0\.0\.0" without authentication/);
  for (const host of ['127.0.0.1', 'localhost', '::1', '127.1.2.3'])
    expect(checkExposure(readConfig({ host, data: dataDir }, {}))).toBeUndefined();
  expect(() => checkExposure(readConfig({ host: '10.1.2.3', data: dataDir }, {}))).toThrow(/non-loopback/);
  expect(checkExposure(readConfig({ host: '10.1.2.3', data: dataDir }, { FOVEA_AUTH: 'on' }))).toBeUndefined();
  // CORS: "*" stays the default without auth; with auth on, no origin unless listed.
  expect(readConfig({ data: dataDir }, {}).corsOrigins).toEqual(['*']);
  expect(readConfig({ data: dataDir }, { FOVEA_AUTH: 'on' }).corsOrigins).toEqual([]);
  expect(
    readConfig({ data: dataDir }, { FOVEA_AUTH: 'on', FOVEA_CORS_ORIGINS: 'https://viewer.example' }).corsOrigins,
  ).toEqual(['https://viewer.example']);
});

test('FOVEA_AUTH=off serves on any host and logs a warning at every start', async () => {
  const lines: string[] = [];
  const logger = createLogger('info', (line: string) => lines.push(line));
  const config = readConfig(
    { port: '0', host: '0.0.0.0', data: dataDir, logLevel: 'info' },
    {
      FOVEA_DIMSE_PORT: '0',
      FOVEA_AUTH: 'off',
    },
  );
  const running = await startServer(config, logger);
  try {
    const res = await call(`http://127.0.0.1:${running.port}/dicomweb/studies`);
    expect(res.status).toBe(200);
    // Nothing logs a token: not the access log, not a rejection (valid and invalid ?token= / header).
    const link = running.gateway.authenticator.issueLink('1.2.3', 60).token;
    expect((await call(`http://127.0.0.1:${running.port}/dicomweb/studies`, { query: link })).status).toBe(200);
    expect((await call(`http://127.0.0.1:${running.port}/jpip?target=1.2.3`, { query: `${link}x` })).status).toBe(401);
    expect((await call(`http://127.0.0.1:${running.port}/wado`, { token: `${link}y` })).status).toBe(401);
    expect(lines.filter((l) => l.includes('"request"')).length).toBeGreaterThanOrEqual(4);
    expect(lines.filter((l) => l.includes('fovea_l_'))).toEqual([]);
  } finally {
    await running.stop();
  }
  expect(lines.filter((l) => l.includes('"auth.off"') && l.includes('"warn"'))).toHaveLength(1);
});
