// Keyword ↔ tag lookups for query parameters (PS3.18 §8.3.4.1 attributeID: a PS3.6 keyword or
// an 8-hex-digit tag), from dcmjs's DicomMetaDictionary (PS3.6 Table 6-1). Tags are returned as
// the 8 upper-case hex digits DICOM JSON uses. Sequence paths (a.b) are not supported here.

import { BadRequestError } from '../../errors';

interface Entry { tag: string; vr: string }

let byKeyword: Map<string, Entry> | undefined;
let byTag: Map<string, Entry> | undefined;

function isRecord(v: unknown): v is Record<string, unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null;
}

function load(): { kw: Map<string, Entry>; tag: Map<string, Entry> } {
  if (byKeyword !== undefined && byTag !== undefined) return { kw: byKeyword, tag: byTag };
  const kw = new Map<string, Entry>();
  const tag = new Map<string, Entry>();
  // dcmjs ships no type declarations: its shape is checked, not trusted.
  const dcmjs: unknown = require('dcmjs');
  const nameMap = isRecord(dcmjs) && isRecord(dcmjs['data']) && isRecord(dcmjs['data']['DicomMetaDictionary'])
    ? dcmjs['data']['DicomMetaDictionary']['nameMap'] : undefined;
  if (isRecord(nameMap)) {
    for (const value of Object.values(nameMap)) {
      if (!isRecord(value) || typeof value['tag'] !== 'string' || typeof value['name'] !== 'string' || typeof value['vr'] !== 'string') continue;
      const m = /^\(([0-9A-F]{4}),([0-9A-F]{4})\)$/i.exec(value['tag']);
      if (m === null || m[1] === undefined || m[2] === undefined) continue;
      const entry = { tag: `${m[1]}${m[2]}`.toUpperCase(), vr: value['vr'] };
      kw.set(value['name'], entry);
      tag.set(entry.tag, entry);
    }
  }
  byKeyword = kw;
  byTag = tag;
  return { kw, tag };
}

/** 8-hex tag of a PS3.6 keyword ("PatientName" → "00100010"), or undefined. */
export function tagForKeyword(keyword: string): string | undefined {
  return load().kw.get(keyword)?.tag;
}

/** Dictionary VR of a tag ("00100010" → "PN"), or undefined for unknown/private tags. */
export function vrForTag(tag: string): string | undefined {
  return load().tag.get(tag.toUpperCase())?.vr;
}

/** Resolves a query attributeID (keyword or 8 hex digits) to an upper-case 8-hex tag; BadRequestError otherwise. */
export function attributeTag(id: string, parameter: string): string {
  if (/^[0-9A-Fa-f]{8}$/.test(id)) return id.toUpperCase();
  if (id.includes('.')) {
    throw new BadRequestError('QIDO_SEQUENCE_PATH_UNSUPPORTED', `${parameter}: sequence attribute paths ("${id}") are not supported`);
  }
  const tag = /^[A-Za-z][A-Za-z0-9]*$/.test(id) ? tagForKeyword(id) : undefined;
  if (tag === undefined) throw new BadRequestError('QIDO_UNKNOWN_ATTRIBUTE', `${parameter}: "${id}" is neither a DICOM keyword nor an 8-hex-digit tag`);
  return tag;
}
