// WADO-URI (PS3.18 §8.2 / §9): GET /wado?requestType=WADO&studyUID&seriesUID&objectUID
// [&contentType=...][&transferSyntax=UID][&frameNumber=n][&rows&columns&region&windowCenter&
// windowWidth&imageQuality]. application/dicom: transferSyntax may name any syntax incl. the JPIP
// ones .94/.95/.204/.205; one the object cannot be produced in falls back to Explicit VR Little
// Endian (§8.2.11, DICOM-JPIP.md §4.1), and if even that is impossible the answer is 406;
// frameNumber is validated and ignored; rendering parameters are 400. Rendered image/jpeg (also the
// default when contentType is absent, §8.2.5), image/png and image/gif (when the app has a renderer):
// region (fractions), rows/columns (maxima, aspect kept), windowCenter+windowWidth (LINEAR, PS3.3
// C.11.2.1.2), frameNumber (default 1), imageQuality; transferSyntax is then 400. Not implemented
// (501): presentationUID, annotation, anonymize=yes, and the rendered types when the app has no
// renderer. Every other type (image/jp2, text/html, application/pdf...) is 406; unknown parameters are 400.

import type { Request, RequestHandler, Response } from 'express';
import { UnsupportedError } from '../../bytes';
import { BadRequestError, NotAcceptableError, NotFoundError } from '../../errors';
import type { FrameRenderer } from '../../frames';
import {
  checkWindow,
  parseQuality,
  parseRegion,
  parseSide,
  type RenderedMediaType,
  type RenderOptions,
  type WadoUriGeometry,
} from '../../render';
import type { RetrieveService } from '../../retrieve';
import type { InstanceStore } from '../../store';
import { useNotImplementedForUnsupported } from '../error-map';
import { splitOutsideQuotes, parseMediaType } from '../media-type';
import { instanceOptions } from '../auth';
import { sendBytes, sendStream } from '../send';
import { EXPLICIT_VR_LITTLE_ENDIAN, isUid } from '../../dicom';

export interface WadoUriDeps {
  store: InstanceStore;
  retrieve: RetrieveService;
  /** Produces image/jpeg, image/png and image/gif; without it rendered types are 501. */
  renderer?: FrameRenderer;
}

const RENDERED_ONLY = [
  'rows',
  'columns',
  'region',
  'windowCenter',
  'windowWidth',
  'imageQuality',
  'presentationUID',
  'presentationSeriesUID',
  'annotation',
];
const KNOWN = new Set([
  'requestType',
  'studyUID',
  'seriesUID',
  'objectUID',
  'contentType',
  'charset',
  'anonymize',
  'transferSyntax',
  'frameNumber',
  ...RENDERED_ONLY,
]);
const RENDERABLE: ReadonlyMap<string, RenderedMediaType> = new Map([
  ['image/jpeg', 'image/jpeg'],
  ['image/png', 'image/png'],
  ['image/gif', 'image/gif'],
  ['image/*', 'image/jpeg'],
]);
function one(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  if (all.length > 1)
    throw new BadRequestError('WADO_URI_REPEATED_PARAMETER', `parameter ${name} must appear at most once`);
  return all[0];
}

function requiredUid(params: URLSearchParams, name: string): string {
  const v = one(params, name);
  if (v === undefined || !isUid(v))
    throw new BadRequestError('WADO_URI_BAD_UID', `${name} is required and must be a valid UID`);
  return v;
}

/** The media type to produce from the contentType list (§8.2.5): application/dicom first, else the first renderable type. */
function chooseContentType(raw: string | undefined, canRender: boolean): 'application/dicom' | RenderedMediaType {
  const notImplemented = (what: string): UnsupportedError =>
    new UnsupportedError(
      'WADO_URI_RENDERING_NOT_IMPLEMENTED',
      `${what} is not implemented; use contentType=application/dicom`,
    );
  if (raw === undefined) {
    if (canRender) return 'image/jpeg';
    throw notImplemented('a rendered image (the default without contentType)');
  }
  const types = splitOutsideQuotes(raw, ',')
    .filter((t) => t.trim() !== '')
    .map((t) => parseMediaType(t));
  const essences = types.map((t) => `${t.type}/${t.subtype}`);
  if (essences.includes('application/dicom') || essences.includes('*/*')) return 'application/dicom';
  if (canRender) {
    for (const e of essences) {
      const hit = RENDERABLE.get(e);
      if (hit !== undefined) return hit;
    }
  }
  // A type this gateway renders, asked of a build without a renderer, is not implemented (501);
  // any other type (image/jp2, text/html, application/pdf...) is never produced: 406.
  if (essences.some((e) => RENDERABLE.has(e))) throw notImplemented(`rendered content type ${essences.join(', ')}`);
  throw new NotAcceptableError(
    'WADO_URI_CONTENT_TYPE_UNSUPPORTED',
    `contentType ${essences.join(', ')} cannot be produced; use application/dicom` +
      (canRender ? ', image/jpeg, image/png or image/gif' : ''),
  );
}

function decimalParam(raw: string, name: string): number {
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$/.test(raw.trim()))
    throw new BadRequestError('WADO_URI_BAD_WINDOW', `${name} must be a decimal number`);
  return Number(raw.trim());
}

/** Rendering parameters of a rendered WADO-URI request. // PS3.18 §8.2 (rows, columns, region, windowCenter/Width, imageQuality) */
function renderOptions(params: URLSearchParams, mediaType: RenderedMediaType): RenderOptions {
  for (const name of ['presentationUID', 'presentationSeriesUID', 'annotation']) {
    if (params.has(name))
      throw new UnsupportedError('WADO_URI_PARAMETER_NOT_IMPLEMENTED', `${name} is not implemented`);
  }
  if (params.has('transferSyntax'))
    throw new BadRequestError(
      'WADO_URI_PARAMETER_NOT_APPLICABLE',
      `transferSyntax applies to application/dicom only, not ${mediaType}`,
    );
  const options: RenderOptions = { mediaType };
  const geometry: WadoUriGeometry = {};
  const rows = one(params, 'rows');
  const columns = one(params, 'columns');
  const region = one(params, 'region');
  if (rows !== undefined) geometry.rows = parseSide(rows, 'rows');
  if (columns !== undefined) geometry.columns = parseSide(columns, 'columns');
  if (region !== undefined) geometry.region = parseRegion(region);
  options.wadoUri = geometry;
  const center = one(params, 'windowCenter');
  const width = one(params, 'windowWidth');
  if ((center === undefined) !== (width === undefined))
    throw new BadRequestError('WADO_URI_BAD_WINDOW', 'windowCenter and windowWidth go together');
  if (center !== undefined && width !== undefined) {
    options.window = checkWindow({
      center: decimalParam(center, 'windowCenter'),
      width: decimalParam(width, 'windowWidth'),
      function: 'linear',
    });
  }
  const quality = one(params, 'imageQuality');
  if (quality !== undefined) options.quality = parseQuality(quality, 'WADO_URI_BAD_QUALITY');
  return options;
}

export function wadoUriHandler(deps: WadoUriDeps): RequestHandler {
  return async (req: Request, res: Response): Promise<void> => {
    useNotImplementedForUnsupported(res);
    const params = new URL(req.originalUrl, 'http://localhost').searchParams;
    for (const name of new Set(params.keys())) {
      if (!KNOWN.has(name))
        throw new BadRequestError('WADO_URI_UNKNOWN_PARAMETER', `unknown WADO-URI parameter "${name}"`);
    }
    if (one(params, 'requestType') !== 'WADO')
      throw new BadRequestError('WADO_URI_BAD_REQUEST_TYPE', 'requestType=WADO is required');
    const study = requiredUid(params, 'studyUID');
    const series = requiredUid(params, 'seriesUID');
    const sop = requiredUid(params, 'objectUID');
    const requestedTs = one(params, 'transferSyntax');
    const frameNumber = one(params, 'frameNumber');
    if (frameNumber !== undefined && !/^[1-9]\d{0,8}$/.test(frameNumber))
      throw new BadRequestError('WADO_URI_BAD_FRAME_NUMBER', 'frameNumber must be a whole number starting at 1');
    const contentType = chooseContentType(one(params, 'contentType'), deps.renderer !== undefined);
    if (contentType !== 'application/dicom' && deps.renderer !== undefined) {
      if (params.has('anonymize'))
        throw new UnsupportedError('WADO_URI_ANONYMIZE_NOT_IMPLEMENTED', 'anonymize=yes is not implemented');
      const options = renderOptions(params, contentType);
      const rec = deps.store.getInstance(sop);
      if (rec === undefined || rec.studyInstanceUid !== study || rec.seriesInstanceUid !== series) {
        throw new NotFoundError('WADO_URI_OBJECT_NOT_FOUND', 'no such object in this study/series');
      }
      const out = await deps.renderer.render(rec, frameNumber === undefined ? 1 : Number(frameNumber), options);
      sendBytes(req, res, out.mediaType, out.bytes);
      return;
    }
    const misplaced = RENDERED_ONLY.find((p) => params.has(p));
    if (misplaced !== undefined)
      throw new BadRequestError(
        'WADO_URI_PARAMETER_NOT_APPLICABLE',
        `${misplaced} applies to rendered content types only, not ${contentType}`,
      );
    const anonymize = one(params, 'anonymize');
    if (anonymize !== undefined) {
      if (anonymize !== 'yes') throw new BadRequestError('WADO_URI_BAD_ANONYMIZE', 'anonymize must be "yes"');
      throw new UnsupportedError('WADO_URI_ANONYMIZE_NOT_IMPLEMENTED', 'anonymize=yes is not implemented');
    }
    if (requestedTs !== undefined && !isUid(requestedTs))
      throw new BadRequestError('WADO_URI_BAD_TRANSFER_SYNTAX', 'transferSyntax must be a UID');
    const rec = deps.store.getInstance(sop);
    if (rec === undefined || rec.studyInstanceUid !== study || rec.seriesInstanceUid !== series) {
      throw new NotFoundError('WADO_URI_OBJECT_NOT_FOUND', 'no such object in this study/series');
    }
    const available = deps.retrieve.transferSyntaxesFor(sop);
    // An object kept as received that cannot be produced in Explicit VR LE either is sent as stored
    // (its bytes are all Fovea has; a 406 would make it unreachable through WADO-URI).
    const asStored = rec.asReceivedReason !== null ? [rec.storedTransferSyntaxUid] : [];
    const ts = [requestedTs ?? EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, ...asStored].find((u) =>
      available.includes(u),
    );
    if (ts === undefined) {
      throw new NotAcceptableError(
        'WADO_URI_NO_TRANSFER_SYNTAX',
        `the object cannot be produced in ${requestedTs ?? 'Explicit VR Little Endian'} nor in Explicit VR Little Endian`,
      );
    }
    const os = await deps.retrieve.instance(sop, ts, instanceOptions(res));
    const headers: Record<string, string> = { 'Content-Type': 'application/dicom' };
    if (os.length !== null) headers['Content-Length'] = String(os.length);
    await sendStream(res, 200, headers, os.chunks);
  };
}
