// Public surface of jpip/server: the pure JPIP server core (ISO/IEC 15444-9): frame models over a
// stored codestream and its packet index, response planning under len and the cache model, message
// emission through a byte-range reader, return-type negotiation and raw (JP2/JPH) wrapping.
export { imageGeometry } from './geometry-adapter';
export {
  prepareFrame,
  precinctLayout,
  sliceSegments,
  tileHeaderLayout,
  tileLayout,
  type BinLayout,
  type BinSegment,
  type CodestreamReader,
  type FrameModel,
} from './frame-model';
export { modelContext } from './model-context';
export { planResponse, type PlanOptions, type PlannedMessage, type ResponsePlan, type ServedFrame } from './plan';
export { emitResponse, planLength, type EmitOptions } from './emit';
export { assertImplemented, chooseReturnType, refusedPreferences, type ReturnChoice } from './negotiate';
export { jp2HeaderBoxes, rawWrapper, type Jp2HeaderBoxes, type RawWrapper } from './raw';
export { codestreamPlaceholder, EMPTY_METADATA_BIN, jp2MetadataBin, type MetadataBin } from './metadata';
