// DICOM JSON Model (PS3.18 Annex F.2): keys "GGGGEEEE" in tag order, "vr", and "Value" (absent
// when the element is empty), PN as {Alphabetic, Ideographic, Phonetic} objects (F.2.2), IS/DS
// and binary numbers as JSON numbers, AT as "GGGGEEEE", SQ items as nested objects, binary VRs
// as InlineBinary (base64) or BulkDataURI (F.2.7). Objects are built with Object.create(null).
// A malformed IS/DS value is kept as a string (deviation: recorded, not rejected).

import type { RandomAccessSource } from '../bytes';
import { DicomDataset, type DicomElement } from './dataset';
import { formatTag, isOpaqueVr, swapBytes, Tags } from './vr';

export type DicomJsonValue = string | number | null | DicomJsonObject | DicomJsonPersonName;
export interface DicomJsonPersonName {
  Alphabetic?: string;
  Ideographic?: string;
  Phonetic?: string;
}
export interface DicomJsonAttribute {
  vr: string;
  Value?: DicomJsonValue[];
  InlineBinary?: string;
  BulkDataURI?: string;
}
export type DicomJsonObject = Record<string, DicomJsonAttribute>;

export interface DicomJsonOptions {
  /**
   * URI for a binary element, or undefined to inline it. `path` alternates tags and item
   * indexes from the top level: [tag] or [sequenceTag, itemIndex, tag, ...].
   */
  bulkDataUri?: (path: readonly number[], element: DicomElement) => string | undefined;
  /** Binary values up to this many bytes are inlined when no URI is given (default: any size). */
  inlineBinaryThreshold?: number;
  /** Source for values recorded as {offset, length}; without it such values are left out. */
  source?: RandomAccessSource;
}

const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function personName(s: string): DicomJsonPersonName | null {
  if (s === '') return null;
  const [a, i, p] = s.split('=');
  const out: DicomJsonPersonName = Object.create(null) as DicomJsonPersonName;
  if (a !== undefined && a !== '') out.Alphabetic = a;
  if (i !== undefined && i !== '') out.Ideographic = i;
  if (p !== undefined && p !== '') out.Phonetic = p;
  return out;
}

function elementBytes(el: DicomElement, options: DicomJsonOptions): Uint8Array | undefined {
  const v = el.value;
  if (v.kind === 'inline') return v.bytes;
  if (v.kind === 'bulk' && options.source !== undefined)
    return swapBytes(options.source.read(v.offset, v.length).slice(), v.swapUnit);
  return undefined;
}

function values(ds: DicomDataset, el: DicomElement, path: number[], options: DicomJsonOptions): DicomJsonValue[] {
  const v = el.value;
  if (v.kind === 'sequence') return v.items.map((item, i) => convert(item, [...path, i], options));
  switch (el.vr) {
    case 'PN':
      return ds.strings(el.tag).map(personName);
    case 'IS':
    case 'DS':
      return ds
        .strings(el.tag)
        .map((s) => (s === '' ? null : NUMERIC_TEXT.test(s) && Number.isFinite(Number(s)) ? Number(s) : s));
    case 'AT': {
      const b = elementBytes(el, options) ?? new Uint8Array(0);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const out: string[] = [];
      for (let o = 0; o + 4 <= b.length; o += 4)
        out.push(formatTag(dv.getUint16(o, true) * 0x10000 + dv.getUint16(o + 2, true)));
      return out;
    }
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
    case 'FL':
    case 'FD':
    case 'SV':
    case 'UV':
      return ds.numbers(el.tag).map((n) => (Number.isFinite(n) ? n : String(n)));
    case 'UI':
    case 'LT':
    case 'ST':
    case 'UT':
    case 'UR':
      return ds.strings(el.tag);
    default: {
      if (v.kind !== 'inline') return [];
      return ds.strings(el.tag).map((s) => (s === '' ? null : s));
    }
  }
}

function attribute(ds: DicomDataset, el: DicomElement, path: number[], options: DicomJsonOptions): DicomJsonAttribute {
  const attr: DicomJsonAttribute = Object.create(null) as DicomJsonAttribute;
  attr.vr = el.vr;
  const v = el.value;
  if (isOpaqueVr(el.vr) || v.kind === 'encapsulated') {
    const uri = options.bulkDataUri?.(path, el);
    if (uri !== undefined) {
      attr.BulkDataURI = uri;
      return attr;
    }
    if (el.tag === Tags.PixelData && options.bulkDataUri !== undefined) return attr;
    const bytes = v.kind === 'encapsulated' ? undefined : elementBytes(el, options);
    const limit = options.inlineBinaryThreshold ?? Number.POSITIVE_INFINITY;
    if (bytes !== undefined && bytes.length > 0 && bytes.length <= limit)
      attr.InlineBinary = Buffer.from(bytes).toString('base64');
    return attr;
  }
  if (v.kind === 'bulk' && options.source === undefined) {
    const uri = options.bulkDataUri?.(path, el);
    if (uri !== undefined) attr.BulkDataURI = uri;
    return attr;
  }
  const vals = v.kind === 'bulk' ? valuesFromBulk(ds, el, path, options) : values(ds, el, path, options);
  if (vals.length > 0) attr.Value = vals;
  return attr;
}

function valuesFromBulk(
  ds: DicomDataset,
  el: DicomElement,
  path: number[],
  options: DicomJsonOptions,
): DicomJsonValue[] {
  const bytes = elementBytes(el, options);
  if (bytes === undefined) return [];
  const tmp = new DicomDataset(ds.characterSet);
  tmp.set({ tag: el.tag, vr: el.vr, value: { kind: 'inline', bytes } });
  const inline = tmp.get(el.tag) as DicomElement;
  return values(tmp, inline, path, options);
}

function convert(ds: DicomDataset, path: number[], options: DicomJsonOptions): DicomJsonObject {
  const out: DicomJsonObject = Object.create(null) as DicomJsonObject;
  for (const el of ds.elements()) out[formatTag(el.tag)] = attribute(ds, el, [...path, el.tag], options);
  return out;
}

/** The DICOM JSON object of a data set (PS3.18 F.2). */
export function toDicomJson(dataset: DicomDataset, options: DicomJsonOptions = {}): DicomJsonObject {
  return convert(dataset, [], options);
}
