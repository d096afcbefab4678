// The SOP classes and transfer syntaxes the Fovea SCP accepts in association negotiation
// (PS3.4 Annex A Verification, Annex B Storage, Annex C Query/Retrieve; PS3.5 §10 / Annex A).
// Storage: every standard Storage SOP Class (all of them sit under 1.2.840.10008.5.1.4.1.1.),
// image and non-image alike. Private SOP classes and the retired/unsupported Q/R models
// (Patient/Study Only, Composite Instance Root, WADO/CMOVE-less variants) are rejected.

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
  return uid === QueryRetrieveModel.PatientRootFind || uid === QueryRetrieveModel.PatientRootMove || uid === QueryRetrieveModel.PatientRootGet;
}

export const TS = {
  ImplicitLittle: '1.2.840.10008.1.2',
  ExplicitLittle: '1.2.840.10008.1.2.1',
  DeflatedExplicitLittle: '1.2.840.10008.1.2.1.99',
  ExplicitBig: '1.2.840.10008.1.2.2',
} as const;

/** Uncompressed syntaxes, in the SCP's order of preference (PS3.5 §10.1, A.2, A.3). */
export const UNCOMPRESSED_SYNTAXES: readonly string[] = [TS.ExplicitLittle, TS.ImplicitLittle, TS.ExplicitBig];

/**
 * Syntaxes accepted for Storage, in order of preference: the J2K/HTJ2K family first (Fovea stores
 * those as received), then the other compressed syntaxes ingest transcodes, then uncompressed.
 */
export const STORAGE_SYNTAXES: readonly string[] = [
  '1.2.840.10008.1.2.4.201', // HTJ2K Lossless
  '1.2.840.10008.1.2.4.202', // HTJ2K RPCL Lossless
  '1.2.840.10008.1.2.4.203', // HTJ2K
  '1.2.840.10008.1.2.4.90', // JPEG 2000 Lossless
  '1.2.840.10008.1.2.4.91', // JPEG 2000
  '1.2.840.10008.1.2.4.80', // JPEG-LS Lossless
  '1.2.840.10008.1.2.4.81', // JPEG-LS Near-Lossless
  '1.2.840.10008.1.2.4.70', // JPEG Lossless SV1
  '1.2.840.10008.1.2.4.57', // JPEG Lossless
  '1.2.840.10008.1.2.4.50', // JPEG Baseline
  '1.2.840.10008.1.2.4.51', // JPEG Extended
  '1.2.840.10008.1.2.5', // RLE Lossless
  TS.DeflatedExplicitLittle,
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
