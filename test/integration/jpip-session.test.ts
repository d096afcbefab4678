// JPIP sessions, channels and the HTTP binding (15444-9 Annex B, C.3, D.1, F): a channel sequence
// (zoom in, pan, zoom out) never receives a byte twice and ends decoding to exactly the original;
// a second gateway sharing the data folder continues the session; statuses per JPIP.md §2.1;
// POST form bodies, the path form, the Pixel Data Provider URL, the <uid>.jp2 alias, raw (JP2) and
// jpt-stream answers.

import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startServer, type RunningServer } from '../../src/server';
import { loadCodecs, type Codecs } from '../../src/codec';
import { ClientCache, type JpipMessage } from '../../src/jpip';
import { startTestServer, type TestServer } from './harness';
import {
  decode,
  eorReason,
  generateJ2kDicom,
  jpip,
  rebuild,
  regionDiff,
  stow,
  type GeneratedObject,
} from './jpip-helpers';

let server: TestServer;
let codecs: Codecs;
let img: GeneratedObject;

beforeAll(async () => {
  codecs = await loadCodecs();
  server = await startTestServer();
  img = generateJ2kDicom({
    width: 1024,
    height: 768,
    components: 1,
    bits: 12,
    opj: ['-p', 'RPCL', '-c', '[64,64]', '-n', '5', '-r', '30,8,1', '-t', '512,512'],
  });
  await stow(server.url, [img.file]);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

/** Records every received byte range per bin and fails on any overlap (a byte sent twice). */
class OverlapChecker {
  private readonly seen = new Map<string, [number, number][]>();
  add(m: JpipMessage): void {
    const k = `${m.csn}/${m.classId & ~1}/${m.binId}`;
    const list = this.seen.get(k) ?? [];
    const s = m.offset;
    const e = m.offset + m.data.length;
    for (const [a, b] of list)
      if (s < b && a < e) throw new Error(`bin ${k}: bytes ${Math.max(a, s)}..${Math.min(b, e)} received twice`);
    list.push([s, e]);
    this.seen.set(k, list);
  }
}

test('a channel: zoom in, pan, zoom out never repeats a byte; a full view then decodes exactly (B.2)', async () => {
  const base = `${server.url}/jpip?target=${img.sopInstanceUid}`;
  const first = await jpip(`${base}&fsiz=256,192&cnew=http&type=jpp-stream&qid=1`);
  expect(first.status).toBe(200);
  expect(first.headers.get('cache-control')).toBe('no-cache');
  const cnew = first.headers.get('jpip-cnew') ?? '';
  expect(cnew).toMatch(/^cid=[A-Za-z0-9]+,path=jpip,transport=http$/);
  expect(first.headers.get('jpip-qid')).toBe('1');
  const cid = /cid=([^,]+)/.exec(cnew)?.[1] ?? '';
  const cache = new ClientCache();
  const checker = new OverlapChecker();
  const take = (ms: JpipMessage[]): void =>
    ms.forEach((m) => {
      checker.add(m);
      cache.add(m);
    });
  take(first.messages);
  const sequence = [
    'fsiz=1024,768&roff=100,100&rsiz=200,200', // zoom in
    'fsiz=1024,768&roff=250,150&rsiz=200,200', // pan (overlaps the previous window)
    'fsiz=1024,768&roff=480,480&rsiz=100,100', // pan across the tile corner
    'fsiz=512,384', // zoom out
    'fsiz=512,384', // the same view again: nothing new
  ];
  const sizes: number[] = [];
  for (const q of sequence) {
    const r = await jpip(`${server.url}/jpip?cid=${cid}&${q}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('jpip-cnew')).toBeNull();
    take(r.messages);
    sizes.push(r.body.length);
  }
  expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(3); // EOR only
  const full = await jpip(`${server.url}/jpip?cid=${cid}&fsiz=1024,768`);
  take(full.messages);
  expect(eorReason(full)).toBe(1); // image done: the client now holds every bin
  const expected = decode(codecs, img.codestreams[0] as Uint8Array, false, 0);
  const actual = decode(codecs, rebuild(cache, 1, 0), false, 0);
  expect(regionDiff(expected, actual, 0, 0, 1024, 768)).toBe(0);
  const again = await jpip(`${server.url}/jpip?cid=${cid}&fsiz=1024,768&roff=3,3&rsiz=9,9`);
  expect(again.body.length).toBe(3);
  // cclose ends the channel; the cid is then unknown (404).
  const close = await jpip(`${server.url}/jpip?cid=${cid}&cclose=${cid}`);
  expect(close.status).toBe(200);
  expect((await jpip(`${server.url}/jpip?cid=${cid}&fsiz=64,48`)).status).toBe(404);
}, 120_000);

test('another gateway on the same data folder continues the session (B.2, persisted cache model)', async () => {
  const r1 = await jpip(`${server.url}/jpip?target=${img.sopInstanceUid}&fsiz=512,384&cnew=http`);
  const cid = /cid=([^,]+)/.exec(r1.headers.get('jpip-cnew') ?? '')?.[1] ?? '';
  let replica: RunningServer | undefined;
  try {
    replica = await startServer(
      readConfig({ port: '0', host: '127.0.0.1', data: server.dataDir, logLevel: 'silent' }, {}),
      createLogger('silent'),
    );
    const url = `http://127.0.0.1:${replica.port}`;
    const same = await jpip(`${url}/jpip?cid=${cid}&fsiz=512,384`);
    expect(same.status).toBe(200);
    expect(same.body.length).toBe(3);
    const more = await jpip(`${url}/jpip?cid=${cid}&fsiz=1024,768&roff=0,0&rsiz=64,64`);
    expect(more.messages.length).toBeGreaterThan(0);
    const back = await jpip(`${server.url}/jpip?cid=${cid}&fsiz=1024,768&roff=0,0&rsiz=64,64`);
    expect(back.body.length).toBe(3);
  } finally {
    await replica?.stop();
  }
}, 120_000);

test('stateless requests send everything again; a model= statement suppresses held bins (C.9.2)', async () => {
  const url = `${server.url}/jpip?target=${img.sopInstanceUid}&fsiz=128,96`;
  const a = await jpip(url);
  const b = await jpip(url);
  expect(b.body.equals(a.body)).toBe(true);
  const cache = new ClientCache();
  a.messages.forEach((m) => cache.add(m));
  const c = await jpip(`${url}&model=${encodeURIComponent(cache.modelString())}`);
  expect(c.body.length).toBe(3);
  // A stale tid makes the server ignore the model (D.2.2).
  const d = await jpip(`${url}&tid=stale&model=${encodeURIComponent(cache.modelString())}`);
  expect(d.body.length).toBe(a.body.length);
  expect(d.headers.get('jpip-tid')).toBe(a.headers.get('jpip-tid'));
}, 60_000);

test('HTTP binding: POST form body, path form, statuses (D.1, F.2; JPIP.md §2.1)', async () => {
  const uid = img.sopInstanceUid;
  const get = await jpip(`${server.url}/jpip?target=${uid}&fsiz=64,48`);
  const post = await jpip(`${server.url}/jpip`, { post: `target=${uid}&fsiz=64%2C48` });
  expect(post.status).toBe(200);
  expect(post.body.equals(get.body)).toBe(true);
  const pdp = await jpip(`${server.url}/jpip?target=${uid}`, { post: 'fsiz=64,48' });
  expect(pdp.body.equals(get.body)).toBe(true);
  const pathForm = await jpip(`${server.url}/jpip/${uid}?fsiz=64,48`);
  expect(pathForm.body.equals(get.body)).toBe(true);
  const status = async (q: string): Promise<number> => (await jpip(`${server.url}/jpip${q}`)).status;
  expect(await status(`?target=${uid}&fsiz=abc`)).toBe(400);
  expect(await status(`?target=${uid}&bogus=1`)).toBe(400);
  expect(await status('?fsiz=10,10')).toBe(400);
  expect(await status('?target=1.2.3.4.5&fsiz=10,10')).toBe(404);
  expect(await status('?cid=Cnope&fsiz=10,10')).toBe(404);
  expect(await status(`?target=${uid}&subtarget=0-100`)).toBe(501);
  expect(await status(`?target=${uid}&upload=jpp-stream`)).toBe(501);
  const pref = await jpip(`${server.url}/jpip?target=${uid}&pref=mbw:1M/r`);
  expect(pref.status).toBe(501);
  expect(pref.headers.get('jpip-pref')).toBe('mbw:1M/r');
  expect(pref.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(await status(`?target=${uid}&pref=fullwindow/r&fsiz=8,8`)).toBe(200);
  expect(await status(`?target=${uid}&type=image/png`)).toBe(415);
  expect((await fetch(`${server.url}/jpip?target=${uid}`, { method: 'PUT' })).status).toBe(405);
  expect(
    (await fetch(`${server.url}/jpip`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }))
      .status,
  ).toBe(415);
  const meta = await jpip(`${server.url}/jpip?target=${uid}&metareq=[*]!!`);
  expect(meta.messages.map((m) => [m.classId, m.binId, m.data.length, m.last])).toEqual([[8, 0, 0, true]]);
  // the JP2-view alias, in the field and in the path form (conformance/jpip.md "Targets")
  const jp2View = await jpip(`${server.url}/jpip?target=${uid}.jp2&metareq=[jp2h]!!`);
  expect(jp2View.messages.map((m) => [m.classId, Buffer.from(m.data.subarray(4, 8)).toString('latin1')])).toEqual([
    [8, 'jP  '],
    [8, 'ftyp'],
    [8, 'jp2h'],
    [8, 'phld'],
  ]);
  expect((await jpip(`${server.url}/jpip/${uid}.jp2?metareq=[jp2h]!!`)).body.equals(jp2View.body)).toBe(true);
  expect(jp2View.headers.get('jpip-tid')).not.toBe(meta.headers.get('jpip-tid'));
}, 60_000);

test('type=raw answers a JP2 file; jpt-stream answers whole tiles (C.7.3, A.3.4)', async () => {
  const uid = img.sopInstanceUid;
  const raw = await fetch(`${server.url}/jpip?target=${uid}&type=raw`);
  expect(raw.status).toBe(200);
  expect(raw.headers.get('content-type')).toBe('image/jp2');
  const jp2 = new Uint8Array(await raw.arrayBuffer());
  const expected = decode(codecs, img.codestreams[0] as Uint8Array, false, 0);
  expect(regionDiff(expected, codecs.decodeJ2k(jp2), 0, 0, 1024, 768)).toBe(0);
  const jpt = await jpip(`${server.url}/jpip?target=${uid}&type=jpt-stream&fsiz=1024,768&roff=600,100&rsiz=10,10`);
  expect(jpt.headers.get('content-type')).toBe('image/jpt-stream');
  const tiles = jpt.messages.filter((m) => m.classId === 4).map((m) => m.binId);
  expect(tiles).toEqual([1]);
}, 60_000);
