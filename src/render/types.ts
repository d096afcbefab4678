// Value types of the rendering pipeline (PS3.18 §8.3.5.1 rendered-resource query parameters,
// PS3.3 C.11.2 VOI). Plain data: the HTTP edges parse their parameters into these.

/** Output media types the renderer produces (PS3.18 §8.7.4 rendered media types). */
export type RenderedMediaType = 'image/jpeg' | 'image/png' | 'image/gif';

export const RENDERED_MEDIA_TYPES: readonly RenderedMediaType[] = ['image/jpeg', 'image/png', 'image/gif'];

/** VOI LUT Function (0028,1056) / the `window` parameter's function (PS3.3 C.11.2.1.2-3). */
export type VoiFunction = 'linear' | 'linear-exact' | 'sigmoid';

export interface WindowSpec {
  center: number;
  width: number;
  function: VoiFunction;
}

/**
 * `viewport=vw,vh[,sx,sy,sw,sh]` (PS3.18 §8.3.5.1.3). sx/sy/sw/sh are in source pixels; a
 * negative sw (sh) flips horizontally (vertically); undefined means "default".
 */
export interface Viewport {
  vw: number;
  vh: number;
  sx?: number;
  sy?: number;
  sw?: number;
  sh?: number;
}

/**
 * WADO-URI geometry (PS3.18 §8.2): `region` as fractions of the image, `rows`/`columns` as
 * maxima of the output (aspect ratio kept; absent = the region's own size).
 */
export interface WadoUriGeometry {
  region?: { x0: number; y0: number; x1: number; y1: number };
  rows?: number;
  columns?: number;
}

/** What to render from one frame. */
export interface RenderOptions {
  mediaType: RenderedMediaType;
  viewport?: Viewport;
  /** WADO-URI region/rows/columns; turned into a viewport once the image size is known. */
  wadoUri?: WadoUriGeometry;
  /** An explicit window overriding the object's VOI (PS3.18 §8.3.5.1.4). */
  window?: WindowSpec;
  /** 1..100 for lossy output (default 90). */
  quality?: number;
  /** Largest output in pixels (default 64 Mpx); larger requests are a LimitExceededError. */
  maxOutputPixels?: number;
}

/** How the frame was read and decoded (for logs, tests and the bench). */
export interface RenderStats {
  /** Codestream bytes read from storage. */
  bytesRead: number;
  codestreamLength: number;
  /** Resolution levels discarded by the decoder. */
  discardLevels: number;
  /** Precinct data-bins read (0 for a full decode). */
  precincts: number;
  /** True when only part of the codestream was read (packet index used). */
  partial: boolean;
  /** Size of the decoded image. */
  decodedWidth: number;
  decodedHeight: number;
  decodeMs: number;
}

export interface RenderResult {
  mediaType: RenderedMediaType;
  bytes: Uint8Array;
  width: number;
  height: number;
  stats: RenderStats;
}
