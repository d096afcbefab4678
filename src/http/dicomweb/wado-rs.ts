// WADO-RS (PS3.18 §10.4): instances at study/series/instance level (§10.4.1.1.1, multipart/related;
// type="application/dicom" with the transfer syntax negotiated per instance, §8.7.3), metadata at
// every level (§10.4.1.1.2, DICOM JSON with absolute BulkDataURIs), frames (§10.4.1.1.3,
// /frames/1,3,5; 400 for a malformed list, 404 for a frame beyond Number of Frames; each part labelled
// with the negotiated media type and the syntax sent, so octet-stream may carry a codestream) and bulk data
// (§10.4.1.1.4, /bulkdata/{tag}[/{item}/{tag}...]). Single-part frame and bulk data responses honour
// one HTTP Range (206/416); multipart responses ignore Range. Not supported: rendered, thumbnail,
// application/dicom+xml metadata, study/series-level bulk data.

import type { Request, RequestHandler, Response } from 'express';
import { BadRequestError, NotFoundError } from '../../errors';
import type { RetrieveService } from '../../retrieve';
import type { InstanceRecord, InstanceStore } from '../../store';
import { negotiate, negotiateBulkdata, negotiateMetadata, parseAccept, type Representation } from '../accept';
import { encodeMultipart, multipartContentType, randomBoundary, type OutgoingPart } from '../multipart-writer';
import { instanceOptions } from '../auth';
import { sendBytes, sendStream } from '../send';
import { uidParam, type DicomwebUrls } from './urls';

export interface WadoDeps {
  store: InstanceStore;
  retrieve: RetrieveService;
  urls: DicomwebUrls;
}

export type WadoLevel = 'study' | 'series' | 'instance';

interface PathScope {
  study: string;
  series?: string;
  sop?: string;
}

function scopeOf(req: Request): PathScope {
  const scope: PathScope = { study: uidParam(req.params['study'], 'study UID') };
  if (req.params['series'] !== undefined) scope.series = uidParam(req.params['series'], 'series UID');
  if (req.params['instance'] !== undefined) scope.sop = uidParam(req.params['instance'], 'SOP instance UID');
  return scope;
}

/** The instances a path addresses, checked against the hierarchy in the path; NotFoundError if none. */
function instancesFor(store: InstanceStore, scope: PathScope): InstanceRecord[] {
  if (scope.sop !== undefined) {
    const rec = store.getInstance(scope.sop);
    if (
      rec === undefined ||
      rec.studyInstanceUid !== scope.study ||
      (scope.series !== undefined && rec.seriesInstanceUid !== scope.series)
    ) {
      throw new NotFoundError('DICOMWEB_INSTANCE_NOT_FOUND', 'no such instance in this study/series');
    }
    return [rec];
  }
  const list = store.listInstances(
    scope.series === undefined
      ? { studyInstanceUid: scope.study }
      : { studyInstanceUid: scope.study, seriesInstanceUid: scope.series },
  );
  if (list.length === 0)
    throw new NotFoundError(
      scope.series === undefined ? 'DICOMWEB_STUDY_NOT_FOUND' : 'DICOMWEB_SERIES_NOT_FOUND',
      `no such ${scope.series === undefined ? 'study' : 'series'}`,
    );
  return list;
}

/** GET .../studies/{s}[/series/{se}[/instances/{i}]]: the instances as Part 10 parts. */
export function instancesHandler(deps: WadoDeps): RequestHandler {
  return async (req: Request, res: Response): Promise<void> => {
    const records = instancesFor(deps.store, scopeOf(req));
    const ranges = parseAccept(req.headers.accept);
    // Negotiate every instance before answering, so a 406 is a status, not a cut stream.
    const plan = records.map((rec) => ({
      rec,
      rep: negotiate('instances', ranges, deps.retrieve.transferSyntaxesFor(rec.sopInstanceUid)),
    }));
    const syntaxes = new Set(plan.map((p) => p.rep.transferSyntaxUid));
    const providerUrl = instanceOptions(res);
    const boundary = randomBoundary();
    async function* parts(): AsyncGenerator<OutgoingPart> {
      for (const { rec, rep } of plan) {
        const os = await deps.retrieve.instance(rec.sopInstanceUid, rep.transferSyntaxUid, providerUrl);
        yield {
          contentType: `application/dicom; transfer-syntax=${os.transferSyntaxUid}`,
          contentLocation: deps.urls.instance(rec.studyInstanceUid, rec.seriesInstanceUid, rec.sopInstanceUid),
          ...(os.length === null ? {} : { contentLength: os.length }),
          body: os.chunks,
        };
      }
    }
    const only = syntaxes.size === 1 ? [...syntaxes][0] : undefined;
    const contentType = multipartContentType(
      'application/dicom',
      boundary,
      only === undefined ? [] : [['transfer-syntax', only]],
    );
    await sendStream(res, 200, { 'Content-Type': contentType }, encodeMultipart(parts(), boundary));
  };
}

/**
 * GET .../metadata at any level (PS3.18 §10.4.1.1.2): the DICOM JSON array precomputed at ingest,
 * sent as stored text. Its BulkDataURIs are stored relative to the DICOMweb root
 * ("studies/.../bulkdata/..."), so one string substitution makes them absolute without parsing
 * (JSON.stringify never emits that key/value sequence inside a string value).
 */
export function metadataHandler(deps: WadoDeps): RequestHandler {
  return async (req: Request, res: Response): Promise<void> => {
    const scope = scopeOf(req);
    const mediaType = negotiateMetadata(parseAccept(req.headers.accept));
    if (scope.sop !== undefined) instancesFor(deps.store, scope);
    const text = deps.store.metadataJson({
      studyInstanceUid: scope.study,
      ...(scope.series === undefined ? {} : { seriesInstanceUid: scope.series }),
      ...(scope.sop === undefined ? {} : { sopInstanceUid: scope.sop }),
    });
    if (text === '[]') throw new NotFoundError('DICOMWEB_NOT_FOUND', 'nothing stored at this level');
    const base = JSON.stringify(`${deps.urls.base}/studies/`).slice(1, -1);
    const body = text.split('"BulkDataURI":"studies/').join(`"BulkDataURI":"${base}`);
    res.status(200).setHeader('Content-Type', `${mediaType}; charset=utf-8`);
    res.end(body);
  };
}

/** PS3.18 §10.4.1.1.3 frame list: comma-separated 1-based frame numbers. */
export function parseFrameList(raw: unknown): number[] {
  if (typeof raw !== 'string' || !/^[1-9]\d{0,8}(,[1-9]\d{0,8})*$/.test(raw)) {
    throw new BadRequestError(
      'WADO_BAD_FRAME_LIST',
      'the frame list must be comma-separated whole numbers starting at 1',
    );
  }
  return raw.split(',').map(Number);
}

/** GET .../instances/{i}/frames/{list} */
export function framesHandler(deps: WadoDeps): RequestHandler {
  return async (req: Request, res: Response): Promise<void> => {
    const scope = scopeOf(req);
    const frames = parseFrameList(req.params['frames']);
    const [rec] = instancesFor(deps.store, scope);
    if (rec === undefined) throw new NotFoundError('DICOMWEB_INSTANCE_NOT_FOUND', 'no such instance');
    const beyond = frames.find((f) => f > rec.numberOfFrames);
    if (beyond !== undefined)
      throw new NotFoundError(
        'WADO_FRAME_NOT_FOUND',
        `frame ${beyond} does not exist (the instance has ${rec.numberOfFrames})`,
      );
    const rep: Representation = negotiate(
      'frames',
      parseAccept(req.headers.accept),
      deps.retrieve.transferSyntaxesFor(rec.sopInstanceUid),
      { singlePartAllowed: frames.length === 1 },
    );
    // Any syntax as octet-stream: the retrieve may send a frame decoded where its codestream misleads (FrameOptions).
    const frameOptions = { anySyntax: rep.anySyntax && rep.mediaType === 'application/octet-stream' };
    const instanceUrl = deps.urls.instance(rec.studyInstanceUid, rec.seriesInstanceUid, rec.sopInstanceUid);
    if (!rep.multipart) {
      const f = await deps.retrieve.frame(rec.sopInstanceUid, frames[0] ?? 1, rep.transferSyntaxUid, frameOptions);
      sendBytes(req, res, `${rep.mediaType}; transfer-syntax=${f.transferSyntaxUid}`, f.bytes, {
        'Content-Location': `${instanceUrl}/frames/${frames[0] ?? 1}`,
      });
      return;
    }
    const boundary = randomBoundary();
    const sop = rec.sopInstanceUid;
    // The first frame is produced before the headers go out, so the outer transfer-syntax says what it holds.
    const first = await deps.retrieve.frame(sop, frames[0] ?? 1, rep.transferSyntaxUid, frameOptions);
    async function* parts(): AsyncGenerator<OutgoingPart> {
      for (const [i, n] of frames.entries()) {
        const f = i === 0 ? first : await deps.retrieve.frame(sop, n, rep.transferSyntaxUid, frameOptions);
        yield {
          contentType: `${rep.mediaType}; transfer-syntax=${f.transferSyntaxUid}`,
          contentLocation: `${instanceUrl}/frames/${n}`,
          contentLength: f.bytes.length,
          body: f.bytes,
        };
      }
    }
    const contentType = multipartContentType(rep.mediaType, boundary, [['transfer-syntax', first.transferSyntaxUid]]);
    await sendStream(res, 200, { 'Content-Type': contentType }, encodeMultipart(parts(), boundary));
  };
}

/** Bulk data path: 8-hex tags, with item numbers between sequence tags (PS3.18 §10.4.1.1.4). */
export function parseTagPath(raw: unknown): string[] {
  const segments = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split('/') : [];
  const ok =
    segments.length % 2 === 1 &&
    segments.every((s, i) => typeof s === 'string' && (i % 2 === 0 ? /^[0-9A-Fa-f]{8}$/.test(s) : /^\d{1,6}$/.test(s)));
  if (!ok)
    throw new BadRequestError(
      'WADO_BAD_BULKDATA_PATH',
      'the bulk data path must be tag[/item/tag...] with 8-hex-digit tags',
    );
  return segments.map((s: string, i) => (i % 2 === 0 ? s.toUpperCase() : String(Number(s))));
}

/** GET .../instances/{i}/bulkdata/{tagpath} */
export function bulkdataHandler(deps: WadoDeps): RequestHandler {
  return async (req: Request, res: Response): Promise<void> => {
    const scope = scopeOf(req);
    const tagPath = parseTagPath(req.params['tagpath']);
    const ranges = parseAccept(req.headers.accept);
    const [rec] = instancesFor(deps.store, scope);
    if (rec === undefined) throw new NotFoundError('DICOMWEB_INSTANCE_NOT_FOUND', 'no such instance');
    const bulk = await deps.retrieve.bulkdata(rec.sopInstanceUid, tagPath);
    const { multipart } = negotiateBulkdata(ranges, bulk.mediaType);
    const location = `${deps.urls.instance(rec.studyInstanceUid, rec.seriesInstanceUid, rec.sopInstanceUid)}/bulkdata/${tagPath.join('/')}`;
    if (!multipart) {
      sendBytes(req, res, bulk.mediaType, bulk.bytes, { 'Content-Location': location });
      return;
    }
    const boundary = randomBoundary();
    const part: OutgoingPart = {
      contentType: bulk.mediaType,
      contentLocation: location,
      contentLength: bulk.bytes.length,
      body: bulk.bytes,
    };
    await sendStream(
      res,
      200,
      { 'Content-Type': multipartContentType(bulk.mediaType, boundary) },
      encodeMultipart([part], boundary),
    );
  };
}
