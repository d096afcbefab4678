// The first ingest phases, on the received bytes alone: the object-size limit, the parse
// (dicom/), the identifying UIDs (SOP Class / SOP Instance / Study / Series, PS3.3 C.12.1 and
// C.7.2.1 / C.7.3.1; a DICOMDIR is refused) and the content hash that decides "unchanged". The UIDs
// are recorded on the attempt as soon as they are read, so a later failure still reports them.

import { createHash } from 'node:crypto';
import { LimitExceededError, MalformedError, type RandomAccessSource } from '../bytes';
import { parseDicom, Tags, type DicomDataset, type ParsedDicom } from '../dicom';
import { ConflictError } from '../errors';
import type { InstanceUids } from '../store';
import type { IngestOptions } from './types';

/** What one ingest call knows so far: the failure outcome reports it, the clean-up uses it. */
export interface IngestAttempt {
  sopInstanceUid: string | null;
  sopClassUid: string | null;
  warnings: string[];
  /** Version key journalled and (being) written but not committed: deleted if the ingest fails. */
  pendingVersionKey: string | null;
}

const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';
const HASH_CHUNK = 4 * 1024 * 1024;

/** LimitExceededError (INGEST_OBJECT_TOO_LARGE) for an object over the configured maximum. */
export function checkObjectSize(source: RandomAccessSource, maxObjectBytes: number): void {
  if (source.size > maxObjectBytes) {
    throw new LimitExceededError(
      'INGEST_OBJECT_TOO_LARGE',
      `object of ${source.size} bytes exceeds the limit of ${maxObjectBytes}`,
    );
  }
}

export function parseReceived(attempt: IngestAttempt, source: RandomAccessSource): ParsedDicom {
  const parsed = parseDicom(source);
  attempt.warnings.push(...parsed.warnings);
  return parsed;
}

function required(ds: DicomDataset, tag: number, name: string): string {
  const v = ds.uid(tag);
  if (v === undefined) throw new MalformedError('INGEST_MISSING_UID', `the data set has no ${name}`, { context: name });
  return v;
}

/** The instance's UIDs; MalformedError if one is missing, ConflictError if it is not in the expected study. */
export function identifyInstance(attempt: IngestAttempt, parsed: ParsedDicom, options: IngestOptions): InstanceUids {
  const ds = parsed.dataset;
  const sopClass = ds.uid(Tags.SOPClassUID) ?? parsed.fileMeta?.uid(Tags.MediaStorageSOPClassUID) ?? null;
  attempt.sopClassUid = sopClass;
  if (sopClass === MEDIA_STORAGE_DIRECTORY)
    throw new MalformedError('INGEST_DICOMDIR', 'a DICOMDIR is a media directory, not an instance');
  const sop = required(ds, Tags.SOPInstanceUID, 'SOP Instance UID (0008,0018)');
  attempt.sopInstanceUid = sop;
  if (sopClass === null)
    throw new MalformedError('INGEST_MISSING_UID', 'the data set has no SOP Class UID (0008,0016)');
  const study = required(ds, Tags.StudyInstanceUID, 'Study Instance UID (0020,000D)');
  const series = required(ds, Tags.SeriesInstanceUID, 'Series Instance UID (0020,000E)');
  if (options.expectedStudyInstanceUid !== undefined && options.expectedStudyInstanceUid !== study) {
    throw new ConflictError(
      'INGEST_STUDY_MISMATCH',
      `instance belongs to study ${study}, not ${options.expectedStudyInstanceUid}`,
    );
  }
  return { studyInstanceUid: study, seriesInstanceUid: series, sopInstanceUid: sop, sopClassUid: sopClass };
}

/** SHA-256 of the received content: the data set without the file meta group (0002). */
export function contentSha256(parsed: ParsedDicom): string {
  const source = parsed.source;
  const h = createHash('sha256');
  for (let at = parsed.datasetOffset; at < source.size; at += HASH_CHUNK)
    h.update(source.read(at, Math.min(HASH_CHUNK, source.size - at)));
  return h.digest('hex');
}
