// Fuzz of the running JPIP server (issue #4 "Bad requests"): thousands of random and mutated
// requests (GET and POST) → never a 500, never a hang (each request has a deadline), and every
// 200 jpp/jpt-stream body parses completely and ends with an EOR (15444-9 A.2, D.3). 501 is a
// deliberate answer (unsupported subtarget/upload/need/required pref, D.1), not a crash.

import fc from 'fast-check';
import { JpipStreamReader } from '../../src/jpip';
import { startTestServer, type TestServer } from './harness';
import { generateJ2kDicom, stow } from './jpip-helpers';

let server: TestServer;
let uid: string;
let cid: string;

beforeAll(async () => {
  server = await startTestServer();
  const img = generateJ2kDicom({
    width: 200,
    height: 150,
    components: 3,
    bits: 8,
    opj: ['-p', 'RPCL', '-c', '[32,32]', '-n', '4', '-r', '10,3,1', '-t', '96,96'],
    frames: 2,
  });
  uid = img.sopInstanceUid;
  await stow(server.url, [img.file]);
  const r = await fetch(`${server.url}/jpip?target=${uid}&cnew=http&fsiz=8,8`);
  cid = /cid=([^,]+)/.exec(r.headers.get('jpip-cnew') ?? '')?.[1] ?? '';
  await r.arrayBuffer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const ALLOWED = new Set([200, 400, 404, 405, 413, 415, 501]);

const VALUES: Record<string, string[]> = {
  target: ['UID', 'UID', '1.2.3', '', '%00', 'a&b'],
  cid: ['CID', 'C00', '*'],
  cnew: ['http', 'http-tcp', 'http,http-tcp', 'udp', ''],
  cclose: ['CID', '*', 'x,y'],
  stream: ['1', '2', '0', '1-2', '2-', '1:2', '0-100000', '4294967295', '-1', 'a'],
  fsiz: ['200,150', '1,1', '100,75,closest', '4294967295,4294967295', '0,5', '10,10,round-up', '10,10,bad', '1e3,5'],
  roff: ['0,0', '199,149', '5000,5000', '4294967295,1', '-1,0', '3'],
  rsiz: ['1,1', '200,150', '4294967295,4294967295', '0,0', ',', '1,1,1'],
  comps: ['0', '0-2', '2,0', '5', '0-', '1-0', '16383', '99999'],
  layers: ['0', '1', '3', '65535', '65536', 'x'],
  len: ['0', '1', '2', '100', '4000', '99999999999', '-3'],
  quality: ['-1', '0', '50', '101'],
  type: [
    'jpp-stream',
    'jpt-stream',
    'raw',
    'jpp-stream;ptype=ext',
    'jpt-stream;ttype=ext',
    'image/png',
    'jpp-stream;ptype=x',
    'jpt-stream,jpp-stream',
  ],
  model: ['Hm', 'H*', 'P0:5', '-P3', '[1-2]P*', 't0c1r2p3', 'M0', 'P99999999', 'Hm,H0,P0:L2', '[', 'P0:L'],
  tid: ['0', 'T00', 'x'],
  qid: ['1', '0', '4294967296'],
  metareq: ['[*]', '[jp2h]!!', '[*]R0D1', '[', '[xml_:r/wsga!]'],
  align: ['yes', 'no', 'maybe'],
  wait: ['yes', 'no', ''],
  pref: ['fullwindow', 'mbw:1M/r', 'progressive/r', 'csf:density:1;0.5,2', '/r'],
  subtarget: ['0-10', '[1]'],
  need: ['P0', 'Hm'],
  upload: ['jpp-stream'],
  context: ['jpxl<0-3>', 'bad'],
  roi: ['dynamic'],
  srate: ['1.5', 'x'],
  bogus: ['1'],
};

const fieldArb = fc
  .constantFrom(...Object.keys(VALUES))
  .chain((name) =>
    fc
      .oneof(
        { weight: 4, arbitrary: fc.constantFrom(...(VALUES[name] ?? [''])) },
        { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
        { weight: 1, arbitrary: fc.stringMatching(/^[0-9,:\-*[\]]{0,12}$/) },
      )
      .map((v) => [name, v] as const),
  );

const queryArb = fc
  .tuple(
    fc.array(fieldArb, { minLength: 0, maxLength: 7 }),
    fc.boolean(),
    fc.boolean(),
    fc.nat(40),
    fc.integer({ min: 0, max: 255 }),
  )
  .map(([fields, post, mutate, at, byte]) => {
    let q = fields.map(([k, v]) => `${k}=${encodeURIComponent(v.replace('UID', uid).replace('CID', cid))}`).join('&');
    if (mutate && q.length > 0) {
      const i = at % q.length;
      q = `${q.slice(0, i)}${encodeURIComponent(String.fromCharCode(byte))}${q.slice(i + 1)}`;
    }
    return { q, post };
  });

async function send(q: string, post: boolean): Promise<{ status: number; type: string; body: Uint8Array }> {
  const signal = AbortSignal.timeout(15_000);
  const res = post
    ? await fetch(`${server.url}/jpip`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: q,
        signal,
      })
    : await fetch(`${server.url}/jpip?${q}`, { signal });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: new Uint8Array(await res.arrayBuffer()),
  };
}

test('random and mutated requests: no 5xx but 501, no hang, well-formed bodies', async () => {
  await fc.assert(
    fc.asyncProperty(queryArb, async ({ q, post }) => {
      const r = await send(q, post);
      if (!ALLOWED.has(r.status)) throw new Error(`status ${r.status} for ${post ? 'POST' : 'GET'} ${q}`);
      if (r.status === 200 && /jp[pt]-stream/.test(r.type)) {
        const reader = new JpipStreamReader();
        const events = reader.push(r.body);
        reader.end();
        if (events[events.length - 1]?.kind !== 'eor') throw new Error(`no EOR for ${q}`);
      }
    }),
    { numRuns: 2000, seed: 4242 },
  );
  // The server still answers normally afterwards.
  expect((await send(`target=${uid}&fsiz=20,15`, false)).status).toBe(200);
}, 600_000);
