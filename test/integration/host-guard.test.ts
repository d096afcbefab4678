// The DNS-rebinding guard on a running gateway (docs/security.md "Host header guard"): a request
// whose Host is not the public URL's, a FOVEA_ALLOWED_HOSTS entry or (listening on loopback or
// 0.0.0.0) a loopback name with the bound port gets 421 Misdirected Request (RFC 9110 §15.5.20)
// with a JSON error — before authentication, CORS or any route — while /healthz answers any Host
// (load-balancer probes).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startServer } from '../../src/server';
import { startTestServer, type TestServer } from './harness';

describe('Host header guard', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      FOVEA_PUBLIC_URL: 'https://pacs.example',
      FOVEA_ALLOWED_HOSTS: 'viewer.example,gw.example:8443',
    });
  });
  afterAll(async () => {
    await server?.stop();
  });
  const get = (path: string, host: string): request.Test => request(server.url).get(path).set('Host', host);

  test('a rebound name gets 421 with a JSON error that does not echo the Host', async () => {
    for (const path of ['/dicomweb/studies', '/wado?requestType=WADO', '/no/such/route', '/viewer/']) {
      const r = await get(path, 'attacker.example:' + String(server.running.port));
      expect(r.status).toBe(421);
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(r.body).toEqual({ code: 'HTTP_MISDIRECTED_HOST', message: expect.any(String) });
      expect(r.text).not.toContain('attacker');
    }
    const jpip = await get('/jpip?target=1.2.3&fsiz=64,64', 'attacker.example');
    expect(jpip.status).toBe(421);
    expect(jpip.text).toMatch(/^HTTP_MISDIRECTED_HOST: /); // JPIP errors are text/plain
  });

  test('the public URL host, the configured list and loopback names with the bound port are served', async () => {
    const port = String(server.running.port);
    for (const host of [
      'pacs.example',
      'pacs.example:443',
      'viewer.example',
      'viewer.example:9000',
      'gw.example:8443',
      `127.0.0.1:${port}`,
      `localhost:${port}`,
    ]) {
      const r = await get('/dicomweb/studies', host);
      expect(r.status).not.toBe(421);
    }
    for (const host of ['pacs.example:8080', 'gw.example', `localhost:${Number(port) + 1}`, 'localhost'])
      expect({ host, status: (await get('/dicomweb/studies', host)).status }).toEqual({ host, status: 421 });
  });

  test('/healthz answers any Host', async () => {
    const r = await get('/healthz', '10.1.2.3');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok' });
  });
});

test('a wildcard listener also accepts loopback names with its port; a specific address does not', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-host-'));
  const running = await startServer(
    readConfig(
      { port: '0', host: '0.0.0.0', data: dataDir, logLevel: 'silent' },
      { FOVEA_DIMSE_PORT: '0', FOVEA_AUTH: 'off', FOVEA_PUBLIC_URL: 'https://pacs.example' },
    ),
    createLogger('silent'),
  );
  try {
    const url = `http://127.0.0.1:${running.port}`;
    const status = async (host: string): Promise<number> =>
      (await request(url).get('/dicomweb/studies').set('Host', host)).status;
    expect(await status(`localhost:${running.port}`)).not.toBe(421);
    expect(await status(`127.0.0.1:${running.port}`)).not.toBe(421);
    expect(await status('pacs.example')).not.toBe(421);
    expect(await status(`0.0.0.0:${running.port}`)).toBe(421);
    expect(await status(`attacker.example:${running.port}`)).toBe(421);
  } finally {
    await running.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
