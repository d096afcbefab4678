// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// The reverse-proxy recipe of docs/security.md, run for real: deploy/nginx/fovea.conf (only its
// listen port, upstream port and PEM paths substituted) in Debian's nginx (package nginx-light,
// .ci/run), TLS terminated by nginx with a certificate made by `openssl` here, Fovea on loopback
// with FOVEA_PUBLIC_URL=https://pacs-gw.example:<nginx port> and FOVEA_AUTH=on. Through nginx over
// HTTPS, with an API key and the client's Host passed through to Fovea's Host guard: STOW-RS,
// QIDO-RS, WADO-RS metadata, a frame and bulk data, a JPIP Referenced instance and the JPIP request
// its Pixel Data Provider URL names; every URL Fovea hands out is the public https one, frame and
// JPIP bytes equal what Fovea sends directly, and a link issued through nginx works through it.
// Skipped with a message when nginx or openssl is not installed.

import { spawn, type ChildProcess } from 'node:child_process';
import * as dns from 'node:dns';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as dicomParser from 'dicom-parser';
import { generateApiKey, hashApiKey } from '../../src/auth';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startServer, type RunningServer } from '../../src/server';
import { parseMultipart, stowBody } from '../../test/integration/harness';
import { haveOpenssl, makeTestPki } from '../../test/tls-pki';
import { DICOM_DIR, REPO_ROOT, TS } from './dicomweb-helpers';
import { freePort, hasCommand } from './peer-tools';

const NGINX = hasCommand('nginx') ? 'nginx' : fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : undefined;
const READY = NGINX !== undefined && haveOpenssl();
if (!READY)
  console.warn('nginx (Debian package nginx-light) or openssl not installed: reverse-proxy recipe test skipped');
const d = READY ? describe : describe.skip;

const RECIPE = path.join(REPO_ROOT, 'deploy', 'nginx', 'fovea.conf');
const NAME = 'pacs-gw.example';
const FILE = 'CT_small.dcm';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** The recipe with the test's ports and files; each substituted text must occur exactly once. */
function recipe(nginxPort: number, foveaPort: number, cert: string, key: string): string {
  let text = fs.readFileSync(RECIPE, 'utf8');
  const subs: [string, string][] = [
    ['listen 443 ssl;', `listen 127.0.0.1:${nginxPort} ssl;`],
    ['server 127.0.0.1:8080;', `server 127.0.0.1:${foveaPort};`],
    ['/etc/ssl/fovea/fullchain.pem;', `${cert};`],
    ['/etc/ssl/fovea/privkey.pem;', `${key};`],
  ];
  for (const [from, to] of subs) {
    expect({ from, count: text.split(from).length - 1 }).toEqual({ from, count: 1 });
    text = text.replace(from, to);
  }
  return text;
}

d('nginx reverse-proxy recipe (deploy/nginx/fovea.conf)', () => {
  let work = '';
  let nginx: ChildProcess | undefined;
  let nginxLog = '';
  let fovea: RunningServer;
  let publicUrl = '';
  let ca: Buffer;
  let apiKey = '';
  // pacs-gw.example resolves to the loopback address nginx listens on.
  const lookup: net.LookupFunction = (hostname, options, callback) =>
    dns.lookup(hostname === NAME ? '127.0.0.1' : hostname, options, callback);

  /** A request through nginx (the URL must be under the public URL): TLS verified against the test CA. */
  function viaProxy(url: string, options: { method?: string; headers?: http.OutgoingHttpHeaders; body?: Buffer } = {}) {
    expect(url.startsWith(`${publicUrl}/`)).toBe(true);
    // The key by default; `authorization: ''` sends none.
    const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${apiKey}`, ...options.headers };
    if (headers['authorization'] === '') delete headers['authorization'];
    return send(https, url, { ...options, headers, ca, lookup });
  }
  /** The same request straight to Fovea on loopback. */
  function direct(url: string, headers: http.OutgoingHttpHeaders = {}): Promise<Reply> {
    const auth = { authorization: `Bearer ${apiKey}`, ...headers };
    return send(http, url.replace(publicUrl, `http://127.0.0.1:${fovea.port}`), { headers: auth });
  }

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-nginx-'));
    const pki = makeTestPki(work, [NAME]);
    ca = fs.readFileSync(pki.ca);
    const nginxPort = await freePort();
    publicUrl = `https://${NAME}:${nginxPort}`;
    fovea = await startServer(
      readConfig(
        { port: '0', host: '127.0.0.1', data: path.join(work, 'data'), logLevel: 'silent' },
        { FOVEA_DIMSE_PORT: '0', FOVEA_PUBLIC_URL: publicUrl, FOVEA_AUTH: 'on' },
      ),
      createLogger('silent'),
    );
    // An API key (as `fovea key create --scope read,write`): the Authorization header must pass nginx.
    apiKey = generateApiKey();
    fovea.gateway.store.credentials.addApiKey({
      name: 'proxy-test',
      keyHash: hashApiKey(apiKey),
      permissions: ['read', 'write'],
      createdAt: Date.now(),
      lastUsedAt: null,
      revokedAt: null,
    });
    const prefix = path.join(work, 'nginx');
    for (const dir of ['', 'body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
      fs.mkdirSync(path.join(prefix, dir), { recursive: true });
    fs.writeFileSync(path.join(prefix, 'fovea.conf'), recipe(nginxPort, fovea.port, pki.cert, pki.key));
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((k) => `  ${k}_temp_path ${path.join(prefix, k === 'client_body' ? 'body' : k)};`)
      .join('\n');
    fs.writeFileSync(
      path.join(prefix, 'nginx.conf'),
      [
        process.getuid?.() === 0 ? 'user root;' : '',
        'worker_processes 1;',
        'events { worker_connections 64; }',
        'http {',
        `  access_log ${path.join(prefix, 'access.log')};`,
        temp,
        `  include ${path.join(prefix, 'fovea.conf')};`,
        '}',
        '',
      ].join('\n'),
    );
    const errorLog = path.join(prefix, 'error.log');
    nginx = spawn(
      NGINX as string,
      [
        '-e',
        errorLog,
        '-c',
        path.join(prefix, 'nginx.conf'),
        '-p',
        prefix,
        '-g',
        `daemon off; pid ${path.join(prefix, 'nginx.pid')}; error_log ${errorLog} info;`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    nginx.stdout?.on('data', (c: Buffer) => (nginxLog += c.toString()));
    nginx.stderr?.on('data', (c: Buffer) => (nginxLog += c.toString()));
    // Ready when /healthz answers through it (or fail with nginx's own words).
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (nginx.exitCode !== null) throw new Error(`nginx exited: ${nginxLog}${fs.readFileSync(errorLog, 'utf8')}`);
      const ok = await viaProxy(`${publicUrl}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`nginx did not come up: ${nginxLog}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    if (nginx !== undefined && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx?.once('exit', r));
      nginx.kill('SIGTERM');
      await exited;
    }
    await fovea?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('STOW-RS, QIDO-RS, WADO-RS metadata, frame and bulk data, JPIP: public https URLs throughout', async () => {
    // STOW-RS through nginx (request body streamed: proxy_request_buffering off).
    const { body, contentType } = stowBody([fs.readFileSync(path.join(DICOM_DIR, FILE))]);
    const stow = await viaProxy(`${publicUrl}/dicomweb/studies`, {
      method: 'POST',
      headers: { 'content-type': contentType, accept: 'application/dicom+json' },
      body,
    });
    expect(stow.status).toBe(200);
    expect(stow.headers['strict-transport-security']).toBe('max-age=31536000');
    const stowJson = JSON.parse(stow.body.toString()) as Record<string, { Value?: unknown[] }>;
    const studyUrl = stowJson['00081190']?.Value?.[0] as string;
    const item = stowJson['00081199']?.Value?.[0] as Record<string, { Value?: unknown[] }>;
    const instanceUrl = item['00081190']?.Value?.[0] as string;
    expect(studyUrl).toMatch(new RegExp(`^${publicUrl.replace(/\./g, '\\.')}/dicomweb/studies/[0-9.]+$`));
    const m = /\/studies\/([0-9.]+)\/series\/([0-9.]+)\/instances\/([0-9.]+)$/.exec(instanceUrl);
    expect(instanceUrl.startsWith(`${publicUrl}/dicomweb/studies/`)).toBe(true);
    const [, study, series, sop] = m as RegExpExecArray;

    // QIDO-RS: the RetrieveURL is public.
    const qido = await viaProxy(`${publicUrl}/dicomweb/studies?StudyInstanceUID=${study}`, {
      headers: { accept: 'application/dicom+json' },
    });
    expect(qido.status).toBe(200);
    const found = JSON.parse(qido.body.toString()) as Record<string, { Value?: unknown[] }>[];
    expect(found).toHaveLength(1);
    expect(found[0]?.['00081190']?.Value?.[0]).toBe(studyUrl);

    // WADO-RS metadata: Pixel Data is a BulkDataURI under the public URL, and it is served through nginx.
    const meta = await viaProxy(`${instanceUrl}/metadata`, { headers: { accept: 'application/dicom+json' } });
    expect(meta.status).toBe(200);
    const pixel = (JSON.parse(meta.body.toString()) as Record<string, { BulkDataURI?: string }>[])[0]?.['7FE00010'];
    expect(pixel?.BulkDataURI?.startsWith(`${publicUrl}/dicomweb/`)).toBe(true);
    const bulk = await viaProxy(pixel?.BulkDataURI as string, {
      headers: { accept: 'multipart/related; type="application/octet-stream"' },
    });
    expect(bulk.status).toBe(200);

    // A frame (multipart, unbuffered): byte for byte what Fovea sends directly.
    const frameUrl = `${publicUrl}/dicomweb/studies/${study}/series/${series}/instances/${sop}/frames/1`;
    const accept = { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' };
    const frame = await viaProxy(frameUrl, { headers: accept });
    expect(frame.status).toBe(200);
    const parts = parseMultipart(frame.body, String(frame.headers['content-type']));
    expect(parts).toHaveLength(1);
    expect(parts[0]?.body.length).toBeGreaterThan(1000);
    const frameDirect = await direct(frameUrl, accept);
    expect(parseMultipart(frameDirect.body, String(frameDirect.headers['content-type']))[0]?.body).toEqual(
      parts[0]?.body,
    );

    // JPIP Referenced (Supplement 106): the Pixel Data Provider URL is public and answers JPIP through nginx.
    const jref = await viaProxy(instanceUrl, {
      headers: { accept: `multipart/related; type="application/dicom"; transfer-syntax=${TS.jpip}` },
    });
    expect(jref.status).toBe(200);
    const part10 = parseMultipart(jref.body, String(jref.headers['content-type']))[0]?.body as Buffer;
    const provider = dicomParser.parseDicom(new Uint8Array(part10)).string('x00287fe0') ?? '';
    expect(provider).toBe(`${publicUrl}/jpip?target=${sop}`);
    const view = `${provider}&fsiz=128,128&type=jpp-stream`;
    const jpip = await viaProxy(view);
    expect(jpip.status).toBe(200);
    expect(jpip.headers['content-type']).toMatch(/^image\/jpp-stream/);
    expect(jpip.body.length).toBeGreaterThan(100);
    expect(jpip.body).toEqual((await direct(view)).body);
    // A JPIP session through nginx: the channel's response headers come through.
    const session = await viaProxy(`${provider}&fsiz=64,64&type=jpp-stream&cnew=http`);
    expect(session.status).toBe(200);
    expect(session.headers['jpip-cnew']).toMatch(/cid=/);
    // A study-scoped link issued through nginx is a public URL that works through nginx without the key.
    const link = await viaProxy(`${publicUrl}/api/links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ study, ttl: '5m', kind: 'wado' })),
    });
    expect(link.status).toBe(201);
    const linkUrl = (JSON.parse(link.body.toString()) as { url: string }).url;
    expect(linkUrl.startsWith(`${publicUrl}/dicomweb/studies/${study}?token=`)).toBe(true);
    const byLink = await viaProxy(linkUrl.replace(`/studies/${study}?`, `/studies/${study}/metadata?`), {
      headers: { authorization: '', accept: 'application/dicom+json' },
    });
    expect(byLink.status).toBe(200);
    const anonymous = await viaProxy(`${publicUrl}/dicomweb/studies`, { headers: { authorization: '' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="fovea"');

    // It all went through nginx: its access log has the requests.
    const access = fs.readFileSync(path.join(work, 'nginx', 'access.log'), 'utf8');
    for (const line of ['"POST /dicomweb/studies HTTP/1.1" 200', `/frames/1 HTTP/1.1" 200`, '"GET /jpip?target='])
      expect(access).toContain(line);
  });

  test('a name the recipe does not serve is refused by Fovea behind nginx (Host passed through)', async () => {
    // nginx forwards the client's Host; Fovea's guard answers 421 for a rebound name.
    const r = await send(https, `${publicUrl}/dicomweb/studies`, {
      ca,
      lookup,
      headers: { host: 'attacker.example', accept: 'application/dicom+json' },
      servername: NAME,
    });
    expect(r.status).toBe(421);
    expect(JSON.parse(r.body.toString())).toMatchObject({ code: 'HTTP_MISDIRECTED_HOST' });
  });
});

function send(
  mod: typeof http | typeof https,
  url: string,
  options: https.RequestOptions & { body?: Buffer },
): Promise<Reply> {
  const { body, ...rest } = options;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method: 'GET', ...rest }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}
