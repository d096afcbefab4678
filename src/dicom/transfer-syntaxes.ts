// Transfer syntax table (PS3.5 §10 and Annex A, PS3.6 Table A-1): for each UID the data set
// encoding (explicit VR, byte order, deflate) and the pixel data encoding family. MPEG/HEVC video
// syntaxes are listed with family 'video' and JPEG XL with 'jpeg-xl': Fovea decodes neither and
// keeps such objects as received. A UID not in the table is unknown: PS3.5 §10.1 makes every such
// syntax Explicit VR Little Endian.

export type TransferSyntaxFamily =
  | 'native'
  | 'j2k'
  | 'htj2k'
  | 'jpeg-baseline'
  | 'jpeg-extended'
  | 'jpeg-lossless'
  | 'jpeg-ls'
  | 'rle'
  | 'jpip'
  | 'jpip-htj2k'
  | 'video'
  | 'jpeg-xl'
  | 'other';

export interface TransferSyntax {
  readonly uid: string;
  readonly name: string;
  readonly family: TransferSyntaxFamily;
  readonly explicitVr: boolean;
  readonly littleEndian: boolean;
  readonly deflated: boolean;
  /** Pixel Data encapsulated in fragments (PS3.5 A.4). */
  readonly encapsulated: boolean;
  /** Lossy compression is possible (not "lossless only"). */
  readonly lossy: boolean;
  /** Retired in PS3.6 (still accepted on input). */
  readonly retired: boolean;
}

// The transfer syntax UIDs Fovea names in code (PS3.6 Table A-1); the one place they are spelled.
export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';
export const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
export const JPEG_EXTENDED = '1.2.840.10008.1.2.4.51';
export const JPEG_LOSSLESS = '1.2.840.10008.1.2.4.57';
export const JPEG_LOSSLESS_SV1 = '1.2.840.10008.1.2.4.70';
export const JPEG_LS_LOSSLESS = '1.2.840.10008.1.2.4.80';
export const JPEG_LS_NEAR_LOSSLESS = '1.2.840.10008.1.2.4.81';
export const JPEG_2000_LOSSLESS = '1.2.840.10008.1.2.4.90';
export const JPEG_2000 = '1.2.840.10008.1.2.4.91';
export const JPIP_REFERENCED = '1.2.840.10008.1.2.4.94';
export const JPIP_REFERENCED_DEFLATE = '1.2.840.10008.1.2.4.95';
export const HTJ2K_LOSSLESS = '1.2.840.10008.1.2.4.201';
export const HTJ2K_LOSSLESS_RPCL = '1.2.840.10008.1.2.4.202';
export const HTJ2K = '1.2.840.10008.1.2.4.203';
export const JPIP_HTJ2K_REFERENCED = '1.2.840.10008.1.2.4.204';
export const JPIP_HTJ2K_REFERENCED_DEFLATE = '1.2.840.10008.1.2.4.205';
export const RLE_LOSSLESS = '1.2.840.10008.1.2.5';
export const JPEG_XL_LOSSLESS = '1.2.840.10008.1.2.4.110';
export const JPEG_XL_JPEG_RECOMPRESSION = '1.2.840.10008.1.2.4.111';
export const JPEG_XL = '1.2.840.10008.1.2.4.112';

type Row = [
  uid: string,
  name: string,
  family: TransferSyntaxFamily,
  encapsulated: boolean,
  lossy: boolean,
  extra?: Partial<TransferSyntax>,
];

const ROWS: Row[] = [
  [IMPLICIT_VR_LITTLE_ENDIAN, 'Implicit VR Little Endian', 'native', false, false, { explicitVr: false }],
  [EXPLICIT_VR_LITTLE_ENDIAN, 'Explicit VR Little Endian', 'native', false, false],
  [
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
    'Deflated Explicit VR Little Endian',
    'native',
    false,
    false,
    { deflated: true },
  ],
  [EXPLICIT_VR_BIG_ENDIAN, 'Explicit VR Big Endian', 'native', false, false, { littleEndian: false, retired: true }],
  ['1.2.840.10008.1.2.1.98', 'Encapsulated Uncompressed Explicit VR Little Endian', 'native', true, false],
  [JPEG_BASELINE, 'JPEG Baseline (Process 1)', 'jpeg-baseline', true, true],
  [JPEG_EXTENDED, 'JPEG Extended (Process 2 & 4)', 'jpeg-extended', true, true],
  [JPEG_LOSSLESS, 'JPEG Lossless, Non-Hierarchical (Process 14)', 'jpeg-lossless', true, false],
  [
    JPEG_LOSSLESS_SV1,
    'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [SV1])',
    'jpeg-lossless',
    true,
    false,
  ],
  [JPEG_LS_LOSSLESS, 'JPEG-LS Lossless', 'jpeg-ls', true, false],
  [JPEG_LS_NEAR_LOSSLESS, 'JPEG-LS Lossy (Near-Lossless)', 'jpeg-ls', true, true],
  [JPEG_2000_LOSSLESS, 'JPEG 2000 Image Compression (Lossless Only)', 'j2k', true, false],
  [JPEG_2000, 'JPEG 2000 Image Compression', 'j2k', true, true],
  ['1.2.840.10008.1.2.4.92', 'JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)', 'j2k', true, false],
  ['1.2.840.10008.1.2.4.93', 'JPEG 2000 Part 2 Multi-component Image Compression', 'j2k', true, true],
  [JPIP_REFERENCED, 'JPIP Referenced', 'jpip', false, true],
  [JPIP_REFERENCED_DEFLATE, 'JPIP Referenced Deflate', 'jpip', false, true, { deflated: true }],
  [HTJ2K_LOSSLESS, 'High-Throughput JPEG 2000 Image Compression (Lossless Only)', 'htj2k', true, false],
  [
    HTJ2K_LOSSLESS_RPCL,
    'High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)',
    'htj2k',
    true,
    false,
  ],
  [HTJ2K, 'High-Throughput JPEG 2000 Image Compression', 'htj2k', true, true],
  [JPIP_HTJ2K_REFERENCED, 'JPIP HTJ2K Referenced', 'jpip-htj2k', false, true],
  [JPIP_HTJ2K_REFERENCED_DEFLATE, 'JPIP HTJ2K Referenced Deflate', 'jpip-htj2k', false, true, { deflated: true }],
  [RLE_LOSSLESS, 'RLE Lossless', 'rle', true, false],
  ['1.2.840.10008.1.2.4.100', 'MPEG2 Main Profile / Main Level', 'video', true, true],
  ['1.2.840.10008.1.2.4.100.1', 'Fragmentable MPEG2 Main Profile / Main Level', 'video', true, true],
  ['1.2.840.10008.1.2.4.101', 'MPEG2 Main Profile / High Level', 'video', true, true],
  ['1.2.840.10008.1.2.4.101.1', 'Fragmentable MPEG2 Main Profile / High Level', 'video', true, true],
  ['1.2.840.10008.1.2.4.102', 'MPEG-4 AVC/H.264 High Profile / Level 4.1', 'video', true, true],
  ['1.2.840.10008.1.2.4.102.1', 'Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1', 'video', true, true],
  ['1.2.840.10008.1.2.4.103', 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1', 'video', true, true],
  [
    '1.2.840.10008.1.2.4.103.1',
    'Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1',
    'video',
    true,
    true,
  ],
  ['1.2.840.10008.1.2.4.104', 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video', 'video', true, true],
  [
    '1.2.840.10008.1.2.4.104.1',
    'Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video',
    'video',
    true,
    true,
  ],
  ['1.2.840.10008.1.2.4.105', 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video', 'video', true, true],
  [
    '1.2.840.10008.1.2.4.105.1',
    'Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video',
    'video',
    true,
    true,
  ],
  ['1.2.840.10008.1.2.4.106', 'MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2', 'video', true, true],
  ['1.2.840.10008.1.2.4.106.1', 'Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2', 'video', true, true],
  ['1.2.840.10008.1.2.4.107', 'HEVC/H.265 Main Profile / Level 5.1', 'video', true, true],
  ['1.2.840.10008.1.2.4.108', 'HEVC/H.265 Main 10 Profile / Level 5.1', 'video', true, true],
  [JPEG_XL_LOSSLESS, 'JPEG XL Lossless', 'jpeg-xl', true, false],
  [JPEG_XL_JPEG_RECOMPRESSION, 'JPEG XL JPEG Recompression', 'jpeg-xl', true, false],
  [JPEG_XL, 'JPEG XL', 'jpeg-xl', true, true],
  ['1.2.840.10008.1.2.6.1', 'RFC 2557 MIME encapsulation', 'other', false, false, { retired: true }],
  ['1.2.840.10008.1.2.6.2', 'XML Encoding', 'other', false, false, { retired: true }],
];

const TABLE: ReadonlyMap<string, TransferSyntax> = new Map(
  ROWS.map(([uid, name, family, encapsulated, lossy, extra]) => [
    uid,
    Object.freeze({
      uid,
      name,
      family,
      encapsulated,
      lossy,
      explicitVr: true,
      littleEndian: true,
      deflated: false,
      retired: false,
      ...extra,
    }),
  ]),
);

/** The table entry for `uid`, or undefined when the UID is not a known transfer syntax. */
export function transferSyntax(uid: string): TransferSyntax | undefined {
  return TABLE.get(uid);
}

/** Every known transfer syntax, in table order. */
export function allTransferSyntaxes(): TransferSyntax[] {
  return [...TABLE.values()];
}

/**
 * The data set encoding to use for `uid` (PS3.5 §10.1: unknown syntaxes are Explicit VR
 * Little Endian, encapsulated when Pixel Data has an undefined length).
 */
export function datasetEncoding(uid: string): { explicitVr: boolean; littleEndian: boolean; deflated: boolean } {
  const ts = TABLE.get(uid);
  return ts === undefined
    ? { explicitVr: true, littleEndian: true, deflated: false }
    : { explicitVr: ts.explicitVr, littleEndian: ts.littleEndian, deflated: ts.deflated };
}
