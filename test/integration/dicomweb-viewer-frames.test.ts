// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// The frame request OHIF / Cornerstone send by default (PS3.18 §10.4.1.1.3, §8.7.3.3.2):
// `Accept: multipart/related; type=application/octet-stream; transfer-syntax=*` answers the frame as
// stored, labelled `transfer-syntax=<stored UID>`, byte for byte the codestream of the original file
// (as Orthanc and dcm4chee answer it; conformance/dicomweb.md). Naming the stored HTJ2K syntax with
// octet-stream gives the HTJ2K codestream; without a transfer-syntax parameter octet-stream still
// means decoded Explicit VR Little Endian samples. The exception: a codestream whose sign contradicts
// the header's Pixel Representation (TOSHIBA_J2K_OpenJPEGv2Regression, J2K_pixelrep_mismatch) is
// answered decoded as the header says, since a viewer decoding the codestream would follow SIZ.

import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { bufferSource } from '../../src/bytes';
import { encodePart10, frameLocations, parseDicom, pixelDescription, readFrame } from '../../src/dicom';
import { DICOM_DIR, parseMultipart, startTestServer, stowBody, type TestServer } from './harness';

jest.setTimeout(120_000);

const OHIF_ACCEPT = 'multipart/related; type=application/octet-stream; transfer-syntax=*';
const HTJ2K_LOSSLESS = '1.2.840.10008.1.2.4.201';

interface Sample {
  name: string;
  bytes: Buffer;
  study: string;
  series: string;
  sop: string;
  ts: string;
  rows: number;
  columns: number;
  samples: number;
  bitsAllocated: number;
  /** Frame 1's codestream as the original file holds it. */
  frame: Buffer;
}

function sample(name: string, bytes: Buffer): Sample {
  const p = parseDicom(bufferSource(new Uint8Array(bytes)));
  if (p.pixelData === null) throw new Error(`${name}: no pixels`);
  const desc = pixelDescription(p.dataset);
  const loc = frameLocations(p.pixelData, desc, p.source)[0];
  if (loc === undefined) throw new Error(`${name}: no frame`);
  const uid = (tag: number): string => p.dataset.uid(tag) ?? '';
  return {
    name,
    bytes,
    study: uid(0x0020000d),
    series: uid(0x0020000e),
    sop: uid(0x00080018),
    ts: p.transferSyntaxUid,
    rows: desc.rows,
    columns: desc.columns,
    samples: desc.samplesPerPixel,
    bitsAllocated: desc.bitsAllocated,
    frame: Buffer.from(readFrame(p.source, loc)),
  };
}

/** HTJ2KLossless_08_RGB lacks Study/Series Instance UID (a PACS refuses it): given some here. */
function htj2kWithUids(): Buffer {
  const bytes = fs.readFileSync(path.join(DICOM_DIR, 'HTJ2KLossless_08_RGB.dcm'));
  const p = parseDicom(bufferSource(new Uint8Array(bytes)));
  const ds = p.dataset.clone();
  ds.setString(0x0020000d, 'UI', '2.25.9000000000000000000000000000000001');
  ds.setString(0x0020000e, 'UI', '2.25.9000000000000000000000000000000002');
  return Buffer.from(encodePart10(ds, p.transferSyntaxUid, { source: p.source }));
}

/** SIZ says unsigned, the header Pixel Representation 1. */
const MISMATCH = ['TOSHIBA_J2K_OpenJPEGv2Regression.dcm', 'J2K_pixelrep_mismatch.dcm'];
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

let server: TestServer;
const samples: Record<string, Sample> = {};

beforeAll(async () => {
  server = await startTestServer();
  for (const n of ['RG1_J2KI.dcm', '693_J2KR.dcm', ...MISMATCH])
    samples[n] = sample(n, fs.readFileSync(path.join(DICOM_DIR, n)));
  samples['HTJ2K'] = sample('HTJ2K', htj2kWithUids());
  const { body, contentType } = stowBody(Object.values(samples).map((s) => s.bytes));
  const res = await request(server.url).post('/dicomweb/studies').set('Content-Type', contentType).send(body);
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
});

async function frame1(s: Sample, accept: string): Promise<request.Response> {
  return request(server.url)
    .get(`/dicomweb/studies/${s.study}/series/${s.series}/instances/${s.sop}/frames/1`)
    .set('Accept', accept)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

function onlyPart(res: request.Response): { headers: Record<string, string>; body: Buffer } {
  const parts = parseMultipart(res.body as Buffer, String(res.headers['content-type']));
  expect(parts).toHaveLength(1);
  return parts[0] as { headers: Record<string, string>; body: Buffer };
}

describe.each(['RG1_J2KI.dcm', '693_J2KR.dcm', 'HTJ2K'])('%s', (name) => {
  test(`${OHIF_ACCEPT} returns the stored codestream, byte for byte, labelled with its syntax`, async () => {
    const s = samples[name] as Sample;
    const res = await frame1(s, OHIF_ACCEPT);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(
      new RegExp(
        `^multipart/related; type="?application/octet-stream"?; .*transfer-syntax=${s.ts.replace(/\./g, '\\.')}`,
      ),
    );
    const part = onlyPart(res);
    expect(part.headers['content-type']).toBe(`application/octet-stream; transfer-syntax=${s.ts}`);
    expect(part.headers['content-location']).toMatch(new RegExp(`/instances/${s.sop.replace(/\./g, '\\.')}/frames/1$`));
    expect(part.body.length).toBe(s.frame.length);
    expect(Buffer.compare(part.body, s.frame)).toBe(0);
  });

  test('octet-stream without transfer-syntax still gives decoded Explicit VR LE samples', async () => {
    const s = samples[name] as Sample;
    const res = await frame1(s, 'multipart/related; type="application/octet-stream"');
    expect(res.status).toBe(200);
    const part = onlyPart(res);
    expect(part.headers['content-type']).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
    expect(part.body.length).toBe(s.rows * s.columns * s.samples * (s.bitsAllocated / 8));
  });
});

test('QIDO instance results list the syntaxes each can be retrieved in (0008,3002), JPIP Referenced included', async () => {
  const res = await request(server.url).get('/dicomweb/instances').set('Accept', 'application/dicom+json');
  expect(res.status).toBe(200);
  const items = res.body as Record<string, { Value?: unknown[] }>[];
  for (const [name, jpip] of [
    ['RG1_J2KI.dcm', '1.2.840.10008.1.2.4.94'],
    ['HTJ2K', '1.2.840.10008.1.2.4.204'],
  ] as const) {
    const s = samples[name] as Sample;
    const item = items.find((i) => i['00080018']?.Value?.[0] === s.sop);
    const available = (item?.['00083002']?.Value ?? []) as string[];
    expect([name, available[0], available.includes(jpip)]).toEqual([name, s.ts, true]);
  }
});

test('octet-stream naming the stored HTJ2K syntax (.201) gives the HTJ2K codestream, single part too', async () => {
  const s = samples['HTJ2K'] as Sample;
  expect(s.ts).toBe(HTJ2K_LOSSLESS);
  const multi = onlyPart(
    await frame1(s, `multipart/related; type="application/octet-stream"; transfer-syntax=${HTJ2K_LOSSLESS}`),
  );
  expect(multi.headers['content-type']).toBe(`application/octet-stream; transfer-syntax=${HTJ2K_LOSSLESS}`);
  expect(Buffer.compare(multi.body, s.frame)).toBe(0);
  const single = await frame1(s, `application/octet-stream; transfer-syntax=${HTJ2K_LOSSLESS}`);
  expect(single.status).toBe(200);
  expect(single.headers['content-type']).toBe(`application/octet-stream; transfer-syntax=${HTJ2K_LOSSLESS}`);
  expect(Buffer.compare(single.body as Buffer, s.frame)).toBe(0);
  // A J2K object cannot be produced as HTJ2K (no transcoding on retrieve).
  const j2k = await frame1(
    samples['693_J2KR.dcm'] as Sample,
    `multipart/related; type="application/octet-stream"; transfer-syntax=${HTJ2K_LOSSLESS}`,
  );
  expect(j2k.status).toBe(406);
});

describe.each(MISMATCH)('%s (codestream unsigned, header signed)', (name) => {
  test(`${OHIF_ACCEPT} answers the frame decoded as the header says, labelled Explicit VR LE`, async () => {
    const s = samples[name] as Sample;
    const res = await frame1(s, OHIF_ACCEPT);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/transfer-syntax=1\.2\.840\.10008\.1\.2\.1(;|$)/);
    const part = onlyPart(res);
    expect(part.headers['content-type']).toBe(`application/octet-stream; transfer-syntax=${EXPLICIT_LE}`);
    // The same bytes as asking for Explicit VR LE by name: the samples follow the header (sign-extended).
    const named = onlyPart(
      await frame1(s, `multipart/related; type="application/octet-stream"; transfer-syntax=${EXPLICIT_LE}`),
    );
    expect(Buffer.compare(part.body, named.body)).toBe(0);
    let min = 0;
    for (let i = 0; i + 1 < part.body.length; i += 2) min = Math.min(min, part.body.readInt16LE(i));
    expect(min).toBeLessThan(-500); // air is negative, not a large unsigned value
  });

  test('image/jp2 with transfer-syntax=* still gives the codestream as stored', async () => {
    const s = samples[name] as Sample;
    const part = onlyPart(await frame1(s, 'multipart/related; type="image/jp2"; transfer-syntax=*'));
    expect(part.headers['content-type']).toBe(`image/jp2; transfer-syntax=${s.ts}`);
    expect(Buffer.compare(part.body, s.frame)).toBe(0);
  });
});
