// Parsers of the rendered-resource query parameters (PS3.18 §8.3.5.1.3 viewport, §8.3.5.1.4
// window, §8.3.5.1.2 quality) into render types. Ill-formed values are BadRequestError with a
// stable code; nothing is guessed (no parseInt fallbacks). Not supported: iccprofile values other
// than "no", annotation (rejected by the HTTP edge).

import { BadRequestError } from '../errors';
import type { Viewport, VoiFunction, WindowSpec } from './types';

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$/;
const POSITIVE_INT = /^[1-9]\d{0,5}$/;

/** Largest vw/vh accepted. */
export const MAX_VIEWPORT_SIDE = 65536;

function decimal(raw: string, code: string, name: string): number {
  const s = raw.trim();
  if (!DECIMAL.test(s)) throw new BadRequestError(code, `${name} "${raw}" is not a decimal number`);
  const v = Number(s);
  if (!Number.isFinite(v)) throw new BadRequestError(code, `${name} "${raw}" is out of range`);
  return v;
}

function side(raw: string | undefined, name: string): number {
  const s = (raw ?? '').trim();
  if (!POSITIVE_INT.test(s) || Number(s) > MAX_VIEWPORT_SIDE) {
    throw new BadRequestError(
      'RENDER_BAD_VIEWPORT',
      `viewport ${name} must be a whole number in 1..${MAX_VIEWPORT_SIDE}`,
    );
  }
  return Number(s);
}

/**
 * `vw,vh[,sx,sy,sw,sh]`; elided middle values keep their commas (`512,512,,,256,256`).
 * With `sizeOnly` (thumbnails, PS3.18 §10.4.3) only vw,vh are allowed. // PS3.18 §8.3.5.1.3
 */
export function parseViewport(raw: string, options: { sizeOnly?: boolean } = {}): Viewport {
  const parts = raw.split(',');
  if (parts.length > 6) throw new BadRequestError('RENDER_BAD_VIEWPORT', 'viewport has at most 6 values');
  if (parts.length < 2) throw new BadRequestError('RENDER_BAD_VIEWPORT', 'viewport needs vw,vh');
  if (options.sizeOnly === true && parts.length !== 2)
    throw new BadRequestError('RENDER_BAD_VIEWPORT', 'only viewport=vw,vh is allowed here');
  const out: Viewport = { vw: side(parts[0], 'vw'), vh: side(parts[1], 'vh') };
  const names = ['sx', 'sy', 'sw', 'sh'] as const;
  for (let i = 0; i < names.length; i++) {
    const p = parts[i + 2];
    if (p === undefined || p.trim() === '') continue;
    const name = names[i] as (typeof names)[number];
    const v = decimal(p, 'RENDER_BAD_VIEWPORT', `viewport ${name}`);
    if ((name === 'sw' || name === 'sh') && v === 0)
      throw new BadRequestError('RENDER_BAD_VIEWPORT', `viewport ${name} must not be 0`);
    out[name] = v;
  }
  return out;
}

const FUNCTIONS: ReadonlyMap<string, VoiFunction> = new Map([
  ['linear', 'linear'],
  ['linear-exact', 'linear-exact'],
  ['sigmoid', 'sigmoid'],
]);

/** Checks a window per PS3.3 C.11.2.1.2: width > 0, and ≥ 1 for LINEAR. */
export function checkWindow(w: WindowSpec): WindowSpec {
  if (!Number.isFinite(w.center) || !Number.isFinite(w.width))
    throw new BadRequestError('RENDER_BAD_WINDOW', 'window center and width must be finite numbers');
  if (w.width <= 0)
    throw new BadRequestError('RENDER_BAD_WINDOW', `window width must be greater than 0 (got ${w.width})`);
  if (w.function === 'linear' && w.width < 1)
    throw new BadRequestError('RENDER_BAD_WINDOW', `a linear window needs width >= 1 (got ${w.width})`);
  return w;
}

/** `window=center,width,function`, all three required. // PS3.18 §8.3.5.1.4 */
export function parseWindow(raw: string): WindowSpec {
  const parts = raw.split(',');
  if (parts.length !== 3) throw new BadRequestError('RENDER_BAD_WINDOW', 'window must be center,width,function');
  const fn = FUNCTIONS.get((parts[2] ?? '').trim().toLowerCase());
  if (fn === undefined)
    throw new BadRequestError('RENDER_BAD_WINDOW', 'window function must be linear, linear-exact or sigmoid');
  return checkWindow({
    center: decimal(parts[0] ?? '', 'RENDER_BAD_WINDOW', 'window center'),
    width: decimal(parts[1] ?? '', 'RENDER_BAD_WINDOW', 'window width'),
    function: fn,
  });
}

/** `quality=1..100`. // PS3.18 §8.3.5.1.2 (and WADO-URI imageQuality, §8.2.10) */
export function parseQuality(raw: string, code = 'RENDER_BAD_QUALITY'): number {
  const s = raw.trim();
  if (!/^\d{1,3}$/.test(s) || Number(s) < 1 || Number(s) > 100)
    throw new BadRequestError(code, 'quality must be a whole number in 1..100');
  return Number(s);
}

/** WADO-URI `region=xmin,ymin,xmax,ymax`, fractions of the image in [0, 1]. // PS3.18 §8.2 (region) */
export interface FractionRegion {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function parseRegion(raw: string): FractionRegion {
  const parts = raw.split(',');
  if (parts.length !== 4) throw new BadRequestError('WADO_URI_BAD_REGION', 'region must be xmin,ymin,xmax,ymax');
  const [x0, y0, x1, y1] = parts.map((p) => decimal(p, 'WADO_URI_BAD_REGION', 'region value')) as [
    number,
    number,
    number,
    number,
  ];
  if (![x0, y0, x1, y1].every((v) => v >= 0 && v <= 1) || !(x0 < x1) || !(y0 < y1)) {
    throw new BadRequestError(
      'WADO_URI_BAD_REGION',
      'region values must lie in [0, 1] with xmin < xmax and ymin < ymax',
    );
  }
  return { x0, y0, x1, y1 };
}

/** WADO-URI `rows` / `columns`: a whole number of pixels ≥ 1. */
export function parseSide(raw: string, name: string): number {
  const s = raw.trim();
  if (!POSITIVE_INT.test(s) || Number(s) > MAX_VIEWPORT_SIDE)
    throw new BadRequestError('WADO_URI_BAD_SIZE', `${name} must be a whole number in 1..${MAX_VIEWPORT_SIDE}`);
  return Number(s);
}
