// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// The overwrite policy (issue #10 "Proof: Overwrite"), black box: the tampering case — a corpus
// file with another PatientName written by pydicom, same SOP Instance UID — sent by STOW-RS and by
// DCMTK storescu. Default FOVEA_OVERWRITE=never: STOW-RS answers 409 (202 when another instance of
// the request is stored) with FailedSOPSequence / FailureReason 0111H (PS3.18 Table 10.5.3-3,
// PS3.7 Annex C Duplicate SOP Instance) and a Warning saying why; C-STORE answers status 0111H;
// QIDO-RS still shows the old name, WADO-RS returns the same bytes as before and the blobs on disk
// are unchanged. FOVEA_OVERWRITE=always: the tampered object replaces the stored one.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestServer, stowBody, type TestServer } from '../../test/integration/harness';
import { DICOM_DIR, run, uidsOf, value } from './dicomweb-helpers';
import { AE, hasCommand, startGateway, type DimseGateway } from './dimse-helpers';
import { havePydicom } from './study-fixtures';

type Json = Record<string, { vr: string; Value?: unknown[] }>;

const PYTHON = '/usr/bin/python3';
const CT = path.join(DICOM_DIR, 'CT_small.dcm');
const MR = path.join(DICOM_DIR, 'MR_small.dcm');
const ct = uidsOf(CT);
const ORIGINAL_NAME = 'CompressedSamples^CT1';

/** pydicom rewrites Patient's Name (0010,0010) and nothing else: the same SOP Instance UID, another object. */
async function tamper(src: string, dst: string, name: string): Promise<void> {
  const script =
    'import pydicom,sys\nds=pydicom.dcmread(sys.argv[1])\nds.PatientName=sys.argv[3]\nds.save_as(sys.argv[2])';
  const r = await run(PYTHON, ['-c', script, src, dst, name]);
  if (r.code !== 0) throw new Error(`pydicom: ${r.stderr}`);
}

async function stow(server: TestServer, files: string[]): Promise<{ status: number; json: Json; warning: string }> {
  const { body, contentType } = stowBody(files.map((f) => fs.readFileSync(f)));
  const res = await fetch(`${server.url}/dicomweb/studies`, {
    method: 'POST',
    headers: { 'content-type': contentType, accept: 'application/dicom+json' },
    body,
  });
  return { status: res.status, json: (await res.json()) as Json, warning: res.headers.get('warning') ?? '' };
}

/** WADO-RS instance retrieve as stored (transfer-syntax=*): the whole multipart body. */
async function retrieve(server: TestServer): Promise<Buffer> {
  const res = await fetch(`${server.url}/dicomweb/studies/${ct.study}/series/${ct.series}/instances/${ct.sop}`, {
    headers: { accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
  });
  expect(res.status).toBe(200);
  // The boundary differs per response: compare the parts' bytes, not the framing.
  const ctype = res.headers.get('content-type') ?? '';
  const boundary = /boundary="?([^";]+)"?/.exec(ctype)?.[1] ?? '';
  const body = Buffer.from(await res.arrayBuffer());
  return Buffer.from(body.toString('latin1').split(`--${boundary}`).join('--B'), 'latin1');
}

async function patientNames(server: TestServer): Promise<unknown[]> {
  const res = await fetch(`${server.url}/dicomweb/studies?StudyInstanceUID=${ct.study}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Json[]).map((s) => value(s, '00100010'));
}

/** Every blob file under the data folder's objects/, with its SHA-256. */
function blobs(dataDir: string): Record<string, string> {
  const root = path.join(dataDir, 'objects');
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(root, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(root);
  return out;
}

let work = '';
let tampered = '';

beforeAll(async () => {
  if (!(await havePydicom())) throw new Error('/usr/bin/python3 cannot import pydicom (python3-pydicom)');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-overwrite-'));
  tampered = path.join(work, 'CT_small_tampered.dcm');
  await tamper(CT, tampered, 'Evil^Mallory');
  expect(uidsOf(tampered).sop).toBe(ct.sop);
}, 60_000);
afterAll(() => {
  if (work !== '') fs.rmSync(work, { recursive: true, force: true });
});

describe('STOW-RS, FOVEA_OVERWRITE=never (default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    expect((await stow(server, [CT])).status).toBe(200);
  }, 60_000);
  afterAll(async () => server?.stop());

  test('the tampered object is refused: 409, FailedSOPSequence with 0111H, old name kept, bytes identical', async () => {
    const retrievedBefore = await retrieve(server);
    const blobsBefore = blobs(server.dataDir);
    const r = await stow(server, [tampered]);
    expect(r.status).toBe(409);
    expect(r.json['00081199']).toBeUndefined();
    const failed = (r.json['00081198']?.Value ?? []) as Json[];
    expect(failed.map((i) => [value(i, '00081155'), value(i, '00081197')])).toEqual([[ct.sop, 0x0111]]);
    expect(r.warning).toMatch(/1 instance\(s\) refused \(Failure Reason 0111H Duplicate SOP Instance\)/);
    expect(await patientNames(server)).toEqual([{ Alphabetic: ORIGINAL_NAME }]);
    const evil = await fetch(`${server.url}/dicomweb/studies?PatientName=Evil*`);
    expect(await evil.json()).toEqual([]);
    const after = await retrieve(server);
    expect(after.equals(retrievedBefore)).toBe(true);
    expect(after.includes('Evil^Mallory')).toBe(false);
    expect(blobs(server.dataDir)).toEqual(blobsBefore);
    expect(fs.readdirSync(path.join(server.dataDir, 'tmp')).filter((f) => f.startsWith('stow-'))).toEqual([]);
  });

  test('refused next to a new instance: 202, one stored, one failed with 0111H', async () => {
    const r = await stow(server, [tampered, MR]);
    expect(r.status).toBe(202);
    const failed = (r.json['00081198']?.Value ?? []) as Json[];
    const stored = (r.json['00081199']?.Value ?? []) as Json[];
    expect(failed.map((i) => [value(i, '00081155'), value(i, '00081197')])).toEqual([[ct.sop, 0x0111]]);
    expect(stored.map((i) => value(i, '00081155'))).toEqual([uidsOf(MR).sop]);
    expect(await patientNames(server)).toEqual([{ Alphabetic: ORIGINAL_NAME }]);
  });

  test('the identical object again is a no-op success (200)', async () => {
    const before = await retrieve(server);
    expect((await stow(server, [CT])).status).toBe(200);
    expect((await retrieve(server)).equals(before)).toBe(true);
  });
});

describe('STOW-RS, FOVEA_OVERWRITE=always', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ FOVEA_OVERWRITE: 'always' });
    expect((await stow(server, [CT])).status).toBe(200);
  }, 60_000);
  afterAll(async () => server?.stop());

  test('the tampered object replaces the stored one', async () => {
    const before = await retrieve(server);
    const r = await stow(server, [tampered]);
    expect(r.status).toBe(200);
    expect(r.json['00081198']).toBeUndefined();
    expect(await patientNames(server)).toEqual([{ Alphabetic: 'Evil^Mallory' }]);
    const after = await retrieve(server);
    expect(after.equals(before)).toBe(false);
    expect(after.includes('Evil^Mallory')).toBe(true);
  });
});

const HAVE_DCMTK = hasCommand('storescu');
if (!HAVE_DCMTK) console.warn('DCMTK not installed: C-STORE overwrite test skipped');
(HAVE_DCMTK ? describe : describe.skip)('C-STORE with DCMTK storescu, FOVEA_OVERWRITE=never (default)', () => {
  let gw: DimseGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => gw?.stop());

  test('the tampered object is answered with status 0x0111 and the stored instance is unchanged', async () => {
    const storescu = (file: string): ReturnType<typeof run> =>
      run('storescu', [
        '-d',
        '-aec',
        AE,
        '-to',
        '10',
        '-ta',
        '10',
        '-td',
        '10',
        '127.0.0.1',
        String(gw.dimse.port),
        file,
      ]);
    const first = await storescu(CT);
    expect(first.stdout + first.stderr).toMatch(/DIMSE Status +: 0x0000: Success/);
    const instances = gw.http.running.gateway.store.instances;
    const before = instances.getInstance(ct.sop);
    const blobsBefore = blobs(gw.http.dataDir);

    const r = await storescu(tampered);
    const out = r.stdout + r.stderr;
    // DCMTK 3.6.7 has no name for 0111H in a C-STORE response ("Unknown Status: 0x111" with -v);
    // -d prints the status number and its category.
    expect(out).toMatch(/DIMSE Status +: 0x0111: Failure/);
    // The response's Error Comment (0000,0902) carries the stable code (-d dumps the command set).
    expect(out).toMatch(/\(0000,0902\) LO \[STORE_DUPLICATE_SOP_INSTANCE\s*\]/);
    expect(out).not.toMatch(/DIMSE Status +: 0x0000/);
    expect(instances.getInstance(ct.sop)).toEqual(before);
    expect(blobs(gw.http.dataDir)).toEqual(blobsBefore);
    expect(instances.pendingVersions(Date.now() + 1000)).toEqual([]);
  });
});
