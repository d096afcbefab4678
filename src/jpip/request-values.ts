// Strict parsers for the value syntaxes of JPIP request fields (ISO/IEC 15444-9 Annex C):
// UINT, UINT-RANGE, sampled-range, number pairs, yes/no, UFLOAT, tokens. Every failure is a
// MalformedError whose code is JPIP_BAD_<FIELD> (field upper-cased, '-' -> '_'); list lengths
// are capped (LimitExceededError JPIP_LIST_TOO_LONG) so no input can make us allocate much.

import { LimitExceededError, MalformedError } from '../bytes';

/** Most items accepted in one comma-separated list value. */
export const MAX_LIST_ITEMS = 4096;
/** Largest UINT accepted in any field (2^53-1; sizes are further capped by callers). */
export const MAX_UINT = Number.MAX_SAFE_INTEGER;

export function fieldCode(field: string): string {
  return `JPIP_BAD_${field.toUpperCase().replace(/-/g, '_')}`;
}

export function bad(field: string, message: string): MalformedError {
  return new MalformedError(fieldCode(field), `${field}: ${message}`, { context: field });
}

const DIGITS = /^[0-9]{1,16}$/;

/** UINT = 1*DIGIT, at most `max`. // 15444-9 C.1 */
export function parseUint(field: string, s: string, max = MAX_UINT): number {
  if (!DIGITS.test(s)) throw bad(field, `'${clip(s)}' is not an unsigned integer`);
  const v = Number(s);
  if (!Number.isSafeInteger(v) || v > max) throw bad(field, `${clip(s)} exceeds ${max}`);
  return v;
}

/** UFLOAT = 1*DIGIT ["." 1*DIGIT]. // 15444-9 C.4.9 */
export function parseUfloat(field: string, s: string): number {
  if (!/^[0-9]{1,16}(\.[0-9]{1,16})?$/.test(s)) throw bad(field, `'${clip(s)}' is not an unsigned decimal`);
  return Number(s);
}

/** Comma list with a cap; empty items are malformed. */
export function splitList(field: string, s: string, sep = ','): string[] {
  if (s.length === 0) throw bad(field, 'empty value');
  const items = s.split(sep);
  if (items.length > MAX_LIST_ITEMS) {
    throw new LimitExceededError('JPIP_LIST_TOO_LONG', `${field}: more than ${MAX_LIST_ITEMS} items`, {
      context: field,
    });
  }
  for (const it of items) if (it.length === 0) throw bad(field, 'empty list item');
  return items;
}

/** `x,y` (two UINTs). // 15444-9 C.4.2-C.4.4 */
export function parsePair(field: string, s: string, max: number): [number, number] {
  const parts = s.split(',');
  if (parts.length !== 2) throw bad(field, `expected two numbers, got '${clip(s)}'`);
  return [parseUint(field, parts[0] ?? '', max), parseUint(field, parts[1] ?? '', max)];
}

/** A closed range; `to` null = open upper bound ("5-"). */
export interface UintRange {
  from: number;
  to: number | null;
}

/** UINT-RANGE = UINT ["-" [UINT]]. // 15444-9 C.4.5 */
export function parseUintRange(field: string, s: string, max = MAX_UINT): UintRange {
  const dash = s.indexOf('-');
  if (dash < 0) {
    const v = parseUint(field, s, max);
    return { from: v, to: v };
  }
  const from = parseUint(field, s.slice(0, dash), max);
  const rest = s.slice(dash + 1);
  if (rest.length === 0) return { from, to: null };
  const to = parseUint(field, rest, max);
  if (to < from) throw bad(field, `range ${clip(s)} is reversed`);
  return { from, to };
}

export function parseRangeList(field: string, s: string, max = MAX_UINT): UintRange[] {
  return splitList(field, s).map((it) => parseUintRange(field, it, max));
}

/** sampled-range = UINT-RANGE [":" sampling-factor]. // 15444-9 C.4.6 */
export interface SampledRange extends UintRange {
  step: number;
}

export function parseSampledRange(field: string, s: string): SampledRange {
  const colon = s.indexOf(':');
  const range = parseUintRange(field, colon < 0 ? s : s.slice(0, colon));
  const step = colon < 0 ? 1 : parseUint(field, s.slice(colon + 1));
  if (step < 1) throw bad(field, 'sampling factor must be at least 1');
  return { ...range, step };
}

/** Expands ranges to sorted distinct values within [min, max], at most `cap` of them. */
export function expandRanges(
  ranges: readonly (UintRange & { step?: number })[],
  min: number,
  max: number,
  cap: number,
): number[] {
  const out = new Set<number>();
  for (const r of ranges) {
    const step = r.step ?? 1;
    const hi = Math.min(r.to ?? max, max);
    let v = r.from;
    if (v < min) v += Math.ceil((min - v) / step) * step;
    for (; v <= hi; v += step) {
      out.add(v);
      if (out.size > cap)
        throw new LimitExceededError('JPIP_LIST_TOO_LONG', `range expands to more than ${cap} values`);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** "yes" / "no". // 15444-9 C.7.1, C.7.2 */
export function parseYesNo(field: string, s: string): boolean {
  if (s === 'yes') return true;
  if (s === 'no') return false;
  throw bad(field, `expected yes or no, got '${clip(s)}'`);
}

const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** TOKEN per RFC 2616 (HTTP), used for transports, channel ids, type names. */
export function parseToken(field: string, s: string, maxLength = 255): string {
  if (s.length > maxLength) throw bad(field, `longer than ${maxLength} characters`);
  if (!TOKEN.test(s)) throw bad(field, `'${clip(s)}' is not a token`);
  return s;
}

/** Printable ASCII without controls (for opaque identifiers such as target, roi). */
export function parseText(field: string, s: string, maxLength: number): string {
  if (s.length === 0) throw bad(field, 'empty value');
  if (s.length > maxLength) throw bad(field, `longer than ${maxLength} characters`);
  if (!/^[\x21-\x7e]+$/.test(s)) throw bad(field, 'contains spaces, controls or non-ASCII characters');
  return s;
}

/** Shortens input quoted in messages. */
export function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
