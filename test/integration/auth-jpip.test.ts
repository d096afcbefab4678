// JPIP channels belong to the principal that opened them (docs/security.md): a cid used by another
// principal, or anonymously, is answered exactly like a cid that was never issued (404, same body);
// the owner keeps using it. Also on a loopback server without auth: a channel opened with a link
// token is not usable anonymously. A JPIP Referenced object retrieved with a link carries the link
// in its Pixel Data Provider URL, so a client holding only the object can open the pixels.

import { bufferSource } from '../../src/bytes';
import { parseDicom, Tags } from '../../src/dicom';
import { parseMultipart, startTestServer, stowBody, type TestServer } from './harness';
import { generateJ2kDicom, type GeneratedObject } from './jpip-helpers';
import { apiKey, call, type Reply } from './auth-helpers';

const JPIP_REFERENCED = '1.2.840.10008.1.2.4.94';

let secured: TestServer;
let open: TestServer;
let img: GeneratedObject;

beforeAll(async () => {
  img = generateJ2kDicom({ width: 128, height: 96, components: 1, bits: 8, opj: ['-n', '3'] });
  secured = await startTestServer({ FOVEA_AUTH: 'on' });
  open = await startTestServer();
  const { body, contentType } = stowBody([img.file]);
  const loader = apiKey(secured.running.gateway, 'loader', ['write']);
  for (const [s, token] of [
    [secured, loader],
    [open, undefined],
  ] as const) {
    const res = await call(`${s.url}/dicomweb/studies`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
      ...(token === undefined ? {} : { token }),
    });
    expect(res.status).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  await secured?.stop();
  await open?.stop();
});

function cidOf(res: Reply): string {
  const m = /cid=([^,]+)/.exec(res.headers['jpip-cnew'] ?? '');
  if (m?.[1] === undefined) throw new Error(`no channel granted: ${res.status} ${res.body.toString()}`);
  return m[1];
}

const withoutCid = (r: Reply, cid: string): [number, string] => [r.status, r.body.toString().split(cid).join('<cid>')];

test('a cid opened with one API key is refused to another key exactly as an unknown cid; the owner keeps it', async () => {
  const gw = secured.running.gateway;
  const first = apiKey(gw, 'viewer-1', ['read']);
  const second = apiKey(gw, 'viewer-2', ['read']);
  const opened = await call(`${secured.url}/jpip?target=${img.sopInstanceUid}&fsiz=32,32&cnew=http&type=jpp-stream`, {
    token: first,
  });
  expect(opened.status).toBe(200);
  const cid = cidOf(opened);
  const stolen = await call(`${secured.url}/jpip?cid=${cid}&fsiz=64,64`, { token: second });
  const unknown = await call(`${secured.url}/jpip?cid=C000000000000000000000000&fsiz=64,64`, { token: second });
  expect(stolen.status).toBe(404);
  expect(withoutCid(stolen, cid)).toEqual(withoutCid(unknown, 'C000000000000000000000000'));
  // POST with the cid in the body: the same.
  const posted = await call(`${secured.url}/jpip`, {
    method: 'POST',
    token: second,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `cid=${cid}&fsiz=64,64`,
  });
  expect(posted.status).toBe(404);
  // Anonymous on an auth-on server: 401 before the channel is even looked at.
  expect((await call(`${secured.url}/jpip?cid=${cid}&fsiz=64,64`)).status).toBe(401);
  const owner = await call(`${secured.url}/jpip?cid=${cid}&fsiz=64,64`, { token: first });
  expect(owner.status).toBe(200);
  expect(owner.body.length).toBeGreaterThan(0);
});

test('two links for the same study are two principals: neither can use the other one’s channel', async () => {
  const auth = secured.running.gateway.authenticator;
  const rec = secured.running.gateway.store.instances.getInstance(img.sopInstanceUid);
  if (rec === undefined) throw new Error('not stored');
  const l1 = auth.issueLink(rec.studyInstanceUid, 300).token;
  const l2 = auth.issueLink(rec.studyInstanceUid, 300).token;
  const opened = await call(`${secured.url}/jpip/${img.sopInstanceUid}?fsiz=32,32&cnew=http`, { query: l1 });
  expect(opened.status).toBe(200);
  const cid = cidOf(opened);
  expect((await call(`${secured.url}/jpip?cid=${cid}&fsiz=64,64`, { query: l2 })).status).toBe(404);
  expect((await call(`${secured.url}/jpip?cid=${cid}&fsiz=64,64`, { query: l1 })).status).toBe(200);
});

test('loopback without auth: a channel opened with a link token is 404 when used anonymously', async () => {
  const auth = open.running.gateway.authenticator;
  const rec = open.running.gateway.store.instances.getInstance(img.sopInstanceUid);
  if (rec === undefined) throw new Error('not stored');
  const link = auth.issueLink(rec.studyInstanceUid, 300).token;
  const opened = await call(`${open.url}/jpip?target=${img.sopInstanceUid}&fsiz=32,32&cnew=http`, { query: link });
  const cid = cidOf(opened);
  expect((await call(`${open.url}/jpip?cid=${cid}&fsiz=64,64`)).status).toBe(404);
  expect((await call(`${open.url}/jpip?cid=${cid}&fsiz=64,64`, { query: link })).status).toBe(200);
  // And anonymous channels stay anonymous: usable without credentials, not with the link.
  const anon = cidOf(await call(`${open.url}/jpip?target=${img.sopInstanceUid}&fsiz=32,32&cnew=http`));
  expect((await call(`${open.url}/jpip?cid=${anon}&fsiz=64,64`)).status).toBe(200);
  expect((await call(`${open.url}/jpip?cid=${anon}&fsiz=64,64`, { query: link })).status).toBe(404);
});

test('a JPIP Referenced object retrieved with a link carries the link in its Pixel Data Provider URL, which opens the pixels alone', async () => {
  const gw = secured.running.gateway;
  const rec = gw.store.instances.getInstance(img.sopInstanceUid);
  if (rec === undefined) throw new Error('not stored');
  const link = gw.authenticator.issueLink(rec.studyInstanceUid, 300).token;
  const url = `${secured.url}/dicomweb/studies/${rec.studyInstanceUid}/series/${rec.seriesInstanceUid}/instances/${rec.sopInstanceUid}`;
  const accept = `multipart/related; type="application/dicom"; transfer-syntax=${JPIP_REFERENCED}`;
  const providerUrl = async (init: { token?: string; query?: string }): Promise<string> => {
    const res = await call(url, { ...init, headers: { accept } });
    expect(res.status).toBe(200);
    const [part] = parseMultipart(res.body, res.headers['content-type'] ?? '');
    if (part === undefined) throw new Error('no part');
    const p = parseDicom(bufferSource(new Uint8Array(part.body)));
    return p.dataset.string(Tags.PixelDataProviderURL) ?? '';
  };
  // Link principal (token in the query or as a bearer header): the URL carries it, and a JPIP
  // client holding only the object opens the image with it.
  for (const init of [{ query: link }, { token: link }]) {
    const provider = await providerUrl(init);
    expect(provider).toBe(
      `${secured.url}/jpip?target=${encodeURIComponent(img.sopInstanceUid)}&token=${encodeURIComponent(link)}`,
    );
    const view = await fetch(`${provider}&fsiz=32,32&type=jpp-stream`);
    expect(view.status).toBe(200);
    expect(view.headers.get('jpip-tid')).toMatch(/^T[0-9A-F]{32}$/i);
  }
  // Any other principal: no credential is written into the object.
  const key = apiKey(gw, 'pacs-reader', ['read']);
  const plain = await providerUrl({ token: key });
  expect(plain).toBe(`${secured.url}/jpip?target=${encodeURIComponent(img.sopInstanceUid)}`);
  expect((await fetch(`${plain}&fsiz=32,32`)).status).toBe(401);
});
