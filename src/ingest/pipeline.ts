// The ingest pipeline (issue #2 "Ingest"): one path for STOW-RS, `fovea import` and DIMSE.
// bytes → parse (dicom/) → frames kept or transcoded (codec/) → packet index (j2k/) → blobs
// written atomically → one SQLite transaction (store/). Returns one outcome per instance; bad
// input becomes a failure with a DICOM Failure Reason, never an exception.

import { createHash } from 'node:crypto';
import { bufferSource, MalformedError, LimitExceededError, UnsupportedError, type RandomAccessSource } from '../bytes';
import { ConflictError, FoveaError } from '../errors';
import {
  parseDicom, transferSyntax, toDicomJson, encodePart10, Tags, EXPLICIT_VR_LITTLE_ENDIAN,
  type ParsedDicom, type DicomDataset, type DicomJsonObject,
} from '../dicom';
import type { Codecs } from '../codec';
import type { OpenedStore } from '../store';
import { datasetBlobKey, fileSource, framesBlobKey, versionKeyFor } from '../store';
import type { InstanceWrite } from '../store';
import type { Logger } from '../log';
import { planFrames, type FramePlan } from './frame-producer';
import { asFoveaError, failureReasonFor } from './failure';
import { SerialQueue } from './serial-queue';
import type { IngestOptions, IngestOutcome, Ingestor } from './types';

export interface IngestDeps {
  store: OpenedStore;
  codecs: Codecs;
  publicUrl: string;
  logger: Logger;
  /** Largest object accepted (bytes). */
  maxObjectBytes: number;
}

const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';
const HASH_CHUNK = 4 * 1024 * 1024;
/** Binary values up to this size are inlined in metadata (InlineBinary), larger ones get a BulkDataURI. */
const INLINE_BINARY_MAX = 1024;

function hashRange(source: RandomAccessSource, start: number): string {
  const h = createHash('sha256');
  for (let at = start; at < source.size; at += HASH_CHUNK) h.update(source.read(at, Math.min(HASH_CHUNK, source.size - at)));
  return h.digest('hex');
}

function required(ds: DicomDataset, tag: number, name: string): string {
  const v = ds.uid(tag);
  if (v === undefined) throw new MalformedError('INGEST_MISSING_UID', `the data set has no ${name}`, { context: name });
  return v;
}

/** The dataset kept in dataset.dcm: everything but the pixel data, with a transcode's new colour space. */
function storedDataset(parsed: ParsedDicom, plan: FramePlan | null): DicomDataset {
  const ds = parsed.dataset.clone();
  ds.delete(Tags.PixelData);
  ds.delete(Tags.ExtendedOffsetTable);
  ds.delete(Tags.ExtendedOffsetTableLengths);
  if (plan?.photometricInterpretation != null) {
    ds.setString(Tags.PhotometricInterpretation, 'CS', plan.photometricInterpretation);
    if ((ds.number(Tags.SamplesPerPixel) ?? 1) > 1) ds.setNumber(Tags.PlanarConfiguration, 'US', 0);
  }
  return ds;
}

/**
 * DICOM JSON of the stored instance. Bulk values and Pixel Data get a BulkDataURI relative to the
 * DICOMweb root ("studies/{S}/series/{SE}/instances/{I}/bulkdata/..."): the HTTP layer prefixes
 * the public root when it serves the stored text.
 */
function metadataOf(ds: DicomDataset, parsed: ParsedDicom, plan: FramePlan | null, instancePath: string): DicomJsonObject {
  const json = toDicomJson(ds, {
    source: parsed.source,
    // Small binary values are inlined; larger ones get a URI that WADO-RS bulkdata serves.
    bulkDataUri: (path, element) => {
      const v = element.value;
      const length = v.kind === 'inline' ? v.bytes.length : v.kind === 'bulk' ? v.length : Number.POSITIVE_INFINITY;
      if (length <= INLINE_BINARY_MAX) return undefined;
      return `${instancePath}/bulkdata/${path.map((p, i) => (i % 2 === 0 ? p.toString(16).toUpperCase().padStart(8, '0') : String(p))).join('/')}`;
    },
  });
  if (plan !== null) {
    const vr = (ds.number(Tags.BitsAllocated) ?? 8) > 8 ? 'OW' : 'OB';
    json['7FE00010'] = { vr, BulkDataURI: `${instancePath}/bulkdata/7FE00010` };
  }
  return json;
}

export function createIngestor(deps: IngestDeps): Ingestor {
  const queue = new SerialQueue();

  async function ingest(open: () => RandomAccessSource & { close?(): void }, options: IngestOptions): Promise<IngestOutcome> {
    let sop: string | null = null;
    let sopClass: string | null = null;
    const warnings: string[] = [];
    let source: (RandomAccessSource & { close?(): void }) | undefined;
    let writtenVersion: string | null = null;
    try {
      source = open();
      if (source.size > deps.maxObjectBytes) {
        throw new LimitExceededError('INGEST_OBJECT_TOO_LARGE', `object of ${source.size} bytes exceeds the limit of ${deps.maxObjectBytes}`);
      }
      const parsed = parseDicom(source);
      warnings.push(...parsed.warnings);
      const ds = parsed.dataset;
      sopClass = ds.uid(Tags.SOPClassUID) ?? parsed.fileMeta?.uid(Tags.MediaStorageSOPClassUID) ?? null;
      if (sopClass === MEDIA_STORAGE_DIRECTORY) throw new MalformedError('INGEST_DICOMDIR', 'a DICOMDIR is a media directory, not an instance');
      sop = required(ds, Tags.SOPInstanceUID, 'SOP Instance UID (0008,0018)');
      if (sopClass === null) throw new MalformedError('INGEST_MISSING_UID', 'the data set has no SOP Class UID (0008,0016)');
      const study = required(ds, Tags.StudyInstanceUID, 'Study Instance UID (0020,000D)');
      const series = required(ds, Tags.SeriesInstanceUID, 'Series Instance UID (0020,000E)');
      if (options.expectedStudyInstanceUid !== undefined && options.expectedStudyInstanceUid !== study) {
        throw new ConflictError('INGEST_STUDY_MISMATCH', `instance belongs to study ${study}, not ${options.expectedStudyInstanceUid}`);
      }
      const contentSha = hashRange(parsed.source, parsed.datasetOffset);
      const sopUid = sop;
      const sopClassUid = sopClass;
      return await queue.run(sopUid, async (): Promise<IngestOutcome> => {
        const existing = deps.store.instances.getInstance(sopUid);
        const base = { studyInstanceUid: study, seriesInstanceUid: series, sopInstanceUid: sopUid, sopClassUid, warnings };
        if (existing !== undefined && existing.contentSha256 === contentSha) return { status: 'unchanged', ...base };

        const ts = transferSyntax(parsed.transferSyntaxUid);
        const tsUid = parsed.transferSyntaxUid;
        const isJpipReferenced = ts !== undefined && (ts.family === 'jpip' || ts.family === 'jpip-htj2k');
        if (ts === undefined && parsed.pixelData !== null) {
          // PS3.5 §10.1 lets the data set be read as Explicit VR LE, but its pixels cannot be: refuse
          // rather than store the object without them.
          throw new UnsupportedError('INGEST_TRANSFER_SYNTAX_UNSUPPORTED', `pixel data in unknown transfer syntax ${tsUid}`, { context: tsUid });
        }
        const plan = ts === undefined || isJpipReferenced ? null : planFrames(parsed, ts, deps.codecs);
        const versionKey = versionKeyFor(sopUid, contentSha);
        // Journal first: if the process dies before the commit, the start-up sweep finds these files.
        deps.store.instances.reserveVersion(versionKey);
        writtenVersion = versionKey;
        // frames.bin first (transcoding may change the colour space), then dataset.dcm, made
        // durable together before the commit.
        let stored: DicomDataset | undefined;
        const datasetChunks = function* (): Generator<Uint8Array> {
          if (plan !== null) warnings.push(...plan.warnings);
          stored = storedDataset(parsed, plan);
          yield encodePart10(stored, EXPLICIT_VR_LITTLE_ENDIAN, { source: parsed.source });
        };
        await deps.store.blobs.putMany([
          ...(plan !== null ? [{ key: framesBlobKey(versionKey), chunks: plan.produce() }] : []),
          { key: datasetBlobKey(versionKey), chunks: datasetChunks() },
        ]);
        if (stored === undefined) throw new FoveaError('INGEST_INTERNAL', 'the stored data set was not produced');

        const write: InstanceWrite = {
          studyInstanceUid: study,
          seriesInstanceUid: series,
          sopInstanceUid: sopUid,
          sopClassUid,
          receivedTransferSyntaxUid: tsUid,
          storedTransferSyntaxUid: plan !== null ? plan.storedTransferSyntaxUid : isJpipReferenced ? tsUid : EXPLICIT_VR_LITTLE_ENDIAN,
          contentSha256: contentSha,
          versionKey,
          sizeBytes: source?.size ?? 0,
          numberOfFrames: plan !== null ? plan.frames.length : 0,
          pixelDataProviderUrl: isJpipReferenced ? (ds.string(Tags.PixelDataProviderURL) ?? null) : null,
          metadata: metadataOf(stored, parsed, plan, `studies/${study}/series/${series}/instances/${sopUid}`),
          frames: plan !== null ? plan.frames : [],
        };
        const result = deps.store.instances.commitInstance(write);
        writtenVersion = null;
        const obsolete = result.obsoleteVersionKey;
        if (obsolete !== null) {
          // Journalled by the commit; released once its files are gone (else the sweep retries).
          try {
            await deps.store.blobs.deletePrefix(obsolete);
            deps.store.instances.releaseVersion(obsolete);
          } catch (err) {
            deps.logger.warn('ingest.cleanup_failed', { versionKey: obsolete, error: err });
          }
        }
        deps.logger.info('ingest.stored', { sopInstanceUid: sopUid, outcome: result.outcome, frames: write.numberOfFrames, ts: tsUid });
        return { status: result.outcome, ...base };
      });
    } catch (err) {
      const error = asFoveaError(err);
      if (error.code === 'INGEST_INTERNAL') deps.logger.error('ingest.internal_error', { sopInstanceUid: sop, error: err });
      if (writtenVersion !== null) {
        const key = writtenVersion;
        try {
          await deps.store.blobs.deletePrefix(key);
          deps.store.instances.releaseVersion(key);
        } catch {
          // Left journalled: the start-up sweep deletes it.
        }
      }
      return { status: 'failed', sopInstanceUid: sop, sopClassUid: sopClass, failureReason: failureReasonFor(error), error, warnings };
    } finally {
      source?.close?.();
    }
  }

  return {
    ingestFile: (path, options = {}) => ingest(() => fileSource(path), options),
    ingestBytes: (bytes, options = {}) => ingest(() => bufferSource(bytes), options),
  };
}
