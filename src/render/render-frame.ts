// Renders one stored frame (PS3.18 §8.3.5.1 rendered resources, §10.4.1.1.4): viewport geometry →
// discard levels → partial decode of the precincts the region needs → samples read as the header's
// Bits Stored / Pixel Representation say (PS3.3 C.7.6.3.1.1) → area/bilinear resampling in the
// sample domain → grayscale: rescale, VOI (request window, else the object's VOI LUT or window,
// else the rendered value range), MONOCHROME1 inversion; colour: YBR_FULL → RGB, samples above 8
// bits scaled → JPEG / PNG / GIF. Not supported: presentation states, PALETTE COLOR, ICC profiles,
// annotations, overlays.

import { MalformedError } from '../bytes';
import { followPixelRepresentation, type Codecs } from '../codec';
import type { DicomDataset } from '../dicom';
import { encodeDisplayImage, type DisplayImage } from './encode-image';
import { decodeView, type StoredCodestream } from './partial-decode';
import { framePresentation, type FramePresentation } from './presentation';
import { resample } from './resample';
import type { RenderOptions, RenderResult } from './types';
import { discardLevelsFor, renderGeometry, wadoUriViewport } from './viewport';
import { applyWindow, toDisplay8, valueRange, type Voi } from './voi';

function clamp8(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}

/** YBR_FULL → RGB in place on interleaved float samples. // PS3.3 C.7.6.3.1.2 */
export function ybrFullToRgb(s: Float32Array): void {
  for (let i = 0; i + 2 < s.length; i += 3) {
    const y = s[i] as number;
    const cb = (s[i + 1] as number) - 128;
    const cr = (s[i + 2] as number) - 128;
    s[i] = y + 1.402 * cr;
    s[i + 1] = y - 0.344136 * cb - 0.714136 * cr;
    s[i + 2] = y + 1.772 * cb;
  }
}

function colourDisplay(
  samples: Float32Array,
  pres: FramePresentation,
  bits: number,
  options: RenderOptions,
): Uint8Array {
  if (pres.colour === 'ybr-full') ybrFullToRgb(samples);
  const out = new Uint8Array(samples.length);
  const w = options.window;
  const scale = bits > 8 ? 255 / (2 ** bits - 1) : 1;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] as number;
    out[i] = clamp8(w !== undefined ? applyWindow(v, w) : v * scale);
  }
  return out;
}

/** Renders frame `frameNumber` (1-based) of an image object from its stored codestream. */
export async function renderFrame(
  codecs: Codecs,
  dataset: DicomDataset,
  frameNumber: number,
  cs: StoredCodestream,
  options: RenderOptions,
): Promise<RenderResult> {
  const pres = framePresentation(dataset, frameNumber);
  const viewport =
    options.wadoUri !== undefined ? wadoUriViewport(pres.columns, pres.rows, options.wadoUri) : options.viewport;
  const geo = renderGeometry(pres.columns, pres.rows, viewport, options.maxOutputPixels);
  const wantR = discardLevelsFor(geo, 32);
  const region = { x0: Math.floor(geo.x0), y0: Math.floor(geo.y0), x1: Math.ceil(geo.x1), y1: Math.ceil(geo.y1) };
  const started = performance.now();
  let dv = await decodeView(codecs, cs, region, wantR);
  // Signed samples coded as unsigned (or the reverse) wrap around zero in the codestream: a reduced
  // resolution averages wrapped values into garbage at every air/tissue edge, so such a frame is
  // decoded at full resolution and resampled here.
  if (dv.r > 0 && dv.image.signed !== (pres.pixelRepresentation === 1)) dv = await decodeView(codecs, cs, region, 0);
  const decodeMs = performance.now() - started;
  // The header's Pixel Representation wins over the codestream's (e.g. signed CT coded as unsigned).
  const img = followPixelRepresentation(dv.image, pres.bitsStored, pres.pixelRepresentation);
  const wantChannels = pres.colour === 'gray' ? 1 : 3;
  if (img.components !== wantChannels) {
    throw new MalformedError(
      'RENDER_COMPONENT_MISMATCH',
      `the codestream has ${img.components} components; ${pres.photometricInterpretation} needs ${wantChannels}`,
    );
  }
  const kx = img.width / dv.fullWidth;
  const ky = img.height / dv.fullHeight;
  const rect = {
    x0: Math.min(geo.x0 * kx, img.width),
    y0: Math.min(geo.y0 * ky, img.height),
    x1: Math.min(geo.x1 * kx, img.width),
    y1: Math.min(geo.y1 * ky, img.height),
  };
  if (!(rect.x1 > rect.x0 && rect.y1 > rect.y0)) {
    throw new MalformedError(
      'RENDER_REGION_OUTSIDE_CODESTREAM',
      `the region lies outside the ${dv.fullWidth}x${dv.fullHeight} codestream`,
    );
  }
  const samples = resample(
    { width: img.width, height: img.height, channels: wantChannels, data: img.data },
    rect,
    geo.outWidth,
    geo.outHeight,
    geo.flipX,
    geo.flipY,
  );
  let pixels: Uint8Array;
  if (pres.colour === 'gray') {
    const voi: Voi =
      options.window !== undefined
        ? { kind: 'window', window: options.window }
        : (pres.voi ?? { kind: 'range', ...valueRange(samples, pres.rescale) });
    pixels = toDisplay8(samples, { rescale: pres.rescale, voi, invert: pres.invert });
  } else {
    pixels = colourDisplay(samples, pres, img.bitsPerSample, options);
  }
  const display: DisplayImage = { width: geo.outWidth, height: geo.outHeight, channels: wantChannels, pixels };
  const bytes = encodeDisplayImage(display, options.mediaType, options.quality ?? 90);
  return {
    mediaType: options.mediaType,
    bytes,
    width: geo.outWidth,
    height: geo.outHeight,
    stats: {
      bytesRead: dv.bytesRead,
      codestreamLength: cs.length,
      discardLevels: dv.r,
      precincts: dv.precincts,
      partial: dv.partial,
      decodedWidth: img.width,
      decodedHeight: img.height,
      decodeMs,
    },
  };
}
