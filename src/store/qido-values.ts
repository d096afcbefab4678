// Parses one QIDO-RS matching value (PS3.18 §8.3.4.1, PS3.4 C.2.2.2) for the attribute's match
// kind into a dialect-neutral condition: universal (empty value or "*"), single value or value
// list (UIDs and CS, comma or backslash separated), wildcard (* and ?), range "a-b", "-b", "a-"
// for DA/TM/DT (bounds padded so that partial values cover their whole span), and PN matching
// (case/accent-insensitive; fuzzy = every query word is a prefix of some word of the name).
// Not supported: sequence matching, combined StudyDate+StudyTime range matching, DT offsets.

import { BadRequestError } from '../errors';
import { isSingleDateTime, normaliseDate, normalisePersonName, padDateTime, padTime } from './dicom-json-values';
import type { MatchKind } from './qido-attributes';

export type Condition =
  | { type: 'universal' }
  | { type: 'never' }
  | { type: 'equals'; values: string[] }
  | { type: 'equalsInt'; values: number[] }
  | { type: 'wildcard'; pattern: string }
  | { type: 'range'; lower: string | null; upper: string | null }
  /** PN fuzzy matching: each entry is a normalised word (may contain * ?), prefix-matched. */
  | { type: 'words'; words: string[] };

const UID = /^[0-9]+(\.[0-9]+)*$/;
const MAX_VALUE_LENGTH = 1024;
const MAX_LIST = 1000;

function bad(code: string, message: string, tag: string): BadRequestError {
  return new BadRequestError(code, message, { context: tag });
}

export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}

function list(value: string, tag: string): string[] {
  const items = value.split(/[,\\]/).map((v) => v.trim());
  if (items.length > MAX_LIST) throw bad('QIDO_LIST_TOO_LONG', `more than ${MAX_LIST} values for ${tag}`, tag);
  if (items.some((v) => v === '')) throw bad('QIDO_EMPTY_LIST_ITEM', `empty item in value list for ${tag}`, tag);
  return items;
}

function rangeOf(
  value: string,
  tag: string,
  normalise: (bound: string, side: 'low' | 'high') => string | null,
  code: string,
): Condition {
  const dash = value.indexOf('-');
  if (dash < 0) {
    const lower = normalise(value, 'low');
    const upper = normalise(value, 'high');
    if (lower === null || upper === null) throw bad(code, `invalid value "${value}" for ${tag}`, tag);
    return lower === upper ? { type: 'equals', values: [lower] } : { type: 'range', lower, upper };
  }
  if (value.indexOf('-', dash + 1) >= 0) throw bad(code, `invalid range "${value}" for ${tag}`, tag);
  const a = value.slice(0, dash).trim();
  const b = value.slice(dash + 1).trim();
  if (a === '' && b === '') return { type: 'universal' };
  const lower = a === '' ? null : normalise(a, 'low');
  const upper = b === '' ? null : normalise(b, 'high');
  if ((a !== '' && lower === null) || (b !== '' && upper === null))
    throw bad(code, `invalid range "${value}" for ${tag}`, tag);
  if (lower !== null && upper !== null && lower > upper) return { type: 'never' };
  return { type: 'range', lower, upper };
}

/** Parses `raw` for an attribute of kind `kind` (tag used in error contexts). */
export function parseCondition(kind: MatchKind | 'json', raw: string, tag: string, fuzzy: boolean): Condition {
  if (raw.length > MAX_VALUE_LENGTH)
    throw bad('QIDO_VALUE_TOO_LONG', `value for ${tag} longer than ${MAX_VALUE_LENGTH}`, tag);
  const value = raw.trim();
  // PS3.4 C.2.2.2.3: a zero-length value, or a value of only "*", is universal matching.
  if (value === '' || /^\*+$/.test(value)) return { type: 'universal' };
  switch (kind) {
    case 'sequence':
      throw bad('QIDO_SEQUENCE_MATCHING', `sequence matching is not supported (${tag})`, tag);
    case 'uid': {
      const values = list(value, tag);
      if (!values.every((v) => v.length <= 64 && UID.test(v)))
        throw bad('QIDO_BAD_UID', `invalid UID in "${value}" for ${tag}`, tag);
      return { type: 'equals', values };
    }
    case 'int': {
      const values = list(value, tag).map((v) => (/^[+-]?\d{1,15}$/.test(v) ? Number(v) : NaN));
      if (!values.every((n) => Number.isSafeInteger(n)))
        throw bad('QIDO_BAD_INTEGER', `invalid integer in "${value}" for ${tag}`, tag);
      return { type: 'equalsInt', values };
    }
    case 'date':
      return rangeOf(value, tag, (b) => (normaliseDate(b) === '' || b.includes('.') ? null : b), 'QIDO_BAD_DATE');
    case 'time':
      return rangeOf(value, tag, (b, side) => (b.includes(':') ? null : padTime(b, side)), 'QIDO_BAD_TIME');
    case 'datetime':
      if (isSingleDateTime(value))
        return rangeOf(value.replace(/[+-]\d{4}$/, ''), tag, padDateTime, 'QIDO_BAD_DATETIME');
      return rangeOf(value, tag, padDateTime, 'QIDO_BAD_DATETIME');
    case 'code':
    case 'modalities':
    case 'availability': {
      const values = list(value, tag);
      if (values.length === 1 && hasWildcard(value)) return { type: 'wildcard', pattern: value };
      if (values.some(hasWildcard))
        throw bad('QIDO_WILDCARD_IN_LIST', `wildcards are not allowed in a value list (${tag})`, tag);
      return { type: 'equals', values };
    }
    case 'pn': {
      const normalised = normalisePersonName(value);
      if (fuzzy) {
        const words = normalised.split(/[\s^]+/).filter((w) => w.length > 0 && !/^\*+$/.test(w));
        return words.length === 0 ? { type: 'universal' } : { type: 'words', words };
      }
      return hasWildcard(normalised)
        ? { type: 'wildcard', pattern: normalised }
        : { type: 'equals', values: [normalised] };
    }
    case 'text':
    case 'json':
      return hasWildcard(value) ? { type: 'wildcard', pattern: value } : { type: 'equals', values: [value] };
  }
}
