// Media type parsing (RFC 9110 §8.3.1: type "/" subtype *( OWS ";" OWS parameter ), parameter
// values as tokens or quoted-strings) and splitting of comma lists that respect quotes
// (RFC 9110 §5.6.1). Used for Content-Type, Accept and multipart part headers.
// Type, subtype and parameter names are case-insensitive and returned lower-cased; values are
// returned as written (transfer syntax UIDs and boundaries are case-sensitive).

import { MalformedError } from '../bytes';

export interface MediaType {
  type: string;
  subtype: string;
  /** Parameter name (lower case) → unquoted value. Built on a Map: input never touches a prototype. */
  params: Map<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Splits `s` on `sep` outside quoted-strings (backslash escapes honoured inside quotes). */
export function splitOutsideQuotes(s: string, sep: ',' | ';'): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charAt(i);
    if (quoted && c === '\\' && i + 1 < s.length) {
      cur += c + s.charAt(i + 1);
      i += 1;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (quoted) throw new MalformedError('HTTP_MEDIA_TYPE_UNTERMINATED_QUOTE', `unterminated quoted-string in "${s}"`);
  out.push(cur);
  return out;
}

function unquote(raw: string, whole: string): string {
  if (!raw.startsWith('"')) {
    // Tolerated deviation: many DICOMweb clients send type=application/dicom unquoted.
    if (!TOKEN.test(raw) && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+\/[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(raw))
      throw new MalformedError(
        'HTTP_MEDIA_TYPE_BAD_PARAMETER',
        `parameter value "${raw}" in "${whole}" must be a token or a quoted-string`,
      );
    return raw;
  }
  if (raw.length < 2 || !raw.endsWith('"'))
    throw new MalformedError('HTTP_MEDIA_TYPE_UNTERMINATED_QUOTE', `unterminated quoted-string in "${whole}"`);
  return raw.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** Parses one media type or media range ("*\/*", "image/*" allowed). Throws MalformedError. */
export function parseMediaType(input: string): MediaType {
  const pieces = splitOutsideQuotes(input, ';');
  const head = (pieces[0] ?? '').trim();
  const slash = head.indexOf('/');
  const type = head.slice(0, slash).toLowerCase();
  const subtype = head.slice(slash + 1).toLowerCase();
  if (slash < 0 || !TOKEN.test(type) || !TOKEN.test(subtype)) {
    throw new MalformedError('HTTP_MEDIA_TYPE_SYNTAX', `"${input}" is not a media type (type/subtype)`);
  }
  const params = new Map<string, string>();
  for (const piece of pieces.slice(1)) {
    const p = piece.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    if (eq < 0 || !TOKEN.test(name))
      throw new MalformedError('HTTP_MEDIA_TYPE_BAD_PARAMETER', `bad parameter "${p}" in "${input}"`);
    if (params.has(name))
      throw new MalformedError('HTTP_MEDIA_TYPE_DUPLICATE_PARAMETER', `parameter "${name}" repeated in "${input}"`);
    params.set(name, unquote(p.slice(eq + 1).trim(), input));
  }
  return { type, subtype, params };
}

/** "type/subtype" of a parsed media type. */
export function essence(m: MediaType): string {
  return `${m.type}/${m.subtype}`;
}

/** Formats a parameter value, quoting it unless it is a token. */
export function formatParam(value: string): string {
  return TOKEN.test(value) ? value : `"${value.replace(/(["\\])/g, '\\$1')}"`;
}
