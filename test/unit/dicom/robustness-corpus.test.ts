// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Hostile input on corpus files too large to copy into test/fixtures: truncation sweeps, and a
// fast-check fuzz of parseDicom on mutated real files (robustness.test.ts covers the small files).
// The only acceptable failures are our typed ParseErrors (never RangeError/TypeError).
import fc from 'fast-check';
import { bufferSource, TruncatedError } from '../../../src/bytes';
import { parseDicom } from '../../../src/dicom';
import { load, loadCorpus, typedFailure } from './helpers';

const SWEEP = ['explicit_VR-UN.dcm', 'examples_ybr_color.dcm'];

describe('truncation sweep', () => {
  it.each(SWEEP)('%s cut at 32 points gives TruncatedError only', (file) => {
    const bytes = loadCorpus(file);
    for (let k = 1; k <= 32; k++) {
      const cut = Math.floor((bytes.length * k) / 33);
      const err = typedFailure(() => parseDicom(bufferSource(bytes.subarray(0, cut))));
      // A cut that lands exactly between two top-level elements is a valid (shorter) data set.
      if (err !== undefined) expect(err).toBeInstanceOf(TruncatedError);
    }
  });
});

describe('fuzz', () => {
  const seeds = [load('CT_small.dcm'), load('liver_j2k.dcm'), loadCorpus('explicit_VR-UN.dcm')];
  it('parseDicom on mutated bytes throws only typed errors', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (which, edits, cutSeed) => {
          const base = seeds[which] as Uint8Array;
          const b = base.slice(0, base.length - (cutSeed % 64));
          for (const [pos, val] of edits) b[pos % b.length] = val;
          typedFailure(() => parseDicom(bufferSource(b), { maxDepth: 8, maxItems: 1000, maxFragments: 1000 }));
        },
      ),
      { numRuns: 1500, seed: 20240601 },
    );
  });
});
