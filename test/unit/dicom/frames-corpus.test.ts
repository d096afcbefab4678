// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// frameLocations/readFrame on corpus files too large to copy into test/fixtures: every frame of
// the larger encapsulated JPEG 2000 files is a codestream, fragments join into one frame, and
// Basic Offset Table frames of a 30-frame JPEG file (frames.test.ts covers the small files).
import { frameLocations, parseDicom, type PixelDataLayout } from '../../../src/dicom';
import { corpusSource, encapsulatedFrames } from './helpers';

const J2K_FILES = [
  '966_fixed.dcm',
  'HTJ2KLossless_08_RGB.dcm',
  'HTJ2K_08_RGB.dcm',
  'JPEG2KLossless_1s_1f_u_16_16.dcm',
  'MR2_J2KR.dcm',
  'NM_Kakadu44_SOTmarkerincons.dcm',
  'RG1_J2KI.dcm',
  'RG3_J2KI.dcm',
  'RG3_J2KR.dcm',
  'TOSHIBA_J2K_OpenJPEGv2Regression.dcm',
  'explicit_VR-UN.dcm',
];

const frames = (file: string): Uint8Array[] => encapsulatedFrames(corpusSource(file));

describe('encapsulated frames', () => {
  it.each(J2K_FILES)('%s: every frame is a codestream FF4F FF51 ... FFD9', (file) => {
    const fs = frames(file);
    for (const f of fs) {
      expect([...f.subarray(0, 4)]).toEqual([0xff, 0x4f, 0xff, 0x51]);
      expect([...f.subarray(f.length - 2)]).toEqual([0xff, 0xd9]);
    }
  });

  it("joins MR2_J2KR's 9 fragments into one frame", () => {
    const p = parseDicom(corpusSource('MR2_J2KR.dcm'));
    const [loc] = frameLocations(p.pixelData as PixelDataLayout, 1, p.source);
    expect(loc?.ranges).toHaveLength(9);
  });

  it('examples_ybr_color: 30 JPEG frames via the Basic Offset Table', () => {
    const fs = frames('examples_ybr_color.dcm');
    expect(fs).toHaveLength(30);
    for (const f of fs) expect([...f.subarray(0, 2)]).toEqual([0xff, 0xd8]);
  });
});
