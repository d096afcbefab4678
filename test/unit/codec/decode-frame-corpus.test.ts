// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// decodeFrame on corpus files too large to copy into test/fixtures: 30-frame baseline YBR_FULL_422,
// JPEG 2000 and HTJ2K frames compared with their uncompressed sources (decode-frame.test.ts covers
// the small files).
import { loadCodecs, type Codecs, type TransferSyntaxFamily } from '../../../src/codec';
import { sharedFile, type TestFile } from './dicom-frames';

let codecs: Codecs;
beforeAll(async () => {
  codecs = await loadCodecs();
});

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

/** Every frame of `coded` decodes to exactly the frames of the uncompressed `reference`. */
function expectExact(family: TransferSyntaxFamily, coded: TestFile, reference: TestFile, photometric?: string): void {
  expect(coded.numberOfFrames).toBe(reference.numberOfFrames);
  for (let i = 0; i < coded.numberOfFrames; i++) {
    const out = codecs.decodeFrame(family, coded.frame(i), coded.desc);
    const ref = codecs.decodeFrame('native', reference.frame(i), reference.desc);
    expect(same(out.data, ref.data)).toBe(true);
    expect(out.photometricInterpretation).toBe(photometric ?? ref.photometricInterpretation);
  }
}

describe('JPEG', () => {
  it('decodes baseline YBR_FULL_422 colour (30 frames) to RGB', () => {
    const f = sharedFile('examples_ybr_color.dcm');
    expect(f.numberOfFrames).toBe(30);
    for (let i = 0; i < 30; i++) {
      const img = codecs.decodeFrame('jpeg-baseline', f.frame(i), f.desc);
      expect(img).toMatchObject({ columns: 320, rows: 240, samplesPerPixel: 3, photometricInterpretation: 'RGB' });
      expect(img.data.length).toBe(320 * 240 * 3);
    }
  });
});

describe('JPEG 2000 / HTJ2K frames', () => {
  it('MR2_J2KR decodes to exactly MR2_UNCR', () => {
    expectExact('j2k', sharedFile('MR2_J2KR.dcm'), sharedFile('MR2_UNCR.dcm'));
  });

  it('US1_J2KR (YBR_RCT) decodes to exactly US1_UNCR, reported as RGB', () => {
    expectExact('j2k', sharedFile('US1_J2KR.dcm'), sharedFile('US1_UNCR.dcm'), 'RGB');
  });

  it('HTJ2K lossless RGB decodes with OpenJPH', () => {
    const f = sharedFile('HTJ2KLossless_08_RGB.dcm');
    const img = codecs.decodeFrame('htj2k', f.frame(0), f.desc);
    expect(img.data.length).toBe(f.desc.rows * f.desc.columns * 3);
  });

  it('a frame whose size contradicts the dataset is a typed error', () => {
    const f = sharedFile('MR2_J2KR.dcm');
    expect(() => codecs.decodeFrame('j2k', f.frame(0), { ...f.desc, rows: 512 })).toThrow(
      expect.objectContaining({ code: 'CODEC_SIZE_MISMATCH' }),
    );
  });
});
