// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// The JPIP Referenced builder (jpipReferencedDataset) on HTJ2KLossless_08_RGB.dcm, too large to
// copy into test/fixtures: RGB maps to YBR_RCT / YBR_ICT and what has no equivalent is refused
// (json-jpip.test.ts covers the small files).
import { jpipReferencedDataset, parseDicom, Tags } from '../../../src/dicom';
import { corpusSource } from './helpers';

describe('jpipReferencedDataset', () => {
  const url = 'https://gw.example/jpip?target=1.2.3';
  it('maps RGB to YBR_RCT / YBR_ICT and refuses what has no equivalent', () => {
    const p = parseDicom(corpusSource('HTJ2KLossless_08_RGB.dcm'));
    const o = { url, transferSyntaxUid: '1.2.840.10008.1.2.4.204' };
    expect(
      jpipReferencedDataset(p.dataset, { ...o, codestreamColourTransform: 'rct' }).string(
        Tags.PhotometricInterpretation,
      ),
    ).toBe('YBR_RCT');
    expect(
      jpipReferencedDataset(p.dataset, { ...o, codestreamColourTransform: 'ict' }).string(
        Tags.PhotometricInterpretation,
      ),
    ).toBe('YBR_ICT');
    expect(() => jpipReferencedDataset(p.dataset, { ...o, codestreamColourTransform: 'none' })).toThrow(
      expect.objectContaining({ code: 'DICOM_JPIP_PHOTOMETRIC' }),
    );
    expect(() =>
      jpipReferencedDataset(p.dataset, {
        ...o,
        transferSyntaxUid: '1.2.840.10008.1.2.1',
        codestreamColourTransform: 'rct',
      }),
    ).toThrow(expect.objectContaining({ code: 'DICOM_NOT_JPIP_SYNTAX' }));
  });
});
