// The attributes each QIDO-RS level knows (PS3.18 §10.6.3.3 Tables 10.6.3-3/4/5 default sets,
// plus the usual optional patient/study/series keys of the PS3.4 C.6.2 Study Root model), how
// each one is matched (PS3.4 C.2.2.2) and where its value lives: a schema column (qualified by
// the table alias p=patients, st=studies, se=series, i=instances) or, for column-less keys, the
// level's stored DICOM JSON. Instance-level keys outside this table are matched in the instance
// JSON. Dialect-neutral: no SQL here, only schema names.

import type { QidoLevel } from './types';

export type MatchKind =
  | 'text' // single value or * ? wildcards, case-sensitive
  | 'code' // CS: as text, plus comma-separated value lists
  | 'pn' // case- and accent-insensitive, wildcards, fuzzy matching
  | 'date' // DA: single value or range
  | 'time' // TM: single value or range
  | 'datetime' // DT: single value or range
  | 'uid' // UI: single value or comma/backslash list
  | 'int' // IS/US: single value or comma list
  | 'modalities' // ModalitiesInStudy: CS list matched against the study's series
  | 'availability' // InstanceAvailability: always ONLINE
  | 'sequence'; // SQ: returned, universal matching only

export interface LevelAttribute {
  tag: string;
  keyword: string;
  vr: string;
  level: QidoLevel;
  kind: MatchKind;
  /** 'alias.column' holding the matchable value; for 'pn' the base name of the _norm/_words pair. Null: matched in the level JSON. */
  column: string | null;
  /** In the default return set of PS3.18 Table 10.6.3-3/4/5. */
  isDefault: boolean;
}

type Row = [tag: string, keyword: string, vr: string, kind: MatchKind, column: string | null, isDefault: boolean];

function table(level: QidoLevel, rows: Row[]): Map<string, LevelAttribute> {
  return new Map(
    rows.map(([tag, keyword, vr, kind, column, isDefault]) => [
      tag,
      { tag, keyword, vr, level, kind, column, isDefault },
    ]),
  );
}

/** Patient and study attributes (Patient, General Study, Patient Study modules). */
export const STUDY_ATTRIBUTES = table('study', [
  ['00080020', 'StudyDate', 'DA', 'date', 'st.study_date', true],
  ['00080030', 'StudyTime', 'TM', 'time', 'st.study_time', true],
  ['00080050', 'AccessionNumber', 'SH', 'text', 'st.accession_number', true],
  ['00080056', 'InstanceAvailability', 'CS', 'availability', null, true],
  ['00080061', 'ModalitiesInStudy', 'CS', 'modalities', null, true],
  ['00080090', 'ReferringPhysicianName', 'PN', 'pn', 'st.referring_physician', true],
  ['00080201', 'TimezoneOffsetFromUTC', 'SH', 'text', null, true],
  ['00081030', 'StudyDescription', 'LO', 'text', 'st.study_description', true],
  ['00100010', 'PatientName', 'PN', 'pn', 'p.patient_name', true],
  ['00100020', 'PatientID', 'LO', 'text', 'p.patient_id', true],
  ['00100030', 'PatientBirthDate', 'DA', 'date', 'p.patient_birth_date', true],
  ['00100040', 'PatientSex', 'CS', 'code', 'p.patient_sex', true],
  ['0020000D', 'StudyInstanceUID', 'UI', 'uid', 'st.study_uid', true],
  ['00200010', 'StudyID', 'SH', 'text', 'st.study_id', true],
  ['00201206', 'NumberOfStudyRelatedSeries', 'IS', 'int', 'st.num_series', true],
  ['00201208', 'NumberOfStudyRelatedInstances', 'IS', 'int', 'st.num_instances', true],
  ['00080051', 'IssuerOfAccessionNumberSequence', 'SQ', 'sequence', null, false],
  ['00081032', 'ProcedureCodeSequence', 'SQ', 'sequence', null, false],
  ['00081060', 'NameOfPhysiciansReadingStudy', 'PN', 'pn', null, false],
  ['00081080', 'AdmittingDiagnosesDescription', 'LO', 'text', null, false],
  ['00100021', 'IssuerOfPatientID', 'LO', 'text', null, false],
  ['00100032', 'PatientBirthTime', 'TM', 'text', null, false],
  ['00101000', 'OtherPatientIDs', 'LO', 'text', null, false],
  ['00101001', 'OtherPatientNames', 'PN', 'pn', null, false],
  ['00101002', 'OtherPatientIDsSequence', 'SQ', 'sequence', null, false],
  ['00101010', 'PatientAge', 'AS', 'text', null, false],
  ['00101020', 'PatientSize', 'DS', 'text', null, false],
  ['00101030', 'PatientWeight', 'DS', 'text', null, false],
  ['00102000', 'MedicalAlerts', 'LO', 'text', null, false],
  ['00102110', 'Allergies', 'LO', 'text', null, false],
  ['00102160', 'EthnicGroup', 'SH', 'text', null, false],
  ['001021B0', 'AdditionalPatientHistory', 'LT', 'text', null, false],
  ['00104000', 'PatientComments', 'LT', 'text', null, false],
  ['00321060', 'RequestedProcedureDescription', 'LO', 'text', null, false],
]);

/** Series attributes (General Series, General Equipment, Frame of Reference, Performed Procedure Step). */
export const SERIES_ATTRIBUTES = table('series', [
  ['00080056', 'InstanceAvailability', 'CS', 'availability', null, true],
  ['00080060', 'Modality', 'CS', 'code', 'se.modality', true],
  ['00080201', 'TimezoneOffsetFromUTC', 'SH', 'text', null, true],
  ['0008103E', 'SeriesDescription', 'LO', 'text', 'se.series_description', true],
  ['0020000E', 'SeriesInstanceUID', 'UI', 'uid', 'se.series_uid', true],
  ['00200011', 'SeriesNumber', 'IS', 'int', 'se.series_number', true],
  ['00201209', 'NumberOfSeriesRelatedInstances', 'IS', 'int', 'se.num_instances', true],
  ['00400244', 'PerformedProcedureStepStartDate', 'DA', 'date', 'se.performed_start_date', true],
  ['00400245', 'PerformedProcedureStepStartTime', 'TM', 'time', 'se.performed_start_time', true],
  ['00400275', 'RequestAttributesSequence', 'SQ', 'sequence', null, true],
  ['00080021', 'SeriesDate', 'DA', 'date', 'se.series_date', false],
  ['00080031', 'SeriesTime', 'TM', 'time', 'se.series_time', false],
  ['00080070', 'Manufacturer', 'LO', 'text', null, false],
  ['00080080', 'InstitutionName', 'LO', 'text', null, false],
  ['00081010', 'StationName', 'SH', 'text', null, false],
  ['00081050', 'PerformingPhysicianName', 'PN', 'pn', null, false],
  ['00081070', 'OperatorsName', 'PN', 'pn', null, false],
  ['00081090', 'ManufacturerModelName', 'LO', 'text', null, false],
  ['00180015', 'BodyPartExamined', 'CS', 'code', 'se.body_part_examined', false],
  ['00181030', 'ProtocolName', 'LO', 'text', null, false],
  ['00185100', 'PatientPosition', 'CS', 'code', null, false],
  ['00200052', 'FrameOfReferenceUID', 'UI', 'uid', null, false],
  ['00200060', 'Laterality', 'CS', 'code', null, false],
  ['00400253', 'PerformedProcedureStepID', 'SH', 'text', null, false],
  ['00400254', 'PerformedProcedureStepDescription', 'LO', 'text', null, false],
]);

/** Instance attributes with a column; any other instance-level key is matched in the instance JSON. */
export const INSTANCE_ATTRIBUTES = table('instance', [
  ['00080016', 'SOPClassUID', 'UI', 'uid', 'i.sop_class_uid', true],
  ['00080018', 'SOPInstanceUID', 'UI', 'uid', 'i.sop_uid', true],
  ['00080056', 'InstanceAvailability', 'CS', 'availability', null, true],
  ['00080201', 'TimezoneOffsetFromUTC', 'SH', 'text', 'i.timezone_offset', true],
  ['00200013', 'InstanceNumber', 'IS', 'int', 'i.instance_number', true],
  ['00280010', 'Rows', 'US', 'int', 'i.image_rows', true],
  ['00280011', 'Columns', 'US', 'int', 'i.image_columns', true],
  ['00280100', 'BitsAllocated', 'US', 'int', 'i.bits_allocated', true],
  ['00280008', 'NumberOfFrames', 'IS', 'int', 'i.number_of_frames', true],
  ['00080023', 'ContentDate', 'DA', 'date', 'i.content_date', false],
  ['00080033', 'ContentTime', 'TM', 'time', 'i.content_time', false],
  ['0008002A', 'AcquisitionDateTime', 'DT', 'datetime', 'i.acquisition_datetime', false],
]);

export const LEVEL_ATTRIBUTES: Record<QidoLevel, Map<string, LevelAttribute>> = {
  study: STUDY_ATTRIBUTES,
  series: SERIES_ATTRIBUTES,
  instance: INSTANCE_ATTRIBUTES,
};

const DEPTH: Record<QidoLevel, number> = { study: 0, series: 1, instance: 2 };

/** Levels from the top down to `level` inclusive (study, series, instance). */
export function levelsDownTo(level: QidoLevel): QidoLevel[] {
  return (['study', 'series', 'instance'] as const).filter((l) => DEPTH[l] <= DEPTH[level]);
}

/** True if `a` is below `b` in the hierarchy (instance below series below study). */
export function isBelow(a: QidoLevel, b: QidoLevel): boolean {
  return DEPTH[a] > DEPTH[b];
}

/** The level a known tag belongs to, checking the query level first, then upward; undefined if unknown. */
export function attributeFor(tag: string, queryLevel: QidoLevel): LevelAttribute | undefined {
  for (const level of levelsDownTo(queryLevel).reverse()) {
    const a = LEVEL_ATTRIBUTES[level].get(tag);
    if (a !== undefined) return a;
  }
  return undefined;
}

/** The lowest level (below queryLevel) that knows `tag`, to reject matching a lower-level key. */
export function lowerLevelOf(tag: string, queryLevel: QidoLevel): QidoLevel | undefined {
  for (const level of ['instance', 'series'] as const) {
    if (isBelow(level, queryLevel) && LEVEL_ATTRIBUTES[level].has(tag)) return level;
  }
  return undefined;
}
