// The prepared statements of SqliteInstanceStore: every SQL text the instance store runs, in one
// place, prepared once per database. Column lists are shared by INSERT and UPDATE so the two never
// drift apart (store/sqlite-rows.ts builds the matching parameter objects).

import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './db';

export type Scope = { studyInstanceUid: string; seriesInstanceUid?: string; sopInstanceUid?: string };

const INSTANCE_SELECT = `SELECT st.study_uid, se.series_uid, i.sop_uid, i.sop_class_uid, i.received_ts, i.stored_ts, i.content_sha256,
  i.version_key, i.size_bytes, i.number_of_frames, i.pixel_data_provider_url, i.instance_number,
  i.as_received_reason
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
  'as_received_reason',
  'metadata_json',
  'committed_at',
]);

export function prepareInstanceStatements(db: SqliteDatabase) {
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

export type InstanceStatements = ReturnType<typeof prepareInstanceStatements>;
