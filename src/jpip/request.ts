// Strict JPIP request parser (ISO/IEC 15444-9 Annex C; HTTP binding Annex F): a GET query string
// or a POST application/x-www-form-urlencoded body (with the query fields of the URL it was sent
// to) -> a typed JpipRequest. Fields are split on '&' and the first '=', each value is %-decoded
// separately (C.1; '+' is a space in a form body only), each field may appear once.
// Unknown fields are rejected by default (UnsupportedError JPIP_UNKNOWN_FIELD), or ignored and
// listed when the caller passes unknownFields: 'ignore' (see conformance/jpip.md for the choice).

import { LimitExceededError, MalformedError, UnsupportedError } from '../bytes';
import { parseModel, parseTpModel, type ModelStatement, type TpModelStatement } from './model';
import {
  parseCclose,
  parseCnew,
  parseContext,
  parseMetareq,
  parsePref,
  parseSubtarget,
  parseTypeList,
  type ImageReturnType,
  type Metareq,
  type PrefItem,
  type Subtarget,
} from './request-lists';
import {
  bad,
  clip,
  parsePair,
  parseRangeList,
  parseSampledRange,
  parseText,
  parseToken,
  parseUfloat,
  parseUint,
  parseYesNo,
  splitList,
  type SampledRange,
  type UintRange,
} from './request-values';

export type FsizRound = 'round-down' | 'round-up' | 'closest';

export interface Fsiz {
  fx: number;
  fy: number;
  round: FsizRound;
}

export interface XY {
  x: number;
  y: number;
}

export interface JpipRequest {
  /** Every field as sent, %-decoded (a Map: input keys never touch an object prototype). */
  readonly fields: ReadonlyMap<string, string>;
  /** Unknown field names that were ignored (only with unknownFields: 'ignore'). */
  readonly ignored: readonly string[];
  target?: string;
  subtarget?: Subtarget;
  tid?: string;
  cnew?: string[];
  cid?: string;
  cclose?: '*' | string[];
  qid?: number;
  stream?: SampledRange[];
  context?: string[];
  fsiz?: Fsiz;
  roff?: XY;
  rsiz?: XY;
  comps?: UintRange[];
  layers?: number;
  len?: number;
  quality?: number;
  srate?: number;
  drate?: number;
  roi?: string;
  type?: ImageReturnType[];
  align?: boolean;
  wait?: boolean;
  pref?: PrefItem[];
  model?: ModelStatement[];
  tpmodel?: TpModelStatement[];
  need?: ModelStatement[];
  tpneed?: TpModelStatement[];
  mset?: UintRange[];
  metareq?: Metareq;
  cap?: string[];
  upload?: string;
  handled?: string;
  xpathBox?: string;
  xpathBin?: string;
  xpathQuery?: string;
}

export interface ParseRequestOptions {
  /** 'reject' (default): UnsupportedError JPIP_UNKNOWN_FIELD. 'ignore': listed in `ignored`. */
  unknownFields?: 'reject' | 'ignore';
  /** Longest query or body accepted, in characters (default 1 MiB). */
  maxQueryLength?: number;
  /** Most fields in one request (default 64). */
  maxFields?: number;
}

/** Largest canvas dimension (SIZ values are 32-bit). */
const MAX_DIM = 0xffffffff;
const MAX_ID = 255;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** Parses one field's value into the request (the value it returns is not used). */
type Handler = (req: Mutable<JpipRequest>, v: string) => unknown;

/** One handler per Annex C field; this table IS the list of recognised fields. */
const FIELDS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['target', (q, v) => (q.target = parseText('target', v, MAX_ID))], // C.2.1
  ['subtarget', (q, v) => (q.subtarget = parseSubtarget(v))], // C.2.3
  ['tid', (q, v) => (q.tid = parseText('tid', v, MAX_ID))], // C.2.2
  ['cnew', (q, v) => (q.cnew = parseCnew(v))], // C.3.3
  ['cid', (q, v) => (q.cid = parseToken('cid', v, MAX_ID))], // C.3.2
  ['cclose', (q, v) => (q.cclose = parseCclose(v))], // C.3.4
  ['qid', (q, v) => (q.qid = parseUint('qid', v, 0xffffffff))], // C.3.5
  ['stream', (q, v) => (q.stream = splitList('stream', v).map((s) => parseSampledRange('stream', s)))], // C.4.6
  ['context', (q, v) => (q.context = parseContext(v))], // C.4.7
  ['fsiz', (q, v) => (q.fsiz = parseFsiz(v))], // C.4.2
  ['roff', (q, v) => (q.roff = xy(parsePair('roff', v, MAX_DIM)))], // C.4.3
  ['rsiz', (q, v) => (q.rsiz = xy(parsePair('rsiz', v, MAX_DIM)))], // C.4.4
  ['comps', (q, v) => (q.comps = parseRangeList('comps', v, 16383))], // C.4.5
  ['layers', (q, v) => (q.layers = parseUint('layers', v, 65535))], // C.4.10
  ['len', (q, v) => (q.len = parseUint('len', v))], // C.6.1
  ['quality', (q, v) => (q.quality = v === '-1' ? -1 : parseUint('quality', v, 100))], // C.6.2
  ['srate', (q, v) => (q.srate = parseUfloat('srate', v))], // C.4.9
  ['drate', (q, v) => (q.drate = parseUfloat('drate', v))], // C.7.4
  ['roi', (q, v) => (q.roi = parseText('roi', v, MAX_ID))], // C.4.8
  ['type', (q, v) => (q.type = parseTypeList(v))], // C.7.3
  ['align', (q, v) => (q.align = parseYesNo('align', v))], // C.7.1
  ['wait', (q, v) => (q.wait = parseYesNo('wait', v))], // C.7.2
  ['pref', (q, v) => (q.pref = parsePref(v))], // C.10.2
  ['model', (q, v) => (q.model = parseModel('model', v))], // C.9.2
  ['tpmodel', (q, v) => (q.tpmodel = parseTpModel('tpmodel', v))], // C.9.3
  ['need', (q, v) => (q.need = parseModel('need', v))], // C.9.4
  ['tpneed', (q, v) => (q.tpneed = parseTpModel('tpneed', v))], // C.9.5
  ['mset', (q, v) => (q.mset = parseRangeList('mset', v))], // C.9.6
  ['metareq', (q, v) => (q.metareq = parseMetareq(v))], // C.5.2
  ['cap', (q, v) => (q.cap = splitList('cap', v).map((c) => parseText('cap', c, 1024)))], // C.10.1
  ['upload', (q, v) => (q.upload = parseText('upload', v, MAX_ID))], // C.8 / Annex E
  ['handled', (q, v) => (q.handled = parseText('handled', v, 4096))], // Amd: handled requests
  ['xpath-box', (q, v) => (q.xpathBox = parseText('xpath-box', v, 4096))], // Amd 3 (XML)
  ['xpath-bin', (q, v) => (q.xpathBin = parseText('xpath-bin', v, 4096))],
  ['xpath-query', (q, v) => (q.xpathQuery = parseText('xpath-query', v, 4096))],
]);

/** Names of every request field this parser recognises. */
export const KNOWN_FIELDS: readonly string[] = [...FIELDS.keys()];

function xy([x, y]: [number, number]): XY {
  return { x, y };
}

/** fsiz = fx "," fy ["," round-direction]; zero sizes are refused. // 15444-9 C.4.2 */
function parseFsiz(v: string): Fsiz {
  const parts = v.split(',');
  if (parts.length !== 2 && parts.length !== 3) throw bad('fsiz', `expected fx,fy[,round], got '${clip(v)}'`);
  const fx = parseUint('fsiz', parts[0] ?? '', MAX_DIM);
  const fy = parseUint('fsiz', parts[1] ?? '', MAX_DIM);
  if (fx === 0 || fy === 0) throw bad('fsiz', 'frame size must be at least 1x1');
  const r = parts[2] ?? 'round-down';
  if (r !== 'round-down' && r !== 'round-up' && r !== 'closest')
    throw bad('fsiz', `unknown round direction '${clip(r)}'`);
  return { fx, fy, round: r };
}

/** Parses the query part of a GET URL (without '?'). // 15444-9 C.1, F.2 */
export function parseJpipQuery(query: string, options: ParseRequestOptions = {}): JpipRequest {
  return parseFields([{ text: query, form: false }], options);
}

export interface ParseBodyOptions extends ParseRequestOptions {
  /** Query fields of the URL the body was POSTed to ('+' literal), parsed with the body's fields as one request. */
  query?: string;
}

/**
 * Parses a POST body sent as application/x-www-form-urlencoded: printable ASCII (CR and LF allowed),
 * surrounding white space ignored, '+' = space, each value %-decoded once. // 15444-9 F.2
 */
export function parseJpipBody(body: Uint8Array | string, options: ParseBodyOptions = {}): JpipRequest {
  const max = options.maxQueryLength ?? 1024 * 1024;
  if (body.length > max) throw tooLong(body.length, max);
  for (let i = 0; i < body.length; i++) {
    const b = typeof body === 'string' ? body.charCodeAt(i) : (body[i] ?? 0);
    if (b > 0x7e || (b < 0x20 && b !== 0x0d && b !== 0x0a))
      throw new MalformedError('JPIP_BAD_ENCODING', 'request body is not printable ASCII', { context: 'body' });
  }
  const text = (typeof body === 'string' ? body : new TextDecoder().decode(body)).trim();
  return parseFields(
    [
      { text: options.query ?? '', form: false },
      { text, form: true },
    ],
    options,
  );
}

function tooLong(n: number, max: number): LimitExceededError {
  return new LimitExceededError('JPIP_QUERY_TOO_LONG', `request of ${n} characters exceeds ${max}`);
}

/** Form encoding (F.2): '+' is a space; then the value is %-decoded once (C.1). */
function decodeValue(name: string, raw: string, form: boolean): string {
  try {
    return decodeURIComponent(form ? raw.replace(/\+/g, ' ') : raw);
  } catch (cause) {
    throw new MalformedError('JPIP_BAD_ENCODING', `${name}: invalid %-encoding`, { cause, context: name });
  }
}

/** Fields of a query string or of a form body; `form` = '+' is a space. */
interface FieldText {
  text: string;
  form: boolean;
}

function parseFields(parts: readonly FieldText[], options: ParseRequestOptions): JpipRequest {
  const present = parts.filter((p) => p.text.length > 0);
  const length = present.reduce((n, p) => n + p.text.length, Math.max(0, present.length - 1)); // as if joined with '&'
  const max = options.maxQueryLength ?? 1024 * 1024;
  if (length > max) throw tooLong(length, max);
  const maxFields = options.maxFields ?? 64;
  const fields = new Map<string, string>();
  const ignored: string[] = [];
  const req: Mutable<JpipRequest> = { fields, ignored };
  const segments = present.flatMap((p) => p.text.split('&').map((seg) => ({ seg, form: p.form })));
  if (segments.length > maxFields * 2) {
    throw new LimitExceededError('JPIP_TOO_MANY_FIELDS', `more than ${maxFields} fields`);
  }
  for (const { seg, form } of segments) {
    if (seg.length === 0) continue; // "a=1&&b=2" or a trailing '&': no field, nothing to parse
    const eq = seg.indexOf('=');
    if (eq < 0) throw new MalformedError('JPIP_BAD_QUERY', `field '${clip(seg)}' has no '='`, { context: 'query' });
    const name = seg.slice(0, eq);
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(name)) {
      throw new MalformedError('JPIP_BAD_FIELD_NAME', `'${clip(name)}' is not a field name`, { context: 'query' });
    }
    if (fields.has(name) || ignored.includes(name)) {
      throw new MalformedError('JPIP_DUPLICATE_FIELD', `field ${name} appears twice`, { context: name });
    }
    if (fields.size + ignored.length >= maxFields)
      throw new LimitExceededError('JPIP_TOO_MANY_FIELDS', `more than ${maxFields} fields`);
    const handler = FIELDS.get(name);
    if (handler === undefined) {
      if ((options.unknownFields ?? 'reject') === 'reject') {
        throw new UnsupportedError('JPIP_UNKNOWN_FIELD', `unknown request field ${name}`, { context: name });
      }
      ignored.push(name);
      continue;
    }
    const value = decodeValue(name, seg.slice(eq + 1), form);
    fields.set(name, value);
    handler(req, value);
  }
  if (req.cclose !== undefined && req.cid === undefined) throw bad('cclose', 'cclose needs cid');
  return req;
}
