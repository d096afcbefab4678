// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// OHIF Viewer (the published build, npm @ohif/app, see ohif-helpers.ts) with its default DICOMweb
// data source (OHIF/Viewers platform/app/public/config/default.js, "ohif" entry; docs/ohif.md)
// pointed at a fresh Fovea holding every study of the DICOM corpus: the study list lists every
// study, and each study opens in the viewer with an image in the viewport. No request may fail
// (status >= 400 or a network error) and there may be no page error and no console error.
// OHIF is served from its own origin, so every request to Fovea is cross-origin (src/http/cors.ts).
// Screenshots: test-output/ohif/. Skipped, with the reason, without Chromium or the OHIF build.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as dicomParser from 'dicom-parser';
import type { Page } from 'puppeteer-core';
import { startTestServer, stowBody, type TestServer } from '../../test/integration/harness';
import { DICOM_DIR } from './dicomweb-helpers';
import {
  SCREENSHOTS,
  clickIfPresent,
  launchChromium,
  canvasStats,
  looksLikeImage,
  ohifUnavailable,
  sleep,
  startOhif,
  type LaunchedBrowser,
  type OhifServer,
  type PixelStats,
  PageProblems,
} from './ohif-helpers';

interface CorpusFile {
  file: string;
  study: string;
  modality: string;
}

function readHeader(file: string): CorpusFile | undefined {
  const ds = dicomParser.parseDicom(new Uint8Array(fs.readFileSync(path.join(DICOM_DIR, file))), {
    untilTag: 'x7fe00010',
  });
  const s = (tag: string): string => (ds.string(tag) ?? '').replace(/\0+$/, '').trim();
  // A file without a Study Instance UID is no study (Fovea refuses it: INGEST_MISSING_UID).
  return s('x0020000d') === '' ? undefined : { file, study: s('x0020000d'), modality: s('x00080060') };
}

const ALL = fs
  .readdirSync(DICOM_DIR)
  .filter((f) => f.endsWith('.dcm'))
  .sort()
  .map(readHeader)
  .filter((f): f is CorpusFile => f !== undefined);
// GDCMJ2K_TextGBR.dcm has no Modality: its study carries no ModalitiesInStudy (an empty one broke
// OHIF's whole study list) and shows an empty Modalities cell.
const FILES = ALL;
const STUDIES = [...new Set(FILES.map((f) => f.study))].map((uid) => ({
  uid,
  files: FILES.filter((f) => f.study === uid).map((f) => f.file),
  modalities: [...new Set(FILES.filter((f) => f.study === uid && f.modality !== '').map((f) => f.modality))].sort(),
}));

/** Files whose codestream (SIZ) says unsigned while the header says Pixel Representation 1. */
const SIGN_MISMATCH = ['J2K_pixelrep_mismatch.dcm', 'TOSHIBA_J2K_OpenJPEGv2Regression.dcm'];

/**
 * Studies OHIF opens (metadata read, series listed, no failed request) but draws no image, for
 * reasons outside Fovea; for them the test asserts everything but the pixels.
 */
const NO_IMAGE_EXPECTED: Record<string, string> = {
  // A Segmentation only: OHIF draws a SEG over its referenced images, which are not in the corpus.
  'liver_j2k.dcm': 'SEG without its referenced CT',
  // Slide microscopy: OHIF's basic viewer lists it as "Microscopy Data" and requests no frames
  // (its /microscopy mode requested none either in a manual check).
  'sm_image.dcm, sm_image_grayscale.dcm': 'SM (whole-slide microscopy)',
  // The file's own Pixel Spacing (0028,0030) is 0\0, which Fovea returns unchanged in the metadata;
  // cornerstone then draws nothing, although the frame (803..26512, 15 bits) and Fovea's thumbnail
  // are fine. Checked by hand: the same file with Pixel Spacing set to 0.1\0.1 is drawn.
  'RG1_J2KI.dcm': 'Pixel Spacing 0\\0 in the file',
};

const why = ohifUnavailable();
if (why !== undefined) console.warn(`OHIF conformance test skipped: ${why}`);
const d = why === undefined ? describe : describe.skip;

async function store(server: TestServer, files: string[]): Promise<void> {
  for (const file of files) {
    const { body, contentType } = stowBody([fs.readFileSync(path.join(DICOM_DIR, file))]);
    const res = await fetch(`${server.url}/dicomweb/studies`, {
      method: 'POST',
      headers: { 'Content-Type': contentType, Accept: 'application/dicom+json' },
      body,
    });
    if (res.status !== 200) throw new Error(`STOW of ${file}: ${res.status} ${await res.text()}`);
  }
}

interface StudyListView {
  rows: string[][];
  pager: string;
  text: string;
}

/** Opens OHIF's study list (/) and reads its table; dismisses the first-visit banner. */
async function openStudyList(page: Page, ohif: OhifServer, expectedRows: number): Promise<StudyListView> {
  await page.goto(`${ohif.url}/`, { waitUntil: 'networkidle0', timeout: 90_000 });
  await page
    .waitForFunction(`document.querySelectorAll('tbody tr[aria-selected]').length >= ${expectedRows}`, {
      timeout: 30_000,
    })
    .catch(() => undefined);
  await clickIfPresent(page, 'Confirm and hide');
  return (await page.evaluate(`({
    rows: [...document.querySelectorAll('tbody tr[aria-selected]')].map(r => [...r.cells].map(c => c.innerText.trim())),
    pager: [...document.querySelectorAll('button')].map(b => b.innerText.trim()).find(t => /^\\d+-\\d+ of \\d+$/.test(t)) ?? '',
    text: document.body.innerText.slice(0, 2000),
  })`)) as StudyListView;
}

d('OHIF Viewer (default DICOMweb data source) against Fovea', () => {
  let server: TestServer;
  let ohif: OhifServer;
  let chromium: LaunchedBrowser;
  let page: Page;

  beforeAll(async () => {
    fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    // The whole corpus, whose pairs share a SOP Instance UID (MR_small / MR_small_jp2klossless...):
    // the later file replaces the earlier one, as before the overwrite policy existed.
    server = await startTestServer({ FOVEA_OVERWRITE: 'always' });
    await store(
      server,
      FILES.map((f) => f.file),
    );
    ohif = await startOhif(`${server.url}/dicomweb`);
    chromium = await launchChromium();
    page = await chromium.browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
  }, 300_000);

  afterAll(async () => {
    await chromium?.stop();
    await ohif?.stop();
    await server?.stop();
  });

  test(`the study list lists all ${STUDIES.length} studies, each with its modalities`, async () => {
    const rec = new PageProblems(page);
    const view = await openStudyList(page, ohif, STUDIES.length);
    await page.screenshot({ path: path.join(SCREENSHOTS, '00-study-list.png') });
    rec.detach();
    expect(rec.problems).toEqual([]);
    expect(view.pager).toBe(`1-${STUDIES.length} of ${STUDIES.length}`);
    expect(view.rows).toHaveLength(STUDIES.length);
    // Columns: Patient, Study Date, Modalities, Description, Accession, Instances.
    expect(view.rows.map((r) => r[2]).sort()).toEqual(STUDIES.map((s) => s.modalities.join('/')).sort());
    const instances = view.rows.reduce((n, r) => n + Number(r[5]), 0);
    expect(instances).toBeGreaterThanOrEqual(STUDIES.length);
  }, 180_000);

  test.each(STUDIES.map((s, i) => [i + 1, s.files.join(', '), s] as const))(
    'study %i (%s) opens in the viewer',
    async (n, files, study) => {
      const noImage = NO_IMAGE_EXPECTED[files];
      const rec = new PageProblems(page);
      await page.goto(`${ohif.url}/viewer?StudyInstanceUIDs=${study.uid}`, { waitUntil: 'load', timeout: 90_000 });
      // The SEG-only study gets no viewport canvas at all, so only a study with an image waits for it.
      if (noImage === undefined) await page.waitForSelector('canvas.cornerstone-canvas', { timeout: 90_000 });
      let stats: PixelStats = { varied: 0, levels: 0, bright: 0 };
      const until = Date.now() + (noImage === undefined ? 90_000 : 10_000);
      while (!looksLikeImage(stats) && Date.now() < until) {
        await sleep(1000);
        stats = await canvasStats(page);
      }
      await page.waitForNetworkIdle({ idleTime: 1000, timeout: 60_000 }).catch(() => undefined);
      await clickIfPresent(page, 'Skip all');
      await sleep(300);
      const name = `${String(n).padStart(2, '0')}-${path.basename(files.split(', ')[0] ?? 'study', '.dcm')}.png`;
      await page.screenshot({ path: path.join(SCREENSHOTS, name) });
      rec.detach();
      expect(rec.problems).toEqual([]);
      // The study's series metadata (WADO-RS, PS3.18 §10.4) was read: the study browser shows its series.
      expect(
        rec.requests.filter((r) => r.includes(`/studies/${study.uid}/series/`) && r.includes('/metadata')),
      ).not.toEqual([]);
      if (noImage === undefined) {
        expect(rec.requests.some((r) => r.includes('/frames/') || r.includes('/rendered'))).toBe(true);
        expect({ files, stats, image: looksLikeImage(stats) }).toMatchObject({ image: true });
      }
      if (SIGN_MISMATCH.includes(files)) {
        // Codestream unsigned, header signed: drawn as the header says, air black. Read as the
        // codestream says, air (-1000 HU) turns into a large unsigned value and most of it is white.
        const settled = await canvasStats(page);
        expect(settled.bright).toBeLessThan(0.5);
      }
    },
    240_000,
  );
});
