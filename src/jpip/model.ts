// Parser for cache-model statements: `model` and `need` (ISO/IEC 15444-9 C.9.2 / C.9.4 in the
// 2005 layout, C.10 in 2023) and `tpmodel` / `tpneed` (C.9.3 / C.9.5). Explicit bins (Hm, H<n>,
// H*, P<n>, P*, M<n>, M*, T<n>, T*) with ":bytes" or ":L<layers>", implicit t/c/r/p precinct
// descriptors, subtractive '-', codestream qualifiers "[a-b;c]" that scope the items after them
// until the next qualifier (ESA's reading). Applying statements is cache-model.ts's job.

import {
  bad,
  clip,
  parseSampledRange,
  parseUint,
  parseUintRange,
  splitList,
  type SampledRange,
  type UintRange,
} from './request-values';
import { splitTopLevel } from './request-lists';

/** Most statements accepted in one model/need/tpmodel value. */
export const MAX_MODEL_STATEMENTS = 65536;

export type BinSelector = number | '*';
export type RangeSelector = UintRange | '*';

export type ModelBin =
  | { kind: 'main-header' }
  | { kind: 'tile-header'; id: BinSelector }
  | { kind: 'precinct'; id: BinSelector }
  | { kind: 'metadata'; id: BinSelector }
  | { kind: 'tile'; id: BinSelector }
  /** Implicit precinct form t/c/r/p; an absent letter means every value ('*'). */
  | {
      kind: 'implicit';
      tiles: RangeSelector;
      components: RangeSelector;
      resolutions: RangeSelector;
      positions: RangeSelector;
    };

export type ModelLimit = { kind: 'whole' } | { kind: 'bytes'; bytes: number } | { kind: 'layers'; layers: number };

export interface ModelStatement {
  /** Codestream qualifier in force; null = the request's codestreams. */
  streams: SampledRange[] | null;
  subtractive: boolean;
  bin: ModelBin;
  limit: ModelLimit;
}

export type ModelField = 'model' | 'need';

/** Parses a model= or need= value. // 15444-9 C.9.2 */
export function parseModel(field: ModelField, s: string, maxStatements = MAX_MODEL_STATEMENTS): ModelStatement[] {
  const out: ModelStatement[] = [];
  let streams: SampledRange[] | null = null;
  for (const item of splitTopLevel(field, s, maxStatements)) {
    const head = itemHead(field, item, streams);
    streams = head.streams;
    if (head.rest === null) continue;
    const { subtractive } = head;
    const rest = head.rest;
    if (field === 'need' && subtractive) throw bad(field, `subtractive item '${clip(item)}' in need`);
    out.push({ streams, subtractive, ...parseDescriptor(field, rest) });
  }
  return out;
}

interface ItemHead {
  /** The codestream qualifier in force for this item (a new one replaces the previous). */
  streams: SampledRange[] | null;
  subtractive: boolean;
  /** The descriptor after the qualifier and '-', or null for a qualifier standing alone. */
  rest: string | null;
}

/** [codestream-qualifier] ["-"] descriptor: the prefix shared by model/need and tpmodel/tpneed items. */
function itemHead(field: string, item: string, streams: SampledRange[] | null): ItemHead {
  let rest = item;
  let current = streams;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    current = parseQualifier(field, rest.slice(1, close));
    rest = rest.slice(close + 1);
    if (rest.length === 0) return { streams: current, subtractive: false, rest: null };
  }
  const subtractive = rest.startsWith('-');
  return { streams: current, subtractive, rest: subtractive ? rest.slice(1) : rest };
}

/** codestream-qualifier = "[" 1$(sampled-range) "]" (';' separated). */
function parseQualifier(field: string, inner: string): SampledRange[] {
  return splitList(field, inner, ';').map((r) => parseSampledRange(field, r));
}

function parseDescriptor(field: string, text: string): { bin: ModelBin; limit: ModelLimit } {
  const colon = text.indexOf(':');
  const binText = colon < 0 ? text : text.slice(0, colon);
  const limitText = colon < 0 ? null : text.slice(colon + 1);
  const bin = parseBin(field, binText);
  const limit = parseLimit(field, limitText, bin);
  return { bin, limit };
}

function parseBin(field: string, t: string): ModelBin {
  if (t === 'Hm') return { kind: 'main-header' };
  const first = t[0];
  if (first === 'H' || first === 'P' || first === 'M' || first === 'T') {
    const idText = t.slice(1);
    const id: BinSelector = idText === '*' ? '*' : parseUint(field, idText);
    if (first === 'H') return { kind: 'tile-header', id };
    if (first === 'P') return { kind: 'precinct', id };
    if (first === 'M') return { kind: 'metadata', id };
    return { kind: 'tile', id };
  }
  return parseImplicit(field, t);
}

/** implicit-bin-descriptor = 1*implicit-bin; each of t, c, r, p at most once. // 15444-9 C.9.2.2 */
function parseImplicit(field: string, t: string): ModelBin {
  const re = /([tcrp])([0-9]{1,16}(?:-[0-9]{0,16})?|\*)/y;
  const seen = new Map<string, RangeSelector>();
  let pos = 0;
  while (pos < t.length) {
    re.lastIndex = pos;
    const m = re.exec(t);
    if (m === null) throw bad(field, `bad bin descriptor '${clip(t)}'`);
    const letter = m[1] ?? '';
    if (seen.has(letter)) throw bad(field, `'${letter}' repeated in '${clip(t)}'`);
    const value = m[2] ?? '';
    seen.set(letter, value === '*' ? '*' : parseUintRange(field, value));
    pos = re.lastIndex;
  }
  if (seen.size === 0) throw bad(field, 'empty bin descriptor');
  return {
    kind: 'implicit',
    tiles: seen.get('t') ?? '*',
    components: seen.get('c') ?? '*',
    resolutions: seen.get('r') ?? '*',
    positions: seen.get('p') ?? '*',
  };
}

function parseLimit(field: string, text: string | null, bin: ModelBin): ModelLimit {
  if (text === null) return { kind: 'whole' };
  if (text.startsWith('L')) {
    if (bin.kind !== 'precinct' && bin.kind !== 'implicit' && bin.kind !== 'tile') {
      throw bad(field, `a layer count applies only to precinct or tile bins`);
    }
    return { kind: 'layers', layers: parseUint(field, text.slice(1)) };
  }
  if (bin.kind === 'implicit') throw bad(field, 'implicit descriptors take only ":L<layers>"');
  return { kind: 'bytes', bytes: parseUint(field, text) };
}

/** tp-number = tile "." part. */
export interface TilePart {
  tile: number;
  part: number;
}

export interface TpModelStatement {
  streams: SampledRange[] | null;
  subtractive: boolean;
  from: TilePart;
  to: TilePart;
}

/** Parses tpmodel= / tpneed=: 1#(["-"] tp-number ["-" tp-number]). // 15444-9 C.9.3 */
export function parseTpModel(
  field: 'tpmodel' | 'tpneed',
  s: string,
  maxStatements = MAX_MODEL_STATEMENTS,
): TpModelStatement[] {
  const out: TpModelStatement[] = [];
  let streams: SampledRange[] | null = null;
  for (const item of splitTopLevel(field, s, maxStatements)) {
    const head = itemHead(field, item, streams);
    streams = head.streams;
    if (head.rest === null) continue;
    const { subtractive } = head;
    const rest = head.rest;
    if (field === 'tpneed' && subtractive) throw bad(field, `subtractive item '${clip(item)}' in tpneed`);
    const m = /^([0-9]{1,16})\.([0-9]{1,16})(?:-([0-9]{1,16})\.([0-9]{1,16}))?$/.exec(rest);
    if (m === null) throw bad(field, `bad tile-part range '${clip(item)}'`);
    const from = { tile: parseUint(field, m[1] ?? ''), part: parseUint(field, m[2] ?? '') };
    const to = m[3] === undefined ? from : { tile: parseUint(field, m[3]), part: parseUint(field, m[4] ?? '') };
    if (to.tile < from.tile || (to.tile === from.tile && to.part < from.part))
      throw bad(field, `reversed range '${clip(item)}'`);
    out.push({ streams, subtractive, from, to });
  }
  return out;
}
