// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// End to end over HTTP against the real gateway (real SQLite, files and codecs): STOW-RS every
// file of ../shared/data/dicom, then QIDO-RS, WADO-RS and WADO-URI. Round trips (issue #2
// "Proof"): every JPEG 2000 / HTJ2K frame retrieved with transfer-syntax=* is byte-identical to
// what was sent; every uncompressed object retrieved as Explicit VR Little Endian has identical
// pixels after the lossless J2K transcode.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as dicomParser from 'dicom-parser';
import { startTestServer, stowBody, parseMultipart, DICOM_DIR, type TestServer } from './harness';
import { readOriginal, type OriginalObject } from './oracle';

const J2K_FAMILY = /^1\.2\.840\.10008\.1\.2\.4\.(90|91|201|202|203)$/;
const NATIVE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2']);

const allFiles = fs
  .readdirSync(DICOM_DIR)
  .filter((f) => f.endsWith('.dcm'))
  .sort();
const originals = new Map<string, OriginalObject>(allFiles.map((f) => [f, readOriginal(path.join(DICOM_DIR, f))]));
/** Two pydicom HTJ2K samples have no Study/Series Instance UID (Type 1): a PACS must refuse them. */
const incomplete = allFiles.filter(
  (f) => originals.get(f)?.studyInstanceUid === '' || originals.get(f)?.seriesInstanceUid === '',
);
const files = allFiles.filter((f) => !incomplete.includes(f));
/** Some corpus files share a SOP Instance UID (same image in two encodings): with FOVEA_OVERWRITE=always
 *  the last one sent replaces the earlier one (README "Storage and overwrite policy"), so round trips check the last. */
const lastFileOf = new Map<string, string>(files.map((f) => [originals.get(f)?.sopInstanceUid ?? '', f]));
const current = files.filter((f) => lastFileOf.get(originals.get(f)?.sopInstanceUid ?? '') === f);

let server: TestServer;
let stowJson: Record<string, { Value?: unknown[] }>;
let stowStatuses: number[] = [];

beforeAll(async () => {
  // The corpus pairs (MR_small / MR_small_jp2klossless...) are replacements: the default 'never' would refuse them.
  server = await startTestServer({ FOVEA_OVERWRITE: 'always' });
  // Two requests, to exercise several parts per request and more than one request.
  const half = Math.ceil(files.length / 2);
  const statuses: number[] = [];
  const refs: unknown[] = [];
  const failed: unknown[] = [];
  for (const group of [files.slice(0, half), files.slice(half), incomplete]) {
    const { body, contentType } = stowBody(group.map((f) => fs.readFileSync(path.join(DICOM_DIR, f))));
    const res = await fetch(`${server.url}/dicomweb/studies`, {
      method: 'POST',
      headers: { 'content-type': contentType, accept: 'application/dicom+json' },
      body,
    });
    statuses.push(res.status);
    const json = (await res.json()) as Record<string, { Value?: unknown[] }>;
    refs.push(...(json['00081199']?.Value ?? []));
    failed.push(...(json['00081198']?.Value ?? []));
  }
  stowStatuses = statuses;
  stowJson = { '00081199': { Value: refs }, '00081198': { Value: failed } };
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

test('STOW-RS stores every file of the corpus (PS3.18 §10.5)', () => {
  expect(incomplete.sort()).toEqual(['HTJ2KLossless_08_RGB.dcm', 'HTJ2K_08_RGB.dcm']);
  // Complete objects: 200; objects without Study/Series Instance UID: 409 with Failure Reason
  // 0xA900 (Data Set does not match SOP Class, PS3.4 B.2.3) for each.
  expect(stowStatuses).toEqual([200, 200, 409]);
  const failures = (stowJson['00081198']?.Value ?? []) as Record<string, { Value?: unknown[] }>[];
  expect(failures.map((f) => f['00081155']?.Value?.[0]).sort()).toEqual(
    incomplete.map((f) => originals.get(f)?.sopInstanceUid).sort(),
  );
  for (const f of failures) expect(f['00081197']?.Value?.[0]).toBe(0xa900);
  const stored = (stowJson['00081199']?.Value ?? []) as Record<string, { Value?: string[] }>[];
  const uids = new Set(stored.map((r) => r['00081155']?.Value?.[0]));
  for (const f of files) expect(uids.has(originals.get(f)?.sopInstanceUid)).toBe(true);
  expect(current.length).toBeLessThan(files.length);
  for (const r of stored)
    expect(String((r['00081190'] as { Value?: string[] }).Value?.[0])).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/dicomweb\/studies\/.+\/series\/.+\/instances\/.+$/,
    );
});

test('QIDO-RS finds every study, series and instance (PS3.18 §10.6)', async () => {
  const res = await fetch(`${server.url}/dicomweb/instances?limit=1000`, {
    headers: { accept: 'application/dicom+json' },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/dicom\+json/);
  const items = (await res.json()) as Record<string, { Value?: string[] }>[];
  const uids = new Set(items.map((i) => i['00080018']?.Value?.[0]));
  for (const f of files) expect(uids.has(originals.get(f)?.sopInstanceUid)).toBe(true);
  expect(items.length).toBe(current.length);
  const studies = (await (await fetch(`${server.url}/dicomweb/studies?limit=1000`)).json()) as unknown[];
  expect(studies.length).toBe(new Set(current.map((f) => originals.get(f)?.studyInstanceUid)).size);
});

async function retrieveInstance(
  o: OriginalObject,
  ts: string,
): Promise<{ status: number; parts: { headers: Record<string, string>; body: Buffer }[]; contentType: string }> {
  const url = `${server.url}/dicomweb/studies/${o.studyInstanceUid}/series/${o.seriesInstanceUid}/instances/${o.sopInstanceUid}`;
  const res = await fetch(url, {
    headers: { accept: `multipart/related; type="application/dicom"; transfer-syntax=${ts}` },
  });
  const contentType = res.headers.get('content-type') ?? '';
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, contentType, parts: res.status === 200 ? parseMultipart(body, contentType) : [] };
}

describe.each(current.filter((f) => J2K_FAMILY.test(originals.get(f)?.transferSyntaxUid ?? '')))(
  'JPEG 2000 object %s',
  (file) => {
    test('transfer-syntax=* returns every frame byte for byte (PS3.18 §8.7.3.5.2)', async () => {
      const o = originals.get(file) as OriginalObject;
      const { status, parts } = await retrieveInstance(o, '*');
      expect(status).toBe(200);
      expect(parts).toHaveLength(1);
      const part = parts[0] as { headers: Record<string, string>; body: Buffer };
      expect(part.headers['content-type']).toContain(`transfer-syntax=${o.transferSyntaxUid}`);
      const back = readOriginalBytes(part.body);
      expect(back.transferSyntaxUid).toBe(o.transferSyntaxUid);
      expect(back.frames.length).toBe(o.frames.length);
      back.frames.forEach((f, i) => expect(Buffer.compare(f, o.frames[i] as Buffer)).toBe(0));
    });
  },
);

describe.each(
  current.filter(
    (f) => NATIVE.has(originals.get(f)?.transferSyntaxUid ?? '') && originals.get(f)?.nativePixels !== null,
  ),
)('uncompressed object %s', (file) => {
  test('retrieved as Explicit VR Little Endian has identical pixels after the J2K transcode', async () => {
    const o = originals.get(file) as OriginalObject;
    const { status, parts } = await retrieveInstance(o, '1.2.840.10008.1.2.1');
    expect(status).toBe(200);
    const back = readOriginalBytes((parts[0] as { body: Buffer }).body);
    expect(back.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
    const original = o.nativePixels as Buffer;
    const pixels = back.nativePixels as Buffer;
    const pi = readPhotometric((parts[0] as { body: Buffer }).body);
    if (originalPhotometric(file) === 'YBR_FULL_422') {
      // Stored as full-resolution YBR_FULL (chroma pairs repeated); sub-sampling it again gives back the original bytes.
      expect(pi).toBe('YBR_FULL');
      expect(
        Buffer.compare(subsample422(pixels, o.rows, o.columns), original.subarray(0, o.rows * o.columns * 2)),
      ).toBe(0);
    } else {
      expect(pixels.length).toBe(original.length + (original.length % 2));
      expect(Buffer.compare(pixels.subarray(0, original.length), original)).toBe(0);
    }
  });
});

test('an instance as JPIP Referenced (.94) has no Pixel Data and the provider URL (Supplement 106)', async () => {
  const o = [...originals.values()].find((x) => x.transferSyntaxUid === '1.2.840.10008.1.2.4.90') as OriginalObject;
  const { status, parts } = await retrieveInstance(o, '1.2.840.10008.1.2.4.94');
  expect(status).toBe(200);
  const ds = dicomParser.parseDicom(new Uint8Array((parts[0] as { body: Buffer }).body));
  expect(ds.string('x00020010')).toBe('1.2.840.10008.1.2.4.94');
  expect(ds.elements['x7fe00010']).toBeUndefined();
  expect(ds.string('x00287fe0')).toBe(`${server.url}/jpip?target=${o.sopInstanceUid}`);
});

test('an unknown instance is 404 and an unproducible transfer syntax 406', async () => {
  const o = originals.get('CT_small.dcm') as OriginalObject;
  const missing = await fetch(
    `${server.url}/dicomweb/studies/${o.studyInstanceUid}/series/${o.seriesInstanceUid}/instances/1.2.3.4.5.6.7`,
  );
  expect(missing.status).toBe(404);
  const { status } = await retrieveInstance(o, '1.2.840.10008.1.2.4.50');
  expect(status).toBe(406);
});

function readOriginalBytes(buf: Buffer): OriginalObject {
  const tmp = path.join(server.dataDir, `check-${Math.random().toString(36).slice(2)}.dcm`);
  fs.writeFileSync(tmp, buf);
  try {
    return readOriginal(tmp);
  } finally {
    fs.rmSync(tmp);
  }
}

function readPhotometric(buf: Buffer): string | undefined {
  return dicomParser.parseDicom(new Uint8Array(buf)).string('x00280004');
}

function originalPhotometric(file: string): string | undefined {
  return readPhotometric(fs.readFileSync(path.join(DICOM_DIR, file)));
}

/** YBR_FULL interleaved (Y Cb Cr per pixel) → YBR_FULL_422 (Y1 Y2 Cb Cr per pixel pair). */
function subsample422(full: Buffer, rows: number, columns: number): Buffer {
  const out = Buffer.alloc(rows * columns * 2);
  let o = 0;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x += 2) {
      const a = (y * columns + x) * 3;
      const b = a + 3;
      out[o++] = full[a] as number;
      out[o++] = full[b] as number;
      out[o++] = full[a + 1] as number;
      out[o++] = full[a + 2] as number;
    }
  }
  return out;
}

test('series metadata carries absolute BulkDataURIs that WADO-RS bulkdata serves (PS3.18 §10.4.1.1.2, §10.4.1.1.5)', async () => {
  const o = originals.get('CT_small.dcm') as OriginalObject;
  const res = await fetch(
    `${server.url}/dicomweb/studies/${o.studyInstanceUid}/series/${o.seriesInstanceUid}/metadata`,
  );
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/dicom\+json/);
  const items = (await res.json()) as Record<string, { BulkDataURI?: string; Value?: string[] }>[];
  const mine = items.find((i) => i['00080018']?.Value?.[0] === o.sopInstanceUid);
  const uri = mine?.['7FE00010']?.BulkDataURI ?? '';
  expect(uri).toBe(
    `${server.url}/dicomweb/studies/${o.studyInstanceUid}/series/${o.seriesInstanceUid}/instances/${o.sopInstanceUid}/bulkdata/7FE00010`,
  );
  const bulk = await fetch(uri, { headers: { accept: 'application/octet-stream' } });
  expect(bulk.status).toBe(200);
  const pixels = Buffer.from(await bulk.arrayBuffer());
  expect(Buffer.compare(pixels.subarray(0, (o.nativePixels as Buffer).length), o.nativePixels as Buffer)).toBe(0);
});
