// WADO-URI (PS3.18 §8.2 / §9): GET /wado?requestType=WADO&studyUID&seriesUID&objectUID
// [&contentType=application/dicom][&transferSyntax=UID][&frameNumber=n]. Only application/dicom is
// produced: rendered types (image/jpeg, image/png, image/gif, image/jp2, text/html...), and an absent
// contentType (whose default is a rendered image, §8.2.5), are 501 Not Implemented for now; other
// types are 406. transferSyntax (only with application/dicom) may name any syntax incl. the JPIP ones
// .94/.95/.204/.205; one the object cannot be produced in falls back to Explicit VR Little Endian
// (§8.2.11, DICOM-JPIP.md §4.1), and if even that is impossible the answer is 406. frameNumber is
// validated and ignored for application/dicom (it selects a frame of rendered output only, §8.2.7).
// anonymize=yes is 501; rendering parameters with application/dicom are 400; unknown ones are 400.

import type { Request, RequestHandler, Response } from 'express';
import { UnsupportedError } from '../../bytes/errors';
import { BadRequestError, NotAcceptableError, NotFoundError } from '../../errors';
import type { RetrieveService } from '../../retrieve/types';
import type { InstanceStore } from '../../store/types';
import { useNotImplementedForUnsupported } from '../error-map';
import { splitOutsideQuotes, parseMediaType } from '../media-type';
import { sendStream } from '../send';
import { EXPLICIT_VR_LITTLE_ENDIAN, isUid } from '../transfer-syntax-uids';

export interface WadoUriDeps {
  store: InstanceStore;
  retrieve: RetrieveService;
}

const RENDERED_ONLY = ['rows', 'columns', 'region', 'windowCenter', 'windowWidth', 'imageQuality', 'presentationUID', 'presentationSeriesUID', 'annotation'];
const KNOWN = new Set(['requestType', 'studyUID', 'seriesUID', 'objectUID', 'contentType', 'charset', 'anonymize', 'transferSyntax', 'frameNumber', ...RENDERED_ONLY]);
const RENDERED_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/jp2', 'image/jpx', 'image/*', 'text/html', 'text/plain', 'text/xml', 'application/pdf', 'application/text', 'application/html', 'video/mpeg', 'video/mp4']);

function one(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  if (all.length > 1) throw new BadRequestError('WADO_URI_REPEATED_PARAMETER', `parameter ${name} must appear at most once`);
  return all[0];
}

function requiredUid(params: URLSearchParams, name: string): string {
  const v = one(params, name);
  if (v === undefined || !isUid(v)) throw new BadRequestError('WADO_URI_BAD_UID', `${name} is required and must be a valid UID`);
  return v;
}

/** The media type to produce from the contentType list (§8.2.5); only application/dicom is implemented. */
function chooseContentType(raw: string | undefined): 'application/dicom' {
  if (raw === undefined) {
    throw new UnsupportedError('WADO_URI_RENDERING_NOT_IMPLEMENTED', 'without contentType WADO-URI returns a rendered image, which is not implemented yet; use contentType=application/dicom');
  }
  const types = splitOutsideQuotes(raw, ',').filter((t) => t.trim() !== '').map((t) => parseMediaType(t));
  const essences = types.map((t) => `${t.type}/${t.subtype}`);
  if (essences.includes('application/dicom') || essences.includes('*/*')) return 'application/dicom';
  if (essences.some((e) => RENDERED_TYPES.has(e))) {
    throw new UnsupportedError('WADO_URI_RENDERING_NOT_IMPLEMENTED', `rendered content types (${essences.join(', ')}) are not implemented yet; use contentType=application/dicom`);
  }
  throw new NotAcceptableError('WADO_URI_CONTENT_TYPE_UNSUPPORTED', `contentType ${essences.join(', ')} cannot be produced; use application/dicom`);
}

export function wadoUriHandler(deps: WadoUriDeps): RequestHandler {
  return async (req: Request, res: Response): Promise<void> => {
    useNotImplementedForUnsupported(res);
    const params = new URL(req.originalUrl, 'http://localhost').searchParams;
    for (const name of new Set(params.keys())) {
      if (!KNOWN.has(name)) throw new BadRequestError('WADO_URI_UNKNOWN_PARAMETER', `unknown WADO-URI parameter "${name}"`);
    }
    if (one(params, 'requestType') !== 'WADO') throw new BadRequestError('WADO_URI_BAD_REQUEST_TYPE', 'requestType=WADO is required');
    const study = requiredUid(params, 'studyUID');
    const series = requiredUid(params, 'seriesUID');
    const sop = requiredUid(params, 'objectUID');
    const requestedTs = one(params, 'transferSyntax');
    const frameNumber = one(params, 'frameNumber');
    if (frameNumber !== undefined && !/^[1-9]\d{0,8}$/.test(frameNumber)) throw new BadRequestError('WADO_URI_BAD_FRAME_NUMBER', 'frameNumber must be a whole number starting at 1');
    const contentType = chooseContentType(one(params, 'contentType'));
    const misplaced = RENDERED_ONLY.find((p) => params.has(p));
    if (misplaced !== undefined) throw new BadRequestError('WADO_URI_PARAMETER_NOT_APPLICABLE', `${misplaced} applies to rendered content types only, not ${contentType}`);
    const anonymize = one(params, 'anonymize');
    if (anonymize !== undefined) {
      if (anonymize !== 'yes') throw new BadRequestError('WADO_URI_BAD_ANONYMIZE', 'anonymize must be "yes"');
      throw new UnsupportedError('WADO_URI_ANONYMIZE_NOT_IMPLEMENTED', 'anonymize=yes is not implemented');
    }
    if (requestedTs !== undefined && !isUid(requestedTs)) throw new BadRequestError('WADO_URI_BAD_TRANSFER_SYNTAX', 'transferSyntax must be a UID');
    const rec = deps.store.getInstance(sop);
    if (rec === undefined || rec.studyInstanceUid !== study || rec.seriesInstanceUid !== series) {
      throw new NotFoundError('WADO_URI_OBJECT_NOT_FOUND', 'no such object in this study/series');
    }
    const available = deps.retrieve.transferSyntaxesFor(sop);
    const ts = [requestedTs ?? EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN].find((u) => available.includes(u));
    if (ts === undefined) {
      throw new NotAcceptableError('WADO_URI_NO_TRANSFER_SYNTAX', `the object cannot be produced in ${requestedTs ?? 'Explicit VR Little Endian'} nor in Explicit VR Little Endian`);
    }
    const os = await deps.retrieve.instance(sop, ts);
    const headers: Record<string, string> = { 'Content-Type': 'application/dicom' };
    if (os.length !== null) headers['Content-Length'] = String(os.length);
    await sendStream(res, 200, headers, os.chunks);
  };
}
