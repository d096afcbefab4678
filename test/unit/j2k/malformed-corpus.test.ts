// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Truncation sweep over every codestream of ../shared/data/j2k: a partial index or a typed error,
// never an untyped one (CONVENTIONS.md Tests). Corruption tests on small files: malformed.test.ts.
import { MalformedError, TruncatedError } from '../../../src/bytes';
import { buildPacketIndex } from '../../../src/j2k';
import { corpusFiles, loadCorpusCodestream } from './corpus-helper';
import { expectTyped } from './typed-helper';

describe('truncation sweep', () => {
  it.each(corpusFiles())('%s cut at 24 points: a partial index or a typed error', (name) => {
    const cs = loadCorpusCodestream(name);
    for (let i = 1; i < 24; i++) {
      const cut = cs.subarray(0, Math.floor((cs.length * i) / 24));
      const err = expectTyped(() => buildPacketIndex(cut));
      if (err) expect(err instanceof TruncatedError || err instanceof MalformedError).toBe(true);
    }
    // Cut inside the main header: always an error.
    const err = expectTyped(() => buildPacketIndex(cs.subarray(0, 40)));
    expect(err).toBeInstanceOf(TruncatedError);
  });
});
