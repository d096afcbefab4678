// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
import { loadCodecs, type Codecs, type TransferSyntaxFamily } from '../../../src/codec';
import { fixtureFile, sharedFile, type TestFile } from './dicom-frames';

let codecs: Codecs;
beforeAll(async () => {
  codecs = await loadCodecs();
});

/** Issue #2: "A decode of the stored codestream must give back exactly the original pixels." */
function expectLosslessTranscode(
  family: TransferSyntaxFamily,
  file: TestFile,
  reference: TestFile,
  stored: string,
): void {
  for (let i = 0; i < file.numberOfFrames; i++) {
    const result = codecs.transcodeToJ2k(family, file.frame(i), file.desc, { verify: true });
    expect(result.storedPhotometricInterpretation).toBe(stored);
    const ref = codecs.decodeFrame('native', reference.frame(i), reference.desc);
    const back = codecs.decodeFrame('j2k', result.codestream, {
      ...file.desc,
      photometricInterpretation: stored,
      planarConfiguration: 0,
    });
    expect(Buffer.from(back.data).equals(Buffer.from(ref.data))).toBe(true);
    expect(back.photometricInterpretation).toBe(ref.photometricInterpretation === 'RGB' ? 'RGB' : stored);
  }
}

describe('transcodeToJ2k', () => {
  it('native monochrome: CT_small (16s), MR_small, emri_small (12u, 10 frames), dx_image (8u MONOCHROME1)', () => {
    for (const name of ['CT_small.dcm', 'MR_small.dcm', 'emri_small.dcm', 'dx_image.dcm']) {
      const f = sharedFile(name);
      expectLosslessTranscode('native', f, f, f.desc.photometricInterpretation);
    }
  });

  it('native colour: RGB is stored as YBR_RCT, YBR_FULL stays, YBR_FULL_422 becomes YBR_FULL', () => {
    expectLosslessTranscode('native', sharedFile('SC_rgb_2frame.dcm'), sharedFile('SC_rgb_2frame.dcm'), 'YBR_RCT');
    expectLosslessTranscode('native', sharedFile('US1_UNCR.dcm'), sharedFile('US1_UNCR.dcm'), 'YBR_RCT');
    expectLosslessTranscode(
      'native',
      sharedFile('SC_ybr_full_uncompressed.dcm'),
      sharedFile('SC_ybr_full_uncompressed.dcm'),
      'YBR_FULL',
    );
    const f422 = sharedFile('SC_ybr_full_422_uncompressed.dcm');
    const r = codecs.transcodeToJ2k('native', f422.frame(0), f422.desc, { verify: true });
    expect(r.storedPhotometricInterpretation).toBe('YBR_FULL');
    expect(r.image.data.length).toBe(100 * 100 * 3);
  });

  it('RLE, JPEG lossless and JPEG-LS sources keep their exact samples', () => {
    expectLosslessTranscode('rle', fixtureFile('ct_small_rle.dcm'), sharedFile('CT_small.dcm'), 'MONOCHROME2');
    expectLosslessTranscode('rle', fixtureFile('sc_rgb_2frame_rle.dcm'), sharedFile('SC_rgb_2frame.dcm'), 'YBR_RCT');
    expectLosslessTranscode(
      'jpeg-lossless',
      fixtureFile('emri_small_jpeg_ll_sv1.dcm'),
      sharedFile('emri_small.dcm'),
      'MONOCHROME2',
    );
    expectLosslessTranscode('jpeg-ls', fixtureFile('ct_small_jls.dcm'), sharedFile('CT_small.dcm'), 'MONOCHROME2');
  });

  it('JPEG baseline colour is transcoded from its decoded RGB samples', () => {
    const f = sharedFile('examples_ybr_color.dcm');
    const r = codecs.transcodeToJ2k('jpeg-baseline', f.frame(0), f.desc, { verify: true });
    expect(r.image.photometricInterpretation).toBe('RGB');
    expect(r.storedPhotometricInterpretation).toBe('YBR_RCT');
  });
});
