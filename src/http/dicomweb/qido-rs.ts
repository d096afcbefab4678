// QIDO-RS (PS3.18 §10.6): GET /studies, /series, /instances, /studies/{s}/series,
// /studies/{s}/instances, /studies/{s}/series/{se}/instances. Query parameters per §8.3.4
// (qido-params.ts), matching done by the store; each result gets its RetrieveURL (0008,1190)
// (§10.6.3.3). Response: application/dicom+json (or application/json when asked), 200 with an
// array; an empty match is 200 with [] (§10.6.3.2 allows 200 or 204: an empty array keeps clients
// simple). More matches than returned → Warning 299 (§10.6.3.2).

import type { Request, RequestHandler, Response } from 'express';
import type { InstanceStore, QidoLevel } from '../../store';
import { negotiateMetadata, parseAccept } from '../accept';
import { noteQidoResult } from '../audit';
import { parseQidoParams } from '../qido-params';
import { sendDicomJson } from '../send';
import { attr, firstString, uidParam, withAttribute, type DicomwebUrls } from './urls';

export interface QidoDeps {
  store: InstanceStore;
  urls: DicomwebUrls;
  /** The syntaxes an instance can be retrieved in (stored first): instance results list them as
   *  Available Transfer Syntax UID (0008,3002), so a client sees which instances JPIP serves (the
   *  JPIP Referenced syntaxes are listed) and which are kept as received (only what they can be
   *  produced in). */
  transferSyntaxesFor?: (sopInstanceUid: string) => string[];
}

/** Handler for a QIDO-RS resource at `level`; path parameters `study` / `series` scope it. */
export function qidoHandler(deps: QidoDeps, level: QidoLevel): RequestHandler {
  return async (req: Request, res: Response): Promise<void> => {
    const scope: { studyInstanceUid?: string; seriesInstanceUid?: string } = {};
    if (req.params['study'] !== undefined) scope.studyInstanceUid = uidParam(req.params['study'], 'study UID');
    if (req.params['series'] !== undefined) scope.seriesInstanceUid = uidParam(req.params['series'], 'series UID');
    const mediaType = negotiateMetadata(parseAccept(req.headers.accept));
    const { query, warnings } = parseQidoParams(
      new URL(req.originalUrl, 'http://localhost').searchParams,
      level,
      scope,
    );
    const result = deps.store.query(query);
    const items = result.items.map((item) => {
      const study = firstString(item, '0020000D') ?? scope.studyInstanceUid;
      const series = firstString(item, '0020000E') ?? scope.seriesInstanceUid;
      const sop = firstString(item, '00080018');
      let url: string | undefined;
      if (level === 'study' && study !== undefined) url = deps.urls.study(study);
      else if (level === 'series' && study !== undefined && series !== undefined) url = deps.urls.series(study, series);
      else if (level === 'instance' && study !== undefined && series !== undefined && sop !== undefined)
        url = deps.urls.instance(study, series, sop);
      const withUrl = url === undefined ? item : withAttribute(item, '00081190', attr('UR', url));
      if (level !== 'instance' || sop === undefined || deps.transferSyntaxesFor === undefined) return withUrl;
      return withAttribute(withUrl, '00083002', attr('UI', ...deps.transferSyntaxesFor(sop)));
    });
    // The store reports total = null when it stopped at the limit without counting the rest.
    const more = result.total === null ? items.length >= query.limit : result.total > query.offset + items.length;
    if (more) {
      warnings.push(
        'The number of results exceeded the maximum supported by the server. Additional results can be requested.',
      );
    }
    if (warnings.length > 0)
      res.setHeader('Warning', warnings.map((w) => `299 fovea "${w.replace(/"/g, "'")}"`).join(', '));
    noteQidoResult(res, items); // the audit record lists the studies returned
    sendDicomJson(res, 200, items, mediaType);
  };
}
