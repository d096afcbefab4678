// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// JPIP server, differential (issue #4 "Proof"): real gateway, STOW of J2K/HTJ2K objects from
// ../shared/data and generated ones (opj_compress: tiles, precincts, layers, RPCL/LRCP, image
// offsets), then per frame a set of views (whole image at several fsiz, full-resolution windows
// anywhere incl. not at 0,0 and crossing tile borders, layer and component subsets). Each
// response is parsed with src/jpip into a ClientCache, rebuilt with src/j2k and decoded with
// src/codec; inside the requested region it must equal the original decoded at the same
// resolution and layers (15444-9 C.4, A.3; 15444-1 B.6, F.3).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCodecs, type Codecs } from '../../src/codec';
import { parseMainHeader } from '../../src/j2k';
import { ClientCache, frameSizeAt, imageGeometry } from '../../src/jpip';
import { DICOM_DIR, startTestServer, type TestServer } from './harness';
import { readOriginal } from './oracle';
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

interface Target {
  name: string;
  uid: string;
  codestreams: Uint8Array[];
  htj2k: boolean;
  /** Components may be served separately (no multi-component transform). */
  compsIndependent: boolean;
}
const targets: Target[] = [];

const SHARED = [
  'MR_small_jp2klossless.dcm',
  'US1_J2KR.dcm',
  'GDCMJ2K_TextGBR.dcm',
  'JPEG2000.dcm',
  'MAROTECH_CT_JP2Lossy.dcm',
  'emri_small_jpeg_2k_lossless.dcm',
  'HTJ2KLossless_08_RGB.dcm',
  'RG3_J2KR.dcm',
  '966_fixed.dcm',
  'liver_j2k.dcm',
];

let big: GeneratedObject;
let rgb: GeneratedObject;
let offset: GeneratedObject;

beforeAll(async () => {
  codecs = await loadCodecs();
  server = await startTestServer();
  big = generateJ2kDicom({
    width: 2048,
    height: 2048,
    components: 1,
    bits: 12,
    opj: ['-p', 'RPCL', '-c', '[128,128]', '-n', '6', '-r', '40,10,1', '-t', '1024,1024'],
  });
  rgb = generateJ2kDicom({
    width: 300,
    height: 200,
    components: 3,
    bits: 8,
    opj: ['-p', 'LRCP', '-c', '[64,64]', '-n', '4', '-r', '8,1', '-mct', '0', '-t', '128,96'],
    frames: 2,
  });
  offset = generateJ2kDicom({
    width: 257,
    height: 190,
    components: 1,
    bits: 16,
    opj: ['-p', 'PCRL', '-d', '13,7', '-n', '3', '-r', '5,1', '-c', '[32,32]', '-b', '16,16'],
  });
  const files = SHARED.map((f) => fs.readFileSync(path.join(DICOM_DIR, f)));
  const stored = await stow(server.url, [...files, big.file, rgb.file, offset.file]);
  for (const f of SHARED) {
    const o = readOriginal(path.join(DICOM_DIR, f));
    if (!stored.has(o.sopInstanceUid)) continue; // refused by STOW (e.g. a SOP Class / IOD mismatch)
    targets.push({
      name: f,
      uid: o.sopInstanceUid,
      codestreams: o.frames,
      htj2k: f.startsWith('HTJ2K'),
      compsIndependent: false,
    });
  }
  targets.push({
    name: 'generated-2048',
    uid: big.sopInstanceUid,
    codestreams: big.codestreams,
    htj2k: false,
    compsIndependent: true,
  });
  targets.push({
    name: 'generated-rgb',
    uid: rgb.sopInstanceUid,
    codestreams: rgb.codestreams,
    htj2k: false,
    compsIndependent: true,
  });
  targets.push({
    name: 'generated-offset',
    uid: offset.sopInstanceUid,
    codestreams: offset.codestreams,
    htj2k: false,
    compsIndependent: true,
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

function target(name: string): Target {
  const t = targets.find((x) => x.name === name);
  if (t === undefined) throw new Error(`no target ${name}`);
  return t;
}

/** Requests `query` for frame `frame`, rebuilds, decodes and compares the served region. */
async function checkView(
  t: Target,
  frame: number,
  query: string,
  opts: { layers?: number; comps?: number[] } = {},
): Promise<{ bytes: number; diff: number }> {
  const r = await jpip(`${server.url}/jpip?target=${t.uid}&stream=${frame}&${query}`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('image/jpp-stream');
  expect([1, 2]).toContain(eorReason(r));
  const cache = new ClientCache();
  for (const m of r.messages) cache.add(m);
  const fsiz = (r.headers.get('jpip-fsiz') ?? '').split(',').map(Number);
  const q = new URLSearchParams(query);
  const [fx, fy] = fsiz.length === 2 ? fsiz : (q.get('fsiz') ?? '').split(',').map(Number);
  const roff = (r.headers.get('jpip-roff') ?? q.get('roff') ?? '0,0').split(',').map(Number);
  const rsiz = (r.headers.get('jpip-rsiz') ?? q.get('rsiz') ?? `${fx},${fy}`).split(',').map(Number);
  const original = t.codestreams[frame - 1] as Uint8Array;
  const g = imageGeometry(parseMainHeader(original));
  let reduce = 0;
  while (reduce < 33 && frameSizeAt(g, reduce).fx > (fx ?? 0)) reduce++;
  const expected = decode(codecs, original, t.htj2k, reduce, opts.layers);
  const actual = decode(codecs, rebuild(cache, frame, reduce, opts.layers), t.htj2k, reduce, opts.layers);
  const [x0 = 0, y0 = 0] = roff;
  const w = Math.min(rsiz[0] ?? 0, expected.width - x0);
  const h = Math.min(rsiz[1] ?? 0, expected.height - y0);
  return { bytes: r.body.length, diff: regionDiff(expected, actual, x0, y0, w, h, opts.comps) };
}

test('whole image at several fsiz, every target (15444-9 C.4.2)', async () => {
  for (const t of targets) {
    for (let frame = 1; frame <= Math.min(t.codestreams.length, 2); frame++) {
      const g = imageGeometry(parseMainHeader(t.codestreams[frame - 1] as Uint8Array));
      const full = frameSizeAt(g, 0);
      for (const div of [1, 2, 4, 16]) {
        const fx = Math.ceil(full.fx / div);
        const fy = Math.ceil(full.fy / div);
        const { diff } = await checkView(t, frame, `fsiz=${fx},${fy}`);
        expect({ t: t.name, frame, div, diff }).toEqual({ t: t.name, frame, div, diff: 0 });
      }
    }
  }
}, 600_000);

test('full-resolution and reduced windows anywhere, incl. off 0,0 and across tile borders (C.4.3, C.4.4)', async () => {
  const views: [string, string][] = [
    ['generated-2048', 'fsiz=2048,2048&roff=1000,1000&rsiz=100,100'], // crosses the 4 tile corners
    ['generated-2048', 'fsiz=2048,2048&roff=1537,211&rsiz=333,150'],
    ['generated-2048', 'fsiz=2048,2048&roff=2000,2000&rsiz=48,48'],
    ['generated-2048', 'fsiz=512,512&roff=100,300&rsiz=200,100'],
    ['generated-2048', 'fsiz=1000,1000,round-up&roff=250,250&rsiz=10,10'],
    ['generated-2048', 'fsiz=600,600,closest&roff=255,1&rsiz=3,300'],
    ['generated-rgb', 'fsiz=300,200&roff=120,90&rsiz=30,20'],
    ['generated-offset', 'fsiz=257,190&roff=100,33&rsiz=64,64'],
    ['generated-offset', 'fsiz=129,95&roff=1,1&rsiz=50,40'],
    ['US1_J2KR.dcm', 'fsiz=640,480&roff=301,77&rsiz=90,120'],
    ['GDCMJ2K_TextGBR.dcm', 'fsiz=400,400&roff=120,120&rsiz=20,20'],
    ['966_fixed.dcm', 'fsiz=2000,2128&roff=1200,700&rsiz=256,256'],
    ['RG3_J2KR.dcm', 'fsiz=440,440&roff=200,150&rsiz=64,64'],
    ['HTJ2KLossless_08_RGB.dcm', 'fsiz=640,480&roff=333,222&rsiz=77,55'],
    ['JPEG2000.dcm', 'fsiz=256,1024&roff=50,600&rsiz=40,100'],
  ];
  for (const [name, query] of views) {
    const t = targets.find((x) => x.name === name);
    if (t === undefined) continue;
    const { diff } = await checkView(t, 1, query);
    expect({ name, query, diff }).toEqual({ name, query, diff: 0 });
  }
  // A window is cheaper than the whole image.
  const t = target('generated-2048');
  const win = await jpip(`${server.url}/jpip?target=${t.uid}&fsiz=2048,2048&roff=1000,1000&rsiz=100,100`);
  const whole = await jpip(`${server.url}/jpip?target=${t.uid}&fsiz=2048,2048`);
  expect(win.body.length * 20).toBeLessThan(whole.body.length);
}, 600_000);

test('layer and component subsets (C.4.5, C.4.10)', async () => {
  const t = target('generated-2048');
  for (const layers of [1, 2]) {
    const { diff } = await checkView(t, 1, `fsiz=1024,1024&roff=300,400&rsiz=200,200&layers=${layers}`, { layers });
    expect({ layers, diff }).toEqual({ layers, diff: 0 });
  }
  const more = await jpip(`${server.url}/jpip?target=${t.uid}&fsiz=64,64&layers=9`);
  expect(more.headers.get('jpip-layers')).toBe('3');
  const rgbT = target('generated-rgb');
  for (const frame of [1, 2]) {
    const { diff } = await checkView(rgbT, frame, 'fsiz=150,100&comps=1', { comps: [1] });
    expect(diff).toBe(0);
    const two = await checkView(rgbT, frame, 'fsiz=300,200&roff=10,10&rsiz=100,100&comps=0,2', { comps: [0, 2] });
    expect(two.diff).toBe(0);
  }
  const comp1 = await jpip(`${server.url}/jpip?target=${rgbT.uid}&fsiz=150,100&comps=1`);
  const all = await jpip(`${server.url}/jpip?target=${rgbT.uid}&fsiz=150,100`);
  expect(comp1.body.length * 2).toBeLessThan(all.body.length);
  expect((await jpip(`${server.url}/jpip?target=${rgbT.uid}&comps=1-9`)).headers.get('jpip-comps')).toBe('1-2');
}, 300_000);

test('multi-frame targets: stream=n is DICOM frame n, omitted = frame 1 (PS3.5 §8.4.1)', async () => {
  const t = target('generated-rgb');
  const none = await jpip(`${server.url}/jpip?target=${t.uid}&fsiz=75,50`);
  expect(none.headers.get('jpip-stream')).toBe('1');
  expect(new Set(none.messages.map((m) => m.csn))).toEqual(new Set([1]));
  const both = await jpip(`${server.url}/jpip?target=${t.uid}&fsiz=75,50&stream=1-2`);
  expect(both.headers.get('jpip-stream')).toBeNull();
  expect(new Set(both.messages.map((m) => m.csn))).toEqual(new Set([1, 2]));
  const clipped = await jpip(`${server.url}/jpip?target=${t.uid}&fsiz=75,50&stream=2-7`);
  expect(clipped.headers.get('jpip-stream')).toBe('2');
  expect((await jpip(`${server.url}/jpip?target=${t.uid}&stream=5`)).status).toBe(400);
  const emri = targets.find((x) => x.name === 'emri_small_jpeg_2k_lossless.dcm');
  if (emri !== undefined) expect((await checkView(emri, 7, 'fsiz=64,64&roff=10,20&rsiz=30,30')).diff).toBe(0);
}, 120_000);

test('len budget: headers+bodies counted, EOR 4, always progress, JPIP-len (C.6.1, D.2.12, D.3)', async () => {
  const t = target('generated-2048');
  const url = `${server.url}/jpip?target=${t.uid}&fsiz=512,512`;
  for (const len of [1, 40, 333, 5000, 12345]) {
    const r = await jpip(`${url}&len=${len}`);
    const eorBytes = 3;
    expect(r.body.length - eorBytes).toBeLessThanOrEqual(len);
    expect(eorReason(r)).toBe(4);
    // The last message is cut to fill the budget (to within one byte: a VBAS length may grow by one).
    if (len >= 40) expect(r.body.length - eorBytes).toBeGreaterThanOrEqual(len - 1);
  }
  const zero = await jpip(`${url}&len=0`);
  expect(zero.messages).toHaveLength(0);
  expect(eorReason(zero)).toBe(4);
  const tiny = await jpip(`${url}&len=2`);
  expect(tiny.messages).toHaveLength(0);
  expect(Number(tiny.headers.get('jpip-len'))).toBeGreaterThan(2);
  // Stateless continuation with model=: the client's cache after several len-limited answers
  // is complete, and each answer carries only new bytes.
  const cache = new ClientCache();
  let rounds = 0;
  for (;;) {
    const model = cache.modelString();
    const r = await jpip(`${url}&len=20000${model === '' ? '' : `&model=${encodeURIComponent(model)}`}`);
    expect(r.status).toBe(200);
    for (const m of r.messages) {
      const held = cache.get(m.csn, m.classId, m.binId);
      expect(m.offset).toBeGreaterThanOrEqual(held?.prefix.length ?? 0);
      cache.add(m);
    }
    rounds++;
    if (eorReason(r) !== 4 || rounds > 200) break;
  }
  expect(rounds).toBeGreaterThan(2);
  const expected = decode(codecs, t.codestreams[0] as Uint8Array, false, 2);
  const actual = decode(codecs, rebuild(cache, 1, 2), false, 2);
  expect(regionDiff(expected, actual, 0, 0, 512, 512)).toBe(0);
}, 300_000);
