// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// `fovea jpip` against the real gateway: J2K DICOM objects stored by STOW-RS, retrieved as JPIP
// Referenced (.94) to learn the Pixel Data Provider URL (0028,7FE0), which the client then uses
// unchanged (PS3.5 §8.4.1: frame n = stream n). Views anywhere (also away from 0,0), at reduced
// resolutions and on a session must decode to exactly the stored frame's pixels in that region.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bufferSource } from '../../src/bytes';
import { loadCodecs } from '../../src/codec';
import { parseDicom, Tags } from '../../src/dicom';
import { crop, fovea, readPnm, responseBytes } from '../../conformance/tests/jpip-client-helpers';
import { startTestServer, stowBody, parseMultipart, DICOM_DIR, type TestServer } from './harness';
import { readOriginal, type OriginalObject } from './oracle';

const FILES = ['MR2_J2KR.dcm', 'emri_small_jpeg_2k_lossless.dcm'];
const MR = readOriginal(path.join(DICOM_DIR, 'MR2_J2KR.dcm')); // 1024x1024, 12-bit, 5 levels
const EMRI = readOriginal(path.join(DICOM_DIR, 'emri_small_jpeg_2k_lossless.dcm')); // 10 frames 64x64

let server: TestServer;
let dir = '';

beforeAll(async () => {
  server = await startTestServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-jpip-cli-'));
  const { body, contentType } = stowBody(FILES.map((f) => fs.readFileSync(path.join(DICOM_DIR, f))));
  const res = await fetch(`${server.url}/dicomweb/studies`, {
    method: 'POST',
    body,
    headers: { 'content-type': contentType, accept: 'application/dicom+json' },
  });
  expect(res.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
});

async function providerUrl(o: OriginalObject): Promise<string> {
  const url = `${server.url}/dicomweb/studies/${o.studyInstanceUid}/series/${o.seriesInstanceUid}/instances/${o.sopInstanceUid}`;
  const res = await fetch(url, {
    headers: { accept: 'multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.4.94' },
  });
  expect(res.status).toBe(200);
  const parts = parseMultipart(Buffer.from(await res.arrayBuffer()), res.headers.get('content-type') ?? '');
  const ds = parseDicom(bufferSource(new Uint8Array(parts[0]?.body ?? Buffer.alloc(0)))).dataset;
  const v = ds.string(Tags.PixelDataProviderURL);
  if (v === undefined) throw new Error('no Pixel Data Provider URL');
  return v.trim();
}

/** The stored frame decoded at `reduce`, as unsigned samples (the CLI's own offset rule for signed). */
async function expected(
  o: OriginalObject,
  frame: number,
  reduce: number,
): Promise<{ width: number; samples: number[] }> {
  const codecs = await loadCodecs();
  const img = codecs.decodeJ2k(new Uint8Array(o.frames[frame - 1] as Buffer), { reduce });
  const off = img.signed ? 2 ** (img.bitsPerSample - 1) : 0;
  return { width: img.width, samples: Array.from(img.data, (v) => v + off) };
}

function region(e: { width: number; samples: number[] }, x: number, y: number, w: number, h: number): number[] {
  return crop({ width: e.width, height: 0, maxval: 0, channels: 1, samples: e.samples }, x, y, w, h);
}

test.each([
  ['whole image at full resolution', ['--fsiz', '1024,1024'], 0, [0, 0, 1024, 1024]],
  ['whole image at 1/4', ['--fsiz', '256,256'], 2, [0, 0, 256, 256]],
  ['window away from 0,0', ['--fsiz', '1024,1024', '--roff', '389,517', '--rsiz', '200,150'], 0, [389, 517, 200, 150]],
  [
    'window at 1/2 crossing the middle',
    ['--fsiz', '512,512', '--roff', '200,230', '--rsiz', '100,90'],
    1,
    [200, 230, 100, 90],
  ],
] as const)('MR2_J2KR %s decodes to the stored frame', async (_, args, reduce, [x, y, w, h]) => {
  const url = await providerUrl(MR);
  const out = path.join(dir, `mr-${reduce}-${x}.pgm`);
  const res = await fovea([url, ...args, '--out', out]);
  expect(res.err).toEqual([]);
  expect(res.code).toBe(0);
  const got = readPnm(out);
  expect([got.width, got.height, got.maxval]).toEqual([w, h, 4095]);
  expect(got.samples).toEqual(region(await expected(MR, 1, reduce), x, y, w, h));
});

test('a session: the repeated view costs only the EOR; the picture is exact', async () => {
  const url = await providerUrl(MR);
  const out = path.join(dir, 'mr-session.pgm');
  const res = await fovea([
    url,
    '--fsiz',
    '512,512',
    '--roff',
    '100,100',
    '--rsiz',
    '128,128',
    '--session',
    '--out',
    out,
  ]);
  expect(res.err).toEqual([]);
  expect(res.code).toBe(0);
  const [first, second] = responseBytes(res.out);
  expect(first).toBeGreaterThan(1000);
  expect(second).toBeLessThanOrEqual(16);
  expect(readPnm(out).samples).toEqual(region(await expected(MR, 1, 1), 100, 100, 128, 128));
});

test('multi-frame: --stream 7 fetches frame 7 (PS3.5 §8.4.1)', async () => {
  const url = await providerUrl(EMRI);
  const out = path.join(dir, 'emri-7.pgm');
  const res = await fovea([url, '--stream', '7', '--fsiz', '64,64', '--out', out]);
  expect(res.err).toEqual([]);
  expect(res.code).toBe(0);
  const got = readPnm(out);
  expect(got.samples).toEqual((await expected(EMRI, 7, 0)).samples);
  expect(got.samples).not.toEqual((await expected(EMRI, 1, 0)).samples);
});

test('an unknown target is a server error (exit 1)', async () => {
  const res = await fovea([`${server.url}/jpip?target=1.2.3.4.5`, '--fsiz', '64,64']);
  expect(res.code).toBe(1);
  expect(res.err.join()).toContain('HTTP 404');
});
