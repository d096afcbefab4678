// STOW-RS (PS3.18 §10.5): POST /studies and /studies/{study}. The request must be
// multipart/related; type="application/dicom" (else 415, §10.5.1.1). Parts are read one after the
// other: a part up to memoryPartBytes (16 MiB by default) is kept in memory, a larger one is
// spooled to a temp file under tmpDir (deleted after its ingest), and up to STOW_CONCURRENCY (3)
// parts are ingested at once, so memory stays bounded whatever the request size. Outcomes are
// collected per instance (PartOutcome) and answered once (Table 10.5.3-1 via error-map.stowStatus)
// with the Store Instances Response Module (Table 10.5.3-3): RetrieveURL, ReferencedSOPSequence,
// FailedSOPSequence with FailureReason (0111H Duplicate SOP Instance when the overwrite policy
// refuses a different object under a stored SOP Instance UID, with a Warning header saying so).
// A truncated or over-limit body fails the request (400/413)
// after the fact: instances completely received before the fault stay stored (the ingest is per
// instance); the partial part is discarded. Not supported: application/dicom+json / +xml
// metadata-and-bulkdata requests (415).

import { randomUUID } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import type { DicomJsonObject } from '../../dicom';
import { BadRequestError, UnsupportedMediaTypeError } from '../../errors';
import { failedPart, FailureReason, partOutcomeOf, type Ingestor, type PartOutcome } from '../../ingest';
import type { Logger } from '../../log';
import { noteStored } from '../audit';
import { stowStatus } from '../error-map';
import { parseMediaType } from '../media-type';
import { readMultipart, validateBoundary, type MultipartLimits } from '../multipart-reader';
import { sendDicomJson } from '../send';
import { attr, uidParam, type DicomwebUrls } from './urls';

export interface StowDeps {
  ingestor: Ingestor;
  tmpDir: string;
  limits: MultipartLimits;
  urls: DicomwebUrls;
  logger: Logger;
  /** Parts up to this size are kept in memory; larger ones are spooled to a temp file. */
  memoryPartBytes: number;
}

/** PS3.18 §10.5.1.1: only multipart/related with type application/dicom is accepted here. */
function requireDicomMultipart(contentType: string | undefined, maxBoundaryLength: number): string {
  if (contentType === undefined)
    throw new UnsupportedMediaTypeError(
      'STOW_NO_CONTENT_TYPE',
      'STOW-RS needs Content-Type: multipart/related; type="application/dicom"',
    );
  const mt = parseMediaType(contentType);
  if (mt.type !== 'multipart' || mt.subtype !== 'related') {
    throw new UnsupportedMediaTypeError(
      'STOW_NOT_MULTIPART_RELATED',
      `STOW-RS needs multipart/related, got ${mt.type}/${mt.subtype}`,
    );
  }
  const type = mt.params.get('type')?.toLowerCase();
  if (type !== 'application/dicom') {
    throw new UnsupportedMediaTypeError(
      'STOW_TYPE_UNSUPPORTED',
      `STOW-RS accepts type="application/dicom" only, got ${type === undefined ? 'no type parameter' : `"${type}"`}`,
    );
  }
  const boundary = mt.params.get('boundary');
  if (boundary === undefined)
    throw new BadRequestError('STOW_NO_BOUNDARY', 'the multipart/related Content-Type has no boundary');
  return validateBoundary(boundary, maxBoundaryLength);
}

/** PS3.18 Table 10.5.3-3 Store Instances Response Module. */
function responseBody(outcomes: PartOutcome[], urls: DicomwebUrls, pathStudy: string | undefined): DicomJsonObject {
  const body: DicomJsonObject = {};
  const stored = outcomes.filter((o) => o.failureReason === null);
  const failed = outcomes.filter((o) => o.failureReason !== null);
  const studies = new Set(stored.map((o) => o.studyInstanceUid));
  const onlyStudy = pathStudy ?? (studies.size === 1 ? [...studies][0] : undefined);
  if (onlyStudy !== undefined && onlyStudy !== null) body['00081190'] = attr('UR', urls.study(onlyStudy));
  if (failed.length > 0) {
    body['00081198'] = {
      vr: 'SQ',
      Value: failed.map((o) => {
        const item: DicomJsonObject = {};
        item['00081150'] = o.sopClassUid === null ? { vr: 'UI' } : attr('UI', o.sopClassUid);
        item['00081155'] = o.sopInstanceUid === null ? { vr: 'UI' } : attr('UI', o.sopInstanceUid);
        item['00081197'] = attr('US', o.failureReason);
        return item;
      }),
    };
  }
  if (stored.length > 0) {
    body['00081199'] = {
      vr: 'SQ',
      Value: stored.map((o) => {
        const item: DicomJsonObject = {};
        if (o.sopClassUid !== null) item['00081150'] = attr('UI', o.sopClassUid);
        if (o.sopInstanceUid !== null) item['00081155'] = attr('UI', o.sopInstanceUid);
        if (o.studyInstanceUid !== null && o.seriesInstanceUid !== null && o.sopInstanceUid !== null) {
          item['00081190'] = attr('UR', urls.instance(o.studyInstanceUid, o.seriesInstanceUid, o.sopInstanceUid));
        }
        // Kept as received (not transcoded, not JPIP-servable): Warning Reason (0008,1196).
        if (o.warningReason !== null) item['00081196'] = attr('US', o.warningReason);
        return item;
      }),
    };
  }
  return body;
}

export const DEFAULT_MEMORY_PART_BYTES = 16 * 1024 * 1024;

type Spooled = { kind: 'memory'; bytes: Uint8Array } | { kind: 'file'; path: string };

/**
 * Receives one part's body: small parts stay in memory (no temp-file write and re-read), a part
 * that grows past `memoryBytes` continues into a temp file, so memory stays bounded by
 * STOW_CONCURRENCY × memoryBytes whatever the object size.
 */
async function spoolPart(body: AsyncIterable<Uint8Array>, tmpDir: string, memoryBytes: number): Promise<Spooled> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let file: { path: string; fh: FileHandle } | null = null;
  try {
    for await (const chunk of body) {
      if (file === null) {
        chunks.push(chunk.slice());
        size += chunk.byteLength;
        if (size <= memoryBytes) continue;
        const tmp = path.join(tmpDir, `stow-${randomUUID()}.part`);
        file = { path: tmp, fh: await open(tmp, 'wx') };
        for (const c of chunks.splice(0)) await writeAll(file.fh, c);
      } else {
        await writeAll(file.fh, chunk);
      }
    }
    if (file === null) return { kind: 'memory', bytes: Buffer.concat(chunks, size) };
    await file.fh.close();
    return { kind: 'file', path: file.path };
  } catch (err) {
    if (file !== null) {
      await file.fh.close().catch(() => undefined);
      await rm(file.path, { force: true });
    }
    throw err;
  }
}

async function writeAll(fh: FileHandle, chunk: Uint8Array): Promise<void> {
  let done = 0;
  while (done < chunk.byteLength) done += (await fh.write(chunk, done, chunk.byteLength - done)).bytesWritten;
}

/** Parts ingested at once within one request. */
const STOW_CONCURRENCY = 3;
const PENDING: PartOutcome = failedPart(FailureReason.ProcessingFailure);

/** Handler for POST /studies and /studies/{study}. */
export function stowHandler(deps: StowDeps): RequestHandler {
  return async (req: Request, res: Response): Promise<void> => {
    const rawStudy = req.params['study'];
    const pathStudy = rawStudy === undefined ? undefined : uidParam(rawStudy, 'study UID');
    const boundary = requireDicomMultipart(req.headers['content-type'], deps.limits.maxBoundaryLength);
    await mkdir(deps.tmpDir, { recursive: true });
    const outcomes: PartOutcome[] = [];
    const requestId = typeof res.locals['requestId'] === 'string' ? res.locals['requestId'] : undefined;
    // Parts are spooled one after the other (the body is one stream), but up to
    // STOW_CONCURRENCY of them are ingested at once, so one instance's file syncs overlap the
    // next one's parsing. Outcomes keep the order of the parts.
    const inflight = new Set<Promise<void>>();
    const ingestPart = async (index: number, spooled: Spooled): Promise<void> => {
      let outcome: PartOutcome;
      const options = pathStudy === undefined ? {} : { expectedStudyInstanceUid: pathStudy };
      try {
        outcome = partOutcomeOf(
          spooled.kind === 'memory'
            ? await deps.ingestor.ingestBytes(spooled.bytes, options)
            : await deps.ingestor.ingestFile(spooled.path, options),
        );
      } catch (error) {
        // The ingest contract says bad input never throws, so this is an internal fault: record it, go on.
        deps.logger.error('stow_ingest_crashed', { requestId, part: index, error });
        outcome = failedPart(FailureReason.ProcessingFailure);
      } finally {
        if (spooled.kind === 'file') await rm(spooled.path, { force: true });
      }
      outcomes[index] = outcome;
    };
    try {
      await readMultipart(
        req,
        boundary,
        async (part) => {
          const index = outcomes.length;
          outcomes.push(PENDING);
          const ct = part.headers.contentType === null ? null : parseMediaType(part.headers.contentType);
          if (ct !== null && `${ct.type}/${ct.subtype}` !== 'application/dicom') {
            // A part we cannot interpret (PS3.18 §10.5.3: failure per instance, not per request).
            outcomes[index] = failedPart(FailureReason.CannotUnderstand);
            return;
          }
          let spooled: Spooled;
          try {
            spooled = await spoolPart(part.body, deps.tmpDir, deps.memoryPartBytes);
          } catch (err) {
            outcomes.pop();
            throw err;
          }
          const task = ingestPart(index, spooled).finally(() => inflight.delete(task));
          inflight.add(task);
          if (inflight.size >= STOW_CONCURRENCY) await Promise.race(inflight);
        },
        deps.limits,
      );
    } finally {
      // Instances received completely before a body error are still stored (and reported in logs).
      await Promise.all(inflight);
      noteStored(res, outcomes); // the audit record lists what was stored
    }
    if (outcomes.length === 0) throw new BadRequestError('STOW_NO_PARTS', 'the multipart body contains no parts');
    const summary = {
      stored: outcomes.filter((o) => o.failureReason === null).length,
      failed: outcomes.filter((o) => o.failureReason !== null).length,
      // Ingest notes (a parse oddity, a frame without packet index) change nothing that was stored:
      // they are logged, not reported as PS3.18 warnings — Fovea never coerces. The one reported
      // warning is an object kept as received (Warning Reason, ingest/types.ts WarningReason).
      warnings: outcomes.filter((o) => o.failureReason === null && o.warningReason !== null).length,
    };
    const noted = outcomes.filter((o) => o.failureReason === null && o.warnings > 0).length;
    deps.logger.info('stow_done', { requestId, ...summary, withNotes: noted });
    // Human-readable reasons next to the per-instance codes (RFC 7234 §5.5 Warning 299, one value each).
    const warnings: string[] = [];
    if (summary.warnings > 0)
      warnings.push(
        `299 fovea "${summary.warnings} instance(s) stored as received: Fovea cannot transcode their pixel data; served as stored, not over JPIP"`,
      );
    const duplicates = outcomes.filter((o) => o.failureReason === FailureReason.DuplicateSopInstance).length;
    if (duplicates > 0)
      warnings.push(
        `299 fovea "${duplicates} instance(s) refused (Failure Reason 0111H Duplicate SOP Instance): a different object with the same SOP Instance UID is stored and overwriting is disabled (FOVEA_OVERWRITE=never)"`,
      );
    if (warnings.length > 0) res.setHeader('Warning', warnings);
    sendDicomJson(res, stowStatus(summary), responseBody(outcomes, deps.urls, pathStudy));
  };
}
