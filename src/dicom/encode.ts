// Data set writer (PS3.5 §7.1-7.5): Explicit VR Little Endian, Implicit VR Little Endian, Explicit
// VR Big Endian, and deflated Explicit VR LE (A.5). Sequences and items are written with
// undefined length (§7.5.2); values are padded to even length (§6.2: UI with 0x00, other text
// with space, binary with 0x00). Bulk values and fragments are read from `options.source`.
// Group Length elements (gggg,0000) are dropped, at every nesting level, except the File Meta
// Information's (0002,0000): they are retired (PS3.5 §7.2), and a re-encoded data set (undefined-
// length sequences, rebuilt pixel data) would otherwise carry the lengths of the bytes received.

import { concatBytes, LimitExceededError, UnsupportedError, type RandomAccessSource } from '../bytes';
import type { DicomDataset, DicomElement } from './dataset';
import { deflateDataset } from './deflate';
import { datasetEncoding } from './transfer-syntaxes';
import {
  describeTag,
  hasLongHeader,
  ITEM,
  ITEM_DELIMITATION,
  padByte,
  SEQUENCE_DELIMITATION,
  swapBytes,
  swapUnit,
  tagElement,
  tagGroup,
  Tags,
  UNDEFINED_LENGTH,
  type Vr,
} from './vr';

export interface EncodeOptions {
  /** Source of bulk values ({offset, length}) and encapsulated fragments. */
  source?: RandomAccessSource;
}

interface Form {
  explicitVr: boolean;
  littleEndian: boolean;
}

class Out {
  readonly parts: Uint8Array[] = [];
  push(b: Uint8Array): void {
    this.parts.push(b);
  }
  concat(): Uint8Array {
    return concatBytes(this.parts);
  }
}

/** Element header bytes (PS3.5 §7.1.2 / §7.1.3); item tags never carry a VR. */
export function elementHeader(tag: number, vr: Vr, length: number, form: Form): Uint8Array {
  const item = tagGroup(tag) === 0xfffe;
  const long = !form.explicitVr || item || hasLongHeader(vr);
  const b = new Uint8Array(item || !form.explicitVr ? 8 : long ? 12 : 8);
  const v = new DataView(b.buffer);
  const le = form.littleEndian;
  v.setUint16(0, tagGroup(tag), le);
  v.setUint16(2, tagElement(tag), le);
  if (item || !form.explicitVr) {
    v.setUint32(4, length, le);
  } else {
    b[4] = vr.charCodeAt(0);
    b[5] = vr.charCodeAt(1);
    if (long) v.setUint32(8, length, le);
    else {
      if (length > 0xffff) {
        throw new LimitExceededError(
          'DICOM_VALUE_TOO_LONG',
          `${describeTag(tag)} value of ${length} bytes does not fit VR ${vr}`,
          { context: describeTag(tag) },
        );
      }
      v.setUint16(6, length, le);
    }
  }
  return b;
}

function needSource(options: EncodeOptions, tag: number): RandomAccessSource {
  if (options.source === undefined) {
    throw new UnsupportedError(
      'DICOM_BULK_UNRESOLVED',
      `${describeTag(tag)} refers to bytes in a source that was not given`,
      { context: describeTag(tag) },
    );
  }
  return options.source;
}

function valueBytes(el: DicomElement, form: Form, options: EncodeOptions): Uint8Array {
  const v = el.value;
  let bytes: Uint8Array;
  if (v.kind === 'inline') bytes = v.bytes;
  else if (v.kind === 'bulk')
    bytes = swapBytes(needSource(options, el.tag).read(v.offset, v.length).slice(), v.swapUnit);
  else throw new UnsupportedError('DICOM_BAD_VALUE_KIND', `${describeTag(el.tag)} is not a plain value`);
  const unit = swapUnit(el.vr);
  const odd = bytes.length % 2 === 1;
  if (form.littleEndian || unit === 1) {
    if (!odd) return bytes;
  }
  const out = new Uint8Array(bytes.length + (odd ? 1 : 0));
  out.set(bytes);
  if (odd) out[bytes.length] = padByte(el.vr);
  return form.littleEndian ? out : swapBytes(out, unit);
}

/** A Group Length (gggg,0000) other than the File Meta Information's (0002,0000), which is rebuilt. // PS3.5 §7.2 */
function isStaleGroupLength(tag: number): boolean {
  return tagElement(tag) === 0x0000 && tagGroup(tag) !== 0x0002;
}

function writeElements(ds: DicomDataset, form: Form, options: EncodeOptions, out: Out, topLevel: boolean): void {
  for (const el of ds.elements()) {
    if (topLevel && (tagGroup(el.tag) === 0x0002 || el.tag === Tags.DataSetTrailingPadding)) continue;
    if (isStaleGroupLength(el.tag)) continue;
    const v = el.value;
    if (v.kind === 'sequence') {
      out.push(elementHeader(el.tag, 'SQ', UNDEFINED_LENGTH, form));
      for (const item of v.items) {
        out.push(elementHeader(ITEM, 'UN', UNDEFINED_LENGTH, form));
        writeElements(item, form, options, out, false);
        out.push(elementHeader(ITEM_DELIMITATION, 'UN', 0, form));
      }
      out.push(elementHeader(SEQUENCE_DELIMITATION, 'UN', 0, form));
    } else if (v.kind === 'encapsulated') {
      const source = needSource(options, el.tag);
      out.push(elementHeader(el.tag, 'OB', UNDEFINED_LENGTH, form));
      const bot = new Uint8Array(v.basicOffsetTable.length * 4);
      const dv = new DataView(bot.buffer);
      v.basicOffsetTable.forEach((o, i) => dv.setUint32(i * 4, o, form.littleEndian));
      out.push(elementHeader(ITEM, 'UN', bot.length, form));
      out.push(bot);
      for (const f of v.fragments) {
        const odd = f.length % 2;
        out.push(elementHeader(ITEM, 'UN', f.length + odd, form));
        out.push(source.read(f.offset, f.length));
        if (odd === 1) out.push(new Uint8Array(1));
      }
      out.push(elementHeader(SEQUENCE_DELIMITATION, 'UN', 0, form));
    } else {
      const bytes = valueBytes(el, form, options);
      out.push(elementHeader(el.tag, el.vr, bytes.length, form));
      out.push(bytes);
    }
  }
}

/** Encodes a data set (without group 0002) in the given transfer syntax. */
export function encodeDataset(
  dataset: DicomDataset,
  transferSyntaxUid: string,
  options: EncodeOptions = {},
): Uint8Array {
  const enc = datasetEncoding(transferSyntaxUid);
  const out = new Out();
  writeElements(dataset, { explicitVr: enc.explicitVr, littleEndian: enc.littleEndian }, options, out, true);
  const bytes = out.concat();
  return enc.deflated ? deflateDataset(bytes) : bytes;
}

/** Encodes elements of one group (used for the File Meta Information) in Explicit VR LE. */
export function encodeExplicitLe(dataset: DicomDataset): Uint8Array {
  const out = new Out();
  writeElements(dataset, { explicitVr: true, littleEndian: true }, {}, out, false);
  return out.concat();
}
