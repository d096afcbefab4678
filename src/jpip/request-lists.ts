// Parsers for the structured JPIP request values (ISO/IEC 15444-9 Annex C): type (C.7.3),
// pref (C.10.2), metareq (C.5.2), cnew (C.3.3), cclose (C.3.4), context (C.4.7), subtarget
// (C.2.3). Syntax is checked strictly; semantics (what the server grants) belong to the caller.

import { LimitExceededError } from '../bytes';
import {
  MAX_LIST_ITEMS,
  bad,
  clip,
  parseSampledRange,
  parseToken,
  parseUint,
  splitList,
  type SampledRange,
} from './request-values';

/** One entry of the `type` preference list. // 15444-9 C.7.3 */
export interface ImageReturnType {
  kind: 'jpp-stream' | 'jpt-stream' | 'raw' | 'media-type';
  /** Media type as written (reserved tokens map to image/jpp-stream, image/jpt-stream). */
  mediaType: string;
  /** ptype=ext / ttype=ext: all messages use the extended (odd) classes. */
  extended: boolean;
  params: ReadonlyMap<string, string>;
}

export function parseTypeList(s: string): ImageReturnType[] {
  return splitList('type', s).map(parseReturnType);
}

function parseReturnType(item: string): ImageReturnType {
  const [head = '', ...paramParts] = item.split(';');
  const params = new Map<string, string>();
  for (const p of paramParts) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw bad('type', `bad parameter '${clip(p)}'`);
    const name = parseToken('type', p.slice(0, eq).toLowerCase());
    if (params.has(name)) throw bad('type', `duplicated parameter ${name}`);
    params.set(name, parseToken('type', p.slice(eq + 1)));
  }
  const lower = head.toLowerCase();
  let kind: ImageReturnType['kind'];
  let mediaType: string;
  if (lower === 'jpp-stream' || lower === 'image/jpp-stream') {
    kind = 'jpp-stream';
    mediaType = 'image/jpp-stream';
  } else if (lower === 'jpt-stream' || lower === 'image/jpt-stream') {
    kind = 'jpt-stream';
    mediaType = 'image/jpt-stream';
  } else if (lower === 'raw') {
    kind = 'raw';
    mediaType = 'raw';
  } else {
    const slash = lower.indexOf('/');
    if (slash <= 0) throw bad('type', `'${clip(head)}' is neither a reserved type nor a media type`);
    parseToken('type', lower.slice(0, slash));
    parseToken('type', lower.slice(slash + 1));
    kind = 'media-type';
    mediaType = lower;
  }
  const extParam = kind === 'jpp-stream' ? 'ptype' : kind === 'jpt-stream' ? 'ttype' : null;
  let extended = false;
  for (const [name, value] of params) {
    if (name === 'ptype' || name === 'ttype') {
      if (name !== extParam || value !== 'ext')
        throw bad('type', `parameter ${name}=${clip(value)} not valid for ${head}`);
      extended = true;
    }
  }
  return { kind, mediaType, extended, params };
}

/** One related-pref-set; `required` = the "/r" suffix. // 15444-9 C.10.2 */
export interface PrefItem {
  name: string;
  value: string | null;
  required: boolean;
  /** The text as sent (JPIP-pref must repeat unsupported required sets exactly, D.2.18). */
  raw: string;
}

export function parsePref(s: string): PrefItem[] {
  const out: PrefItem[] = [];
  for (const item of splitList('pref', s)) {
    const prev = out[out.length - 1];
    // csf rows are themselves comma separated (csf:density:..;s1;s2,density:..): keep them together.
    if (prev !== undefined && prev.name === 'csf' && /^(density:|[0-9.])/.test(item)) {
      const raw = `${prev.raw},${item}`;
      out[out.length - 1] = {
        ...prev,
        raw,
        value: `${prev.value ?? ''},${stripR(item)}`,
        required: prev.required || item.endsWith('/r'),
      };
      continue;
    }
    const required = item.endsWith('/r');
    const body = stripR(item);
    const m = /^([A-Za-z][A-Za-z0-9-]*)(?::(.+))?$/.exec(body);
    if (m === null) throw bad('pref', `bad preference '${clip(item)}'`);
    const value = m[2] ?? null;
    if (value !== null && !/^[\x21-\x7e]+$/.test(value)) throw bad('pref', `bad preference value in '${clip(item)}'`);
    out.push({ name: m[1] ?? '', value, required, raw: item });
  }
  return out;
}

function stripR(item: string): string {
  return item.endsWith('/r') ? item.slice(0, -2) : item;
}

/** One box request of metareq. // 15444-9 C.5.2 */
export interface MetareqBoxProp {
  boxType: string; // 4 characters or '*'
  limit: number | 'r' | null;
  qualifier: string; // subset of "wsga", '' = default
  priority: boolean;
}

export interface MetareqItem {
  props: MetareqBoxProp[];
  rootBin: number | null;
  maxDepth: number | null;
}

export interface Metareq {
  items: MetareqItem[];
  /** "!!": metadata only. */
  metadataOnly: boolean;
}

export function parseMetareq(s: string): Metareq {
  let text = s;
  let metadataOnly = false;
  if (text.endsWith('!!')) {
    metadataOnly = true;
    text = text.slice(0, -2);
  }
  const items: MetareqItem[] = [];
  for (const part of splitTopLevel('metareq', text)) {
    const close = part.lastIndexOf(']');
    if (!part.startsWith('[') || close < 0) throw bad('metareq', `expected [box-props] in '${clip(part)}'`);
    const props = splitList('metareq', part.slice(1, close), ';').map(parseBoxProp);
    const tail = /^(?:R([0-9]{1,16}))?(?:D([0-9]{1,16}))?$/.exec(part.slice(close + 1));
    if (tail === null) throw bad('metareq', `bad root/depth suffix in '${clip(part)}'`);
    items.push({
      props,
      rootBin: tail[1] === undefined ? null : parseUint('metareq', tail[1]),
      maxDepth: tail[2] === undefined ? null : parseUint('metareq', tail[2]),
    });
  }
  return { items, metadataOnly };
}

function parseBoxProp(p: string): MetareqBoxProp {
  const typeLength = p.startsWith('*') ? 1 : 4;
  if (p.length < typeLength) throw bad('metareq', `box type in '${clip(p)}' is not 4 characters`);
  const boxType = p.slice(0, typeLength);
  const m = /^(?::([0-9]{1,16}|r))?(?:\/([wsga]+))?(!)?$/.exec(p.slice(typeLength));
  if (m === null) throw bad('metareq', `bad box property '${clip(p)}'`);
  const limit = m[1] === undefined ? null : m[1] === 'r' ? 'r' : parseUint('metareq', m[1]);
  return { boxType, limit, qualifier: m[2] ?? '', priority: m[3] !== undefined };
}

/** Splits on commas outside [] and <> (used by metareq, context, model). */
export function splitTopLevel(field: string, s: string, maxItems = MAX_LIST_ITEMS): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '[' || ch === '<') depth++;
    else if (ch === ']' || ch === '>') {
      depth--;
      if (depth < 0) throw bad(field, 'unbalanced brackets');
    } else if (ch === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw bad(field, 'unbalanced brackets');
  out.push(s.slice(start));
  if (out.length > maxItems) {
    throw new LimitExceededError('JPIP_LIST_TOO_LONG', `${field}: more than ${maxItems} items`, { context: field });
  }
  for (const it of out) if (it.length === 0) throw bad(field, 'empty list item');
  return out;
}

/** cnew = 1#transport-name. // 15444-9 C.3.3 */
export function parseCnew(s: string): string[] {
  return splitList('cnew', s).map((t) => parseToken('cnew', t));
}

/** cclose = "*" / 1#channel-id. // 15444-9 C.3.4 */
export function parseCclose(s: string): '*' | string[] {
  if (s === '*') return '*';
  return splitList('cclose', s).map((t) => parseToken('cclose', t));
}

/** context = 1#context-range; kept as validated text (no JPX/MJ2 contexts in DICOM). // 15444-9 C.4.7 */
export function parseContext(s: string): string[] {
  return splitTopLevel('context', s).map((item) => {
    if (!/^[A-Za-z0-9]{4}<[^<>]*>(\[[^[\]]*\])?(=[\x21-\x7e]*)?$/.test(item))
      throw bad('context', `bad context-range '${clip(item)}'`);
    return item;
  });
}

/** subtarget = byte-range / "[" 1#sampled-range "]". // 15444-9 C.2.3 */
export type Subtarget = { kind: 'bytes'; from: number; to: number } | { kind: 'codestreams'; ranges: SampledRange[] };

export function parseSubtarget(s: string): Subtarget {
  if (s.startsWith('[') && s.endsWith(']')) {
    return {
      kind: 'codestreams',
      ranges: splitList('subtarget', s.slice(1, -1)).map((r) => parseSampledRange('subtarget', r)),
    };
  }
  const m = /^([0-9]{1,16})-([0-9]{1,16})$/.exec(s);
  if (m === null) throw bad('subtarget', `expected a byte range a-b, got '${clip(s)}'`);
  const from = parseUint('subtarget', m[1] ?? '');
  const to = parseUint('subtarget', m[2] ?? '');
  if (to < from) throw bad('subtarget', 'reversed byte range');
  return { kind: 'bytes', from, to };
}
