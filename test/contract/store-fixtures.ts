// Hand-built DICOM JSON instances (PS3.18 F.2) for the store contract suite and the QIDO
// benchmark: no dependency on src/dicom. Every value is chosen so the expected QIDO results
// can be written down by hand.

import type { FrameWrite, InstanceWrite } from '../../src/store/types';
import type { DicomJsonObject as DicomJson } from '../../src/dicom';

export interface InstanceSpec {
  study: string;
  series: string;
  sop: string;
  sopClass?: string;
  patientName?: string;
  patientId?: string;
  patientBirthDate?: string;
  patientSex?: string;
  patientAge?: string;
  studyDate?: string;
  studyTime?: string;
  accession?: string;
  referring?: string;
  studyDescription?: string;
  modality?: string;
  seriesNumber?: number;
  seriesDescription?: string;
  protocolName?: string;
  instanceNumber?: number;
  rows?: number;
  columns?: number;
  imageType?: string[];
  acquisitionDateTime?: string;
  frames?: number;
  sha?: string;
  version?: string;
  extra?: DicomJson;
}

const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';
const J2K_LOSSLESS = '1.2.840.10008.1.2.4.90';

function s(vr: string, v: string | undefined): DicomJson[string] {
  return v === undefined || v === '' ? { vr } : { vr, Value: [v] };
}

function n(vr: string, v: number | undefined): DicomJson[string] {
  return v === undefined ? { vr } : { vr, Value: [v] };
}

export function frameWrite(frameNumber: number, offset: number, length: number): FrameWrite {
  return {
    frameNumber,
    offset,
    length,
    sha256: `${frameNumber}`.padStart(64, 'f'),
    codestreamOffset: frameNumber === 3 ? 40 : 0,
    transferSyntaxUid: J2K_LOSSLESS,
    summary: {
      width: 512,
      height: 256,
      components: 1,
      bitDepth: 12,
      signed: true,
      levels: 5,
      layers: 3,
      progression: 'RPCL',
      tilesX: 1,
      tilesY: 1,
      precincts: '128x128,128x128',
      htj2k: false,
    },
    packetIndex: null,
  };
}

export function metadataOf(spec: InstanceSpec): DicomJson {
  const frames = spec.frames ?? 1;
  const json: DicomJson = {
    '00080008': { vr: 'CS', Value: spec.imageType ?? ['ORIGINAL', 'PRIMARY', 'AXIAL'] },
    '00080016': s('UI', spec.sopClass ?? CT_IMAGE),
    '00080018': s('UI', spec.sop),
    '00080020': s('DA', spec.studyDate),
    '00080030': s('TM', spec.studyTime),
    '00080050': s('SH', spec.accession),
    '00080060': s('CS', spec.modality ?? 'CT'),
    '00080090': spec.referring === undefined ? { vr: 'PN' } : { vr: 'PN', Value: [{ Alphabetic: spec.referring }] },
    '00081030': s('LO', spec.studyDescription),
    '0008103E': s('LO', spec.seriesDescription),
    '00100010': spec.patientName === undefined ? { vr: 'PN' } : { vr: 'PN', Value: [{ Alphabetic: spec.patientName }] },
    '00100020': s('LO', spec.patientId),
    '00100030': s('DA', spec.patientBirthDate),
    '00100040': s('CS', spec.patientSex),
    '00101010': s('AS', spec.patientAge),
    '00181030': s('LO', spec.protocolName),
    '0020000D': s('UI', spec.study),
    '0020000E': s('UI', spec.series),
    '00200011': n('IS', spec.seriesNumber),
    '00200013': n('IS', spec.instanceNumber),
    '00280010': n('US', spec.rows ?? 256),
    '00280011': n('US', spec.columns ?? 512),
    '00280100': n('US', 16),
    '7FE00010': { vr: 'OB', BulkDataURI: 'bulkdata/7FE00010' },
  };
  if (frames > 1) json['00280008'] = { vr: 'IS', Value: [frames] };
  if (spec.acquisitionDateTime !== undefined) json['0008002A'] = s('DT', spec.acquisitionDateTime);
  for (const [tag, a] of Object.entries(spec.extra ?? {})) json[tag] = a;
  const sorted: DicomJson = {};
  for (const tag of Object.keys(json).sort()) {
    const a = json[tag];
    if (a !== undefined) sorted[tag] = a;
  }
  return sorted;
}

export function instanceWrite(spec: InstanceSpec): InstanceWrite {
  const frameCount = spec.frames ?? 1;
  const frames: FrameWrite[] = [];
  for (let i = 0; i < frameCount; i++) frames.push(frameWrite(i + 1, i * 1000, 1000 - i));
  return {
    studyInstanceUid: spec.study,
    seriesInstanceUid: spec.series,
    sopInstanceUid: spec.sop,
    sopClassUid: spec.sopClass ?? CT_IMAGE,
    receivedTransferSyntaxUid: J2K_LOSSLESS,
    storedTransferSyntaxUid: J2K_LOSSLESS,
    contentSha256: spec.sha ?? 'a'.repeat(64),
    versionKey: `00/${spec.sop}/${spec.version ?? 'v1'}`,
    sizeBytes: 4096,
    numberOfFrames: frameCount,
    pixelDataProviderUrl: null,
    metadata: metadataOf(spec),
    frames,
  };
}
