-- Fovea schema v1: the patient/study/series/instance hierarchy with the attributes QIDO-RS
-- matches (PS3.18 §10.6, PS3.4 C.2.2.2), the precomputed DICOM JSON of every instance, and one
-- row per frame referencing its JPEG 2000 / HTJ2K codestream inside the version's frames file.
-- Text attributes are NOT NULL DEFAULT '' so that "absent" and "empty" match alike; PN columns
-- are stored normalised (upper case, accents removed) for case-insensitive matching; TM and DT
-- columns are stored padded (HHMMSS.FFFFFF) so that ranges compare as strings.

CREATE TABLE patients (
  pk                  INTEGER PRIMARY KEY,
  -- 'id:<issuer>\<PatientID>' or, without a Patient ID, 'study:<StudyInstanceUID>'.
  patient_key         TEXT NOT NULL UNIQUE,
  patient_id          TEXT NOT NULL DEFAULT '',
  patient_name_norm   TEXT NOT NULL DEFAULT '',
  patient_name_words  TEXT NOT NULL DEFAULT '',
  patient_birth_date  TEXT NOT NULL DEFAULT '',
  patient_sex         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX patients_name ON patients (patient_name_norm);
CREATE INDEX patients_id ON patients (patient_id);
CREATE INDEX patients_birth_date ON patients (patient_birth_date);

CREATE TABLE studies (
  pk                         INTEGER PRIMARY KEY,
  study_uid                  TEXT NOT NULL UNIQUE,
  patient_pk                 INTEGER NOT NULL REFERENCES patients (pk),
  study_date                 TEXT NOT NULL DEFAULT '',
  study_time                 TEXT NOT NULL DEFAULT '',
  accession_number           TEXT NOT NULL DEFAULT '',
  referring_physician_norm   TEXT NOT NULL DEFAULT '',
  referring_physician_words  TEXT NOT NULL DEFAULT '',
  study_id                   TEXT NOT NULL DEFAULT '',
  study_description          TEXT NOT NULL DEFAULT '',
  -- Distinct series modalities, sorted, joined with '\' (the DICOM multi-value separator).
  modalities_in_study        TEXT NOT NULL DEFAULT '',
  num_series                 INTEGER NOT NULL DEFAULT 0,
  num_instances              INTEGER NOT NULL DEFAULT 0,
  -- DICOM JSON of the study- and patient-level attributes of the latest committed instance.
  attrs_json                 TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX studies_order ON studies (study_date, study_time, study_uid);
CREATE INDEX studies_patient ON studies (patient_pk);
CREATE INDEX studies_accession ON studies (accession_number);
CREATE INDEX studies_study_id ON studies (study_id);
CREATE INDEX studies_referring ON studies (referring_physician_norm);

CREATE TABLE series (
  pk                    INTEGER PRIMARY KEY,
  series_uid            TEXT NOT NULL UNIQUE,
  study_pk              INTEGER NOT NULL REFERENCES studies (pk),
  modality              TEXT NOT NULL DEFAULT '',
  series_number         INTEGER,
  series_description    TEXT NOT NULL DEFAULT '',
  series_date           TEXT NOT NULL DEFAULT '',
  series_time           TEXT NOT NULL DEFAULT '',
  body_part_examined    TEXT NOT NULL DEFAULT '',
  performed_start_date  TEXT NOT NULL DEFAULT '',
  performed_start_time  TEXT NOT NULL DEFAULT '',
  num_instances         INTEGER NOT NULL DEFAULT 0,
  -- DICOM JSON of the series-level attributes of the latest committed instance.
  attrs_json            TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX series_study ON series (study_pk, series_number, series_uid);
CREATE INDEX series_modality ON series (modality, study_pk);

CREATE TABLE instances (
  pk                          INTEGER PRIMARY KEY,
  sop_uid                     TEXT NOT NULL UNIQUE,
  series_pk                   INTEGER NOT NULL REFERENCES series (pk),
  study_pk                    INTEGER NOT NULL REFERENCES studies (pk),
  sop_class_uid               TEXT NOT NULL,
  instance_number             INTEGER,
  image_rows                  INTEGER,
  image_columns               INTEGER,
  bits_allocated              INTEGER,
  number_of_frames            INTEGER NOT NULL DEFAULT 0,
  timezone_offset             TEXT NOT NULL DEFAULT '',
  content_date                TEXT NOT NULL DEFAULT '',
  content_time                TEXT NOT NULL DEFAULT '',
  acquisition_datetime        TEXT NOT NULL DEFAULT '',
  received_ts                 TEXT NOT NULL,
  stored_ts                   TEXT NOT NULL,
  content_sha256              TEXT NOT NULL,
  version_key                 TEXT NOT NULL,
  size_bytes                  INTEGER NOT NULL,
  pixel_data_provider_url     TEXT,
  -- The instance's full DICOM JSON (PS3.18 F.2), served by WADO-RS metadata as is.
  metadata_json               TEXT NOT NULL,
  committed_at                TEXT NOT NULL
);
CREATE INDEX instances_series ON instances (series_pk, instance_number, sop_uid);
CREATE INDEX instances_study ON instances (study_pk);
CREATE INDEX instances_version ON instances (version_key);
CREATE INDEX instances_sop_class ON instances (sop_class_uid);

CREATE TABLE frames (
  instance_pk          INTEGER NOT NULL REFERENCES instances (pk) ON DELETE CASCADE,
  frame_number         INTEGER NOT NULL,
  frames_key           TEXT NOT NULL,
  byte_offset          INTEGER NOT NULL,
  byte_length          INTEGER NOT NULL,
  sha256               TEXT NOT NULL,
  -- Offset of the codestream (SOC) inside the stored frame: 0, or a JP2/JPH header's length.
  codestream_offset    INTEGER NOT NULL DEFAULT 0,
  transfer_syntax_uid  TEXT NOT NULL,
  width                INTEGER NOT NULL,
  height               INTEGER NOT NULL,
  components           INTEGER NOT NULL,
  bit_depth            INTEGER NOT NULL,
  is_signed            INTEGER NOT NULL,
  levels               INTEGER NOT NULL,
  layers               INTEGER NOT NULL,
  progression          TEXT NOT NULL,
  tiles_x              INTEGER NOT NULL,
  tiles_y              INTEGER NOT NULL,
  precincts            TEXT NOT NULL,
  htj2k                INTEGER NOT NULL,
  packet_index         BLOB,
  PRIMARY KEY (instance_pk, frame_number)
);
CREATE INDEX frames_without_index ON frames (instance_pk, frame_number) WHERE packet_index IS NULL;
