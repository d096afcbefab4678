// Validates a QidoQuery and turns it into a dialect-neutral plan: which keys are matched (and
// how: column or the level's stored JSON), which attributes each result carries (PS3.18
// §10.6.3.3: the level's default set, the upper levels' default sets when the path does not fix
// them, every matching key, and includefield keys), and the paging window. Keys of a lower level
// than the query (e.g. SOPInstanceUID at the study level) and unknown keys at the study and
// series levels are rejected with BadRequestError; at the instance level any top-level
// attribute can be matched (in the instance JSON).

import { BadRequestError } from '../errors';
import { attributeFor, LEVEL_ATTRIBUTES, lowerLevelOf, type LevelAttribute } from './qido-attributes';
import { parseCondition, type Condition } from './qido-values';
import type { QidoLevel, QidoQuery } from './types';

const TAG = /^[0-9A-F]{8}$/;

export interface PlannedMatch {
  tag: string;
  /** Known attribute, or null for an instance-level key matched in the instance JSON. */
  attribute: LevelAttribute | null;
  condition: Condition;
}

export interface QidoPlan {
  level: QidoLevel;
  studyInstanceUid: string | undefined;
  seriesInstanceUid: string | undefined;
  matches: PlannedMatch[];
  /** Tags returned per level (study/series: from the level's stored JSON or computed columns). */
  returnTags: Record<QidoLevel, Set<string>>;
  /** 'all' at the query level: every attribute of that level's stored JSON. */
  includeAll: boolean;
  /** Requested tags unknown at the study/series query level: taken from a representative instance. */
  representativeTags: Set<string>;
  limit: number;
  offset: number;
}

export function normaliseTag(tag: string, what: string): string {
  const t = tag.trim().toUpperCase();
  if (!TAG.test(t))
    throw new BadRequestError('QIDO_BAD_TAG', `${what} "${tag}" is not an 8-hex-digit tag`, { context: tag });
  return t;
}

function checkUid(uid: string | undefined, what: string): string | undefined {
  if (uid === undefined) return undefined;
  if (!/^[0-9]+(\.[0-9]+)*$/.test(uid) || uid.length > 64) {
    throw new BadRequestError('QIDO_BAD_PATH_UID', `${what} "${uid}" is not a UID`, { context: what });
  }
  return uid;
}

export function planQuery(query: QidoQuery): QidoPlan {
  const level = query.level;
  if (level !== 'study' && level !== 'series' && level !== 'instance') {
    throw new BadRequestError('QIDO_BAD_LEVEL', `unknown query level ${String(level)}`);
  }
  if (!Number.isSafeInteger(query.limit) || query.limit < 1)
    throw new BadRequestError('QIDO_BAD_LIMIT', `limit must be a positive integer`);
  if (!Number.isSafeInteger(query.offset) || query.offset < 0)
    throw new BadRequestError('QIDO_BAD_OFFSET', `offset must be a non-negative integer`);
  const studyInstanceUid = checkUid(query.studyInstanceUid, 'StudyInstanceUID');
  const seriesInstanceUid = checkUid(query.seriesInstanceUid, 'SeriesInstanceUID');
  if (level === 'study' && (studyInstanceUid !== undefined || seriesInstanceUid !== undefined)) {
    throw new BadRequestError('QIDO_BAD_SCOPE', 'a study-level query cannot be scoped to a study or series');
  }
  if (seriesInstanceUid !== undefined && (level !== 'instance' || studyInstanceUid === undefined)) {
    throw new BadRequestError(
      'QIDO_BAD_SCOPE',
      'only /studies/{study}/series/{series}/instances is scoped to a series',
    );
  }

  const returnTags: Record<QidoLevel, Set<string>> = { study: new Set(), series: new Set(), instance: new Set() };
  // Default sets: the query level's, and those of upper levels the path leaves open (PS3.18 §10.6.3.3.1).
  const defaultLevels: QidoLevel[] = [level];
  if (level !== 'study' && studyInstanceUid === undefined) defaultLevels.push('study');
  if (level === 'instance' && seriesInstanceUid === undefined) defaultLevels.push('series');
  for (const l of defaultLevels) {
    for (const a of LEVEL_ATTRIBUTES[l].values()) if (a.isDefault) returnTags[l].add(a.tag);
  }

  const matches: PlannedMatch[] = [];
  for (const m of query.matches) {
    const tag = normaliseTag(m.tag, 'matching key');
    const attr = attributeFor(tag, level);
    if (attr === undefined) {
      const lower = lowerLevelOf(tag, level);
      if (lower !== undefined) {
        throw new BadRequestError(
          'QIDO_KEY_BELOW_LEVEL',
          `${tag} is a ${lower}-level key and cannot be matched at the ${level} level`,
          { context: tag },
        );
      }
      if (level !== 'instance') {
        throw new BadRequestError('QIDO_UNKNOWN_KEY', `${tag} is not a ${level}-level matching key`, { context: tag });
      }
      if (tag.startsWith('0002') || tag === '7FE00010') {
        throw new BadRequestError('QIDO_UNKNOWN_KEY', `${tag} cannot be matched`, { context: tag });
      }
      matches.push({ tag, attribute: null, condition: parseCondition('json', m.value, tag, query.fuzzyMatching) });
      returnTags.instance.add(tag);
      continue;
    }
    const kind =
      attr.column === null && attr.kind !== 'modalities' && attr.kind !== 'availability' && attr.kind !== 'sequence'
        ? 'json'
        : attr.kind;
    matches.push({ tag, attribute: attr, condition: parseCondition(kind, m.value, tag, query.fuzzyMatching) });
    returnTags[attr.level].add(tag);
  }

  const representativeTags = new Set<string>();
  const includeAll = query.includeFields === 'all';
  if (query.includeFields !== 'all') {
    for (const raw of query.includeFields) {
      const tag = normaliseTag(raw, 'includefield');
      const attr = attributeFor(tag, level);
      if (attr !== undefined) returnTags[attr.level].add(tag);
      else if (level === 'instance') returnTags.instance.add(tag);
      else representativeTags.add(tag);
    }
  }
  return {
    level,
    studyInstanceUid,
    seriesInstanceUid,
    matches,
    returnTags,
    includeAll,
    representativeTags,
    limit: query.limit,
    offset: query.offset,
  };
}
