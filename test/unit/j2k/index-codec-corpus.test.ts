// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Binary packet index on corpus files too large to copy into test/fixtures: real-world frames
// whose stored index must stay under 2 % of the codestream (issue #3), and the exact round trip
// of every file of ../shared/data/j2k (index-codec.test.ts covers the small files).
import { buildPacketIndex, decodePacketIndex, encodePacketIndex } from '../../../src/j2k';
import { corpusFiles, loadCorpusCodestream } from './corpus-helper';

describe('packet index binary form', () => {
  it.each(['pacs.ge.j2k', 'db11217111510058.jp2'])('%s: index under 2 % of the codestream', (name) => {
    const cs = loadCorpusCodestream(name);
    const enc = encodePacketIndex(buildPacketIndex(cs));
    expect(enc.length / cs.length).toBeLessThan(0.02);
  });

  it('round-trips every corpus file exactly', () => {
    for (const name of corpusFiles()) {
      const idx = buildPacketIndex(loadCorpusCodestream(name));
      expect(decodePacketIndex(encodePacketIndex(idx))).toEqual(idx);
    }
  });
});
