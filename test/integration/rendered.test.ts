// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Rendered and thumbnail resources over HTTP (PS3.18 §10.4.1.1.4, §10.4.3, §8.3.5.1) and the
// WADO-URI rendered form (§8.2) against the real gateway: pixels of the PNG output are checked
// against values computed here from the source files (native samples, or opj_decompress output).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { bufferSource } from '../../src/bytes';
import { encodePart10, EXPLICIT_VR_LITTLE_ENDIAN, frameLocations, parseDicom, readFrame } from '../../src/dicom';
import { parseMultipart, startTestServer, stowBody, type TestServer } from './harness';
import { decodePng, fileInfo, gray, linear, linearExact, native16, sigmoid, type FileInfo } from './rendered-helpers';

jest.setTimeout(120_000);

let server: TestServer;
const files: Record<string, FileInfo> = {};
const NAMES = [
  'CT_small.dcm',
  'MR_small.dcm',
  'RG1_J2KI.dcm',
  'US1_J2KR.dcm',
  'emri_small_jpeg_2k_lossless.dcm',
  'SC_rgb_2frame.dcm',
];
const SR_SOP = '2.25.31415926535897932384626433832795028841';

/** A Basic Text SR-like object (no pixel module) in the CT_small study. */
function nonImage(ct: FileInfo): Buffer {
  const ds = ct.ds.clone();
  for (const tag of [
    0x7fe00010, 0x00280002, 0x00280004, 0x00280010, 0x00280011, 0x00280100, 0x00280101, 0x00280102, 0x00280103,
    0x00281050, 0x00281051, 0x00281052, 0x00281053,
  ])
    ds.delete(tag);
  ds.setString(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.88.11');
  ds.setString(0x00080018, 'UI', SR_SOP);
  ds.setString(0x00080060, 'CS', 'SR');
  ds.setString(0x0020000e, 'UI', `${ct.series}.9`);
  return Buffer.from(encodePart10(ds, EXPLICIT_VR_LITTLE_ENDIAN));
}

beforeAll(async () => {
  server = await startTestServer();
  for (const n of NAMES) files[n] = fileInfo(n);
  const { body, contentType } = stowBody([
    ...NAMES.map((n) => (files[n] as FileInfo).bytes),
    nonImage(files['CT_small.dcm'] as FileInfo),
  ]);
  const res = await request(server.url).post('/dicomweb/studies').set('Content-Type', contentType).send(body);
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await server.stop();
});

function f(name: string): FileInfo {
  return files[name] as FileInfo;
}

function instanceUrl(name: string): string {
  const i = f(name);
  return `/dicomweb/studies/${i.study}/series/${i.series}/instances/${i.sop}`;
}

async function get(url: string, accept?: string): Promise<request.Response> {
  const req = request(server.url).get(url);
  if (accept !== undefined) req.set('Accept', accept);
  return req.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });
}

async function png(url: string): Promise<ReturnType<typeof decodePng>> {
  const res = await get(url, 'image/png');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('image/png');
  return decodePng(res.body as Buffer);
}

async function errorOf(url: string, accept?: string): Promise<{ status: number; code: string }> {
  const res = await get(url, accept);
  const text = (res.body as Buffer).toString('utf8');
  return { status: res.status, code: (JSON.parse(text) as { code: string }).code };
}

/** The first frame's codestream of a J2K DICOM file. */
function firstFrame(info: FileInfo): Uint8Array {
  const p = parseDicom(bufferSource(new Uint8Array(info.bytes)));
  if (p.pixelData === null) throw new Error('no pixels');
  const src = bufferSource(new Uint8Array(info.bytes));
  const loc = frameLocations(p.pixelData, 1, src)[0];
  if (loc === undefined) throw new Error('no frame');
  return readFrame(src, loc);
}

/** The stored codestream of frame 1 through WADO-RS (transfer-syntax=*). */
async function storedCodestream(name: string): Promise<Uint8Array> {
  const res = await get(`${instanceUrl(name)}/frames/1`, 'multipart/related; type="image/jp2"; transfer-syntax=*');
  expect(res.status).toBe(200);
  const part = parseMultipart(res.body as Buffer, String(res.headers['content-type']))[0];
  if (part === undefined) throw new Error('no part');
  return new Uint8Array(part.body);
}

/** opj_decompress (OpenJPEG's command-line decoder) at `reduce`: PGM samples. */
function referenceDecode(codestream: Uint8Array, reduce = 0): { width: number; height: number; v: Uint16Array } {
  const dir = mkdtempSync(path.join(tmpdir(), 'fovea-ref-'));
  try {
    writeFileSync(path.join(dir, 'f.j2k'), codestream);
    execFileSync(
      'opj_decompress',
      ['-i', path.join(dir, 'f.j2k'), '-o', path.join(dir, 'f.pgm'), '-r', String(reduce)],
      { stdio: 'ignore' },
    );
    const pgm = readFileSync(path.join(dir, 'f.pgm'));
    const m = /^P5\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 128).toString('latin1'));
    if (m === null) throw new Error('bad pgm');
    const [width, height, maxval] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const off = m[0].length;
    const v = new Uint16Array(width * height);
    for (let i = 0; i < v.length; i++) v[i] = maxval > 255 ? pgm.readUInt16BE(off + i * 2) : (pgm[off + i] as number);
    return { width, height, v };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('rendered instance', () => {
  it('CT_small without VOI: rescale then the value range of the frame (128x128)', async () => {
    const img = await png(`${instanceUrl('CT_small.dcm')}/rendered`);
    expect([img.width, img.height]).toEqual([128, 128]);
    const v = native16(f('CT_small.dcm'), 128, 128, true);
    const min = Math.min(...v);
    const max = Math.max(...v);
    for (const [x, y] of [
      [0, 0],
      [64, 64],
      [10, 100],
      [127, 127],
      [70, 30],
    ] as const) {
      const want = Math.round((((v[y * 128 + x] as number) - min) / (max - min)) * 255);
      expect(Math.abs(gray(img, x, y) - want)).toBeLessThanOrEqual(1);
    }
  });
});

describe('VOI and photometric interpretation', () => {
  const mr = (): number[] => native16(f('MR_small.dcm'), 64, 64, true);
  const spots = [
    [0, 0],
    [32, 32],
    [20, 40],
    [63, 63],
    [40, 10],
  ] as const;

  it('MR_small: the stored window 600/1600 LINEAR', async () => {
    const img = await png(`${instanceUrl('MR_small.dcm')}/rendered`);
    const v = mr();
    for (const [x, y] of spots) expect(gray(img, x, y)).toBe(linear(v[y * 64 + x] as number, 600, 1600));
  });

  it('an explicit window overrides it: linear-exact and sigmoid', async () => {
    const v = mr();
    const a = await png(`${instanceUrl('MR_small.dcm')}/rendered?window=400,500,linear-exact`);
    const b = await png(`${instanceUrl('MR_small.dcm')}/rendered?window=400,500,sigmoid`);
    for (const [x, y] of spots) {
      expect(gray(a, x, y)).toBe(linearExact(v[y * 64 + x] as number, 400, 500));
      expect(Math.abs(gray(b, x, y) - sigmoid(v[y * 64 + x] as number, 400, 500))).toBeLessThanOrEqual(1);
    }
  });

  it('viewport source region with a horizontal flip at scale 1, and a 2x reduction', async () => {
    const v = mr();
    const img = await png(`${instanceUrl('MR_small.dcm')}/rendered?viewport=16,16,8,4,-16,16`);
    expect([img.width, img.height]).toEqual([16, 16]);
    for (const [ox, oy] of [
      [0, 0],
      [15, 0],
      [7, 9],
      [15, 15],
    ] as const) {
      expect(gray(img, ox, oy)).toBe(linear(v[(4 + oy) * 64 + 8 + 15 - ox] as number, 600, 1600));
    }
    // 64 -> 32: the decoder discards one level; the output is OpenJPEG's reduce-1 image windowed.
    // MR_small is signed: opj_decompress adds 2^(precision-1) to signed samples when writing PGM.
    const half = await png(`${instanceUrl('MR_small.dcm')}/rendered?viewport=32,48&window=500,2000,linear-exact`);
    expect([half.width, half.height]).toEqual([32, 32]);
    const ref = referenceDecode(await storedCodestream('MR_small.dcm'), 1);
    expect([ref.width, ref.height]).toEqual([32, 32]);
    for (let i = 0; i < 32 * 32; i++) {
      const s16 = (ref.v[i] as number) - 32768;
      expect([i, gray(half, i % 32, Math.floor(i / 32))]).toEqual([i, linearExact(s16, 500, 2000)]);
    }
  });

  it('RG1_J2KI MONOCHROME1: window 15000/30000 inverted, against opj_decompress', async () => {
    const ref = referenceDecode(firstFrame(f('RG1_J2KI.dcm')));
    const img = await png(`${instanceUrl('RG1_J2KI.dcm')}/rendered`);
    expect([img.width, img.height]).toEqual([ref.width, ref.height]);
    for (const [x, y] of [
      [0, 0],
      [900, 1000],
      [1800, 1900],
      [300, 1500],
      [1500, 200],
    ] as const) {
      const want = 255 - linear(ref.v[y * ref.width + x] as number, 15000, 30000);
      expect(Math.abs(gray(img, x, y) - want)).toBeLessThanOrEqual(1);
    }
    const thumb = await png(`${instanceUrl('RG1_J2KI.dcm')}/thumbnail`);
    expect(Math.max(thumb.width, thumb.height)).toBe(128);
    expect(thumb.width).toBe(Math.round((128 * ref.width) / ref.height));
  });

  it('US1_J2KR (YBR_RCT, lossless) renders the RGB of US1_UNCR exactly', async () => {
    const unc = fileInfo('US1_UNCR.dcm');
    const img = await png(`${instanceUrl('US1_J2KR.dcm')}/rendered`);
    expect([img.width, img.height]).toEqual([640, 480]);
    const off = unc.nativeOffset as number;
    for (const [x, y] of [
      [0, 0],
      [320, 240],
      [100, 400],
      [639, 479],
      [500, 50],
    ] as const) {
      for (let c = 0; c < 3; c++) expect(img.data[(y * 640 + x) * 4 + c]).toBe(unc.bytes[off + (y * 640 + x) * 3 + c]);
    }
  });

  it('multi-frame: frame 5 of emri_small (J2K) equals the uncompressed frame 5; frame 2 of SC_rgb_2frame', async () => {
    const ref = native16(fileInfo('emri_small.dcm'), 64, 64, false, 5);
    const img = await png(
      `${instanceUrl('emri_small_jpeg_2k_lossless.dcm')}/frames/5/rendered?window=300,600,linear-exact`,
    );
    for (const [x, y] of [
      [0, 0],
      [32, 32],
      [10, 50],
      [63, 63],
    ] as const)
      expect(gray(img, x, y)).toBe(linearExact(ref[y * 64 + x] as number, 300, 600));
    const rgb = await png(`${instanceUrl('SC_rgb_2frame.dcm')}/frames/2/rendered`);
    const sc = f('SC_rgb_2frame.dcm');
    const base = (sc.nativeOffset as number) + 100 * 100 * 3;
    for (const [x, y] of [
      [0, 0],
      [50, 50],
      [99, 99],
    ] as const) {
      for (let c = 0; c < 3; c++) expect(rgb.data[(y * 100 + x) * 4 + c]).toBe(sc.bytes[base + (y * 100 + x) * 3 + c]);
    }
  });
});

describe('levels, media types and errors', () => {
  it('study, series, instance and frame level; thumbnails; Accept negotiation', async () => {
    const ct = f('CT_small.dcm');
    const study = `/dicomweb/studies/${ct.study}`;
    for (const url of [
      `${study}/rendered`,
      `${study}/thumbnail`,
      `${study}/series/${ct.series}/rendered`,
      `${study}/series/${ct.series}/thumbnail`,
      `${instanceUrl('CT_small.dcm')}/thumbnail`,
      `${instanceUrl('CT_small.dcm')}/frames/1/thumbnail`,
    ]) {
      const res = await get(url);
      expect([url, res.status, res.headers['content-type']]).toEqual([url, 200, 'image/jpeg']);
      expect((res.body as Buffer).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    }
    const gif = await get(`${instanceUrl('US1_J2KR.dcm')}/thumbnail?viewport=64,64`, 'image/gif');
    expect(gif.headers['content-type']).toBe('image/gif');
    const g = gif.body as Buffer;
    expect(g.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect([g.readUInt16LE(6), g.readUInt16LE(8)]).toEqual([64, 48]);
    expect(
      (await get(`${instanceUrl('CT_small.dcm')}/rendered`, 'image/*, image/jpeg;q=0')).headers['content-type'],
    ).toBe('image/png');
    expect(
      (await get(`${instanceUrl('CT_small.dcm')}/rendered?accept=image/gif`, 'image/png')).headers['content-type'],
    ).toBe('image/gif');
  });

  it('errors: 406 for non-images and unacceptable types, 400 for bad windows and viewports, 404 for frames', async () => {
    const before = (await request(server.url).get('/dicomweb/instances')).body as unknown[];
    const ct = f('CT_small.dcm');
    const sr = `/dicomweb/studies/${ct.study}/series/${ct.series}.9/instances/${SR_SOP}`;
    expect(await errorOf(`${sr}/rendered`)).toEqual({ status: 406, code: 'RENDER_NOT_AN_IMAGE' });
    expect(await errorOf(`/dicomweb/studies/${ct.study}/series/${ct.series}.9/thumbnail`)).toEqual({
      status: 406,
      code: 'RENDER_NOT_AN_IMAGE',
    });
    const url = `${instanceUrl('MR_small.dcm')}/rendered`;
    expect(await errorOf(url, 'application/dicom')).toEqual({ status: 406, code: 'RENDER_MEDIA_TYPE_NOT_ACCEPTABLE' });
    expect(await errorOf(`${url}?window=40,0,linear`)).toEqual({ status: 400, code: 'RENDER_BAD_WINDOW' });
    expect(await errorOf(`${url}?window=40,-5,sigmoid`)).toEqual({ status: 400, code: 'RENDER_BAD_WINDOW' });
    expect(await errorOf(`${url}?window=40,80`)).toEqual({ status: 400, code: 'RENDER_BAD_WINDOW' });
    expect(await errorOf(`${url}?viewport=0,10`)).toEqual({ status: 400, code: 'RENDER_BAD_VIEWPORT' });
    expect(await errorOf(`${url}?viewport=10,10,0,0,0,5`)).toEqual({ status: 400, code: 'RENDER_BAD_VIEWPORT' });
    expect(await errorOf(`${url}?viewport=10,10,100,0`)).toEqual({ status: 400, code: 'RENDER_EMPTY_REGION' });
    expect(await errorOf(`${url}?quality=0`)).toEqual({ status: 400, code: 'RENDER_BAD_QUALITY' });
    expect(await errorOf(`${url}?bogus=1`)).toEqual({ status: 400, code: 'RENDER_UNKNOWN_PARAMETER' });
    expect(await errorOf(`${instanceUrl('MR_small.dcm')}/thumbnail?window=1,2,linear`)).toEqual({
      status: 400,
      code: 'RENDER_UNKNOWN_PARAMETER',
    });
    expect(await errorOf(`${instanceUrl('MR_small.dcm')}/thumbnail?viewport=10,10,0,0,5,5`)).toEqual({
      status: 400,
      code: 'RENDER_BAD_VIEWPORT',
    });
    expect(await errorOf(`${instanceUrl('MR_small.dcm')}/frames/2/rendered`)).toEqual({
      status: 404,
      code: 'FRAME_NOT_FOUND',
    });
    expect(await errorOf(`${instanceUrl('MR_small.dcm')}/frames/1,2/rendered`)).toEqual({
      status: 400,
      code: 'RENDER_BAD_FRAME',
    });
    const after = (await request(server.url).get('/dicomweb/instances')).body as unknown[];
    expect(after).toEqual(before);
  });
});

describe('WADO-URI rendered (PS3.18 §8.2)', () => {
  const q = (name: string, extra: string): string => {
    const i = f(name);
    return `/wado?requestType=WADO&studyUID=${i.study}&seriesUID=${i.series}&objectUID=${i.sop}${extra}`;
  };
  it('image/jpeg by default; png with rows, columns, region and window', async () => {
    const jpeg = await get(q('MR_small.dcm', ''));
    expect([jpeg.status, jpeg.headers['content-type']]).toEqual([200, 'image/jpeg']);
    const v = native16(f('MR_small.dcm'), 64, 64, true);
    const full = decodePng(
      (await get(q('MR_small.dcm', '&contentType=image/png&windowCenter=400&windowWidth=500'))).body as Buffer,
    );
    expect([full.width, full.height]).toEqual([64, 64]);
    for (const [x, y] of [
      [0, 0],
      [30, 31],
      [63, 5],
    ] as const)
      expect(gray(full, x, y)).toBe(linear(v[y * 64 + x] as number, 400, 500));
    const region = decodePng(
      (await get(q('MR_small.dcm', '&contentType=image/png&region=0.25,0.5,0.75,1'))).body as Buffer,
    );
    expect([region.width, region.height]).toEqual([32, 32]);
    for (const [x, y] of [
      [0, 0],
      [31, 31],
      [10, 20],
    ] as const)
      expect(gray(region, x, y)).toBe(linear(v[(32 + y) * 64 + 16 + x] as number, 600, 1600));
    const small = decodePng((await get(q('MR_small.dcm', '&contentType=image/png&rows=16'))).body as Buffer);
    expect([small.width, small.height]).toEqual([16, 16]);
    const rect = decodePng(
      (await get(q('MR_small.dcm', '&contentType=image/png&region=0,0,1,0.5&columns=32&rows=32'))).body as Buffer,
    );
    expect([rect.width, rect.height]).toEqual([32, 16]);
  });
  it('400 for a zero width or a lone windowCenter, transferSyntax with images; 406 for non-images and text/html', async () => {
    const bad = async (extra: string): Promise<{ status: number; code: string }> => {
      const res = await get(q('MR_small.dcm', extra));
      return { status: res.status, code: (JSON.parse((res.body as Buffer).toString()) as { code: string }).code };
    };
    expect(await bad('&contentType=image/png&windowCenter=40&windowWidth=0')).toEqual({
      status: 400,
      code: 'RENDER_BAD_WINDOW',
    });
    expect(await bad('&contentType=image/png&windowCenter=40')).toEqual({ status: 400, code: 'WADO_URI_BAD_WINDOW' });
    expect(await bad('&contentType=image/jpeg&transferSyntax=1.2.840.10008.1.2.1')).toEqual({
      status: 400,
      code: 'WADO_URI_PARAMETER_NOT_APPLICABLE',
    });
    expect(await bad('&contentType=image/png&region=0.5,0,0.2,1')).toEqual({
      status: 400,
      code: 'WADO_URI_BAD_REGION',
    });
    expect(await bad('&contentType=image/png&rows=0')).toEqual({ status: 400, code: 'WADO_URI_BAD_SIZE' });
    // Types the renderer never produces are 406 (conformance/dicomweb.md), with the types it does produce named.
    const html = await get(q('MR_small.dcm', '&contentType=text/html'));
    expect(html.status).toBe(406);
    expect(JSON.parse((html.body as Buffer).toString())).toEqual({
      code: 'WADO_URI_CONTENT_TYPE_UNSUPPORTED',
      message: 'contentType text/html cannot be produced; use application/dicom, image/jpeg, image/png or image/gif',
    });
    expect(await bad('&contentType=image/jp2')).toEqual({ status: 406, code: 'WADO_URI_CONTENT_TYPE_UNSUPPORTED' });
    const ct = f('CT_small.dcm');
    const sr = await get(`/wado?requestType=WADO&studyUID=${ct.study}&seriesUID=${ct.series}.9&objectUID=${SR_SOP}`);
    expect(sr.status).toBe(406);
  });
});
