// Data dictionary (PS3.6 Table 6-1) taken from dcmjs's DicomMetaDictionary: keyword ↔ tag ↔ VR.
// Needed to read Implicit VR data sets (PS3.5 §7.1.3) and to resolve includefield keywords.
// Repeating groups 50xx/60xx map to their 5000/6000 entries. Ambiguous dictionary VRs are
// resolved to one VR: US/SS → US, OB/OW → OW, US/OW LUT data → OW (PS3.5 A.1 c for Implicit VR).

import { isVr, makeTag, tagElement, tagGroup, type Vr } from './vr';

interface DictEntry {
  tag: number;
  vr: Vr | undefined;
  keyword: string;
}

let byTag: Map<number, DictEntry> | undefined;
let byKeyword: Map<string, DictEntry> | undefined;

function normaliseVr(raw: string): Vr | undefined {
  switch (raw) {
    case 'xs':
      return 'US';
    case 'ox':
      return 'OW';
    case 'lt':
      return 'OW';
    case 'up':
      return 'UL';
    default:
      return isVr(raw) ? raw : undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null;
}

function load(): void {
  if (byTag !== undefined) return;
  const tagMap = new Map<number, DictEntry>();
  const kwMap = new Map<string, DictEntry>();
  // dcmjs has no type declarations; its shape is checked below instead of trusted.
  const dcmjs: unknown = require('dcmjs');
  const nameMap =
    isRecord(dcmjs) && isRecord(dcmjs.data) && isRecord(dcmjs.data.DicomMetaDictionary)
      ? dcmjs.data.DicomMetaDictionary.nameMap
      : undefined;
  if (isRecord(nameMap)) {
    for (const value of Object.values(nameMap)) {
      if (
        !isRecord(value) ||
        typeof value.tag !== 'string' ||
        typeof value.name !== 'string' ||
        typeof value.vr !== 'string'
      )
        continue;
      const m = /^\(([0-9A-F]{4}),([0-9A-F]{4})\)$/i.exec(value.tag);
      if (m === null || m[1] === undefined || m[2] === undefined) continue;
      const entry: DictEntry = {
        tag: makeTag(parseInt(m[1], 16), parseInt(m[2], 16)),
        vr: normaliseVr(value.vr),
        keyword: value.name,
      };
      tagMap.set(entry.tag, entry);
      kwMap.set(entry.keyword, entry);
    }
  }
  byTag = tagMap;
  byKeyword = kwMap;
}

function lookup(tag: number): DictEntry | undefined {
  load();
  const map = byTag as Map<number, DictEntry>;
  const hit = map.get(tag >>> 0);
  if (hit !== undefined) return hit;
  const group = tagGroup(tag);
  if ((group & 0xff00) === 0x5000 || (group & 0xff00) === 0x6000) {
    return map.get(makeTag(group & 0xff00, tagElement(tag)));
  }
  return undefined;
}

/** Tag of a PS3.6 keyword ("PatientName" → 0x00100010), or undefined. */
export function tagForKeyword(keyword: string): number | undefined {
  load();
  return (byKeyword as Map<string, DictEntry>).get(keyword)?.tag;
}

/** PS3.6 keyword of a tag, or undefined for private and unknown tags. */
export function keywordForTag(tag: number): string | undefined {
  return lookup(tag)?.keyword;
}

/**
 * VR to assume for a tag in Implicit VR (PS3.5 §7.1.3): the dictionary VR, UL for group
 * lengths, LO for private creators, UN otherwise.
 */
export function vrForTag(tag: number): Vr {
  if (tagElement(tag) === 0x0000) return 'UL';
  const group = tagGroup(tag);
  if ((group & 1) === 1) {
    const el = tagElement(tag);
    return el >= 0x0010 && el <= 0x00ff ? 'LO' : 'UN';
  }
  return lookup(tag)?.vr ?? 'UN';
}
