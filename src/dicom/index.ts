// Public API of src/dicom: the pure DICOM layer (PS3.5 encoding, PS3.10 files, PS3.18 F.2 JSON,
// Supplement 106 JPIP Referenced objects). No I/O: inputs are RandomAccessSources or bytes.
export { parseDicom, type ParsedDicom, type PixelDataLayout } from './parse';
export type { DicomParseOptions } from './parse-options';
export {
  DicomDataset,
  padEven,
  toTag,
  type DicomElement,
  type ElementValue,
  type Fragment,
  type TagInput,
} from './dataset';
export { tagForKeyword, keywordForTag, vrForTag } from './dictionary';
export {
  transferSyntax,
  allTransferSyntaxes,
  datasetEncoding,
  IMPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  JPEG_BASELINE,
  JPEG_EXTENDED,
  JPEG_LOSSLESS,
  JPEG_LOSSLESS_SV1,
  JPEG_LS_LOSSLESS,
  JPEG_LS_NEAR_LOSSLESS,
  JPEG_2000_LOSSLESS,
  JPEG_2000,
  JPIP_REFERENCED,
  JPIP_REFERENCED_DEFLATE,
  HTJ2K_LOSSLESS,
  HTJ2K_LOSSLESS_RPCL,
  HTJ2K,
  JPIP_HTJ2K_REFERENCED,
  JPIP_HTJ2K_REFERENCED_DEFLATE,
  RLE_LOSSLESS,
  JPEG_XL_LOSSLESS,
  JPEG_XL_JPEG_RECOMPRESSION,
  JPEG_XL,
  type TransferSyntax,
  type TransferSyntaxFamily,
} from './transfer-syntaxes';
export { isUid } from './uid';
export { inflateDeflatedDataset, deflateDataset } from './deflate';
export {
  frameLocations,
  readFrame,
  readExtendedOffsetTable,
  type FrameLocation,
  type FrameGeometry,
  type ByteRange,
  type ExtendedOffsetTable,
  type FrameLocationOptions,
} from './frames';
export { encodeDataset, elementHeader, type EncodeOptions } from './encode';
export {
  encodePart10,
  encodeFileMetaInformation,
  encapsulatedPixelDataPrefix,
  fragmentItemHeader,
  nativePixelDataHeader,
  SEQUENCE_DELIMITER,
  IMPLEMENTATION_CLASS_UID,
  IMPLEMENTATION_VERSION_NAME,
  type Part10Options,
} from './part10';
export {
  toDicomJson,
  type DicomJsonObject,
  type DicomJsonAttribute,
  type DicomJsonValue,
  type DicomJsonPersonName,
  type DicomJsonOptions,
} from './json';
export { jpipReferencedDataset, type JpipReferencedOptions, type CodestreamColourTransform } from './jpip-referenced';
export { pixelDescription, type PixelDescription } from './pixel-description';
export { decodeText, encodeText, isExactCharset } from './charset';
export { Tags, VRS, isVr, formatTag, describeTag, makeTag, isPrivateTag, swapBytes, swapUnit, type Vr } from './vr';
