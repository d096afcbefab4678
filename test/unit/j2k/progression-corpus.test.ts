// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Packet order (ISO/IEC 15444-1 B.12) on a corpus file too large to copy into test/fixtures:
// the sorted-key implementation must equal the literal B.12.1.3-B.12.1.5 loops
// (progression.test.ts covers the small files).
import { loadCorpusCodestream } from './corpus-helper';
import { expectLiteralOrder } from './progression-helper';

describe('position-driven progressions equal the literal B.12 loops', () => {
  it.each(['db11217111510058.jp2'])('%s', (name) => {
    expectLiteralOrder(loadCorpusCodestream(name));
  });
});
