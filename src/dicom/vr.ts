// Value Representations (PS3.5 §6.2, Table 6.2-1) and tag helpers (PS3.5 §7.1). A tag is a
// 32-bit number 0xGGGGEEEE. The VR sets here drive header form (PS3.5 §7.1.2), padding
// (PS3.5 §6.2: UI with 0x00, other text with space) and byte swapping for Big Endian input.

export const VRS = [
  'AE',
  'AS',
  'AT',
  'CS',
  'DA',
  'DS',
  'DT',
  'FD',
  'FL',
  'IS',
  'LO',
  'LT',
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'PN',
  'SH',
  'SL',
  'SQ',
  'SS',
  'ST',
  'SV',
  'TM',
  'UC',
  'UI',
  'UL',
  'UN',
  'UR',
  'US',
  'UT',
  'UV',
] as const;
export type Vr = (typeof VRS)[number];

const VR_SET: ReadonlySet<string> = new Set(VRS);

export function isVr(s: string): s is Vr {
  return VR_SET.has(s);
}

/** VRs with a 2-byte reserved field and a 4-byte length in Explicit VR (PS3.5 Table 7.1-1). */
const LONG_HEADER: ReadonlySet<Vr> = new Set<Vr>([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'UC',
  'UN',
  'UR',
  'UT',
  'SV',
  'UV',
]);
export function hasLongHeader(vr: Vr): boolean {
  return LONG_HEADER.has(vr);
}

/** Character-string VRs; values are text, multi-valued with '\' unless single-valued (LT ST UT UR). */
const TEXT: ReadonlySet<Vr> = new Set<Vr>([
  'AE',
  'AS',
  'CS',
  'DA',
  'DS',
  'DT',
  'IS',
  'LO',
  'LT',
  'PN',
  'SH',
  'ST',
  'TM',
  'UC',
  'UI',
  'UR',
  'UT',
]);
export function isTextVr(vr: Vr): boolean {
  return TEXT.has(vr);
}
/** Text VRs whose value is never split on backslash (PS3.5 Table 6.2-1: VM always 1). */
export function isSingleValuedText(vr: Vr): boolean {
  return vr === 'LT' || vr === 'ST' || vr === 'UT' || vr === 'UR';
}

/** Binary VRs serialised as InlineBinary/BulkDataURI in DICOM JSON (PS3.18 F.2.7). */
const OPAQUE: ReadonlySet<Vr> = new Set<Vr>(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);
export function isOpaqueVr(vr: Vr): boolean {
  return OPAQUE.has(vr);
}

/** Byte size of one value unit that must be swapped between little and big endian. */
export function swapUnit(vr: Vr): 1 | 2 | 4 | 8 {
  switch (vr) {
    case 'US':
    case 'SS':
    case 'OW':
    case 'AT':
      return 2;
    case 'UL':
    case 'SL':
    case 'FL':
    case 'OL':
    case 'OF':
      return 4;
    case 'FD':
    case 'OD':
    case 'SV':
    case 'UV':
    case 'OV':
      return 8;
    default:
      return 1;
  }
}

/** Padding byte for an odd-length value (PS3.5 §6.2). */
export function padByte(vr: Vr): number {
  if (vr === 'UI') return 0x00;
  return isTextVr(vr) ? 0x20 : 0x00;
}

/** Reverses each `unit`-byte group in place (little ↔ big endian). */
export function swapBytes(bytes: Uint8Array, unit: 1 | 2 | 4 | 8): Uint8Array {
  if (unit === 1) return bytes;
  const n = bytes.length - (bytes.length % unit);
  for (let i = 0; i < n; i += unit) {
    for (let a = i, b = i + unit - 1; a < b; a++, b--) {
      const t = bytes[a] as number;
      bytes[a] = bytes[b] as number;
      bytes[b] = t;
    }
  }
  return bytes;
}

export function makeTag(group: number, element: number): number {
  return ((group & 0xffff) * 0x10000 + (element & 0xffff)) >>> 0;
}
export function tagGroup(tag: number): number {
  return (tag >>> 16) & 0xffff;
}
export function tagElement(tag: number): number {
  return tag & 0xffff;
}
/** "GGGGEEEE" upper-case hex, the DICOM JSON key form (PS3.18 F.2.1.1). */
export function formatTag(tag: number): string {
  return (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
}
/** "(GGGG,EEEE)" for messages. */
export function describeTag(tag: number): string {
  const s = formatTag(tag);
  return `(${s.slice(0, 4)},${s.slice(4)})`;
}
export function isPrivateTag(tag: number): boolean {
  return (tagGroup(tag) & 1) === 1;
}

export const ITEM = 0xfffee000;
export const ITEM_DELIMITATION = 0xfffee00d;
export const SEQUENCE_DELIMITATION = 0xfffee0dd;
export const UNDEFINED_LENGTH = 0xffffffff;

/** Tags the pure layer refers to by name. */
export const Tags = {
  TransferSyntaxUID: 0x00020010,
  MediaStorageSOPClassUID: 0x00020002,
  MediaStorageSOPInstanceUID: 0x00020003,
  SpecificCharacterSet: 0x00080005,
  SOPClassUID: 0x00080016,
  SOPInstanceUID: 0x00080018,
  StudyInstanceUID: 0x0020000d,
  SeriesInstanceUID: 0x0020000e,
  SamplesPerPixel: 0x00280002,
  PhotometricInterpretation: 0x00280004,
  PlanarConfiguration: 0x00280006,
  NumberOfFrames: 0x00280008,
  Rows: 0x00280010,
  Columns: 0x00280011,
  BitsAllocated: 0x00280100,
  BitsStored: 0x00280101,
  HighBit: 0x00280102,
  PixelRepresentation: 0x00280103,
  LossyImageCompression: 0x00282110,
  PixelDataProviderURL: 0x00287fe0,
  ExtendedOffsetTable: 0x7fe00001,
  ExtendedOffsetTableLengths: 0x7fe00002,
  FloatPixelData: 0x7fe00008,
  DoubleFloatPixelData: 0x7fe00009,
  PixelData: 0x7fe00010,
  DataSetTrailingPadding: 0xfffcfffc,
} as const;
