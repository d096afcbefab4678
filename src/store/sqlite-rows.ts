// Turns an InstanceWrite into the column values of the patients/studies/series/instances rows
// (PS3.18 Table 10.6.3-3/4/5 attributes taken from the instance's DICOM JSON), and SQLite rows
// back into records. Dialect-specific only in the row shapes (0/1 booleans, BLOBs as Buffer).

import {
  firstInteger,
  firstString,
  normaliseDate,
  normalisePersonName,
  padDateTime,
  padTime,
  personNameWords,
  pick,
} from './dicom-json-values';
import { SERIES_ATTRIBUTES, STUDY_ATTRIBUTES } from './qido-attributes';
import type { FrameRecord, InstanceRecord, InstanceWrite } from './types';

/** Attributes computed by the store, never copied from an instance. */
const COMPUTED = new Set(['00080056', '00080061', '00201206', '00201208', '00201209']);
const STUDY_TAGS = [...STUDY_ATTRIBUTES.keys()].filter((t) => !COMPUTED.has(t));
const SERIES_TAGS = [...SERIES_ATTRIBUTES.keys()].filter((t) => !COMPUTED.has(t));

export interface PatientColumns {
  patient_key: string;
  patient_id: string;
  patient_name_norm: string;
  patient_name_words: string;
  patient_birth_date: string;
  patient_sex: string;
}

export function patientColumns(w: InstanceWrite): PatientColumns {
  const id = firstString(w.metadata, '00100020');
  const issuer = firstString(w.metadata, '00100021');
  const name = normalisePersonName(firstString(w.metadata, '00100010'));
  return {
    patient_key: id !== '' ? `id:${issuer}\\${id}` : `study:${w.studyInstanceUid}`,
    patient_id: id,
    patient_name_norm: name,
    patient_name_words: personNameWords(name),
    patient_birth_date: normaliseDate(firstString(w.metadata, '00100030')),
    patient_sex: firstString(w.metadata, '00100040').toUpperCase(),
  };
}

export function studyColumns(w: InstanceWrite): Record<string, string> {
  const m = w.metadata;
  const referring = normalisePersonName(firstString(m, '00080090'));
  return {
    study_date: normaliseDate(firstString(m, '00080020')),
    study_time: padTime(firstString(m, '00080030'), 'low') ?? '',
    accession_number: firstString(m, '00080050'),
    referring_physician_norm: referring,
    referring_physician_words: personNameWords(referring),
    study_id: firstString(m, '00200010'),
    study_description: firstString(m, '00081030'),
    attrs_json: JSON.stringify(pick(m, STUDY_TAGS)),
  };
}

export function seriesColumns(w: InstanceWrite): Record<string, string | number | null> {
  const m = w.metadata;
  return {
    modality: firstString(m, '00080060'),
    series_number: firstInteger(m, '00200011'),
    series_description: firstString(m, '0008103E'),
    series_date: normaliseDate(firstString(m, '00080021')),
    series_time: padTime(firstString(m, '00080031'), 'low') ?? '',
    body_part_examined: firstString(m, '00180015'),
    performed_start_date: normaliseDate(firstString(m, '00400244')),
    performed_start_time: padTime(firstString(m, '00400245'), 'low') ?? '',
    attrs_json: JSON.stringify(pick(m, SERIES_TAGS)),
  };
}

export function instanceColumns(w: InstanceWrite): Record<string, string | number | null> {
  const m = w.metadata;
  return {
    sop_uid: w.sopInstanceUid,
    sop_class_uid: w.sopClassUid,
    instance_number: firstInteger(m, '00200013'),
    image_rows: firstInteger(m, '00280010'),
    image_columns: firstInteger(m, '00280011'),
    bits_allocated: firstInteger(m, '00280100'),
    number_of_frames: w.numberOfFrames,
    timezone_offset: firstString(m, '00080201'),
    content_date: normaliseDate(firstString(m, '00080023')),
    content_time: padTime(firstString(m, '00080033'), 'low') ?? '',
    acquisition_datetime: padDateTime(firstString(m, '0008002A'), 'low') ?? '',
    received_ts: w.receivedTransferSyntaxUid,
    stored_ts: w.storedTransferSyntaxUid,
    content_sha256: w.contentSha256,
    version_key: w.versionKey,
    size_bytes: w.sizeBytes,
    pixel_data_provider_url: w.pixelDataProviderUrl,
    as_received_reason: w.asReceivedReason ?? null,
    metadata_json: JSON.stringify(w.metadata),
    committed_at: new Date().toISOString(),
  };
}

export interface InstanceRow {
  study_uid: string;
  series_uid: string;
  sop_uid: string;
  sop_class_uid: string;
  received_ts: string;
  stored_ts: string;
  content_sha256: string;
  version_key: string;
  size_bytes: number;
  number_of_frames: number;
  pixel_data_provider_url: string | null;
  instance_number: number | null;
  as_received_reason: string | null;
}

export function toInstanceRecord(r: InstanceRow): InstanceRecord {
  return {
    studyInstanceUid: r.study_uid,
    seriesInstanceUid: r.series_uid,
    sopInstanceUid: r.sop_uid,
    sopClassUid: r.sop_class_uid,
    receivedTransferSyntaxUid: r.received_ts,
    storedTransferSyntaxUid: r.stored_ts,
    contentSha256: r.content_sha256,
    versionKey: r.version_key,
    sizeBytes: r.size_bytes,
    numberOfFrames: r.number_of_frames,
    pixelDataProviderUrl: r.pixel_data_provider_url,
    instanceNumber: r.instance_number,
    asReceivedReason: r.as_received_reason,
  };
}

export interface FrameRow {
  sop_uid: string;
  frame_number: number;
  frames_key: string;
  byte_offset: number;
  byte_length: number;
  sha256: string;
  codestream_offset: number;
  transfer_syntax_uid: string;
  width: number;
  height: number;
  components: number;
  bit_depth: number;
  is_signed: number;
  levels: number;
  layers: number;
  progression: string;
  tiles_x: number;
  tiles_y: number;
  precincts: string;
  htj2k: number;
  packet_index: Buffer | null;
}

export function toFrameRecord(r: FrameRow): FrameRecord {
  return {
    sopInstanceUid: r.sop_uid,
    framesKey: r.frames_key,
    frameNumber: r.frame_number,
    offset: r.byte_offset,
    length: r.byte_length,
    sha256: r.sha256,
    codestreamOffset: r.codestream_offset,
    transferSyntaxUid: r.transfer_syntax_uid,
    summary: {
      width: r.width,
      height: r.height,
      components: r.components,
      bitDepth: r.bit_depth,
      signed: r.is_signed !== 0,
      levels: r.levels,
      layers: r.layers,
      progression: r.progression,
      tilesX: r.tiles_x,
      tilesY: r.tiles_y,
      precincts: r.precincts,
      htj2k: r.htj2k !== 0,
    },
    packetIndex:
      r.packet_index === null
        ? null
        : new Uint8Array(r.packet_index.buffer, r.packet_index.byteOffset, r.packet_index.byteLength),
  };
}
