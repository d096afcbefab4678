// QIDO-RS search (PS3.18 §8.3.4 / §10.6) over the SQLite schema: turns a QidoPlan into one
// SELECT (conditions on indexed columns, GLOB for * and ? wildcards with a literal-prefix range so
// the index is used, json_each over the stored DICOM JSON for column-less keys), pages with
// LIMIT/OFFSET (fetching one extra row to know the total when the last page is reached), and
// builds DICOM JSON results. Ordering is stable: StudyDate, StudyTime, StudyInstanceUID, then
// SeriesNumber, SeriesInstanceUID, then InstanceNumber, SOPInstanceUID (NULL numbers first).

import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './db';
import { LEVEL_ATTRIBUTES } from './qido-attributes';
import { planQuery, type PlannedMatch, type QidoPlan } from './qido-plan';
import type { Condition } from './qido-values';
import type { DicomJsonAttribute, DicomJsonObject } from '../dicom';
import type { QidoLevel, QidoQuery, QidoResult } from './types';

type SqlValue = string | number;
type Row = Record<string, unknown>;

/** Highest code point: `prefix <= x < prefix + MAX_CHAR` holds exactly for strings starting with `prefix` (BINARY collation). */
const MAX_CHAR = '\u{10FFFF}';

/** DICOM wildcard pattern → GLOB pattern: * and ? keep their meaning, '[' is the only other GLOB metacharacter. */
export function toGlob(pattern: string): string {
  return pattern.replace(/\[/g, '[[]');
}

function literalPrefix(pattern: string): string {
  const i = pattern.search(/[*?]/);
  return i < 0 ? pattern : pattern.slice(0, i);
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

const FROM: Record<QidoLevel, string> = {
  study: 'FROM studies st JOIN patients p ON p.pk = st.patient_pk',
  series: 'FROM series se JOIN studies st ON st.pk = se.study_pk JOIN patients p ON p.pk = st.patient_pk',
  instance:
    'FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = se.study_pk JOIN patients p ON p.pk = st.patient_pk',
};

const SELECT: Record<QidoLevel, string> = {
  study:
    'st.pk AS st_pk, st.attrs_json AS st_attrs, st.num_series, st.num_instances AS st_num_instances, st.modalities_in_study',
  series: 'se.pk AS se_pk, se.attrs_json AS se_attrs, se.num_instances AS se_num_instances',
  instance:
    'i.pk AS i_pk, i.sop_uid, i.sop_class_uid, i.instance_number, i.image_rows, i.image_columns, i.bits_allocated, i.number_of_frames, i.timezone_offset',
};

const JSON_COLUMN: Record<QidoLevel, string> = {
  study: 'st.attrs_json',
  series: 'se.attrs_json',
  instance: 'i.metadata_json',
};

class SqlBuilder {
  readonly where: string[] = [];
  readonly params: SqlValue[] = [];

  add(sql: string, ...params: SqlValue[]): void {
    this.where.push(sql);
    this.params.push(...params);
  }

  inList(expr: string, values: SqlValue[]): void {
    if (values.length === 1) this.add(`${expr} = ?`, values[0] as SqlValue);
    else this.add(`${expr} IN (${values.map(() => '?').join(', ')})`, ...values);
  }

  glob(expr: string, pattern: string): void {
    const prefix = literalPrefix(pattern);
    if (prefix.length > 0) this.add(`${expr} >= ? AND ${expr} < ?`, prefix, prefix + MAX_CHAR);
    this.add(`${expr} GLOB ?`, toGlob(pattern));
  }
}

function addColumnCondition(b: SqlBuilder, m: PlannedMatch, column: string, c: Condition): void {
  const kind = m.attribute?.kind;
  const expr = kind === 'pn' ? `${column}_norm` : column;
  switch (c.type) {
    case 'universal':
      return;
    case 'never':
      b.add('0');
      return;
    case 'equals':
      b.inList(expr, c.values);
      return;
    case 'equalsInt':
      b.inList(expr, c.values);
      return;
    case 'wildcard':
      b.glob(expr, c.pattern);
      return;
    case 'range':
      b.add(`${expr} <> ''`);
      if (c.lower !== null) b.add(`${expr} >= ?`, c.lower);
      if (c.upper !== null) b.add(`${expr} <= ?`, c.upper);
      return;
    case 'words':
      for (const w of c.words) b.add(`${column}_words GLOB ?`, `* ${toGlob(w)}*`);
      return;
  }
}

/** Column-less keys: any value of the attribute in the level's stored JSON (PN objects by their Alphabetic group, case-insensitively). */
function addJsonCondition(b: SqlBuilder, level: QidoLevel, tag: string, c: Condition): void {
  if (c.type === 'universal') return;
  if (c.type === 'never') {
    b.add('0');
    return;
  }
  if (c.type !== 'equals' && c.type !== 'wildcard') {
    b.add('0');
    return;
  }
  const pattern = c.type === 'equals' ? toGlob(c.values[0] ?? '') : toGlob(c.pattern);
  b.add(
    `EXISTS (SELECT 1 FROM json_each(${JSON_COLUMN[level]}, ?) je WHERE CASE WHEN je.type = 'object' ` +
      `THEN upper(json_extract(je.value, '$.Alphabetic')) GLOB ? ELSE CAST(je.value AS TEXT) GLOB ? END)`,
    `$."${tag}".Value`,
    pattern.toUpperCase(),
    pattern,
  );
}

function addMatch(b: SqlBuilder, m: PlannedMatch): void {
  const a = m.attribute;
  const c = m.condition;
  if (a === null) return addJsonCondition(b, 'instance', m.tag, c);
  if (a.kind === 'availability') {
    // Every stored instance is ONLINE (PS3.4 C.4.23.1.1 Instance Availability).
    const ok =
      c.type === 'universal' ||
      (c.type === 'equals' && c.values.includes('ONLINE')) ||
      (c.type === 'wildcard' && globToRegExp(c.pattern).test('ONLINE'));
    if (!ok) b.add('0');
    return;
  }
  if (a.kind === 'modalities') {
    if (c.type === 'equals')
      b.add(
        `st.pk IN (SELECT study_pk FROM series WHERE modality IN (${c.values.map(() => '?').join(', ')}))`,
        ...c.values,
      );
    else if (c.type === 'wildcard')
      b.add('st.pk IN (SELECT study_pk FROM series WHERE modality GLOB ?)', toGlob(c.pattern));
    return;
  }
  if (a.column === null) return addJsonCondition(b, a.level, m.tag, c);
  addColumnCondition(b, m, a.column, c);
}

function orderBy(plan: QidoPlan): string {
  const study = 'st.study_date, st.study_time, st.study_uid';
  const series = 'se.series_number, se.series_uid';
  const instance = 'i.instance_number, i.sop_uid';
  if (plan.level === 'study') return study;
  if (plan.level === 'series') return plan.studyInstanceUid !== undefined ? series : `${study}, ${series}`;
  if (plan.seriesInstanceUid !== undefined) return instance;
  if (plan.studyInstanceUid !== undefined) return `${series}, ${instance}`;
  return `${study}, ${series}, ${instance}`;
}

function buildSql(plan: QidoPlan): { sql: string; params: SqlValue[] } {
  const b = new SqlBuilder();
  if (plan.studyInstanceUid !== undefined) b.add('st.study_uid = ?', plan.studyInstanceUid);
  if (plan.seriesInstanceUid !== undefined) b.add('se.series_uid = ?', plan.seriesInstanceUid);
  for (const m of plan.matches) addMatch(b, m);
  const select = [SELECT.study];
  if (plan.level !== 'study') select.push(SELECT.series);
  if (plan.level === 'instance') select.push(SELECT.instance);
  const where = b.where.length > 0 ? ` WHERE ${b.where.join(' AND ')}` : '';
  const sql = `SELECT ${select.join(', ')} ${FROM[plan.level]}${where} ORDER BY ${orderBy(plan)} LIMIT ? OFFSET ?`;
  return { sql, params: [...b.params, plan.limit + 1, plan.offset] };
}

function parseJson(text: unknown): DicomJsonObject {
  if (typeof text !== 'string') return {};
  const v: unknown = JSON.parse(text);
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as DicomJsonObject) : {};
}

function num(vr: string, v: unknown): DicomJsonAttribute {
  return typeof v === 'number' ? { vr, Value: [v] } : { vr };
}

/** A computed count, or null (omitted) when there is none. */
function count(vr: string, v: unknown): DicomJsonAttribute | null {
  return typeof v === 'number' ? { vr, Value: [v] } : null;
}

function str(vr: string, v: unknown): DicomJsonAttribute {
  return typeof v === 'string' && v !== '' ? { vr, Value: [v] } : { vr };
}

/** Runs QIDO queries; statements are prepared once per distinct SQL shape and cached. */
export class SqliteQido {
  private readonly cache = new Map<string, Statement>();
  private readonly studyRepresentative: Statement;
  private readonly seriesRepresentative: Statement;
  private readonly instanceJson: Statement;

  constructor(private readonly db: SqliteDatabase) {
    this.studyRepresentative = db
      .prepare('SELECT metadata_json FROM instances WHERE study_pk = ? ORDER BY pk DESC LIMIT 1')
      .pluck();
    this.seriesRepresentative = db
      .prepare('SELECT metadata_json FROM instances WHERE series_pk = ? ORDER BY pk DESC LIMIT 1')
      .pluck();
    this.instanceJson = db.prepare('SELECT metadata_json FROM instances WHERE pk = ?').pluck();
  }

  private statement(sql: string): Statement {
    let s = this.cache.get(sql);
    if (s === undefined) {
      if (this.cache.size >= 256) {
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  query(query: QidoQuery): QidoResult {
    const plan = planQuery(query);
    const { sql, params } = buildSql(plan);
    const rows = this.statement(sql).all(...params) as Row[];
    const more = rows.length > plan.limit;
    const page = more ? rows.slice(0, plan.limit) : rows;
    const total = more || (page.length === 0 && plan.offset > 0) ? null : plan.offset + page.length;
    return { items: page.map((r) => this.item(plan, r)), total };
  }

  private item(plan: QidoPlan, row: Row): DicomJsonObject {
    const out = new Map<string, DicomJsonAttribute>();
    const studyTags = plan.returnTags.study;
    const seriesTags = plan.returnTags.series;
    const instanceTags = plan.returnTags.instance;
    const wantStudy = studyTags.size > 0 || (plan.level === 'study' && plan.includeAll);
    if (wantStudy)
      this.levelItem(
        out,
        'study',
        parseJson(row['st_attrs']),
        studyTags,
        plan.level === 'study' && plan.includeAll,
        row,
      );
    if (plan.level !== 'study') {
      const wantSeries = seriesTags.size > 0 || (plan.level === 'series' && plan.includeAll);
      if (wantSeries)
        this.levelItem(
          out,
          'series',
          parseJson(row['se_attrs']),
          seriesTags,
          plan.level === 'series' && plan.includeAll,
          row,
        );
    }
    if (plan.level === 'instance') this.instanceItem(out, instanceTags, plan.includeAll, row);
    if (plan.representativeTags.size > 0 && plan.level !== 'instance') {
      const rep =
        plan.level === 'study'
          ? this.studyRepresentative.get(row['st_pk'])
          : this.seriesRepresentative.get(row['se_pk']);
      const json = parseJson(rep);
      for (const tag of plan.representativeTags) {
        const a = Object.prototype.hasOwnProperty.call(json, tag) ? json[tag] : undefined;
        if (a !== undefined) out.set(tag, a);
      }
    }
    const result: DicomJsonObject = {};
    for (const tag of [...out.keys()].sort()) {
      const a = out.get(tag);
      if (a !== undefined) result[tag] = a;
    }
    return result;
  }

  private levelItem(
    out: Map<string, DicomJsonAttribute>,
    level: 'study' | 'series',
    attrs: DicomJsonObject,
    tags: Set<string>,
    all: boolean,
    row: Row,
  ): void {
    const registry = LEVEL_ATTRIBUTES[level];
    if (all) for (const [tag, a] of Object.entries(attrs)) out.set(tag, a);
    for (const tag of tags) {
      const known = registry.get(tag);
      const vr = known?.vr ?? 'UN';
      const computed = this.computed(level, tag, vr, row);
      if (computed === null) continue; // computed, and empty: omitted (see computed())
      if (computed !== undefined) out.set(tag, computed);
      else if (Object.prototype.hasOwnProperty.call(attrs, tag) && attrs[tag] !== undefined) out.set(tag, attrs[tag]);
      else if (known?.isDefault === true) out.set(tag, { vr });
    }
  }

  /**
   * Attributes the store computes (PS3.4 C.6.2.1.2: InstanceAvailability, ModalitiesInStudy, the
   * Number of ... Related counts); undefined for any other tag. A computed attribute that comes out
   * empty is null and left out of the result rather than sent as `{"vr":"CS"}`: PS3.18 F.2.5 allows
   * an empty attribute, but OHIF's study list reads ModalitiesInStudy's Value without checking and
   * then fails for every study (issue #9), and an empty computed value says nothing.
   */
  private computed(
    level: 'study' | 'series',
    tag: string,
    vr: string,
    row: Row,
  ): DicomJsonAttribute | null | undefined {
    if (tag === '00080056') return { vr, Value: ['ONLINE'] };
    if (level === 'study') {
      if (tag === '00201206') return count(vr, row['num_series']);
      if (tag === '00201208') return count(vr, row['st_num_instances']);
      if (tag === '00080061') {
        const m = row['modalities_in_study'];
        return typeof m === 'string' && m !== '' ? { vr, Value: m.split('\\') } : null;
      }
    } else if (tag === '00201209') {
      return count(vr, row['se_num_instances']);
    }
    return undefined;
  }

  private instanceItem(out: Map<string, DicomJsonAttribute>, tags: Set<string>, all: boolean, row: Row): void {
    const fromColumns: Record<string, () => DicomJsonAttribute> = {
      '00080016': () => str('UI', row['sop_class_uid']),
      '00080018': () => str('UI', row['sop_uid']),
      '00080056': () => ({ vr: 'CS', Value: ['ONLINE'] }),
      '00080201': () => str('SH', row['timezone_offset']),
      '00200013': () => num('IS', row['instance_number']),
      '00280010': () => num('US', row['image_rows']),
      '00280011': () => num('US', row['image_columns']),
      '00280100': () => num('US', row['bits_allocated']),
      '00280008': () =>
        typeof row['number_of_frames'] === 'number' && row['number_of_frames'] > 0
          ? num('IS', row['number_of_frames'])
          : { vr: 'IS' },
    };
    let json: DicomJsonObject | null = null;
    const instanceJson = (): DicomJsonObject => (json ??= parseJson(this.instanceJson.get(row['i_pk'])));
    if (all) for (const [tag, a] of Object.entries(instanceJson())) out.set(tag, a);
    for (const tag of tags) {
      const col = Object.prototype.hasOwnProperty.call(fromColumns, tag) ? fromColumns[tag] : undefined;
      if (col !== undefined) {
        out.set(tag, col());
        continue;
      }
      const j = instanceJson();
      const a = Object.prototype.hasOwnProperty.call(j, tag) ? j[tag] : undefined;
      if (a !== undefined) out.set(tag, a);
    }
  }
}
