// QIDO-RS query parameters → QidoQuery (PS3.18 §8.3.4 Query Parameters, §10.6.1.2): match keys by
// keyword or 8-hex tag ({attributeID}={value}), includefield (comma lists, repeatable, keyword,
// tag or "all"), fuzzymatching=true|false, limit/offset (strict whole numbers). Every parameter is
// parsed or rejected: an unknown name or a malformed value is a BadRequestError (400), never a
// silent default. Decisions: an empty value ({attributeID}=) is universal matching and only adds
// the attribute to the returned set; a repeated match key is allowed for UI attributes (joined into
// a UID list, PS3.4 C.2.2.2.2) and rejected otherwise; a limit above maxLimit is reduced to it with
// a warning (PS3.18 §8.3.4.4 lets the origin server return fewer results); sequence paths are 400.

import { formatTag, tagForKeyword, vrForTag } from '../dicom';
import { BadRequestError } from '../errors';
import type { QidoLevel, QidoMatch, QidoQuery } from '../store';

/**
 * A query attributeID (PS3.18 §8.3.4.1: a PS3.6 keyword or 8 hex digits) as the upper-case 8-hex
 * tag DICOM JSON uses; BadRequestError otherwise (sequence paths "a.b" are not supported).
 */
function attributeTag(id: string, parameter: string): string {
  if (/^[0-9A-Fa-f]{8}$/.test(id)) return id.toUpperCase();
  if (id.includes('.')) {
    throw new BadRequestError(
      'QIDO_SEQUENCE_PATH_UNSUPPORTED',
      `${parameter}: sequence attribute paths ("${id}") are not supported`,
    );
  }
  const tag = /^[A-Za-z][A-Za-z0-9]*$/.test(id) ? tagForKeyword(id) : undefined;
  if (tag === undefined)
    throw new BadRequestError(
      'QIDO_UNKNOWN_ATTRIBUTE',
      `${parameter}: "${id}" is neither a DICOM keyword nor an 8-hex-digit tag`,
    );
  return formatTag(tag);
}

export interface QidoParamOptions {
  defaultLimit?: number;
  maxLimit?: number;
}

export interface ParsedQido {
  query: QidoQuery;
  /** Human-readable notes for a `Warning: 299` response header. */
  warnings: string[];
}

export const DEFAULT_QIDO_LIMIT = 1000;
export const MAX_QIDO_LIMIT = 10_000;

function single(values: string[], name: string): string {
  if (values.length !== 1 || values[0] === undefined)
    throw new BadRequestError('QIDO_REPEATED_PARAMETER', `parameter "${name}" must appear once`);
  return values[0];
}

function wholeNumber(raw: string, name: string, min: number): number {
  if (!/^\d{1,9}$/.test(raw))
    throw new BadRequestError('QIDO_BAD_NUMBER', `${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min) throw new BadRequestError('QIDO_BAD_NUMBER', `${name} must be at least ${min}, got ${n}`);
  return n;
}

/** Parses the query string of a QIDO-RS request at `level`, scoped by the UIDs in the path. */
export function parseQidoParams(
  params: URLSearchParams,
  level: QidoLevel,
  scope: { studyInstanceUid?: string; seriesInstanceUid?: string } = {},
  options: QidoParamOptions = {},
): ParsedQido {
  const maxLimit = options.maxLimit ?? MAX_QIDO_LIMIT;
  const grouped = new Map<string, string[]>();
  for (const [name, value] of params) {
    const list = grouped.get(name);
    if (list === undefined) grouped.set(name, [value]);
    else list.push(value);
  }
  const warnings: string[] = [];
  const matches: QidoMatch[] = [];
  const include = new Set<string>();
  let includeAll = false;
  let fuzzyMatching = false;
  let limit = Math.min(options.defaultLimit ?? DEFAULT_QIDO_LIMIT, maxLimit);
  let offset = 0;
  const seenTags = new Set<string>();

  for (const [name, values] of grouped) {
    switch (name.toLowerCase()) {
      case 'includefield':
        for (const v of values) {
          for (const item of v.split(',')) {
            const id = item.trim();
            if (id === '') throw new BadRequestError('QIDO_BAD_INCLUDEFIELD', 'includefield has an empty item');
            if (id.toLowerCase() === 'all') includeAll = true;
            else include.add(attributeTag(id, 'includefield'));
          }
        }
        continue;
      case 'fuzzymatching': {
        const v = single(values, name).toLowerCase();
        if (v !== 'true' && v !== 'false')
          throw new BadRequestError('QIDO_BAD_FUZZYMATCHING', `fuzzymatching must be true or false, got "${v}"`);
        fuzzyMatching = v === 'true';
        continue;
      }
      case 'limit': {
        const requested = wholeNumber(single(values, name), 'limit', 1);
        limit = Math.min(requested, maxLimit);
        if (requested > maxLimit)
          warnings.push(
            `limit ${requested} exceeds the maximum of ${maxLimit}; at most ${maxLimit} results are returned`,
          );
        continue;
      }
      case 'offset':
        offset = wholeNumber(single(values, name), 'offset', 0);
        continue;
      default:
        break;
    }
    const tag = attributeTag(name, 'query key');
    if (seenTags.has(tag)) throw new BadRequestError('QIDO_REPEATED_KEY', `attribute ${tag} is given under two names`);
    seenTags.add(tag);
    const nonEmpty = values.filter((v) => v !== '');
    if (nonEmpty.length === 0) {
      include.add(tag); // universal matching: return the attribute (PS3.4 C.2.2.2.3)
      continue;
    }
    if (nonEmpty.length !== values.length)
      throw new BadRequestError('QIDO_REPEATED_KEY', `attribute ${name} is given both empty and with a value`);
    if (nonEmpty.length > 1 && vrForTag(Number.parseInt(tag, 16)) !== 'UI') {
      throw new BadRequestError(
        'QIDO_REPEATED_KEY',
        `attribute ${name} may appear only once (repeats are allowed for UID attributes only)`,
      );
    }
    matches.push({ tag, value: nonEmpty.join(',') });
  }

  const query: QidoQuery = {
    level,
    matches,
    includeFields: includeAll ? 'all' : [...include],
    fuzzyMatching,
    limit,
    offset,
  };
  if (scope.studyInstanceUid !== undefined) query.studyInstanceUid = scope.studyInstanceUid;
  if (scope.seriesInstanceUid !== undefined) query.seriesInstanceUid = scope.seriesInstanceUid;
  return { query, warnings };
}
