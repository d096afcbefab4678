// Objects kept as received (Fovea cannot transcode their pixel data, issue 9 defect 3), retrieved
// from the real gateway and checked by outside validators: DCMTK dcmdump must parse each one
// without error and dicom3tools dciodvfy must report no Error line the input did not already
// have — as stored (transfer-syntax=*, byte-identical) and, for native pixels, re-encoded as
// Explicit VR Little Endian (PS3.5 A.2; Big Endian samples swapped, A.3). DCMTK dcmconv, the
// reference converter, must produce the same Explicit VR LE Pixel Data from the input as Fovea does.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bufferSource } from '../../src/bytes';
import { parseDicom } from '../../src/dicom';
import { parseMultipart, startTestServer, stowBody, type TestServer } from '../../test/integration/harness';
import { TS, dciodvfyErrors, dcmdump, hasCommand, run } from './dicomweb-helpers';

const HAVE_DCMTK = hasCommand('dcmdump') && hasCommand('dcmconv');
const HAVE_DCIODVFY = hasCommand('dciodvfy');
if (!HAVE_DCMTK) console.warn('DCMTK not installed: as-received validation skipped (apt-get install dcmtk)');
if (!HAVE_DCIODVFY) console.warn('dicom3tools not installed: as-received IOD validation skipped');
const withDcmtk = HAVE_DCMTK ? test : test.skip;
const withDciodvfy = HAVE_DCIODVFY ? test : test.skip;

const DIR = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'as-received');
const FILES = ['liver_1frame.dcm', 'SC_rgb_rle_16bit.dcm', 'rtdose_expb_1frame.dcm', 'JPGExtended.dcm'];
const NATIVE = ['liver_1frame.dcm', 'rtdose_expb_1frame.dcm'];

let server: TestServer;
let work: string;
const retrieved = new Map<string, string>(); // `${file} ${ts}` -> path of the retrieved object

function uids(file: string): { study: string; series: string; sop: string } {
  const ds = parseDicom(bufferSource(fs.readFileSync(path.join(DIR, file)))).dataset;
  return { study: ds.uid(0x0020000d) ?? '', series: ds.uid(0x0020000e) ?? '', sop: ds.uid(0x00080018) ?? '' };
}

function nativePixels(file: string): Buffer {
  const p = parseDicom(bufferSource(fs.readFileSync(file)));
  if (p.pixelData?.kind !== 'native') throw new Error(`${file}: no native Pixel Data`);
  return Buffer.from(p.source.read(p.pixelData.offset, p.pixelData.length));
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-as-received-'));
  server = await startTestServer();
  const { body, contentType } = stowBody(FILES.map((f) => fs.readFileSync(path.join(DIR, f))));
  const res = await fetch(`${server.url}/dicomweb/studies`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  if (res.status !== 202) throw new Error(`STOW-RS: ${res.status} ${await res.text()}`);
  for (const f of FILES) {
    const u = uids(f);
    for (const ts of NATIVE.includes(f) ? ['*', TS.explicitLE] : ['*']) {
      const r = await fetch(`${server.url}/dicomweb/studies/${u.study}/series/${u.series}/instances/${u.sop}`, {
        headers: { accept: `multipart/related; type="application/dicom"; transfer-syntax=${ts}` },
      });
      const parts = parseMultipart(Buffer.from(await r.arrayBuffer()), r.headers.get('content-type') ?? '');
      const out = path.join(work, `${f}.${ts === '*' ? 'stored' : 'evrle'}.dcm`);
      fs.writeFileSync(out, parts[0]?.body ?? Buffer.alloc(0));
      retrieved.set(`${f} ${ts}`, out);
    }
  }
}, 120_000);
afterAll(async () => {
  await server?.stop();
  if (work !== undefined) fs.rmSync(work, { recursive: true, force: true });
});

withDcmtk('dcmdump parses every retrieved object without error; * is byte-identical to the input', async () => {
  for (const [key, file] of retrieved) {
    const d = await dcmdump(file);
    expect([key, d.code, d.errors]).toEqual([key, 0, []]);
    if (key.endsWith(' *')) {
      const input = fs.readFileSync(path.join(DIR, key.split(' ')[0] ?? ''));
      expect([key, fs.readFileSync(file).equals(input)]).toEqual([key, true]);
    }
  }
});

withDcmtk('Explicit VR LE from Fovea has the Pixel Data DCMTK dcmconv +te writes from the input', async () => {
  for (const f of NATIVE) {
    const ref = path.join(work, `${f}.dcmconv.dcm`);
    const conv = await run('dcmconv', ['+te', path.join(DIR, f), ref]);
    expect([f, conv.code]).toEqual([f, 0]);
    const ours = retrieved.get(`${f} ${TS.explicitLE}`) ?? '';
    expect([f, nativePixels(ours).equals(nativePixels(ref))]).toEqual([f, true]);
  }
});

withDciodvfy('dciodvfy reports no Error line the input did not already have', async () => {
  for (const [key, file] of retrieved) {
    const input = new Set(await dciodvfyErrors(path.join(DIR, key.split(' ')[0] ?? '')));
    const extra = (await dciodvfyErrors(file)).filter((e) => !input.has(e));
    expect([key, extra]).toEqual([key, []]);
  }
});
