// Image Pixel Module description (PS3.3 C.7.6.3) read and validated from a data set: the values
// a decoder, the transcoder and the JPIP-referenced builder need. Number of Frames defaults to 1
// (PS3.3 C.7.6.6). Violations are MalformedError DICOM_BAD_PIXEL_DESCRIPTION.

import { MalformedError, ParseError } from '../bytes';
import type { DicomDataset } from './dataset';
import { Tags } from './vr';

export interface PixelDescription {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: 0 | 1;
  photometricInterpretation: string;
  planarConfiguration: 0 | 1;
  numberOfFrames: number;
}

function bad(message: string, cause?: unknown): MalformedError {
  return new MalformedError('DICOM_BAD_PIXEL_DESCRIPTION', message, cause === undefined ? {} : { cause });
}

function required(ds: DicomDataset, tag: number, name: string): number {
  let v: number | undefined;
  try {
    v = ds.number(tag);
  } catch (cause) {
    if (cause instanceof ParseError) throw bad(`${name} is not a number`, cause);
    throw cause;
  }
  if (v === undefined) throw bad(`${name} is missing`);
  return v;
}

/** Reads and checks the Image Pixel Module attributes of `ds`. */
export function pixelDescription(ds: DicomDataset): PixelDescription {
  const rows = required(ds, Tags.Rows, 'Rows');
  const columns = required(ds, Tags.Columns, 'Columns');
  const samplesPerPixel = required(ds, Tags.SamplesPerPixel, 'Samples per Pixel');
  const bitsAllocated = required(ds, Tags.BitsAllocated, 'Bits Allocated');
  const bitsStored = ds.has(Tags.BitsStored) ? required(ds, Tags.BitsStored, 'Bits Stored') : bitsAllocated;
  const highBit = ds.has(Tags.HighBit) ? required(ds, Tags.HighBit, 'High Bit') : bitsStored - 1;
  const pr = ds.has(Tags.PixelRepresentation) ? required(ds, Tags.PixelRepresentation, 'Pixel Representation') : 0;
  const pc =
    samplesPerPixel > 1 && ds.has(Tags.PlanarConfiguration)
      ? required(ds, Tags.PlanarConfiguration, 'Planar Configuration')
      : 0;
  const nf = ds.has(Tags.NumberOfFrames) ? required(ds, Tags.NumberOfFrames, 'Number of Frames') : 1;
  const photometricInterpretation = ds.string(Tags.PhotometricInterpretation) ?? '';

  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(columns) || columns < 1)
    throw bad(`invalid size ${columns}x${rows}`);
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3 && samplesPerPixel !== 4)
    throw bad(`Samples per Pixel ${samplesPerPixel}`);
  if (bitsAllocated !== 1 && (bitsAllocated % 8 !== 0 || bitsAllocated < 8 || bitsAllocated > 64))
    throw bad(`Bits Allocated ${bitsAllocated}`);
  if (!Number.isInteger(bitsStored) || bitsStored < 1 || bitsStored > bitsAllocated)
    throw bad(`Bits Stored ${bitsStored} with Bits Allocated ${bitsAllocated}`);
  if (highBit !== bitsStored - 1) throw bad(`High Bit ${highBit} is not Bits Stored - 1`);
  if (pr !== 0 && pr !== 1) throw bad(`Pixel Representation ${pr}`);
  if (pc !== 0 && pc !== 1) throw bad(`Planar Configuration ${pc}`);
  if (!Number.isInteger(nf) || nf < 1) throw bad(`Number of Frames ${nf}`);
  if (photometricInterpretation === '') throw bad('Photometric Interpretation is missing');
  return {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation: pr,
    photometricInterpretation,
    planarConfiguration: pc,
    numberOfFrames: nf,
  };
}
