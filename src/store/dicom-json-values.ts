// Reads the values the store indexes out of an instance's DICOM JSON (PS3.18 F.2) and
// normalises them for matching: PN upper case without accents (PS3.4 C.2.2.2.1 allows
// case-insensitive PN matching), TM/DT padded to full precision so that ranges compare as
// strings. Malformed values never throw: they index as empty ('' or null) and stay in the JSON.

import type { DicomJsonAttribute, DicomJsonObject } from '../dicom';

export function attribute(json: DicomJsonObject, tag: string): DicomJsonAttribute | undefined {
  return Object.prototype.hasOwnProperty.call(json, tag) ? json[tag] : undefined;
}

/** First value as a string (numbers converted, PN → Alphabetic group), or '' when absent. */
export function firstString(json: DicomJsonObject, tag: string): string {
  const v = attribute(json, tag)?.Value?.[0];
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'object' && v !== null) {
    const alphabetic: unknown = (v as Record<string, unknown>)['Alphabetic'];
    if (typeof alphabetic === 'string') return alphabetic.trim();
  }
  return '';
}

/** First value as an integer (IS/US/SL...), or null when absent or not an integer. */
export function firstInteger(json: DicomJsonObject, tag: string): number | null {
  const v = attribute(json, tag)?.Value?.[0];
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/** Upper case, accents removed, ^-components trimmed and trailing empty components dropped. */
export function normalisePersonName(name: string): string {
  const groups = name.split('=');
  const alphabetic = groups[0] ?? '';
  const components = alphabetic.split('^').map((c) => c.trim().replace(/\s+/g, ' '));
  while (components.length > 0 && components[components.length - 1] === '') components.pop();
  return foldCase(components.join('^'));
}

/** ' W1 W2 ... ' of a normalised name: the words every fuzzy query word is prefix-matched against. */
export function personNameWords(normalised: string): string {
  const words = normalised.split(/[\s^]+/).filter((w) => w.length > 0);
  return words.length === 0 ? '' : ` ${words.join(' ')} `;
}

export function foldCase(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
}

const DATE = /^\d{8}$/;
const TIME = /^(\d{2})(\d{2})?(\d{2})?(?:\.(\d{1,6}))?$/;
const DATETIME = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,6}))?([+-]\d{4})?$/;

/** DA as stored: 'YYYYMMDD' (the ACR-NEMA 'YYYY.MM.DD' form is accepted), else ''. */
export function normaliseDate(value: string): string {
  const v = value.trim().replace(/^(\d{4})\.(\d{2})\.(\d{2})$/, '$1$2$3');
  return DATE.test(v) ? v : '';
}

/** TM padded to 'HHMMSS.FFFFFF' with the lowest ('low') or highest ('high') value of the partial time; null if invalid. */
export function padTime(value: string, bound: 'low' | 'high'): string | null {
  const m = TIME.exec(value.trim().replace(/:/g, ''));
  if (m === null) return null;
  const high = bound === 'high';
  const hh = m[1] ?? '00';
  const mm = m[2] ?? (high ? '59' : '00');
  const ss = m[3] ?? (high ? '59' : '00');
  const frac = (m[4] ?? '').padEnd(6, high && m[4] === undefined ? '9' : '0');
  return `${hh}${mm}${ss}.${frac}`;
}

/** DT padded to 'YYYYMMDDHHMMSS.FFFFFF' (the UTC offset suffix is ignored); null if invalid. */
export function padDateTime(value: string, bound: 'low' | 'high'): string | null {
  const m = DATETIME.exec(value.trim());
  if (m === null) return null;
  const high = bound === 'high';
  const parts = [
    m[1] ?? '0000',
    m[2] ?? (high ? '12' : '01'),
    m[3] ?? (high ? '31' : '01'),
    m[4] ?? (high ? '23' : '00'),
    m[5] ?? (high ? '59' : '00'),
    m[6] ?? (high ? '59' : '00'),
  ];
  const frac = (m[7] ?? '').padEnd(6, high && m[7] === undefined ? '9' : '0');
  return `${parts.join('')}.${frac}`;
}

/** True if `value` is a DT with a UTC offset suffix and nothing else (so "a-b" is not a range). */
export function isSingleDateTime(value: string): boolean {
  return DATETIME.test(value.trim());
}

/** The subset of `json` whose tags are in `tags`, in tag order (for the stored study/series attributes). */
export function pick(json: DicomJsonObject, tags: Iterable<string>): DicomJsonObject {
  const out: DicomJsonObject = {};
  for (const tag of [...tags].sort()) {
    const a = attribute(json, tag);
    if (a !== undefined) out[tag] = a;
  }
  return out;
}
