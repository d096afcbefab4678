// Objects Fovea cannot transcode, over HTTP against the real gateway (issue 9 defect 3): STOW-RS
// answers 202 with each one in ReferencedSOPSequence carrying Warning Reason (0008,1196)
// (PS3.18 §10.5.3, Table 10.5.3-1/-3); WADO-RS and WADO-URI give the instance back byte for byte
// as received (transfer-syntax=* and the stored syntax, §8.7.3.5.2); frames and bulk data come in
// the stored syntax or, for native pixels, little-endian samples, else 406; metadata and QIDO list
// them without JPIP attributes; JPIP and rendered requests get a typed 4xx, never a 500.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { bufferSource } from '../../src/bytes';
import { EXPLICIT_VR_LITTLE_ENDIAN, parseDicom, swapBytes } from '../../src/dicom';
import { edgeObjects, EDGE_STUDY, MPEG2_MPML, type EdgeObject } from '../fixtures/make/edge-objects';
import { parseMultipart, startTestServer, stowBody, type TestServer } from './harness';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
type Json = Record<string, { vr?: string; Value?: unknown[]; BulkDataURI?: string }>;

interface Sent {
  name: string;
  bytes: Buffer;
  study: string;
  series: string;
  sop: string;
  ts: string;
}

function describe_(name: string, bytes: Uint8Array): Sent {
  const p = parseDicom(bufferSource(bytes));
  return {
    name,
    bytes: Buffer.from(bytes),
    study: p.dataset.uid(0x0020000d) ?? '',
    series: p.dataset.uid(0x0020000e) ?? '',
    sop: p.dataset.uid(0x00080018) ?? '',
    ts: p.transferSyntaxUid,
  };
}

const FILES: [string, string][] = [
  ['as-received', 'liver_1frame.dcm'],
  ['as-received', 'SC_rgb_rle_16bit.dcm'],
  ['as-received', 'rtdose_expb_1frame.dcm'],
  ['as-received', 'JPGExtended.dcm'],
  ['codec', 'emri_small_jpeg_ext12.dcm'],
];
const edges = edgeObjects();
const sent: Sent[] = [
  ...FILES.map(([d, f]) => describe_(f, fs.readFileSync(path.join(FIXTURES, d, f)))),
  ...edges.asReceived.map((o: EdgeObject) => describe_(o.name, o.bytes)),
];
const odd8 = describe_('8-bit 3x5', (edges.transcoded[0] as EdgeObject).bytes);
const byName = (n: string): Sent => sent.find((s) => s.name === n) as Sent;

let server: TestServer;
let stowStatus = 0;
let stowWarning: string | null = null;
let stowJson: Json = {};

beforeAll(async () => {
  server = await startTestServer();
  const { body, contentType } = stowBody([...sent.map((s) => s.bytes), odd8.bytes]);
  const res = await fetch(`${server.url}/dicomweb/studies`, {
    method: 'POST',
    headers: { 'content-type': contentType, accept: 'application/dicom+json' },
    body,
  });
  stowStatus = res.status;
  stowWarning = res.headers.get('warning');
  stowJson = (await res.json()) as Json;
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const instanceUrl = (s: Sent): string =>
  `${server.url}/dicomweb/studies/${s.study}/series/${s.series}/instances/${s.sop}`;

async function get(url: string, accept: string): Promise<{ status: number; type: string; body: Buffer }> {
  const r = await fetch(url, { headers: { accept } });
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: Buffer.from(await r.arrayBuffer()) };
}

test('STOW-RS: 202, every instance stored, the ones kept as received with Warning Reason B007', () => {
  expect(stowStatus).toBe(202);
  expect(stowJson['00081198']).toBeUndefined();
  expect(stowWarning).toMatch(/^299 fovea ".*stored as received/);
  const refs = (stowJson['00081199']?.Value ?? []) as Json[];
  const warn = new Map(refs.map((r) => [r['00081155']?.Value?.[0], r['00081196']?.Value?.[0]]));
  for (const s of sent) expect([s.name, warn.get(s.sop)]).toEqual([s.name, 0xb007]);
  expect(warn.has(odd8.sop)).toBe(true);
  expect(warn.get(odd8.sop)).toBeUndefined(); // transcoded as usual: no warning
});

test.each(sent.map((s) => [s.name, s] as const))(
  'WADO-RS instance %s: byte-identical with transfer-syntax=* and with the stored syntax',
  async (_name, s) => {
    for (const ts of ['*', s.ts]) {
      const r = await get(instanceUrl(s), `multipart/related; type="application/dicom"; transfer-syntax=${ts}`);
      expect(r.status).toBe(200);
      const [part] = parseMultipart(r.body, r.type);
      expect(part?.headers['content-type']).toBe(`application/dicom; transfer-syntax=${s.ts}`);
      expect(part?.body.equals(s.bytes)).toBe(true);
    }
  },
);

test('WADO-URI gives the object as stored, even when Explicit VR LE cannot be produced', async () => {
  for (const s of [byName('JPGExtended.dcm'), byName('liver_1frame.dcm'), byName('MPEG-2 video')]) {
    const r = await get(
      `${server.url}/wado?requestType=WADO&studyUID=${s.study}&seriesUID=${s.series}&objectUID=${s.sop}&contentType=application/dicom`,
      'application/dicom',
    );
    expect([s.name, r.status, r.body.equals(s.bytes)]).toEqual([s.name, 200, true]);
  }
});

test('native Big Endian (32-bit, OW): Explicit VR LE instance and frame carry the words swapped (PS3.5 §7.3)', async () => {
  // OW is 16-bit words in Big Endian whatever Bits Allocated is (DCMTK dcmconv agrees, see
  // conformance/tests/dicomweb-as-received.test.ts); pydicom wrote this file with 32-bit swaps.
  const be = parseDicom(bufferSource(fs.readFileSync(path.join(FIXTURES, 'as-received', 'rtdose_expb_1frame.dcm'))));
  const layout = be.pixelData;
  if (layout?.kind !== 'native') throw new Error('rtdose_expb_1frame.dcm has native pixels');
  const samples = Buffer.from(swapBytes(be.source.read(layout.offset, layout.length).slice(), 2));
  const s = byName('rtdose_expb_1frame.dcm');
  const r = await get(
    instanceUrl(s),
    `multipart/related; type="application/dicom"; transfer-syntax=${EXPLICIT_VR_LITTLE_ENDIAN}`,
  );
  expect(r.status).toBe(200);
  const got = parseDicom(bufferSource((parseMultipart(r.body, r.type)[0] as { body: Buffer }).body));
  expect(got.transferSyntaxUid).toBe(EXPLICIT_VR_LITTLE_ENDIAN);
  const gl = got.pixelData;
  if (gl?.kind !== 'native') throw new Error('native pixels expected');
  expect(Buffer.from(got.source.read(gl.offset, gl.length)).equals(samples)).toBe(true);
  const f = await get(`${instanceUrl(s)}/frames/1`, 'application/octet-stream');
  expect([f.status, f.body.equals(samples)]).toEqual([200, true]);
});

test('1-bit frames: packed from bit 0, also when a frame starts inside a byte and ends mid-byte', async () => {
  const liver = byName('liver_1frame.dcm');
  const f = await get(`${instanceUrl(liver)}/frames/1`, 'application/octet-stream');
  expect([f.status, f.body.length]).toEqual([200, (512 * 512) / 8]);
  const two = byName('1-bit 2 frames of 3x3'); // pixels 10110101 01101001 00000011, LSB first
  const f2 = await get(`${instanceUrl(two)}/frames/2`, 'application/octet-stream');
  // frame 2 = bits 9..17: 0110100 (byte 1 >> 1) then bits 16,17 of byte 2 (1,1) -> 0b1_1011_0100, 0b1
  expect([...f2.body]).toEqual([0xb4, 0x01]);
  const odd = byName('1-bit 3x5 (odd length)');
  const fo = await get(`${instanceUrl(odd)}/frames/1`, 'application/octet-stream');
  expect([...fo.body]).toEqual([0xa5, 0x5a]);
});

test('encapsulated frames in their stored syntax; decoded frames are 406 with a clear code', async () => {
  const s = byName('JPGExtended.dcm');
  const f = await get(`${instanceUrl(s)}/frames/1`, 'multipart/related; type="image/jpeg"; transfer-syntax=*');
  expect(f.status).toBe(200);
  const [part] = parseMultipart(f.body, f.type);
  expect(part?.headers['content-type']).toBe(`image/jpeg; transfer-syntax=${s.ts}`);
  expect([...(part?.body.subarray(0, 2) ?? [])]).toEqual([0xff, 0xd8]);
  const raw = await get(`${instanceUrl(s)}/frames/1`, 'multipart/related; type="application/octet-stream"');
  expect(raw.status).toBe(406);
  expect(JSON.parse(raw.body.toString()).code).toBe('HTTP_NOT_ACCEPTABLE');
  const jxl = byName('JPEG XL');
  const fx = await get(`${instanceUrl(jxl)}/frames/1`, 'image/jxl');
  expect([fx.status, fx.type, [...fx.body.subarray(0, 2)]]).toEqual([
    200,
    'image/jxl; transfer-syntax=1.2.840.10008.1.2.4.110',
    [0xff, 0x0a],
  ]);
});

test('video: the whole stream as Pixel Data bulk data; its frames are 406', async () => {
  const s = byName('MPEG-2 video');
  const edge = edges.asReceived.find((o) => o.name === 'MPEG-2 video') as EdgeObject;
  const b = await get(`${instanceUrl(s)}/bulkdata/7FE00010`, 'video/mpeg');
  // The stream as stored: its fragment, padded to even length (PS3.5 A.4).
  const padded = Buffer.concat([edge.pixels, Buffer.alloc(edge.pixels.length % 2)]);
  expect([b.status, b.type, b.body.equals(padded)]).toEqual([200, 'video/mpeg', true]);
  const f = await get(`${instanceUrl(s)}/frames/1`, '*/*');
  expect(f.status).toBe(406);
  expect(s.ts).toBe(MPEG2_MPML);
});

test('float and double float Pixel Data come back as bulk data, as sent', async () => {
  for (const [name, tag] of [
    ['float pixel data', '7FE00008'],
    ['double float pixel data', '7FE00009'],
  ] as const) {
    const s = byName(name);
    const edge = edges.asReceived.find((o) => o.name === name) as EdgeObject;
    const b = await get(`${instanceUrl(s)}/bulkdata/${tag}`, 'application/octet-stream');
    expect([name, b.status, b.body.equals(Buffer.from(edge.pixels))]).toEqual([name, 200, true]);
  }
});

test('metadata and QIDO list them without JPIP attributes; Pixel Data keeps a BulkDataURI', async () => {
  const liver = byName('liver_1frame.dcm');
  const m = await get(`${instanceUrl(liver)}/metadata`, 'application/dicom+json');
  const [meta] = JSON.parse(m.body.toString()) as Json[];
  expect(meta?.['00287FE0']).toBeUndefined();
  expect(meta?.['7FE00010']?.BulkDataURI).toMatch(/\/bulkdata\/7FE00010$/);
  const q = await get(`${server.url}/dicomweb/instances?includefield=all&limit=100`, 'application/dicom+json');
  const items = JSON.parse(q.body.toString()) as Json[];
  for (const s of sent) {
    const item = items.find((i) => i['00080018']?.Value?.[0] === s.sop);
    expect([s.name, item !== undefined, item?.['00287FE0']]).toEqual([s.name, true, undefined]);
    // Available Transfer Syntax UID (0008,3002): what it can be retrieved in, no JPIP syntax.
    const available = (item?.['00083002']?.Value ?? []) as string[];
    expect([s.name, available[0]]).toEqual([s.name, s.ts]);
    expect(available.filter((u) => /^1\.2\.840\.10008\.1\.2\.4\.(94|95|204|205)$/.test(u))).toEqual([]);
  }
  const edge = await get(`${server.url}/dicomweb/studies/${EDGE_STUDY}/instances`, 'application/dicom+json');
  expect(edge.status).toBe(200);
});

test('JPIP on an object kept as received: 404 JPIP_TARGET_STORED_AS_RECEIVED, not a 500', async () => {
  for (const s of [byName('liver_1frame.dcm'), byName('JPGExtended.dcm')]) {
    const r = await fetch(`${server.url}/jpip?target=${s.sop}&fsiz=128,128&type=jpp-stream`);
    expect([s.name, r.status, (await r.text()).split(':')[0]]).toEqual([s.name, 404, 'JPIP_TARGET_STORED_AS_RECEIVED']);
  }
});

test('rendered and thumbnail on an object kept as received: 406 RENDER_STORED_AS_RECEIVED', async () => {
  for (const suffix of ['rendered', 'thumbnail', 'frames/1/rendered']) {
    const r = await get(`${instanceUrl(byName('SC_rgb_rle_16bit.dcm'))}/${suffix}`, 'image/jpeg');
    expect([suffix, r.status, JSON.parse(r.body.toString()).code]).toEqual([suffix, 406, 'RENDER_STORED_AS_RECEIVED']);
  }
  const float = await get(`${instanceUrl(byName('float pixel data'))}/rendered`, 'image/jpeg');
  expect([float.status, JSON.parse(float.body.toString()).code]).toEqual([406, 'RENDER_STORED_AS_RECEIVED']);
});

test('odd rows x columns at 8 bits is transcoded as usual, and its frame decodes to the 15 bytes sent', async () => {
  const edge = edges.transcoded[0] as EdgeObject;
  const f = await get(`${instanceUrl(odd8)}/frames/1`, 'application/octet-stream');
  expect([f.status, f.body.equals(Buffer.from(edge.pixels))]).toEqual([200, true]);
  const j = await get(`${instanceUrl(odd8)}/frames/1`, 'image/jp2');
  expect([j.status, [...j.body.subarray(0, 2)]]).toEqual([200, [0xff, 0x4f]]);
});
