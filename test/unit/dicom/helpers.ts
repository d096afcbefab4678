// Shared helpers for the dicom unit tests: loading named small files from test/fixtures/corpus/dicom
// (load, source) or from the corpus ../shared/data/dicom (DICOM_DIR, loadCorpus, corpusSource),
// canonical element dumps, and optional dcmdump (DCMTK) availability.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bufferSource, ParseError, type RandomAccessSource } from '../../../src/bytes';
import {
  frameLocations,
  padEven,
  parseDicom,
  pixelDescription,
  readExtendedOffsetTable,
  readFrame,
  type DicomDataset,
} from '../../../src/dicom';
import { corpusPath, fixturePath } from '../../corpus';

export const DICOM_DIR = corpusPath('dicom');
export const FIXTURE_DICOM_DIR = fixturePath('dicom');

/** A small file, from its copy in test/fixtures/corpus/dicom. */
export function load(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(FIXTURE_DICOM_DIR, name)));
}
export function source(name: string): RandomAccessSource {
  return bufferSource(load(name));
}
/** A corpus file (needs FOVEA_TEST_DATA). */
export function loadCorpus(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(DICOM_DIR, name)));
}
export function corpusSource(name: string): RandomAccessSource {
  return bufferSource(loadCorpus(name));
}

/** Every frame of an encapsulated object, as the frame locator splits its fragments. */
export function encapsulatedFrames(src: RandomAccessSource): Uint8Array[] {
  const p = parseDicom(src);
  if (p.pixelData === null) throw new Error('no pixel data');
  const desc = pixelDescription(p.dataset);
  return frameLocations(p.pixelData, desc, p.source, readExtendedOffsetTable(p.dataset)).map((l) =>
    readFrame(p.source, l),
  );
}

export function dcmdumpPath(): string | undefined {
  try {
    return execFileSync('which', ['dcmdump'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Canonical dump: tag, vr, value bytes (bulk resolved, padded to even) or items, recursively.
 *  Group Length elements (gggg,0000) are left out: the writer drops them (retired, PS3.5 §7.2). */
export function canonical(ds: DicomDataset, src: RandomAccessSource, ignoreVr = false): unknown[] {
  const elements = ds.elements().filter((el) => (el.tag & 0xffff) !== 0 || el.tag >>> 16 === 0x0002);
  return elements.map((el) => {
    const v = el.value;
    const vr = ignoreVr ? '' : el.vr;
    if (v.kind === 'sequence') return [el.tag, vr, v.items.map((i) => canonical(i, src, ignoreVr))];
    if (v.kind === 'encapsulated') {
      // The writer always emits encapsulated Pixel Data as OB (PS3.5 A.4), whatever the input said.
      return [
        el.tag,
        ignoreVr ? '' : 'OB',
        v.basicOffsetTable.join(','),
        v.fragments.map((f) => Buffer.from(padEven(src.read(f.offset, f.length), 0)).toString('hex')),
      ];
    }
    const bytes = v.kind === 'inline' ? v.bytes : src.read(v.offset, v.length);
    return [
      el.tag,
      vr,
      Buffer.from(
        padEven(bytes, el.vr === 'UI' || !/^(AE|AS|CS|DA|DS|DT|IS|LO|LT|PN|SH|ST|TM|UC|UR|UT)$/.test(el.vr) ? 0 : 0x20),
      ).toString('hex'),
    ];
  });
}

/** Runs `fn`; returns the thrown error, asserting it is one of our typed parse errors. */
export function typedFailure(fn: () => unknown): ParseError | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return e;
  }
}
