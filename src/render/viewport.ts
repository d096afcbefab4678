// Viewport arithmetic (PS3.18 §8.3.5.1.3): the source region (sx, sy, |sw|, |sh|; negative sw/sh
// flip), clipped to the image; the output size, the region scaled keeping its aspect ratio until
// its width or height equals the viewport's (as large as possible without overflow; no padding);
// and the number of resolution levels a JPEG 2000 decoder can discard while the decoded region
// still has at least the output size (so the image is only ever down-sampled).

import { LimitExceededError } from '../bytes';
import { BadRequestError } from '../errors';
import { MAX_VIEWPORT_SIDE } from './params';
import type { Viewport, WadoUriGeometry } from './types';

export interface RenderGeometry {
  /** Source region in image pixels (may be fractional), inside [0, columns] × [0, rows]. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  flipX: boolean;
  flipY: boolean;
  outWidth: number;
  outHeight: number;
}

export const DEFAULT_MAX_OUTPUT_PIXELS = 64 * 1024 * 1024;

/** Source region and output size for an image of columns × rows. */
export function renderGeometry(
  columns: number,
  rows: number,
  viewport: Viewport | undefined,
  maxOutputPixels = DEFAULT_MAX_OUTPUT_PIXELS,
): RenderGeometry {
  const x0 = Math.abs(viewport?.sx ?? 0);
  const y0 = Math.abs(viewport?.sy ?? 0);
  if (x0 >= columns || y0 >= rows) {
    throw new BadRequestError(
      'RENDER_EMPTY_REGION',
      `viewport source origin (${x0}, ${y0}) is outside the ${columns}x${rows} image`,
    );
  }
  const sw = viewport?.sw;
  const sh = viewport?.sh;
  const x1 = Math.min(columns, x0 + (sw === undefined ? columns - x0 : Math.abs(sw)));
  const y1 = Math.min(rows, y0 + (sh === undefined ? rows - y0 : Math.abs(sh)));
  const w = x1 - x0;
  const h = y1 - y0;
  let outWidth: number;
  let outHeight: number;
  if (viewport === undefined) {
    outWidth = Math.max(1, Math.round(w));
    outHeight = Math.max(1, Math.round(h));
  } else {
    const scale = Math.min(viewport.vw / w, viewport.vh / h);
    outWidth = Math.min(viewport.vw, Math.max(1, Math.round(w * scale)));
    outHeight = Math.min(viewport.vh, Math.max(1, Math.round(h * scale)));
  }
  if (outWidth * outHeight > maxOutputPixels) {
    throw new LimitExceededError(
      'RENDER_OUTPUT_TOO_LARGE',
      `a ${outWidth}x${outHeight} output exceeds ${maxOutputPixels} pixels`,
    );
  }
  return { x0, y0, x1, y1, flipX: sw !== undefined && sw < 0, flipY: sh !== undefined && sh < 0, outWidth, outHeight };
}

/**
 * Largest r ≤ maxLevels such that the region, at 1/2^r of its size, is still at least the
 * output size in both directions.
 */
export function discardLevelsFor(g: RenderGeometry, maxLevels: number): number {
  const w = g.x1 - g.x0;
  const h = g.y1 - g.y0;
  let r = 0;
  while (r < maxLevels && w / 2 ** (r + 1) >= g.outWidth && h / 2 ** (r + 1) >= g.outHeight) r++;
  return r;
}

/** The viewport equivalent of a WADO-URI region/rows/columns request. // PS3.18 §8.2 */
export function wadoUriViewport(columns: number, rows: number, g: WadoUriGeometry): Viewport {
  const r = g.region ?? { x0: 0, y0: 0, x1: 1, y1: 1 };
  const sx = r.x0 * columns;
  const sy = r.y0 * rows;
  const sw = (r.x1 - r.x0) * columns;
  const sh = (r.y1 - r.y0) * rows;
  const natural = g.rows === undefined && g.columns === undefined;
  const vw = g.columns ?? (natural ? Math.max(1, Math.round(sw)) : MAX_VIEWPORT_SIDE);
  const vh = g.rows ?? (natural ? Math.max(1, Math.round(sh)) : MAX_VIEWPORT_SIDE);
  return { vw, vh, sx, sy, sw, sh };
}
