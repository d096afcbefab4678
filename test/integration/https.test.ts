// HTTPS served directly (FOVEA_TLS_CERT / FOVEA_TLS_KEY, docs/security.md "HTTPS"): certificates are
// made by `openssl` in the test; a real TLS client (node https, trusting only the test CA) gets
// /healthz and a QIDO-RS answer, HSTS is on every response, the default public URL is https://,
// TLS 1.1, a CBC suite and plain HTTP to the port fail, and an unusable key or certificate stops `fovea serve`
// with CONFIG_HTTP_TLS (exit code 2). Skipped when openssl is not installed.

import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { errorLine, exitCodeFor } from '../../src/cli/exit-codes';
import { runCli } from '../../src/cli/run';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startServer, type RunningServer } from '../../src/server';
import { haveOpenssl, makeTestPki, type TestPki } from '../tls-pki';

const d = haveOpenssl() ? describe : describe.skip;
if (!haveOpenssl()) console.warn('openssl not installed: HTTPS tests skipped');

interface Got {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(url: string, options: https.RequestOptions = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
  });
}

d('fovea serve over HTTPS', () => {
  let work = '';
  let pki: TestPki;
  let running: RunningServer;
  let base = '';
  const start = (env: Record<string, string>): Promise<RunningServer> =>
    startServer(
      readConfig(
        { port: '0', host: '127.0.0.1', data: path.join(work, 'data'), logLevel: 'silent' },
        { FOVEA_DIMSE_PORT: '0', ...env },
      ),
      createLogger('silent'),
    );

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-https-'));
    pki = makeTestPki(work);
    running = await start({ FOVEA_TLS_CERT: pki.cert, FOVEA_TLS_KEY: pki.key });
    base = `https://127.0.0.1:${running.port}`;
  });
  afterAll(async () => {
    await running?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('a TLS client trusting the test CA gets /healthz and QIDO-RS, with HSTS', async () => {
    const ca = fs.readFileSync(pki.ca);
    const health = await get(`${base}/healthz`, { ca });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    expect(health.headers['strict-transport-security']).toBe('max-age=31536000');
    const qido = await get(`${base}/dicomweb/studies`, { ca, headers: { accept: 'application/dicom+json' } });
    expect([200, 204]).toContain(qido.status);
    expect(qido.headers['strict-transport-security']).toBe('max-age=31536000');
    // The default public URL follows the scheme.
    expect(running.gateway.config.publicUrl).toBe(base);
  });

  test('the certificate is verified: a client without the CA is refused', async () => {
    await expect(get(`${base}/healthz`)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  test('TLS 1.2 with an AEAD suite and TLS 1.3 work; TLS 1.1, a CBC suite and plain HTTP fail', async () => {
    const ca = fs.readFileSync(pki.ca);
    const tls12 = { ca, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' } as const;
    expect((await get(`${base}/healthz`, tls12)).status).toBe(200);
    expect((await get(`${base}/healthz`, { ca, minVersion: 'TLSv1.3' })).status).toBe(200);
    await expect(
      get(`${base}/healthz`, { ca, maxVersion: 'TLSv1.1', minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' }),
    ).rejects.toThrow();
    await expect(
      get(`${base}/healthz`, { ca, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0' }),
    ).rejects.toThrow(/handshake failure|no shared cipher/i);
    const plain = new Promise<number>((resolve, reject) => {
      const req = http.get(`http://127.0.0.1:${running.port}/healthz`, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
    });
    await expect(plain).rejects.toThrow();
  });

  test('FOVEA_HSTS_MAX_AGE_S sets max-age; 0 sends no header', async () => {
    const ca = fs.readFileSync(pki.ca);
    for (const [value, expected] of [
      ['600', 'max-age=600'],
      ['0', undefined],
    ] as const) {
      const other = await start({ FOVEA_TLS_CERT: pki.cert, FOVEA_TLS_KEY: pki.key, FOVEA_HSTS_MAX_AGE_S: value });
      try {
        const r = await get(`https://127.0.0.1:${other.port}/healthz`, { ca });
        expect(r.status).toBe(200);
        expect(r.headers['strict-transport-security']).toBe(expected);
      } finally {
        await other.stop();
      }
    }
    // Plain HTTP never sends HSTS (RFC 6797 §7.2).
    const plain = await start({});
    try {
      const r = await new Promise<http.IncomingMessage>((resolve, reject) => {
        http.get(`http://127.0.0.1:${plain.port}/healthz`, resolve).on('error', reject);
      });
      r.resume();
      expect(r.headers['strict-transport-security']).toBeUndefined();
      expect(plain.gateway.config.publicUrl).toBe(`http://127.0.0.1:${plain.port}`);
    } finally {
      await plain.stop();
    }
  });

  test('a key that does not match, an unreadable file or only one of the two: CONFIG_HTTP_TLS', async () => {
    await expect(start({ FOVEA_TLS_CERT: pki.cert, FOVEA_TLS_KEY: pki.otherKey })).rejects.toMatchObject({
      code: 'CONFIG_HTTP_TLS',
    });
    await expect(
      start({ FOVEA_TLS_CERT: pki.cert, FOVEA_TLS_KEY: path.join(work, 'missing.key') }),
    ).rejects.toMatchObject({ code: 'CONFIG_HTTP_TLS' });
    await expect(start({ FOVEA_TLS_CERT: pki.key, FOVEA_TLS_KEY: pki.key })).rejects.toMatchObject({
      code: 'CONFIG_HTTP_TLS',
    });
    expect(() => readConfig({ data: work }, { FOVEA_TLS_CERT: pki.cert })).toThrow(/both FOVEA_TLS_CERT and/);
  });

  test('fovea serve with a mismatched key exits with code 2', async () => {
    const saved = { cert: process.env['FOVEA_TLS_CERT'], key: process.env['FOVEA_TLS_KEY'] };
    process.env['FOVEA_TLS_CERT'] = pki.cert;
    process.env['FOVEA_TLS_KEY'] = pki.otherKey;
    const err = await runCli(['serve', '--port', '0', '--data', path.join(work, 'data'), '--dimse-port', '0']).then(
      () => undefined,
      (e: unknown) => e,
    );
    for (const [k, v] of [
      ['FOVEA_TLS_CERT', saved.cert],
      ['FOVEA_TLS_KEY', saved.key],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    expect(err).toMatchObject({ code: 'CONFIG_HTTP_TLS' });
    expect(exitCodeFor(err)).toBe(2);
    expect(errorLine(err)).toMatch(/FOVEA_TLS_CERT \/ FOVEA_TLS_KEY cannot be used/);
  });
});
