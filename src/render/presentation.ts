// What the object says about displaying one frame (PS3.3 C.7.6.3 Image Pixel, C.11.1 Modality LUT,
// C.11.2 VOI LUT, C.7.6.16 functional groups of enhanced multi-frame objects): rescale, window or
// VOI LUT, photometric interpretation. Look-up order per attribute: the frame's Per-frame
// Functional Groups item, then the Shared Functional Groups, then the top-level data set. A stored
// value that does not parse is ignored with a warning (the object was accepted at ingest; a bad
// window must not make it unviewable).

import { ParseError, UnsupportedError } from '../bytes';
import { NotAcceptableError } from '../errors';
import { pixelDescription, type DicomDataset } from '../dicom';
import type { ModalityRescale, Voi, VoiLut } from './voi';
import type { VoiFunction } from './types';

const T = {
  RescaleIntercept: 0x00281052,
  RescaleSlope: 0x00281053,
  WindowCenter: 0x00281050,
  WindowWidth: 0x00281051,
  VoiLutFunction: 0x00281056,
  VoiLutSequence: 0x00283010,
  LutDescriptor: 0x00283002,
  LutData: 0x00283006,
  SharedFunctionalGroups: 0x52009229,
  PerFrameFunctionalGroups: 0x52009230,
  PixelValueTransformation: 0x00289145,
  FrameVoiLut: 0x00289132,
} as const;

/** Colour models the renderer understands after decoding. */
export type ColourModel = 'gray' | 'rgb' | 'ybr-full';

export interface FramePresentation {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  /** Bits Stored and Pixel Representation: how decoded samples are read (the header wins over the codestream). */
  bitsStored: number;
  pixelRepresentation: number;
  photometricInterpretation: string;
  colour: ColourModel;
  /** MONOCHROME1: displayed inverted. */
  invert: boolean;
  rescale: ModalityRescale;
  /** The object's VOI (null: none stated; the renderer uses the value range). */
  voi: Voi | null;
  numberOfFrames: number;
  warnings: string[];
}

const FUNCTIONS: ReadonlyMap<string, VoiFunction> = new Map([
  ['LINEAR', 'linear'],
  ['LINEAR_EXACT', 'linear-exact'],
  ['SIGMOID', 'sigmoid'],
]);

/** Data sets to search for a macro, most specific first. */
function scopes(ds: DicomDataset, frameNumber: number, macro: number): DicomDataset[] {
  const out: DicomDataset[] = [];
  const perFrame = ds.sequence(T.PerFrameFunctionalGroups)?.[frameNumber - 1]?.sequence(macro)?.[0];
  if (perFrame !== undefined) out.push(perFrame);
  const shared = ds.sequence(T.SharedFunctionalGroups)?.[0]?.sequence(macro)?.[0];
  if (shared !== undefined) out.push(shared);
  out.push(ds);
  return out;
}

function safe<T>(warnings: string[], what: string, read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof ParseError) {
      warnings.push(`${what} ignored: ${e.message}`);
      return undefined;
    }
    throw e;
  }
}

function rescaleOf(ds: DicomDataset, frameNumber: number, warnings: string[]): ModalityRescale {
  for (const s of scopes(ds, frameNumber, T.PixelValueTransformation)) {
    const slope = safe(warnings, 'Rescale Slope', () => s.number(T.RescaleSlope));
    const intercept = safe(warnings, 'Rescale Intercept', () => s.number(T.RescaleIntercept));
    if (slope !== undefined || intercept !== undefined) {
      const out = { slope: slope ?? 1, intercept: intercept ?? 0 };
      if (out.slope === 0 || !Number.isFinite(out.slope) || !Number.isFinite(out.intercept)) {
        warnings.push('Rescale Slope 0 or non-finite rescale ignored');
        return { slope: 1, intercept: 0 };
      }
      return out;
    }
  }
  return { slope: 1, intercept: 0 };
}

/** First VOI LUT Sequence item. // PS3.3 C.11.2.1.1 */
function voiLut(item: DicomDataset, signed: boolean): VoiLut | undefined {
  const desc = item.numbers(T.LutDescriptor);
  if (desc.length !== 3) return undefined;
  const entries = desc[0] === 0 ? 65536 : (desc[0] as number);
  let first = desc[1] as number;
  if (signed && first > 32767) first -= 65536;
  const bits = desc[2] as number;
  if (bits < 1 || bits > 16) return undefined;
  const raw = item.bytes(T.LutData);
  if (raw === undefined) return undefined;
  const data = new Uint16Array(entries);
  const wide = raw.length >= entries * 2;
  if (!wide && raw.length < entries) return undefined;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < entries; i++) data[i] = wide ? view.getUint16(i * 2, true) : (raw[i] as number);
  return { firstMapped: first, bits, data };
}

function voiOf(ds: DicomDataset, frameNumber: number, signed: boolean, warnings: string[]): Voi | null {
  const lutItem = ds.sequence(T.VoiLutSequence)?.[0];
  if (lutItem !== undefined) {
    const lut = safe(warnings, 'VOI LUT Sequence', () => voiLut(lutItem, signed));
    if (lut !== undefined) return { kind: 'lut', lut };
    warnings.push('VOI LUT Sequence item unusable; ignored');
  }
  for (const s of scopes(ds, frameNumber, T.FrameVoiLut)) {
    const center = safe(warnings, 'Window Center', () => s.number(T.WindowCenter));
    const width = safe(warnings, 'Window Width', () => s.number(T.WindowWidth));
    if (center === undefined || width === undefined) continue;
    const fnName = safe(warnings, 'VOI LUT Function', () => s.string(T.VoiLutFunction)) ?? 'LINEAR';
    const fn = FUNCTIONS.get(fnName.toUpperCase()) ?? 'linear';
    if (!Number.isFinite(center) || !(width > 0) || (fn === 'linear' && width < 1)) {
      warnings.push(`stored window ${center}/${width} is not usable; ignored`);
      continue;
    }
    return { kind: 'window', window: { center, width, function: fn } };
  }
  return null;
}

function colourOf(pi: string, samples: number): ColourModel {
  if (samples === 1 && (pi === 'MONOCHROME1' || pi === 'MONOCHROME2')) return 'gray';
  if (samples === 3 && (pi === 'RGB' || pi === 'YBR_RCT' || pi === 'YBR_ICT')) return 'rgb';
  if (samples === 3 && (pi === 'YBR_FULL' || pi === 'YBR_FULL_422')) return 'ybr-full';
  throw new UnsupportedError(
    'RENDER_UNSUPPORTED_PHOTOMETRIC',
    `rendering ${pi} with ${samples} samples per pixel is not supported`,
  );
}

/** The display attributes of frame `frameNumber` (1-based). NotAcceptableError for non-images. */
export function framePresentation(ds: DicomDataset, frameNumber: number): FramePresentation {
  if (!ds.has(0x00280010) || !ds.has(0x00280011)) {
    throw new NotAcceptableError('RENDER_NOT_AN_IMAGE', 'the object has no image pixel data to render');
  }
  const desc = pixelDescription(ds);
  const warnings: string[] = [];
  const colour = colourOf(desc.photometricInterpretation, desc.samplesPerPixel);
  return {
    rows: desc.rows,
    columns: desc.columns,
    samplesPerPixel: desc.samplesPerPixel,
    bitsStored: desc.bitsStored,
    pixelRepresentation: desc.pixelRepresentation,
    photometricInterpretation: desc.photometricInterpretation,
    colour,
    invert: desc.photometricInterpretation === 'MONOCHROME1',
    rescale: colour === 'gray' ? rescaleOf(ds, frameNumber, warnings) : { slope: 1, intercept: 0 },
    voi: colour === 'gray' ? voiOf(ds, frameNumber, desc.pixelRepresentation === 1, warnings) : null,
    numberOfFrames: desc.numberOfFrames,
    warnings,
  };
}
