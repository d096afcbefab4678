// An independent reading of the original files (the dicom-parser npm package, not Fovea's own
// parser) used as ground truth by the round-trip tests.

import * as fs from 'node:fs';
import * as dicomParser from 'dicom-parser';

export interface OriginalObject {
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  transferSyntaxUid: string;
  rows: number;
  columns: number;
  numberOfFrames: number;
  bitsAllocated: number;
  samplesPerPixel: number;
  /** Encapsulated frames (J2K etc.), trailing pad after EOC removed; [] for native data. */
  frames: Buffer[];
  /** Native pixel data bytes, or null. */
  nativePixels: Buffer | null;
}

function trimPad(b: Buffer): Buffer {
  let end = b.length;
  while (end > 2 && (b[end - 1] === 0x00 || b[end - 1] === 0xff) && !(b[end - 2] === 0xff && b[end - 1] === 0xd9))
    end--;
  return b.subarray(0, end);
}

export function readOriginal(file: string): OriginalObject {
  const bytes = fs.readFileSync(file);
  const ds = dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  const ts = ds.string('x00020010') ?? '';
  const nf = Number(ds.intString('x00280008') ?? 1) || 1;
  const px = ds.elements['x7fe00010'];
  const frames: Buffer[] = [];
  let nativePixels: Buffer | null = null;
  if (px !== undefined) {
    if (px.encapsulatedPixelData === true) {
      const hasBot = (px.basicOffsetTable?.length ?? 0) > 0;
      for (let i = 0; i < nf; i++) {
        const f =
          hasBot || nf === 1 || px.fragments?.length === nf
            ? nf === 1
              ? dicomParser.readEncapsulatedPixelDataFromFragments(ds, px, 0, px.fragments?.length)
              : dicomParser.readEncapsulatedImageFrame(
                  ds,
                  px,
                  i,
                  hasBot ? undefined : dicomParser.createJPEGBasicOffsetTable(ds, px),
                )
            : dicomParser.readEncapsulatedImageFrame(ds, px, i, dicomParser.createJPEGBasicOffsetTable(ds, px));
        frames.push(trimPad(Buffer.from(f)));
      }
    } else {
      nativePixels = bytes.subarray(px.dataOffset, px.dataOffset + px.length);
    }
  }
  return {
    sopInstanceUid: ds.string('x00080018') ?? '',
    studyInstanceUid: ds.string('x0020000d') ?? '',
    seriesInstanceUid: ds.string('x0020000e') ?? '',
    transferSyntaxUid: ts,
    rows: ds.uint16('x00280010') ?? 0,
    columns: ds.uint16('x00280011') ?? 0,
    numberOfFrames: nf,
    bitsAllocated: ds.uint16('x00280100') ?? 0,
    samplesPerPixel: ds.uint16('x00280002') ?? 1,
    frames,
    nativePixels,
  };
}
