// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Signed CT coded as unsigned JPEG 2000 (the codestream's SIZ says unsigned, the header says Pixel
// Representation 1): TOSHIBA_J2K_OpenJPEGv2Regression (16/16) and J2K_pixelrep_mismatch (16/13,
// pydicom issue 1149). GDCM and DCMTK follow the header (PS3.3 C.7.6.3.1.1), and so must Fovea:
// - rendered (PS3.18 §10.4.1.1.4) with a window: within 1 grey level of DCMTK's dcmj2pnm with the
//   same window (+Ww), every pixel; thumbnails (§10.4.3, the object's own window, dcmj2pnm +Wi 1)
//   close to dcmj2pnm's image box-averaged to the thumbnail size, air black;
// - the Explicit VR LE (decoded) retrieve (§8.7.3.5.2): samples sign-extended as the header says,
//   and dcmj2pnm shows the retrieved object exactly as it shows the original.
// DCMTK 3.6.7 cannot decode JPEG 2000, so the original goes through `gdcmconv --raw` (GDCM follows
// the header) before dcmj2pnm. Skipped, with a message, when the tools are not installed.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as dicomParser from 'dicom-parser';
import { PNG } from 'pngjs';
import { parseMultipart, startTestServer, stowBody, type TestServer } from '../../test/integration/harness';
import { DICOM_DIR, hasCommand, run, uidsOf, type FileUids } from './dicomweb-helpers';

const HAVE_TOOLS = hasCommand('dcmj2pnm') && hasCommand('gdcmconv');
if (!HAVE_TOOLS)
  console.warn(
    'dcmj2pnm or gdcmconv not installed: signed/unsigned rendering checks skipped (apt-get install dcmtk libgdcm-tools)',
  );
const d = HAVE_TOOLS ? describe : describe.skip;

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
/** Per file: windows to render with (center, width), chosen to show air, soft tissue and bone. */
const FILES: { file: string; windows: [number, number][] }[] = [
  {
    file: 'TOSHIBA_J2K_OpenJPEGv2Regression.dcm',
    windows: [
      [-550, 1600],
      [40, 400],
    ],
  },
  {
    file: 'J2K_pixelrep_mismatch.dcm',
    windows: [
      [40, 100],
      [40, 400],
      [300, 3000],
    ],
  },
];

interface Gray {
  width: number;
  height: number;
  v: Uint8Array;
}

function gray(png: Buffer): Gray {
  const p = PNG.sync.read(png);
  const v = new Uint8Array(p.width * p.height);
  for (let i = 0; i < v.length; i++) v[i] = p.data[i * 4] as number;
  return { width: p.width, height: p.height, v };
}

/** Box average of `g` down to w×h (whole-pixel boxes). */
function boxDown(g: Gray, w: number, h: number): Gray {
  const kx = g.width / w;
  const ky = g.height / h;
  const v = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let j = 0; j < ky; j++)
        for (let i = 0; i < kx; i++) sum += g.v[(y * ky + j) * g.width + x * kx + i] as number;
      v[y * w + x] = Math.round(sum / (kx * ky));
    }
  return { width: w, height: h, v };
}

function diffs(a: Gray, b: Gray): { max: number; mean: number } {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.v.length; i++) {
    const dd = Math.abs((a.v[i] as number) - (b.v[i] as number));
    max = Math.max(max, dd);
    sum += dd;
  }
  return { max, mean: sum / a.v.length };
}

d('signed CT coded as unsigned J2K: Fovea follows the header, like DCMTK and GDCM', () => {
  let server: TestServer;
  let work: string;
  const raw = new Map<string, string>();

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-pixrep-'));
    for (const { file } of FILES) {
      const out = path.join(work, `${file}.raw.dcm`);
      const r = await run('gdcmconv', ['--raw', path.join(DICOM_DIR, file), out]);
      if (r.code !== 0) throw new Error(`gdcmconv --raw ${file}: ${r.stderr}`);
      raw.set(file, out);
    }
    server = await startTestServer();
    const { body, contentType } = stowBody(FILES.map(({ file }) => fs.readFileSync(path.join(DICOM_DIR, file))));
    const res = await fetch(`${server.url}/dicomweb/studies`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    if (res.status !== 200) throw new Error(`STOW-RS: ${res.status} ${await res.text()}`);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    // FOVEA_KEEP_TEST_OUTPUT=1 keeps the PNGs (ours and dcmj2pnm's) to look at.
    if (work !== undefined && process.env['FOVEA_KEEP_TEST_OUTPUT'] === undefined)
      fs.rmSync(work, { recursive: true, force: true });
    else if (work !== undefined) console.info(`rendered-dcmj2pnm output kept in ${work}`);
  });

  const base = (u: FileUids): string =>
    `${server.url}/dicomweb/studies/${u.study}/series/${u.series}/instances/${u.sop}`;

  /** dcmj2pnm of a file as an 8-bit grey PNG, with the given window options. */
  async function dcmj2pnm(file: string, windowArgs: string[], name: string): Promise<Gray> {
    const out = path.join(work, `${name}.png`);
    const r = await run('dcmj2pnm', ['--write-png', '-il', ...windowArgs, file, out]);
    if (r.code !== 0) throw new Error(`dcmj2pnm ${file}: ${r.stderr}`);
    return gray(fs.readFileSync(out));
  }

  async function fetchPng(url: string, name: string): Promise<Gray> {
    const res = await fetch(url, { headers: { accept: 'image/png' } });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    fs.writeFileSync(path.join(work, `${name}.png`), bytes); // kept while the test runs, for a look
    return gray(bytes);
  }

  describe.each(FILES)('$file', ({ file, windows }) => {
    test.each(windows)('rendered with window %d/%d is within 1 grey level of dcmj2pnm +Ww', async (c, w) => {
      const u = uidsOf(file);
      const ref = await dcmj2pnm(raw.get(file) as string, ['+Ww', String(c), String(w)], `${file}.${c}.${w}.ref`);
      const ours = await fetchPng(`${base(u)}/rendered?window=${c},${w},linear`, `${file}.${c}.${w}.fovea`);
      expect(diffs(ours, ref).max).toBeLessThanOrEqual(1);
    });

    test('thumbnail (the object window) matches dcmj2pnm +Wi 1 box-averaged; air is black', async () => {
      const u = uidsOf(file);
      const ref = await dcmj2pnm(raw.get(file) as string, ['+Wi', '1'], `${file}.wi1.ref`);
      const thumb = await fetchPng(`${base(u)}/thumbnail?viewport=128,128`, `${file}.thumb.fovea`);
      const small = boxDown(ref, thumb.width, thumb.height);
      const { mean } = diffs(thumb, small);
      expect(mean).toBeLessThan(4);
      expect(thumb.v[0]).toBeLessThanOrEqual((small.v[0] as number) + 1); // a corner: air
    });

    test('Explicit VR LE retrieve: samples sign-extended per the header; dcmj2pnm shows it as the original', async () => {
      const u = uidsOf(file);
      const res = await fetch(base(u), {
        headers: { accept: `multipart/related; type="application/dicom"; transfer-syntax=${EXPLICIT_LE}` },
      });
      expect(res.status).toBe(200);
      const [part] = parseMultipart(Buffer.from(await res.arrayBuffer()), res.headers.get('content-type') ?? '');
      const bytes = (part as { body: Buffer }).body;
      const saved = path.join(work, `${file}.evrle.dcm`);
      fs.writeFileSync(saved, bytes);
      // The samples: GDCM's decode read with the header's Bits Stored / Pixel Representation.
      const ours = dicomParser.parseDicom(new Uint8Array(bytes));
      const theirs = dicomParser.parseDicom(new Uint8Array(fs.readFileSync(raw.get(file) as string)));
      const bitsStored = theirs.uint16('x00280101') ?? 16;
      expect(ours.uint16('x00280103')).toBe(1);
      const samples = (ds: dicomParser.DataSet): Int16Array => {
        const el = ds.elements['x7fe00010'] as dicomParser.Element;
        return new Int16Array(
          ds.byteArray.buffer.slice(
            ds.byteArray.byteOffset + el.dataOffset,
            ds.byteArray.byteOffset + el.dataOffset + el.length,
          ),
        );
      };
      const shift = 16 - bitsStored;
      const expected = samples(theirs).map((v) => (v << (16 + shift)) >> (16 + shift));
      const got = samples(ours);
      expect(got.length).toBe(expected.length);
      expect(Buffer.from(got.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      expect(got.reduce((m, v) => Math.min(m, v), 0)).toBeLessThan(0); // air is negative, as the header says
      const [c, w] = windows[0] as [number, number];
      const a = await dcmj2pnm(saved, ['+Ww', String(c), String(w)], `${file}.evrle`);
      const b = await dcmj2pnm(raw.get(file) as string, ['+Ww', String(c), String(w)], `${file}.raw`);
      expect(diffs(a, b).max).toBe(0);
    });
  });
});
