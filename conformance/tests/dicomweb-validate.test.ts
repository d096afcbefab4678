// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Objects retrieved from the real gateway checked by outside validators (issue #2 "Proof"):
// DCMTK dcmdump must parse each one without error, and dicom3tools dciodvfy must report no Error
// line that the input did not already have. Each object is retrieved by WADO-RS (PS3.18
// §10.4.1.1.1, Accept transfer-syntax per §8.7.3.5.2) as stored (*), as Explicit VR Little Endian,
// and as JPIP Referenced .94 / JPIP Referenced Deflate .95 (PS3.5 A.6/A.7, DICOM-JPIP.md), and by
// WADO-URI (§8.2 / §9, transferSyntax=). A JPIP Referenced object received from elsewhere keeps its
// Pixel Data Provider URL (no frames). Skipped, with a message, when the tools are not installed.
// 693_J2KR and TOSHIBA_J2K_OpenJPEGv2Regression carry Group Length elements (gggg,0000): retrieved
// objects have none (they are retired, PS3.5 §7.2), so dciodvfy never reports "Bad group length".

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as dicomParser from 'dicom-parser';
import { parseMultipart, startTestServer, stowBody, type TestServer } from '../../test/integration/harness';
import {
  DICOM_DIR,
  TS,
  dciodvfyErrors,
  dcmdump,
  hasCommand,
  run,
  inflateJpipDeflate,
  uidsOf,
  type FileUids,
} from './dicomweb-helpers';

const HAVE_DCMDUMP = hasCommand('dcmdump');
const HAVE_DCIODVFY = hasCommand('dciodvfy');
if (!HAVE_DCMDUMP)
  console.warn('DCMTK dcmdump not installed: DICOMweb dcmdump validation skipped (apt-get install dcmtk)');
if (!HAVE_DCIODVFY)
  console.warn('dicom3tools dciodvfy not installed: DICOMweb IOD validation skipped (apt-get install dicom3tools)');
const withDcmdump = HAVE_DCMDUMP ? test : test.skip;
const withDciodvfy = HAVE_DCIODVFY ? test : test.skip;

/** J2K as sent (.90 / .91, multi-frame, colour), and uncompressed / JPEG inputs that were transcoded. */
const FILES = [
  'CT_small.dcm',
  'MR_small.dcm',
  'JPEG2000.dcm',
  'US1_J2KR.dcm',
  'emri_small_jpeg_2k_lossless.dcm',
  'SC_rgb_2frame.dcm',
  'examples_ybr_color.dcm',
  'dx_image.dcm',
  '693_J2KR.dcm',
  'TOSHIBA_J2K_OpenJPEGv2Regression.dcm',
];
/** The inputs above that have Group Length elements other than (0002,0000) (found with dcmdump). */
const WITH_GROUP_LENGTHS = new Set(['693_J2KR.dcm', 'TOSHIBA_J2K_OpenJPEGv2Regression.dcm']);
const uids = new Map<string, FileUids>(FILES.map((f) => [f, uidsOf(f)]));
/** MR_small_jp2klossless shares MR_small's SOP Instance UID, so only one of them is in the set. */
const CHOICES: { label: string; accept: string; expectTs: (stored: string) => string }[] = [
  {
    label: 'as stored (*)',
    accept: 'multipart/related; type="application/dicom"; transfer-syntax=*',
    expectTs: (s) => s,
  },
  {
    label: 'Explicit VR Little Endian',
    accept: `multipart/related; type="application/dicom"; transfer-syntax=${TS.explicitLE}`,
    expectTs: () => TS.explicitLE,
  },
  {
    label: 'JPIP Referenced (.94)',
    accept: `multipart/related; type="application/dicom"; transfer-syntax=${TS.jpip}`,
    expectTs: () => TS.jpip,
  },
  {
    label: 'JPIP Referenced Deflate (.95)',
    accept: `multipart/related; type="application/dicom"; transfer-syntax=${TS.jpipDeflate}`,
    expectTs: () => TS.jpipDeflate,
  },
];

let server: TestServer;
let work: string;
const inputErrors = new Map<string, string[]>();

beforeAll(async () => {
  server = await startTestServer();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-dw-validate-'));
  const { body, contentType } = stowBody(FILES.map((f) => fs.readFileSync(path.join(DICOM_DIR, f))));
  const res = await fetch(`${server.url}/dicomweb/studies`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  if (res.status !== 200) throw new Error(`STOW-RS of the validation set failed: ${res.status} ${await res.text()}`);
  if (HAVE_DCIODVFY) for (const f of FILES) inputErrors.set(f, await dciodvfyErrors(path.join(DICOM_DIR, f)));
}, 300_000);

afterAll(async () => {
  await server?.stop();
  if (work !== undefined) fs.rmSync(work, { recursive: true, force: true });
});

async function retrieve(file: string, accept: string): Promise<{ ts: string; bytes: Buffer }> {
  const u = uids.get(file) as FileUids;
  const res = await fetch(`${server.url}/dicomweb/studies/${u.study}/series/${u.series}/instances/${u.sop}`, {
    headers: { accept },
  });
  if (res.status !== 200) throw new Error(`${file}: ${res.status} ${await res.text()}`);
  const contentType = res.headers.get('content-type') ?? '';
  const parts = parseMultipart(Buffer.from(await res.arrayBuffer()), contentType);
  expect(parts).toHaveLength(1);
  const part = parts[0] as { headers: Record<string, string>; body: Buffer };
  const ts = /transfer-syntax=([0-9.]+)/.exec(part.headers['content-type'] ?? '')?.[1] ?? '';
  return { ts, bytes: part.body };
}

function save(name: string, bytes: Buffer): string {
  const p = path.join(work, name);
  fs.writeFileSync(p, bytes);
  return p;
}

describe.each(FILES)('%s', (file) => {
  describe.each(CHOICES)(
    'retrieved by WADO-RS $label (PS3.18 §10.4.1.1.1, §8.7.3.5.2)',
    ({ label, accept, expectTs }) => {
      const name = `${file}.${label.replace(/[^A-Za-z0-9]+/g, '_')}.dcm`;
      let retrieved: { ts: string; bytes: Buffer } | undefined;
      const get = async (): Promise<{ ts: string; bytes: Buffer }> => (retrieved ??= await retrieve(file, accept));

      test('Part 10 with the negotiated transfer syntax; JPIP ones carry a Pixel Data Provider URL, no Pixel Data', async () => {
        const { ts, bytes } = await get();
        const u = uids.get(file) as FileUids;
        const stored =
          u.transferSyntax === TS.j2k || u.transferSyntax === TS.j2kLossless ? u.transferSyntax : TS.j2kLossless;
        expect(ts).toBe(expectTs(stored));
        expect(dicomParser.readPart10Header(new Uint8Array(bytes)).string('x00020010')).toBe(ts);
        if (ts === TS.jpip || ts === TS.jpipDeflate) {
          const ds = dicomParser.parseDicom(new Uint8Array(ts === TS.jpip ? bytes : inflateJpipDeflate(bytes)));
          expect(ds.elements['x7fe00010']).toBeUndefined();
          expect(ds.string('x00287fe0')).toBe(`${server.url}/jpip?target=${u.sop}`);
        }
      });

      withDcmdump('dcmdump parses it without error', async () => {
        const r = await dcmdump(save(name, (await get()).bytes));
        expect(r.errors).toEqual([]);
        expect(r.code).toBe(0);
        expect(r.text).toContain(uids.get(file)?.sop);
      });

      withDciodvfy('dciodvfy reports no Error beyond those of the input', async () => {
        const { ts, bytes } = await get();
        const readable = ts === TS.jpipDeflate ? inflateJpipDeflate(bytes) : bytes;
        const errors = await dciodvfyErrors(save(`${name}.iod.dcm`, readable));
        const before = new Set(inputErrors.get(file) ?? []);
        expect(errors.filter((e) => !before.has(e))).toEqual([]);
      });

      withDciodvfy('no Group Length element is left, so none is "Bad" (PS3.5 §7.2)', async () => {
        const { ts, bytes } = await get();
        const readable = ts === TS.jpipDeflate ? inflateJpipDeflate(bytes) : bytes;
        const r = await run('dciodvfy', [save(`${name}.gl.dcm`, readable)]);
        const out = r.stdout + r.stderr;
        expect(out).not.toMatch(/bad group length/i);
        expect(out).not.toMatch(/\(0x[0-9a-f]{4},0x0000\) UL Group Length/i);
        if (WITH_GROUP_LENGTHS.has(file)) {
          const input = await run('dciodvfy', [path.join(DICOM_DIR, file)]);
          expect(input.stdout + input.stderr).toMatch(/\(0x0008,0x0000\) UL Group Length/); // the input has them
        }
      });
    },
  );
});

describe('WADO-URI (PS3.18 §8.2, §9)', () => {
  const u = (): FileUids => uids.get('JPEG2000.dcm') as FileUids;
  const url = (ts: string): string =>
    `${server.url}/wado?requestType=WADO&studyUID=${u().study}&seriesUID=${u().series}&objectUID=${u().sop}&contentType=application/dicom&transferSyntax=${ts}`;

  test.each([TS.j2k, TS.explicitLE, TS.jpip, TS.jpipDeflate])(
    'transferSyntax=%s gives a single application/dicom object dcmdump can read (§8.2.11)',
    async (ts) => {
      const res = await fetch(url(ts));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/dicom');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(dicomParser.readPart10Header(new Uint8Array(bytes)).string('x00020010')).toBe(ts);
      if (HAVE_DCMDUMP) expect((await dcmdump(save(`wado-uri-${ts}.dcm`, bytes))).errors).toEqual([]);
    },
  );

  test('a syntax the object cannot be produced in falls back to Explicit VR Little Endian (§8.2.11)', async () => {
    const res = await fetch(url('1.2.840.10008.1.2.4.50'));
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(dicomParser.parseDicom(new Uint8Array(bytes), { untilTag: 'x00020010' }).string('x00020010')).toBe(
      TS.explicitLE,
    );
  });
});

describe('JPIP Referenced object received from elsewhere (DICOM-JPIP.md, PS3.5 A.6)', () => {
  test('is stored with its Pixel Data Provider URL, served as stored, and has no frames', async () => {
    const jpipObject = (await retrieve('CT_small.dcm', CHOICES[2]?.accept ?? '')).bytes;
    const other = await startTestServer();
    try {
      const { body, contentType } = stowBody([jpipObject]);
      const stow = await fetch(`${other.url}/dicomweb/studies`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      });
      expect(stow.status).toBe(200);
      const ct = uids.get('CT_small.dcm') as FileUids;
      const base = `${other.url}/dicomweb/studies/${ct.study}/series/${ct.series}/instances/${ct.sop}`;
      const res = await fetch(base, {
        headers: { accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
      });
      expect(res.status).toBe(200);
      const [part] = parseMultipart(Buffer.from(await res.arrayBuffer()), res.headers.get('content-type') ?? '');
      const ds = dicomParser.parseDicom(new Uint8Array((part as { body: Buffer }).body));
      expect(ds.string('x00020010')).toBe(TS.jpip);
      // The URL points at the gateway that made the object, not at this one.
      expect(ds.string('x00287fe0')).toBe(`${server.url}/jpip?target=${ct.sop}`);
      expect((await fetch(`${base}/frames/1`)).status).toBe(404);
      const decoded = await fetch(base, {
        headers: { accept: `multipart/related; type="application/dicom"; transfer-syntax=${TS.explicitLE}` },
      });
      expect(decoded.status).toBe(406);
    } finally {
      await other.stop();
    }
  });
});
