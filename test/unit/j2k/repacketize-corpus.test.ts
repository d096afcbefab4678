// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Precinct re-partitioning of real DICOM transcodes too large to copy into test/fixtures: decoded
// samples stay bit-exact and the packet index shows the 128x128 grid (ISO/IEC 15444-1 B.6
// Eq. B-16); repacketize.test.ts covers the small files.
import { loadCodecs, type Codecs } from '../../../src/codec';
import { sharedFile } from '../codec/dicom-frames';
import { expectTranscodeRepartitions } from './repacketize-helper';

let codecs: Codecs;
beforeAll(async () => {
  codecs = await loadCodecs();
});

describe('real DICOM transcodes', () => {
  test.each([['US1_UNCR.dcm'], ['MR2_UNCR.dcm']])('%s: 128x128 precincts, bit-exact', (file) => {
    expectTranscodeRepartitions(codecs, sharedFile(file));
  });
});
