// The SOP classes and transfer syntaxes the Fovea SCP accepts in association negotiation
// (PS3.4 Annex A Verification, Annex B Storage, Annex C Query/Retrieve; PS3.5 §10 / Annex A).
// Storage: every standard Storage SOP Class (all of them sit under 1.2.840.10008.5.1.4.1.1.),
// image and non-image alike. Private SOP classes and the retired/unsupported Q/R models
// (Patient/Study Only, Composite Instance Root, WADO/CMOVE-less variants) are rejected.

import {
  allTransferSyntaxes,
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  HTJ2K,
  HTJ2K_LOSSLESS,
  HTJ2K_LOSSLESS_RPCL,
  IMPLICIT_VR_LITTLE_ENDIAN,
  JPEG_2000,
  JPEG_2000_LOSSLESS,
  JPEG_BASELINE,
  JPEG_EXTENDED,
  JPEG_LOSSLESS,
  JPEG_LOSSLESS_SV1,
  JPEG_LS_LOSSLESS,
  JPEG_LS_NEAR_LOSSLESS,
  RLE_LOSSLESS,
} from '../dicom';

export const VERIFICATION = '1.2.840.10008.1.1';

export const QueryRetrieveModel = {
  PatientRootFind: '1.2.840.10008.5.1.4.1.2.1.1',
  PatientRootMove: '1.2.840.10008.5.1.4.1.2.1.2',
  PatientRootGet: '1.2.840.10008.5.1.4.1.2.1.3',
  StudyRootFind: '1.2.840.10008.5.1.4.1.2.2.1',
  StudyRootMove: '1.2.840.10008.5.1.4.1.2.2.2',
  StudyRootGet: '1.2.840.10008.5.1.4.1.2.2.3',
} as const;

const QR_MODELS: ReadonlySet<string> = new Set(Object.values(QueryRetrieveModel));

/** Storage SOP Classes: PS3.4 Table B.5-1 lists them all under this root. */
const STORAGE_ROOT = '1.2.840.10008.5.1.4.1.1.';
export function isStorageSopClass(uid: string): boolean {
  return uid.startsWith(STORAGE_ROOT) && uid.length > STORAGE_ROOT.length && /^[0-9.]+$/.test(uid);
}

export function isQueryRetrieveModel(uid: string): boolean {
  return QR_MODELS.has(uid);
}

export function isPatientRoot(uid: string): boolean {
  return (
    uid === QueryRetrieveModel.PatientRootFind ||
    uid === QueryRetrieveModel.PatientRootMove ||
    uid === QueryRetrieveModel.PatientRootGet
  );
}

/** Uncompressed syntaxes, in the SCP's order of preference (PS3.5 §10.1, A.2, A.3). */
export const UNCOMPRESSED_SYNTAXES: readonly string[] = [
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
];

/** Video (MPEG-2, H.264, HEVC) and JPEG XL: Fovea decodes none of them and keeps such objects as received. */
const AS_RECEIVED_SYNTAXES: readonly string[] = allTransferSyntaxes()
  .filter((ts) => ts.family === 'video' || ts.family === 'jpeg-xl')
  .map((ts) => ts.uid);

/**
 * Syntaxes accepted for Storage, in order of preference: the J2K/HTJ2K family first (Fovea stores
 * those as received), then the other compressed syntaxes ingest transcodes, then the ones it keeps
 * as received (video, JPEG XL), then uncompressed.
 */
export const STORAGE_SYNTAXES: readonly string[] = [
  HTJ2K_LOSSLESS,
  HTJ2K_LOSSLESS_RPCL,
  HTJ2K,
  JPEG_2000_LOSSLESS,
  JPEG_2000,
  JPEG_LS_LOSSLESS,
  JPEG_LS_NEAR_LOSSLESS,
  JPEG_LOSSLESS_SV1,
  JPEG_LOSSLESS,
  JPEG_BASELINE,
  JPEG_EXTENDED,
  RLE_LOSSLESS,
  ...AS_RECEIVED_SYNTAXES,
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  ...UNCOMPRESSED_SYNTAXES,
];

/**
 * The transfer syntax to accept for a proposed presentation context, or null to reject it
 * with "transfer syntaxes not supported". For storage, the sender's own first choice among
 * the ones we accept wins (so a J2K sender does not have to transcode); for the other
 * services, the SCP's preferred uncompressed syntax.
 */
export function chooseTransferSyntax(abstractSyntax: string, proposed: readonly string[]): string | null {
  if (isStorageSopClass(abstractSyntax)) {
    const accepted = proposed.filter((ts) => STORAGE_SYNTAXES.includes(ts));
    const compressed = accepted.find((ts) => !UNCOMPRESSED_SYNTAXES.includes(ts));
    return compressed ?? UNCOMPRESSED_SYNTAXES.find((ts) => accepted.includes(ts)) ?? null;
  }
  return UNCOMPRESSED_SYNTAXES.find((ts) => proposed.includes(ts)) ?? null;
}

/** PS3.8 9.3.3.2 / PS3.7 D.3.3: one proposed presentation context: accepted with a transfer
 *  syntax, or rejected because of its abstract syntax or of all its transfer syntaxes. */
export function negotiateContext(
  abstractSyntax: string,
  proposed: readonly string[],
): { accept: string } | 'abstract' | 'transfer' {
  if (abstractSyntax !== VERIFICATION && !isQueryRetrieveModel(abstractSyntax) && !isStorageSopClass(abstractSyntax))
    return 'abstract';
  const ts = chooseTransferSyntax(abstractSyntax, proposed);
  return ts === null ? 'transfer' : { accept: ts };
}
