// InstanceStore over SQLite (better-sqlite3). commitInstance records one instance in ONE
// transaction: patient/study/series rows upserted from the instance's DICOM JSON (the latest
// committed instance's values win), the instance row and its frame rows inserted or swapped,
// counts and ModalitiesInStudy maintained, emptied series/studies/patients removed.
// Replacement policy: same SOP Instance UID + same content SHA-256 → 'unchanged' (the caller's new
// blobs are obsolete); different content → 'replaced' (the previous version's blobs are obsolete);
// an instance may move to another series or study; a series moves to another study only when it
// holds no other instance (else ConflictError STORE_SERIES_IN_OTHER_STUDY).

import type { Statement, Transaction } from 'better-sqlite3';
import type { DicomJsonObject } from '../dicom';
import { ConflictError, NotFoundError } from '../errors';
import { assertBlobKey, framesBlobKey } from './blob-key';
import type { SqliteDatabase } from './db';
import { InvalidWriteError } from './errors';
import {
  instanceColumns,
  patientColumns,
  seriesColumns,
  studyColumns,
  toFrameRecord,
  toInstanceRecord,
  type FrameRow,
  type InstanceRow,
} from './sqlite-rows';
import { SqliteQido } from './sqlite-qido';
import type {
  CommitResult,
  FrameRecord,
  InstanceRecord,
  InstanceStore,
  InstanceWrite,
  QidoQuery,
  QidoResult,
} from './types';

type Scope = { studyInstanceUid: string; seriesInstanceUid?: string; sopInstanceUid?: string };

const INSTANCE_SELECT = `SELECT st.study_uid, se.series_uid, i.sop_uid, i.sop_class_uid, i.received_ts, i.stored_ts, i.content_sha256,
  i.version_key, i.size_bytes, i.number_of_frames, i.pixel_data_provider_url, i.instance_number
  FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = i.study_pk`;
const FRAME_SELECT = `SELECT i.sop_uid, f.frame_number, f.frames_key, f.byte_offset, f.byte_length, f.sha256, f.codestream_offset, f.transfer_syntax_uid,
  f.width, f.height, f.components, f.bit_depth, f.is_signed, f.levels, f.layers, f.progression, f.tiles_x, f.tiles_y,
  f.precincts, f.htj2k, f.packet_index FROM frames f JOIN instances i ON i.pk = f.instance_pk`;
const SCOPE_ORDER = 'ORDER BY se.series_number, se.series_uid, i.instance_number, i.sop_uid';

function cols(names: string[]): { list: string; values: string; set: string } {
  return {
    list: names.join(', '),
    values: names.map((n) => `@${n}`).join(', '),
    set: names.map((n) => `${n} = @${n}`).join(', '),
  };
}

const STUDY_COLS = cols([
  'study_date',
  'study_time',
  'accession_number',
  'referring_physician_norm',
  'referring_physician_words',
  'study_id',
  'study_description',
  'attrs_json',
]);
const SERIES_COLS = cols([
  'modality',
  'series_number',
  'series_description',
  'series_date',
  'series_time',
  'body_part_examined',
  'performed_start_date',
  'performed_start_time',
  'attrs_json',
]);
const INSTANCE_COLS = cols([
  'sop_uid',
  'sop_class_uid',
  'instance_number',
  'image_rows',
  'image_columns',
  'bits_allocated',
  'number_of_frames',
  'timezone_offset',
  'content_date',
  'content_time',
  'acquisition_datetime',
  'received_ts',
  'stored_ts',
  'content_sha256',
  'version_key',
  'size_bytes',
  'pixel_data_provider_url',
  'metadata_json',
  'committed_at',
]);

function validateWrite(w: InstanceWrite): void {
  const bad = (msg: string): InvalidWriteError =>
    new InvalidWriteError('STORE_BAD_WRITE', msg, { context: w.sopInstanceUid });
  for (const [k, v] of [
    ['studyInstanceUid', w.studyInstanceUid],
    ['seriesInstanceUid', w.seriesInstanceUid],
    ['sopInstanceUid', w.sopInstanceUid],
    ['sopClassUid', w.sopClassUid],
  ] as const) {
    if (typeof v !== 'string' || v === '' || v.length > 64) throw bad(`${k} must be a UID`);
  }
  assertBlobKey(w.versionKey);
  if (!Number.isSafeInteger(w.numberOfFrames) || w.numberOfFrames < 0)
    throw bad('numberOfFrames must be a non-negative integer');
  w.frames.forEach((f, i) => {
    if (f.frameNumber !== i + 1) throw bad(`frames must be numbered 1..n in order (got ${f.frameNumber} at ${i})`);
    if (!Number.isSafeInteger(f.offset) || f.offset < 0 || !Number.isSafeInteger(f.length) || f.length < 0)
      throw bad(`frame ${f.frameNumber} has an invalid byte range`);
    if (!Number.isSafeInteger(f.codestreamOffset) || f.codestreamOffset < 0 || f.codestreamOffset > f.length)
      throw bad(`frame ${f.frameNumber} has an invalid codestream offset`);
  });
}

function prepareStatements(db: SqliteDatabase) {
  const p = (sql: string): Statement => db.prepare(sql);
  return {
    instanceByUid: p('SELECT pk, series_pk, study_pk, content_sha256, version_key FROM instances WHERE sop_uid = ?'),
    reservePending: p(
      'INSERT INTO pending_versions (version_key, created_at) VALUES (?, ?) ON CONFLICT (version_key) DO NOTHING',
    ),
    releasePending: p('DELETE FROM pending_versions WHERE version_key = ?'),
    listPending: p('SELECT version_key FROM pending_versions WHERE created_at < ? ORDER BY created_at'),
    upsertPatient:
      p(`INSERT INTO patients (patient_key, patient_id, patient_name_norm, patient_name_words, patient_birth_date, patient_sex)
      VALUES (@patient_key, @patient_id, @patient_name_norm, @patient_name_words, @patient_birth_date, @patient_sex)
      ON CONFLICT (patient_key) DO UPDATE SET patient_id = excluded.patient_id, patient_name_norm = excluded.patient_name_norm,
      patient_name_words = excluded.patient_name_words, patient_birth_date = excluded.patient_birth_date, patient_sex = excluded.patient_sex
      RETURNING pk`).pluck(),
    studyByUid: p('SELECT pk, patient_pk FROM studies WHERE study_uid = ?'),
    insertStudy: p(
      `INSERT INTO studies (study_uid, patient_pk, ${STUDY_COLS.list}) VALUES (@study_uid, @patient_pk, ${STUDY_COLS.values})`,
    ),
    updateStudy: p(`UPDATE studies SET patient_pk = @patient_pk, ${STUDY_COLS.set} WHERE pk = @pk`),
    seriesByUid: p('SELECT pk, study_pk, num_instances FROM series WHERE series_uid = ?'),
    insertSeries: p(
      `INSERT INTO series (series_uid, study_pk, ${SERIES_COLS.list}) VALUES (@series_uid, @study_pk, ${SERIES_COLS.values})`,
    ),
    updateSeries: p(`UPDATE series SET study_pk = @study_pk, ${SERIES_COLS.set} WHERE pk = @pk`),
    insertInstance: p(
      `INSERT INTO instances (series_pk, study_pk, ${INSTANCE_COLS.list}) VALUES (@series_pk, @study_pk, ${INSTANCE_COLS.values})`,
    ),
    updateInstance: p(
      `UPDATE instances SET series_pk = @series_pk, study_pk = @study_pk, ${INSTANCE_COLS.set} WHERE pk = @pk`,
    ),
    deleteFrames: p('DELETE FROM frames WHERE instance_pk = ?'),
    insertFrame:
      p(`INSERT INTO frames (instance_pk, frame_number, frames_key, byte_offset, byte_length, sha256, codestream_offset, transfer_syntax_uid, width, height,
      components, bit_depth, is_signed, levels, layers, progression, tiles_x, tiles_y, precincts, htj2k, packet_index)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    seriesInstances: p('UPDATE series SET num_instances = num_instances + ? WHERE pk = ?'),
    studyInstances: p('UPDATE studies SET num_instances = num_instances + ? WHERE pk = ?'),
    studySeries: p('UPDATE studies SET num_series = num_series + ? WHERE pk = ?'),
    deleteEmptySeries: p('DELETE FROM series WHERE pk = ? AND num_instances = 0 RETURNING study_pk'),
    deleteEmptyStudy: p(
      'DELETE FROM studies WHERE pk = ? AND num_instances = 0 AND num_series = 0 RETURNING patient_pk',
    ),
    deleteOrphanPatient: p(
      'DELETE FROM patients WHERE pk = @pk AND NOT EXISTS (SELECT 1 FROM studies WHERE patient_pk = @pk)',
    ),
    modalities:
      p(`UPDATE studies SET modalities_in_study = COALESCE((SELECT group_concat(modality, '\\' ORDER BY modality)
      FROM (SELECT DISTINCT modality FROM series WHERE study_pk = @pk AND modality <> '')), '') WHERE pk = @pk`),
    getInstance: p(`${INSTANCE_SELECT} WHERE i.sop_uid = ?`),
    listStudy: p(`${INSTANCE_SELECT} WHERE st.study_uid = ? ${SCOPE_ORDER}`),
    listSeries: p(
      `${INSTANCE_SELECT} WHERE st.study_uid = ? AND se.series_uid = ? ORDER BY i.instance_number, i.sop_uid`,
    ),
    metaStudy: p(
      `SELECT i.metadata_json FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = i.study_pk WHERE st.study_uid = ? ${SCOPE_ORDER}`,
    ).pluck(),
    metaSeries:
      p(`SELECT i.metadata_json FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = i.study_pk
      WHERE st.study_uid = ? AND se.series_uid = ? ORDER BY i.instance_number, i.sop_uid`).pluck(),
    metaInstance:
      p(`SELECT i.metadata_json FROM instances i JOIN series se ON se.pk = i.series_pk JOIN studies st ON st.pk = i.study_pk
      WHERE st.study_uid = ? AND (? IS NULL OR se.series_uid = ?) AND i.sop_uid = ?`).pluck(),
    getFrame: p(`${FRAME_SELECT} WHERE i.sop_uid = ? AND f.frame_number = ?`),
    listFrames: p(`${FRAME_SELECT} WHERE i.sop_uid = ? ORDER BY f.frame_number`),
    framesWithoutIndex: p(
      `${FRAME_SELECT} WHERE f.packet_index IS NULL ORDER BY f.instance_pk, f.frame_number LIMIT ?`,
    ),
    setPacketIndex: p(
      'UPDATE frames SET packet_index = ? WHERE instance_pk = (SELECT pk FROM instances WHERE sop_uid = ?) AND frame_number = ?',
    ),
    hasVersion: p('SELECT 1 FROM instances WHERE version_key = ? LIMIT 1').pluck(),
  };
}

export class SqliteInstanceStore implements InstanceStore {
  private readonly s: ReturnType<typeof prepareStatements>;
  private readonly qido: SqliteQido;
  private readonly commitTx: Transaction<(w: InstanceWrite) => CommitResult>;
  private closed = false;

  constructor(private readonly db: SqliteDatabase) {
    this.s = prepareStatements(db);
    this.qido = new SqliteQido(db);
    this.commitTx = db.transaction((w: InstanceWrite) => this.commitInTransaction(w));
  }

  commitInstance(write: InstanceWrite): CommitResult {
    validateWrite(write);
    return this.commitTx.immediate(write);
  }

  reserveVersion(versionKey: string): void {
    assertBlobKey(versionKey);
    this.s.reservePending.run(versionKey, Date.now());
  }

  releaseVersion(versionKey: string): void {
    this.s.releasePending.run(versionKey);
  }

  pendingVersions(beforeEpochMs: number): string[] {
    return (this.s.listPending.all(beforeEpochMs) as { version_key: string }[]).map((r) => r.version_key);
  }

  private commitInTransaction(w: InstanceWrite): CommitResult {
    const result = this.commitRows(w);
    // Journal: the committed version is referenced now; an obsolete one waits for deletion.
    if (result.outcome !== 'unchanged' || result.obsoleteVersionKey === null) this.s.releasePending.run(w.versionKey);
    if (result.obsoleteVersionKey !== null) this.s.reservePending.run(result.obsoleteVersionKey, Date.now());
    return result;
  }

  private commitRows(w: InstanceWrite): CommitResult {
    const existing = this.s.instanceByUid.get(w.sopInstanceUid) as
      { pk: number; series_pk: number; study_pk: number; content_sha256: string; version_key: string } | undefined;
    if (existing !== undefined && existing.content_sha256 === w.contentSha256) {
      return { outcome: 'unchanged', obsoleteVersionKey: w.versionKey === existing.version_key ? null : w.versionKey };
    }
    const patientPk = this.s.upsertPatient.get(patientColumns(w)) as number;
    const pruneStudies = new Set<number>();
    const prunePatients = new Set<number>();

    // Study: created or updated with this instance's values.
    const study = this.s.studyByUid.get(w.studyInstanceUid) as { pk: number; patient_pk: number } | undefined;
    let studyPk: number;
    if (study === undefined) {
      studyPk = Number(
        this.s.insertStudy.run({ study_uid: w.studyInstanceUid, patient_pk: patientPk, ...studyColumns(w) })
          .lastInsertRowid,
      );
    } else {
      studyPk = study.pk;
      this.s.updateStudy.run({ pk: studyPk, patient_pk: patientPk, ...studyColumns(w) });
      if (study.patient_pk !== patientPk) prunePatients.add(study.patient_pk);
    }

    // The previous version leaves its series/study first, so that counts below are exact.
    if (existing !== undefined) {
      this.s.seriesInstances.run(-1, existing.series_pk);
      this.s.studyInstances.run(-1, existing.study_pk);
    }

    const series = this.s.seriesByUid.get(w.seriesInstanceUid) as
      { pk: number; study_pk: number; num_instances: number } | undefined;
    let seriesPk: number;
    if (series === undefined) {
      seriesPk = Number(
        this.s.insertSeries.run({ series_uid: w.seriesInstanceUid, study_pk: studyPk, ...seriesColumns(w) })
          .lastInsertRowid,
      );
      this.s.studySeries.run(1, studyPk);
    } else {
      seriesPk = series.pk;
      if (series.study_pk !== studyPk) {
        if (series.num_instances > 0) {
          throw new ConflictError(
            'STORE_SERIES_IN_OTHER_STUDY',
            `series ${w.seriesInstanceUid} belongs to another study than ${w.studyInstanceUid}`,
            {
              context: w.sopInstanceUid,
            },
          );
        }
        this.s.studySeries.run(-1, series.study_pk);
        this.s.studySeries.run(1, studyPk);
        pruneStudies.add(series.study_pk);
      }
      this.s.updateSeries.run({ pk: seriesPk, study_pk: studyPk, ...seriesColumns(w) });
    }

    const row = { series_pk: seriesPk, study_pk: studyPk, ...instanceColumns(w) };
    let instancePk: number;
    if (existing === undefined) {
      instancePk = Number(this.s.insertInstance.run(row).lastInsertRowid);
    } else {
      instancePk = existing.pk;
      this.s.updateInstance.run({ pk: instancePk, ...row });
      this.s.deleteFrames.run(instancePk);
    }
    this.s.seriesInstances.run(1, seriesPk);
    this.s.studyInstances.run(1, studyPk);
    const insertFrame = this.s.insertFrame;
    for (const f of w.frames) {
      const s = f.summary;
      insertFrame.run(
        instancePk,
        f.frameNumber,
        framesBlobKey(w.versionKey),
        f.offset,
        f.length,
        f.sha256,
        f.codestreamOffset,
        f.transferSyntaxUid,
        s.width,
        s.height,
        s.components,
        s.bitDepth,
        s.signed ? 1 : 0,
        s.levels,
        s.layers,
        s.progression,
        s.tilesX,
        s.tilesY,
        s.precincts,
        s.htj2k ? 1 : 0,
        f.packetIndex === null
          ? null
          : Buffer.from(f.packetIndex.buffer, f.packetIndex.byteOffset, f.packetIndex.byteLength),
      );
    }

    if (existing !== undefined && existing.series_pk !== seriesPk) {
      const gone = this.s.deleteEmptySeries.get(existing.series_pk) as { study_pk: number } | undefined;
      if (gone !== undefined) this.s.studySeries.run(-1, gone.study_pk);
    }
    if (existing !== undefined && existing.study_pk !== studyPk) pruneStudies.add(existing.study_pk);
    pruneStudies.delete(studyPk);
    for (const pk of pruneStudies) {
      const gone = this.s.deleteEmptyStudy.get(pk) as { patient_pk: number } | undefined;
      if (gone !== undefined) prunePatients.add(gone.patient_pk);
      else this.s.modalities.run({ pk });
    }
    this.s.modalities.run({ pk: studyPk });
    prunePatients.delete(patientPk);
    for (const pk of prunePatients) this.s.deleteOrphanPatient.run({ pk });

    if (existing === undefined) return { outcome: 'stored', obsoleteVersionKey: null };
    return {
      outcome: 'replaced',
      obsoleteVersionKey: existing.version_key === w.versionKey ? null : existing.version_key,
    };
  }

  getInstance(sopInstanceUid: string): InstanceRecord | undefined {
    const r = this.s.getInstance.get(sopInstanceUid) as InstanceRow | undefined;
    return r === undefined ? undefined : toInstanceRecord(r);
  }

  listInstances(scope: { studyInstanceUid: string; seriesInstanceUid?: string }): InstanceRecord[] {
    const rows = (
      scope.seriesInstanceUid === undefined
        ? this.s.listStudy.all(scope.studyInstanceUid)
        : this.s.listSeries.all(scope.studyInstanceUid, scope.seriesInstanceUid)
    ) as InstanceRow[];
    return rows.map(toInstanceRecord);
  }

  private metadataTexts(scope: Scope): string[] {
    if (scope.sopInstanceUid !== undefined) {
      const series = scope.seriesInstanceUid ?? null;
      const one = this.s.metaInstance.get(scope.studyInstanceUid, series, series, scope.sopInstanceUid) as
        string | undefined;
      return one === undefined ? [] : [one];
    }
    if (scope.seriesInstanceUid !== undefined)
      return this.s.metaSeries.all(scope.studyInstanceUid, scope.seriesInstanceUid) as string[];
    return this.s.metaStudy.all(scope.studyInstanceUid) as string[];
  }

  metadata(scope: Scope): DicomJsonObject[] {
    return this.metadataTexts(scope).map((t) => JSON.parse(t) as DicomJsonObject);
  }

  metadataJson(scope: Scope): string {
    return `[${this.metadataTexts(scope).join(',')}]`;
  }

  getFrame(sopInstanceUid: string, frameNumber: number): FrameRecord | undefined {
    const r = this.s.getFrame.get(sopInstanceUid, frameNumber) as FrameRow | undefined;
    return r === undefined ? undefined : toFrameRecord(r);
  }

  listFrames(sopInstanceUid: string): FrameRecord[] {
    return (this.s.listFrames.all(sopInstanceUid) as FrameRow[]).map(toFrameRecord);
  }

  query(query: QidoQuery): QidoResult {
    return this.qido.query(query);
  }

  framesWithoutIndex(limit: number): FrameRecord[] {
    const n = Number.isSafeInteger(limit) && limit > 0 ? limit : 0;
    return (this.s.framesWithoutIndex.all(n) as FrameRow[]).map(toFrameRecord);
  }

  setPacketIndex(sopInstanceUid: string, frameNumber: number, packetIndex: Uint8Array): void {
    const blob = Buffer.from(packetIndex.buffer, packetIndex.byteOffset, packetIndex.byteLength);
    const changes = this.s.setPacketIndex.run(blob, sopInstanceUid, frameNumber).changes;
    if (changes === 0)
      throw new NotFoundError('STORE_FRAME_NOT_FOUND', `no frame ${frameNumber} of ${sopInstanceUid}`, {
        context: sopInstanceUid,
      });
  }

  hasVersion(versionKey: string): boolean {
    return this.s.hasVersion.get(versionKey) !== undefined;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
