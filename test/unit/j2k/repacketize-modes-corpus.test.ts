// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Precinct re-partitioning of corpus codestreams too large to copy into test/fixtures: the result
// must decode (opj_decompress) to the samples of the input, and re-partitioning back to the
// codestream's own sizes must give byte-identical packet bodies (repacketize-modes.test.ts covers
// the encoder-made and small ones).
import { loadCorpusCodestream } from './corpus-helper';
import { expectRepartitionsLosslessly } from './repacketize-helper';

describe('conformance and corpus codestreams', () => {
  test.each([
    ['p0_04.j2k', 7],
    ['p0_08.j2k', 7],
    ['Bretagne1_ht.j2k', 7],
  ])('%s (PP %i, 0 = own sizes)', (name, pp) => {
    expectRepartitionsLosslessly(loadCorpusCodestream(name), pp);
  });
});
