// C-FIND / C-MOVE / C-GET Identifier (PS3.4 C.4.1.1.3, C.6.1/C.6.2) → the store's QidoQuery, and
// a QIDO match back to a response Identifier. Keys with a value are matching keys (PS3.4 C.2.2.2:
// single value, list of UIDs, wildcard, range); keys without a value are return keys. Matching in
// sequences is not supported: a sequence key is a return key only (stated decision). Private and
// unknown keys are ignored (return nothing). PATIENT level is not supported (only STUDY/SERIES/IMAGE).

import { BadRequestError } from '../errors';
import { formatTag, tagForKeyword, keywordForTag, type DicomJsonObject } from '../dicom';
import type { QidoLevel, QidoQuery } from '../store';

export type Naturalized = Record<string, unknown>;
export type QueryRetrieveLevel = 'STUDY' | 'SERIES' | 'IMAGE';

export interface MappedIdentifier {
  level: QueryRetrieveLevel;
  query: QidoQuery;
  /** Every key the requester asked for (matching and return keys), as 8-hex tags, in request order. */
  requestedTags: string[];
  /** Keywords of the keys that were ignored (private, unknown, sequence matching). */
  ignored: string[];
}

const LEVELS: Record<QueryRetrieveLevel, QidoLevel> = { STUDY: 'study', SERIES: 'series', IMAGE: 'instance' };
/** Keys that are part of the protocol, not of the query (PS3.4 C.4.1.1.3.1). */
const CONTROL_KEYWORDS = new Set(['QueryRetrieveLevel', 'SpecificCharacterSet', 'TimezoneOffsetFromUTC', '_vrMap']);
const STUDY_UID = '0020000D';
const SERIES_UID = '0020000E';

/** Marks a sequence value: matching in sequences is not supported, the key is a return key. */
const SEQUENCE = Symbol('sequence');

/** The string form of a naturalized value for QIDO matching, or '' when the key is a return key. */
function matchValue(value: unknown): string | typeof SEQUENCE {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '';
    if (
      value.every(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          !Array.isArray(v) &&
          !('Alphabetic' in v || 'Ideographic' in v || 'Phonetic' in v),
      )
    ) {
      return SEQUENCE;
    }
    const parts = value.map((v) => matchValue(v)).filter((v): v is string => v !== SEQUENCE && v !== '');
    return parts.join(',');
  }
  if (typeof value === 'object') {
    // PN naturalized as { Alphabetic, Ideographic, Phonetic }: match on the alphabetic group.
    const alphabetic: unknown = (value as Record<string, unknown>)['Alphabetic'];
    return typeof alphabetic === 'string' ? alphabetic.trim() : '';
  }
  return '';
}

function isUidList(value: string): boolean {
  return /^[0-9.]+$/.test(value);
}

export function parseLevel(raw: unknown): QueryRetrieveLevel {
  const value = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
  if (value === 'STUDY' || value === 'SERIES' || value === 'IMAGE') return value;
  if (value === 'PATIENT')
    throw new BadRequestError('DIMSE_LEVEL_UNSUPPORTED', 'PATIENT level queries are not supported', { context: value });
  throw new BadRequestError('DIMSE_BAD_LEVEL', 'Query/Retrieve Level (0008,0052) is missing or invalid', {
    context: value,
  });
}

/** Maps an Identifier to a QIDO query over the whole level (PS3.4 C.4.1.3.1.1 matching). */
export function identifierToQuery(identifier: Naturalized, options: { limit: number }): MappedIdentifier {
  const level = parseLevel(identifier['QueryRetrieveLevel']);
  const query: QidoQuery = {
    level: LEVELS[level],
    matches: [],
    includeFields: [],
    fuzzyMatching: false,
    limit: options.limit,
    offset: 0,
  };
  const requestedTags: string[] = [];
  const ignored: string[] = [];
  for (const keyword of Object.keys(identifier)) {
    if (CONTROL_KEYWORDS.has(keyword)) continue;
    const tagNumber = tagForKeyword(keyword);
    if (tagNumber === undefined || (tagNumber >>> 16) % 2 === 1) {
      ignored.push(keyword);
      continue;
    }
    const tag = formatTag(tagNumber);
    requestedTags.push(tag);
    const value = matchValue(identifier[keyword]);
    if (value === SEQUENCE) {
      ignored.push(keyword);
      continue;
    }
    if (value === '' || value === '*') continue;
    // Hierarchical scoping (PS3.4 C.4.1.3.1.1): a single unique key of a higher level scopes the query.
    if (tag === STUDY_UID && level !== 'STUDY' && isUidList(value)) {
      query.studyInstanceUid = value;
      continue;
    }
    if (tag === SERIES_UID && level === 'IMAGE' && isUidList(value)) {
      query.seriesInstanceUid = value;
      continue;
    }
    query.matches.push({ tag, value });
  }
  query.includeFields = [...requestedTags];
  return { level, query, requestedTags, ignored };
}

/** Naturalized value (dcmjs form) of one DICOM JSON attribute; null for an empty value. */
function naturalizeValue(attribute: { vr: string; Value?: unknown[] }): unknown {
  const values = attribute.Value;
  if (values === undefined || values.length === 0) return attribute.vr === 'SQ' ? [] : null;
  if (attribute.vr === 'SQ') return values.map((item) => naturalizeJson(item as DicomJsonObject));
  if (attribute.vr === 'PN') return values;
  return values.length === 1 ? values[0] : values;
}

/** DICOM JSON (PS3.18 F.2) → dcmjs naturalized object; tags without a keyword are dropped. */
export function naturalizeJson(json: DicomJsonObject): Naturalized {
  const out: Naturalized = Object.create(null) as Naturalized;
  for (const [tag, attribute] of Object.entries(json)) {
    const keyword = keywordForTag(Number.parseInt(tag, 16));
    if (keyword === undefined || attribute.BulkDataURI !== undefined || attribute.InlineBinary !== undefined) continue;
    out[keyword] = naturalizeValue(attribute);
  }
  return out;
}

/**
 * The response Identifier for one match (PS3.4 C.4.1.1.3.2): exactly the requested keys (empty
 * when the object has no value), the Query/Retrieve Level, and Specific Character Set if known.
 */
export function matchToIdentifier(
  match: DicomJsonObject,
  requestedTags: readonly string[],
  level: QueryRetrieveLevel,
): Naturalized {
  const out: Naturalized = Object.create(null) as Naturalized;
  const charset = match['00080005'];
  if (charset !== undefined && charset.Value !== undefined) out['SpecificCharacterSet'] = naturalizeValue(charset);
  out['QueryRetrieveLevel'] = level;
  for (const tag of requestedTags) {
    const keyword = keywordForTag(Number.parseInt(tag, 16));
    if (keyword === undefined) continue;
    const attribute = match[tag];
    out[keyword] =
      attribute === undefined || attribute.BulkDataURI !== undefined || attribute.InlineBinary !== undefined
        ? null
        : naturalizeValue(attribute);
  }
  return out;
}
