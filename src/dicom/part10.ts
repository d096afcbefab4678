// PS3.10 §7.1 file writer: 128-byte zero preamble, "DICM", File Meta Information rebuilt from the
// data set (group length, version 00 01, Media Storage SOP Class/Instance, Transfer Syntax,
// Implementation Class UID/Version Name), then the data set. Also the pieces to stream
// encapsulated Pixel Data (PS3.5 A.4) or a native Pixel Data header without holding frames in memory.

import { MalformedError } from '../bytes';
import { DicomDataset } from './dataset';
import { elementHeader, encodeDataset, encodeExplicitLe, type EncodeOptions } from './encode';
import { ITEM, SEQUENCE_DELIMITATION, Tags, UNDEFINED_LENGTH, type Vr } from './vr';

/**
 * Fovea's Implementation Class UID. A fixed, made-up root under 1.2.826.0.1.3680043.10 (not
 * registered to Fovea); change it here only, since peers log it.
 */
export const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.10.1441';
export const IMPLEMENTATION_VERSION_NAME = 'FOVEA_010';

export interface Part10Options extends EncodeOptions {
  /** Defaults to SOP Class UID (0008,0016) of the data set. */
  mediaStorageSopClassUid?: string;
  /** Defaults to SOP Instance UID (0008,0018) of the data set. */
  mediaStorageSopInstanceUid?: string;
  sourceApplicationEntityTitle?: string;
  implementationClassUid?: string;
  implementationVersionName?: string;
}

/** The preamble, "DICM" and the File Meta Information group (PS3.10 §7.1, Table 7.1-1). */
export function encodeFileMetaInformation(
  dataset: DicomDataset,
  transferSyntaxUid: string,
  options: Part10Options = {},
): Uint8Array {
  const sopClass = options.mediaStorageSopClassUid ?? dataset.uid(Tags.SOPClassUID);
  const sopInstance = options.mediaStorageSopInstanceUid ?? dataset.uid(Tags.SOPInstanceUID);
  if (sopClass === undefined || sopInstance === undefined) {
    throw new MalformedError(
      'DICOM_MISSING_SOP_UID',
      'SOP Class UID and SOP Instance UID are required for a Part 10 file',
    );
  }
  const meta = new DicomDataset();
  meta.setBytes(0x00020001, 'OB', new Uint8Array([0x00, 0x01]));
  meta.setString(Tags.MediaStorageSOPClassUID, 'UI', sopClass);
  meta.setString(Tags.MediaStorageSOPInstanceUID, 'UI', sopInstance);
  meta.setString(Tags.TransferSyntaxUID, 'UI', transferSyntaxUid);
  meta.setString(0x00020012, 'UI', options.implementationClassUid ?? IMPLEMENTATION_CLASS_UID);
  meta.setString(0x00020013, 'SH', options.implementationVersionName ?? IMPLEMENTATION_VERSION_NAME);
  if (options.sourceApplicationEntityTitle !== undefined)
    meta.setString(0x00020016, 'AE', options.sourceApplicationEntityTitle);
  const body = encodeExplicitLe(meta);
  const group = new DicomDataset();
  group.setNumber(0x00020000, 'UL', body.length);
  const groupLength = encodeExplicitLe(group);
  const out = new Uint8Array(132 + groupLength.length + body.length);
  out.set([0x44, 0x49, 0x43, 0x4d], 128);
  out.set(groupLength, 132);
  out.set(body, 132 + groupLength.length);
  return out;
}

/** A complete Part 10 file: preamble, File Meta Information, then the (possibly deflated) data set. */
export function encodePart10(
  dataset: DicomDataset,
  transferSyntaxUid: string,
  options: Part10Options = {},
): Uint8Array {
  const head = encodeFileMetaInformation(dataset, transferSyntaxUid, options);
  const body = encodeDataset(dataset, transferSyntaxUid, options);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

const LE: { explicitVr: boolean; littleEndian: boolean } = { explicitVr: true, littleEndian: true };

/**
 * Pixel Data (7FE0,0010) OB with undefined length and a Basic Offset Table for one fragment per
 * frame (each frame padded to even length). The table is left empty when an offset would not fit
 * 32 bits (PS3.5 A.4: use the Extended Offset Table instead). Explicit VR Little Endian.
 */
export function encapsulatedPixelDataPrefix(frameLengths: readonly number[]): Uint8Array {
  const offsets: number[] = [];
  let at = 0;
  for (const len of frameLengths) {
    offsets.push(at);
    at += 8 + len + (len % 2);
  }
  const fits = offsets.every((o) => o <= 0xffffffff);
  const bot = new Uint8Array(fits ? offsets.length * 4 : 0);
  const dv = new DataView(bot.buffer);
  if (fits) offsets.forEach((o, i) => dv.setUint32(i * 4, o, true));
  const head = elementHeader(Tags.PixelData, 'OB', UNDEFINED_LENGTH, LE);
  const item = elementHeader(ITEM, 'UN', bot.length, LE);
  const out = new Uint8Array(head.length + item.length + bot.length);
  out.set(head);
  out.set(item, head.length);
  out.set(bot, head.length + item.length);
  return out;
}

/** Item header for a fragment of `length` bytes; when `length` is odd the caller writes one 0x00 after it. */
export function fragmentItemHeader(length: number): Uint8Array {
  return elementHeader(ITEM, 'UN', length + (length % 2), LE);
}

/** Sequence Delimitation Item that ends encapsulated Pixel Data. */
export const SEQUENCE_DELIMITER: Uint8Array = elementHeader(SEQUENCE_DELIMITATION, 'UN', 0, LE);

/** Header of native Pixel Data of `length` bytes (padded to even by the caller with one 0x00). */
export function nativePixelDataHeader(
  length: number,
  vr: Extract<Vr, 'OB' | 'OW'>,
  form: { explicitVr: boolean; littleEndian: boolean } = LE,
): Uint8Array {
  return elementHeader(Tags.PixelData, vr, length + (length % 2), form);
}
