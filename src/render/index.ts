// Public API of render/: rendered and thumbnail images from stored JPEG 2000 / HTJ2K frames
// (PS3.18 §8.3.5.1, §10.4.1.1.4, §10.4.3), decoding only the resolution and precincts a view
// needs when the frame has a packet index. Depends on dicom/, j2k/, jpip/ and codec/ only.
export { renderFrame, ybrFullToRgb } from './render-frame';
export {
  parseViewport,
  parseWindow,
  parseQuality,
  parseRegion,
  parseSide,
  checkWindow,
  MAX_VIEWPORT_SIDE,
  type FractionRegion,
} from './params';
export { framePresentation, type FramePresentation, type ColourModel } from './presentation';
export {
  renderGeometry,
  discardLevelsFor,
  wadoUriViewport,
  DEFAULT_MAX_OUTPUT_PIXELS,
  type RenderGeometry,
} from './viewport';
export {
  applyWindow,
  applyVoiLut,
  voiFunction,
  toDisplay8,
  valueRange,
  type Voi,
  type VoiLut,
  type ModalityRescale,
  type GrayPipeline,
} from './voi';
export { resample, axisTaps, type SampleImage, type SourceRect } from './resample';
export { encodeDisplayImage, type DisplayImage } from './encode-image';
export { encodeGif } from './gif';
export {
  decodeView,
  readBins,
  countingReader,
  minLevels,
  type StoredCodestream,
  type PixelRegion,
  type DecodedView,
} from './partial-decode';
export {
  RENDERED_MEDIA_TYPES,
  type RenderedMediaType,
  type RenderOptions,
  type RenderResult,
  type RenderStats,
  type Viewport,
  type VoiFunction,
  type WadoUriGeometry,
  type WindowSpec,
} from './types';
