// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Precinct re-partitioning refusals, limits and truncation on corpus codestreams too large to copy
// into test/fixtures (repacketize-errors.test.ts covers the small ones): packed tile-part headers
// (PPT) are refused, limits apply to the new layout, and every cut gives TruncatedError.
import { LimitExceededError, TruncatedError } from '../../../src/bytes';
import { repartitionPrecincts } from '../../../src/j2k';
import { loadCorpusCodestream } from './corpus-helper';
import { codeOf } from './repacketize-helper';

const P7 = { precincts: [{ PPx: 7, PPy: 7 }] };

describe('typed refusals', () => {
  test('packed tile-part headers are refused', () => {
    expect(codeOf(() => repartitionPrecincts(loadCorpusCodestream('p1_02.j2k'), P7))).toBe('J2K_REPACK_PPT');
  });

  test('limits are applied to the new layout', () => {
    const cs = loadCorpusCodestream('p0_04.j2k');
    expect(() => repartitionPrecincts(cs, { ...P7, limits: { maxPrecincts: 20 } })).toThrow(LimitExceededError);
    expect(() => repartitionPrecincts(cs, { ...P7, limits: { maxPackets: 100 } })).toThrow(LimitExceededError);
  });
});

describe('damaged input', () => {
  test('truncation sweep: every cut gives TruncatedError', () => {
    const cs = loadCorpusCodestream('p0_08.j2k').subarray(0, 300000);
    const steps = 97;
    for (let k = 1; k < steps; k++) {
      const cut = Math.floor((k * (cs.length - 2)) / steps);
      let err: unknown;
      try {
        repartitionPrecincts(cs.subarray(0, cut), P7);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TruncatedError);
    }
  });
});
