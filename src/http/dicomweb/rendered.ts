// Rendered and thumbnail resources (PS3.18 §10.4.1.1.4 rendered, §10.4.3 thumbnail; query
// parameters §8.3.5.1): /rendered and /thumbnail at study, series, instance and frame level.
// Study/series level render a representative instance (the middle image of the largest series);
// an instance renders its first frame; a frame path names one frame. Media types by Accept (or the
// `accept` query parameter, §8.3.3.1): image/jpeg (default for */* and image/*), image/png,
// image/gif; anything else is 406. Thumbnails take viewport=vw,vh only (default 128,128) and
// quality. Not supported (400): annotation, iccprofile other than "no", frame lists, multipart
// or video output of multi-frame objects.

import type { Request, RequestHandler, Response } from 'express';
import { UnsupportedError } from '../../bytes';
import { BadRequestError, NotAcceptableError } from '../../errors';
import type { FrameRenderer, RenderScope } from '../../frames';
import {
  parseQuality,
  parseViewport,
  parseWindow,
  RENDERED_MEDIA_TYPES,
  type RenderedMediaType,
  type RenderOptions,
} from '../../render';
import { parseAccept, rangeMatches, type MediaRange } from '../accept';
import { sendBytes } from '../send';
import { uidParam } from './urls';

export type RenderedKind = 'rendered' | 'thumbnail';

const COMMON = ['accept', 'charset', 'viewport', 'quality'];
const KNOWN: Record<RenderedKind, ReadonlySet<string>> = {
  rendered: new Set([...COMMON, 'window', 'iccprofile', 'annotation']),
  thumbnail: new Set(COMMON),
};

export const DEFAULT_THUMBNAIL_SIDE = 128;

/** The rendered media type to produce for an Accept list (q-ordered), or NotAcceptableError. // PS3.18 §8.7.4 */
export function chooseRenderedType(ranges: readonly MediaRange[]): RenderedMediaType {
  const excluded = new Set<string>();
  for (const r of ranges) if (r.q === 0) excluded.add(`${r.type}/${r.subtype}`);
  for (const r of ranges) {
    if (r.q === 0) continue;
    const pattern = `${r.type}/${r.subtype}`;
    const hit = RENDERED_MEDIA_TYPES.find((t) => rangeMatches(pattern, t) && !excluded.has(t));
    if (hit !== undefined) return hit;
  }
  const asked = ranges.map((r) => `${r.type}/${r.subtype}`).join(', ');
  throw new NotAcceptableError(
    'RENDER_MEDIA_TYPE_NOT_ACCEPTABLE',
    `rendered output is ${RENDERED_MEDIA_TYPES.join(', ')}; none is acceptable (${asked})`,
  );
}

function single(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  if (all.length > 1)
    throw new BadRequestError('RENDER_REPEATED_PARAMETER', `parameter ${name} must appear at most once`);
  return all[0];
}

/** Query parameters → RenderOptions. // PS3.18 §8.3.5.1 */
export function renderOptionsFrom(
  params: URLSearchParams,
  kind: RenderedKind,
  mediaType: RenderedMediaType,
): RenderOptions {
  for (const name of new Set(params.keys())) {
    if (!KNOWN[kind].has(name))
      throw new BadRequestError(
        'RENDER_UNKNOWN_PARAMETER',
        `parameter "${name}" is not supported on ${kind} resources`,
      );
  }
  const options: RenderOptions = { mediaType };
  const viewport = single(params, 'viewport');
  if (viewport !== undefined) options.viewport = parseViewport(viewport, { sizeOnly: kind === 'thumbnail' });
  else if (kind === 'thumbnail') options.viewport = { vw: DEFAULT_THUMBNAIL_SIDE, vh: DEFAULT_THUMBNAIL_SIDE };
  const window = single(params, 'window');
  if (window !== undefined) options.window = parseWindow(window);
  const quality = single(params, 'quality');
  if (quality !== undefined) options.quality = parseQuality(quality);
  const icc = single(params, 'iccprofile');
  if (icc !== undefined && icc !== 'no')
    throw new UnsupportedError('RENDER_ICC_NOT_SUPPORTED', 'only iccprofile=no is supported');
  if (params.has('annotation'))
    throw new UnsupportedError('RENDER_ANNOTATION_NOT_SUPPORTED', 'burned-in annotations are not supported');
  return options;
}

function frameParam(raw: unknown): number {
  if (typeof raw !== 'string' || !/^[1-9]\d{0,8}$/.test(raw)) {
    throw new BadRequestError('RENDER_BAD_FRAME', 'a rendered frame resource names exactly one frame number (1-based)');
  }
  return Number(raw);
}

/** GET …/{rendered|thumbnail} at any level. */
export function renderedHandler(renderer: FrameRenderer, kind: RenderedKind): RequestHandler {
  return async (req: Request, res: Response): Promise<void> => {
    const params = new URL(req.originalUrl, 'http://localhost').searchParams;
    const acceptParam = single(params, 'accept');
    const mediaType = chooseRenderedType(parseAccept(acceptParam ?? req.headers.accept));
    const options = renderOptionsFrom(params, kind, mediaType);
    const scope: RenderScope = { study: uidParam(req.params['study'], 'study UID') };
    if (req.params['series'] !== undefined) scope.series = uidParam(req.params['series'], 'series UID');
    if (req.params['instance'] !== undefined) scope.sop = uidParam(req.params['instance'], 'SOP instance UID');
    const frame = req.params['frames'] === undefined ? 1 : frameParam(req.params['frames']);
    const rec = renderer.instanceFor(scope);
    const out = await renderer.render(rec, frame, options);
    sendBytes(req, res, out.mediaType, out.bytes, { 'Cache-Control': 'private, max-age=300' });
  };
}
