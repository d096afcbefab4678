// JPIP Referenced data sets (PS3.5 A.6/A.7, A.11/A.12, Supplement 106): the object without Pixel
// Data and its offset tables, with Pixel Data Provider URL (0028,7FE0, UR), and a Photometric
// Interpretation limited to MONOCHROME1, MONOCHROME2, YBR_ICT or YBR_RCT. Lossy flags and the
// multi-frame attributes are kept. Does not check that the URL is reachable.

import { MalformedError, UnsupportedError } from '../bytes';
import type { DicomDataset } from './dataset';
import { transferSyntax } from './transfer-syntaxes';
import { Tags } from './vr';

export type CodestreamColourTransform = 'none' | 'rct' | 'ict';

export interface JpipReferencedOptions {
  /** Pixel Data Provider URL (PS3.5 §8.4.1), e.g. `<public-url>/jpip?target=<SOPInstanceUID>`. */
  url: string;
  /** .94, .95, .204 or .205. */
  transferSyntaxUid: string;
  /** The multiple component transform the stored codestreams use. */
  codestreamColourTransform: CodestreamColourTransform;
}

function photometricFor(current: string, mct: CodestreamColourTransform): string {
  if (current === 'MONOCHROME1' || current === 'MONOCHROME2') return current;
  if (current === 'YBR_RCT' && mct === 'rct') return current;
  if (current === 'YBR_ICT' && mct === 'ict') return current;
  if (current === 'RGB' || current === 'YBR_FULL' || current === 'YBR_RCT' || current === 'YBR_ICT') {
    if (mct === 'rct') return 'YBR_RCT';
    if (mct === 'ict') return 'YBR_ICT';
  }
  throw new UnsupportedError(
    'DICOM_JPIP_PHOTOMETRIC',
    `Photometric Interpretation ${current || '(none)'} with colour transform "${mct}" has no JPIP Referenced equivalent (PS3.5 A.6)`,
    { context: current },
  );
}

/** A new data set: `dataset` re-expressed for a JPIP Referenced transfer syntax. */
export function jpipReferencedDataset(dataset: DicomDataset, options: JpipReferencedOptions): DicomDataset {
  const ts = transferSyntax(options.transferSyntaxUid);
  if (ts === undefined || (ts.family !== 'jpip' && ts.family !== 'jpip-htj2k')) {
    throw new UnsupportedError(
      'DICOM_NOT_JPIP_SYNTAX',
      `${options.transferSyntaxUid} is not a JPIP Referenced transfer syntax`,
      {
        context: options.transferSyntaxUid,
      },
    );
  }
  if (!/^https?:\/\/[\x21-\x7e]+$/.test(options.url)) {
    throw new MalformedError(
      'DICOM_BAD_JPIP_URL',
      'Pixel Data Provider URL must be an http(s) URI without spaces (PS3.5 §8.4.1)',
      { context: options.url },
    );
  }
  if (dataset.has(Tags.FloatPixelData) || dataset.has(Tags.DoubleFloatPixelData)) {
    throw new UnsupportedError(
      'DICOM_JPIP_FLOAT_PIXELS',
      'JPIP Referenced syntaxes do not apply to float pixel data (PS3.5 A.6)',
    );
  }
  const out = dataset.clone();
  out.delete(Tags.PixelData);
  out.delete(Tags.ExtendedOffsetTable);
  out.delete(Tags.ExtendedOffsetTableLengths);
  const pi = photometricFor(out.string(Tags.PhotometricInterpretation) ?? '', options.codestreamColourTransform);
  out.setString(Tags.PhotometricInterpretation, 'CS', pi);
  out.setString(Tags.PixelDataProviderURL, 'UR', options.url);
  return out;
}
