// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// The OHIF / Cornerstone frame request (`multipart/related; type=application/octet-stream;
// transfer-syntax=*`, PS3.18 §10.4.1.1.3, §8.7.3.3.2) sent to Orthanc 1.10 + DICOMweb 1.7 and to
// Fovea holding the same JPEG 2000 objects: both answer the stored codestream, byte-identical (but
// for the pad byte Orthanc keeps after an odd-length one), labelled with the stored transfer syntax. (Orthanc labels the part image/jp2, Fovea
// application/octet-stream, the part type the client asked for; conformance/dicomweb.md.)
// Skipped when Orthanc or the peers script is not installed. Loopback only, bounded timeouts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseMultipart, startTestServer, stowBody, type TestServer } from '../../test/integration/harness';
import { DICOM_DIR, uidsOf, type FileUids } from './dicomweb-helpers';
import { freePort } from './peer-tools';
import { orthancInstalled, orthancSh, stopOrthanc } from './orthanc-peer';

const HAVE_ORTHANC = orthancInstalled();
if (!HAVE_ORTHANC)
  console.warn('Orthanc (or shared/tools/peers/orthanc.sh) not installed: Orthanc frame comparison skipped');
const d = HAVE_ORTHANC ? describe : describe.skip;

const OHIF_ACCEPT = 'multipart/related; type=application/octet-stream; transfer-syntax=*';
const FILES = ['693_J2KR.dcm', 'RG1_J2KI.dcm'];

interface FrameAnswer {
  status: number;
  partType: string;
  body: Buffer;
  ms: number;
}

async function frame1(base: string, u: FileUids): Promise<FrameAnswer> {
  const started = performance.now();
  const res = await fetch(`${base}/studies/${u.study}/series/${u.series}/instances/${u.sop}/frames/1`, {
    headers: { accept: OHIF_ACCEPT },
    signal: AbortSignal.timeout(60_000),
  });
  const body = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - started;
  if (res.status !== 200) return { status: res.status, partType: '', body, ms };
  const parts = parseMultipart(body, res.headers.get('content-type') ?? '');
  expect(parts).toHaveLength(1);
  const part = parts[0] as { headers: Record<string, string>; body: Buffer };
  return { status: res.status, partType: part.headers['content-type'] ?? '', body: part.body, ms };
}

d('OHIF / Cornerstone frame request: Fovea and Orthanc', () => {
  let fovea: TestServer;
  let httpPort = 0;
  let started = false;

  beforeAll(async () => {
    httpPort = await freePort();
    const dicomPort = await freePort();
    await orthancSh(['start', String(httpPort), String(dicomPort), 'ORTHANC']);
    started = true;
    for (const f of FILES) {
      const res = await fetch(`http://127.0.0.1:${httpPort}/instances`, {
        method: 'POST',
        body: fs.readFileSync(path.join(DICOM_DIR, f)),
        signal: AbortSignal.timeout(60_000),
      });
      if (!res.ok) throw new Error(`Orthanc upload of ${f}: ${res.status}`);
    }
    fovea = await startTestServer();
    const { body, contentType } = stowBody(FILES.map((f) => fs.readFileSync(path.join(DICOM_DIR, f))));
    const stow = await fetch(`${fovea.url}/dicomweb/studies`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    if (stow.status !== 200) throw new Error(`STOW-RS to Fovea: ${stow.status}`);
  }, 120_000);

  afterAll(async () => {
    await stopOrthanc(httpPort, started);
    await fovea?.stop();
  }, 60_000);

  test.each(FILES)('%s: the same stored codestream, labelled with the stored syntax', async (file) => {
    const u = uidsOf(file);
    const orthanc = await frame1(`http://127.0.0.1:${httpPort}/dicom-web`, u);
    const ours = await frame1(`${fovea.url}/dicomweb`, u);
    expect(orthanc.status).toBe(200);
    expect(ours.status).toBe(200);
    expect(orthanc.partType).toBe(`image/jp2; transfer-syntax=${u.transferSyntax}`);
    expect(ours.partType).toBe(`application/octet-stream; transfer-syntax=${u.transferSyntax}`);
    // Orthanc sends the fragment as stored in the file, with the pad byte of an odd-length codestream
    // (PS3.5 A.4); Fovea sends the codestream itself (693_J2KR's is 105361 bytes, odd).
    const padded = orthanc.body.length === ours.body.length + 1 && orthanc.body[orthanc.body.length - 1] === 0;
    expect(padded ? ours.body.length % 2 : 0).toBe(padded ? 1 : 0);
    const theirs = padded ? orthanc.body.subarray(0, ours.body.length) : orthanc.body;
    expect(ours.body.length).toBe(theirs.length);
    expect(Buffer.compare(ours.body, theirs)).toBe(0);
    console.info(
      `${file}: frame 1 with ${OHIF_ACCEPT}: Fovea ${ours.body.length} B in ${ours.ms.toFixed(1)} ms, ` +
        `Orthanc ${orthanc.body.length} B in ${orthanc.ms.toFixed(1)} ms`,
    );
  });
});
