// Synthetic DICOM instances for the benchmarks: copies of real files with fresh Study/Series/SOP
// Instance UIDs (and, for the query corpus, new patients, dates and descriptions), written with
// the dicom/ writer in the file's own transfer syntax so pixel data is carried over byte for byte.
// Also a streaming writer for a large native multi-frame object that never holds it in memory.

import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { bufferSource } from '../src/bytes';
import {
  encodePart10,
  parseDicom,
  Tags,
  DicomDataset,
  EXPLICIT_VR_LITTLE_ENDIAN,
  encodeDataset,
  nativePixelDataHeader,
  encodeFileMetaInformation,
  type ParsedDicom,
} from '../src/dicom';

/** PS3.6 tags the benchmarks set (not in dicom/'s Tags list). */
const PATIENT_NAME = 0x00100010;
const PATIENT_ID = 0x00100020;
const STUDY_DATE = 0x00080020;
const SERIES_DATE = 0x00080021;
const ACCESSION_NUMBER = 0x00080050;
const MODALITY = 0x00080060;
const STUDY_DESCRIPTION = 0x00081030;
const SERIES_NUMBER = 0x00200011;
const INSTANCE_NUMBER = 0x00200013;

/** A random UID under the 2.25 (UUID-derived) root, PS3.5 §B.2. */
export function newUid(): string {
  return `2.25.${BigInt(`0x${randomBytes(16).toString('hex')}`).toString()}`;
}

export interface Template {
  readonly name: string;
  readonly parsed: ParsedDicom;
}

export function loadTemplate(file: string): Template {
  const bytes = new Uint8Array(readFileSync(file));
  return { name: file, parsed: parseDicom(bufferSource(bytes)) };
}

export interface CloneFields {
  study: string;
  series: string;
  sop: string;
  patientName?: string;
  patientId?: string;
  studyDate?: string;
  studyDescription?: string;
  accessionNumber?: string;
  seriesNumber?: number;
  instanceNumber?: number;
}

/** A Part 10 copy of the template with the given identity; other elements are kept as they were. */
export function cloneInstance(t: Template, f: CloneFields): Uint8Array {
  const ds = t.parsed.dataset.clone();
  ds.setString(Tags.StudyInstanceUID, 'UI', f.study);
  ds.setString(Tags.SeriesInstanceUID, 'UI', f.series);
  ds.setString(Tags.SOPInstanceUID, 'UI', f.sop);
  if (f.patientName !== undefined) ds.setString(PATIENT_NAME, 'PN', f.patientName);
  if (f.patientId !== undefined) ds.setString(PATIENT_ID, 'LO', f.patientId);
  if (f.studyDate !== undefined) {
    ds.setString(STUDY_DATE, 'DA', f.studyDate);
    ds.setString(SERIES_DATE, 'DA', f.studyDate);
  }
  if (f.studyDescription !== undefined) ds.setString(STUDY_DESCRIPTION, 'LO', f.studyDescription);
  if (f.accessionNumber !== undefined) ds.setString(ACCESSION_NUMBER, 'SH', f.accessionNumber);
  if (f.seriesNumber !== undefined) ds.setNumber(SERIES_NUMBER, 'IS', f.seriesNumber);
  if (f.instanceNumber !== undefined) ds.setNumber(INSTANCE_NUMBER, 'IS', f.instanceNumber);
  return encodePart10(ds, t.parsed.transferSyntaxUid, { source: t.parsed.source });
}

/** Identity of the n-th instance of the query corpus (deterministic names, dates and layout). */
export interface CorpusLayout {
  instancesPerSeries: number;
  seriesPerStudy: number;
  studiesPerPatient: number;
}

export interface CorpusStudy {
  study: string;
  series: string[];
  patientName: string;
  studyDate: string;
}

/** YYYYMMDD, spread over 2015-2024 deterministically from an index. */
export function corpusDate(i: number): string {
  return addDays('20150101', (i * 7919) % 3650);
}

/** YYYYMMDD plus `days` days. */
export function addDays(date: string, days: number): string {
  const t =
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8))) + days * 86_400_000;
  const d = new Date(t);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

export function corpusPatientName(p: number): string {
  return `BENCH${String(p).padStart(6, '0')}^PATIENT${p % 97}`;
}

/**
 * Yields batches of Part 10 instances for `studies` studies starting at study number `first`.
 * The caller sends each batch (STOW-RS or direct ingest) before asking for the next one.
 */
export function* corpusBatches(
  t: Template,
  first: number,
  studies: number,
  layout: CorpusLayout,
  batchSize: number,
  out: CorpusStudy[],
): Generator<Uint8Array[]> {
  let batch: Uint8Array[] = [];
  for (let s = first; s < first + studies; s++) {
    const p = Math.floor(s / layout.studiesPerPatient);
    const entry: CorpusStudy = {
      study: newUid(),
      series: [],
      patientName: corpusPatientName(p),
      studyDate: corpusDate(s),
    };
    out.push(entry);
    for (let se = 0; se < layout.seriesPerStudy; se++) {
      const series = newUid();
      entry.series.push(series);
      for (let i = 0; i < layout.instancesPerSeries; i++) {
        batch.push(
          cloneInstance(t, {
            study: entry.study,
            series,
            sop: newUid(),
            patientName: entry.patientName,
            patientId: `PID${p}`,
            studyDate: entry.studyDate,
            studyDescription: `Bench study ${s}`,
            accessionNumber: `ACC${s}`,
            seriesNumber: se + 1,
            instanceNumber: i + 1,
          }),
        );
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
  }
  if (batch.length > 0) yield batch;
}

export interface MultiFrameSpec {
  frames: number;
  rows: number;
  columns: number;
}

/**
 * Writes a native 16-bit MONOCHROME2 multi-frame Secondary Capture (Explicit VR LE) frame by
 * frame: smooth gradients plus deterministic noise, so the lossless transcode has real work.
 * Returns the file size in bytes.
 */
export async function writeMultiFrame(file: string, spec: MultiFrameSpec): Promise<number> {
  const ds = new DicomDataset();
  ds.setString(Tags.SOPClassUID, 'UI', '1.2.840.10008.5.1.4.1.1.7.3');
  ds.setString(Tags.SOPInstanceUID, 'UI', newUid());
  ds.setString(Tags.StudyInstanceUID, 'UI', newUid());
  ds.setString(Tags.SeriesInstanceUID, 'UI', newUid());
  ds.setString(PATIENT_NAME, 'PN', 'BENCH^MULTIFRAME');
  ds.setString(PATIENT_ID, 'LO', 'BENCHMF');
  ds.setString(MODALITY, 'CS', 'OT');
  ds.setNumber(Tags.SamplesPerPixel, 'US', 1);
  ds.setString(Tags.PhotometricInterpretation, 'CS', 'MONOCHROME2');
  ds.setNumber(Tags.NumberOfFrames, 'IS', spec.frames);
  ds.setNumber(Tags.Rows, 'US', spec.rows);
  ds.setNumber(Tags.Columns, 'US', spec.columns);
  ds.setNumber(Tags.BitsAllocated, 'US', 16);
  ds.setNumber(Tags.BitsStored, 'US', 16);
  ds.setNumber(Tags.HighBit, 'US', 15);
  ds.setNumber(Tags.PixelRepresentation, 'US', 0);
  const frameBytes = spec.rows * spec.columns * 2;
  const total = frameBytes * spec.frames;
  const out = createWriteStream(file, { flags: 'wx' });
  const write = async (b: Uint8Array): Promise<void> => {
    if (!out.write(b)) await once(out, 'drain');
  };
  await write(encodeFileMetaInformation(ds, EXPLICIT_VR_LITTLE_ENDIAN));
  await write(encodeDataset(ds, EXPLICIT_VR_LITTLE_ENDIAN));
  await write(nativePixelDataHeader(total, 'OW'));
  let seed = 0x2545f491;
  const frame = new Uint16Array(spec.rows * spec.columns);
  for (let f = 0; f < spec.frames; f++) {
    for (let y = 0; y < spec.rows; y++) {
      for (let x = 0; x < spec.columns; x++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        frame[y * spec.columns + x] = (((x * 13 + y * 7 + f * 101) & 0x0fff) + (seed >>> 28)) & 0xffff;
      }
    }
    await write(new Uint8Array(frame.buffer.slice(0)));
  }
  out.end();
  await once(out, 'finish');
  return out.bytesWritten;
}
