// Test-only helper: frame bytes and the Image Pixel Module of a DICOM file, read with the
// dicom-parser npm package (src/dicom is written separately; tests must not wait for it).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as dicomParser from 'dicom-parser';
import type { PixelDescription } from '../../../src/codec';
import { corpusPath, fixturePath } from '../../corpus';

export const SHARED_DICOM = corpusPath('dicom');
export const SHARED_FIXTURES = fixturePath('dicom');
export const CODEC_FIXTURES = path.resolve(__dirname, '../../fixtures/codec');

export interface TestFile {
  transferSyntax: string;
  desc: PixelDescription;
  numberOfFrames: number;
  frame(index: number): Uint8Array;
}

export function openDicom(file: string): TestFile {
  const bytes = new Uint8Array(readFileSync(file));
  const ds = dicomParser.parseDicom(bytes);
  const pixel = ds.elements.x7fe00010;
  if (pixel === undefined) throw new Error(`${file}: no pixel data`);
  const us = (tag: string): number => {
    const v = ds.uint16(tag);
    if (v === undefined) throw new Error(`${file}: missing ${tag}`);
    return v;
  };
  const desc: PixelDescription = {
    rows: us('x00280010'),
    columns: us('x00280011'),
    samplesPerPixel: us('x00280002'),
    bitsAllocated: us('x00280100'),
    bitsStored: us('x00280101'),
    pixelRepresentation: us('x00280103'),
    photometricInterpretation: (ds.string('x00280004') ?? '').trim(),
    planarConfiguration: ds.uint16('x00280006') ?? 0,
  };
  const numberOfFrames = ds.intString('x00280008') ?? 1;
  const transferSyntax = ds.string('x00020010') ?? '';
  const encapsulated = pixel.encapsulatedPixelData === true;
  const frameSize = (desc.rows * desc.columns * desc.samplesPerPixel * desc.bitsAllocated) / 8;
  return {
    transferSyntax,
    desc,
    numberOfFrames,
    frame(index: number): Uint8Array {
      if (encapsulated) {
        const fragments = pixel.fragments ?? [];
        if (numberOfFrames === 1) {
          return new Uint8Array(dicomParser.readEncapsulatedPixelDataFromFragments(ds, pixel, 0, fragments.length));
        }
        if (fragments.length === numberOfFrames) {
          return new Uint8Array(dicomParser.readEncapsulatedPixelDataFromFragments(ds, pixel, index, 1));
        }
        const bot =
          pixel.basicOffsetTable !== undefined && pixel.basicOffsetTable.length > 0
            ? pixel.basicOffsetTable
            : dicomParser.createJPEGBasicOffsetTable(ds, pixel);
        return new Uint8Array(dicomParser.readEncapsulatedImageFrame(ds, pixel, index, bot));
      }
      const start = pixel.dataOffset + index * frameSize;
      return bytes.slice(start, start + frameSize);
    },
  };
}

/** A corpus file from ../shared/data/dicom (needs FOVEA_TEST_DATA). */
export const sharedFile = (name: string): TestFile => openDicom(path.join(SHARED_DICOM, name));
/** A small corpus file, from its copy in test/fixtures/corpus/dicom. */
export const sharedFixture = (name: string): TestFile => openDicom(path.join(SHARED_FIXTURES, name));
/** A file made for the codec tests, in test/fixtures/codec. */
export const fixtureFile = (name: string): TestFile => openDicom(path.join(CODEC_FIXTURES, name));
