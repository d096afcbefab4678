// Test objects made from the corpus by fixtures/study-fixtures.py (pydicom, pixel data copied byte
// for byte): a three-instance study (uncompressed CT, JPEG 2000 lossy US, JPEG 2000 lossless MR)
// and an MR object without Modality in a study of its own. Also a per-file summary (SOP Instance
// UID, transfer syntax, SHA-256 of the Pixel Data value and of each J2K codestream) for comparing
// a round-tripped copy.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DICOM_DIR, run } from './dicomweb-helpers';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'fixtures', 'study-fixtures.py');

/** True when /usr/bin/python3 can import pydicom (python3-pydicom, in .ci/run PKGS). */
export async function havePydicom(): Promise<boolean> {
  if (!fs.existsSync(PYTHON)) return false;
  return (await run(PYTHON, ['-c', 'import pydicom'], 30_000)).code === 0;
}

export interface FixtureObject {
  file: string;
  study: string;
  series: string;
  sop: string;
  ts: string;
  /** '' when the object has no Modality. */
  modality: string;
}

export interface Fixtures {
  /** The three instances of the shared study. */
  multi: FixtureObject[];
  noModality: FixtureObject;
}

export async function makeFixtures(outDir: string): Promise<Fixtures> {
  const r = await run(PYTHON, [SCRIPT, 'make', DICOM_DIR, outDir]);
  if (r.code !== 0) throw new Error(`study-fixtures.py make failed: ${r.stderr}`);
  const all = JSON.parse(r.stdout) as FixtureObject[];
  const noModality = all.find((o) => o.modality === '');
  if (noModality === undefined) throw new Error('study-fixtures.py made no object without Modality');
  return { multi: all.filter((o) => o !== noModality), noModality };
}

export interface DicomSummary {
  sop: string;
  study: string;
  ts: string;
  pixelSha256: string | null;
  frames: number;
  /** Encapsulated objects: per frame, SHA-256 of the codestream up to its EOC (fragment padding left out). */
  codestreamSha256: string[] | null;
}

export async function summarise(files: string[]): Promise<DicomSummary[]> {
  const r = await run(PYTHON, [SCRIPT, 'summary', ...files]);
  if (r.code !== 0) throw new Error(`study-fixtures.py summary failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as DicomSummary[];
}
