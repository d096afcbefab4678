import fc from 'fast-check';
import { ParseError } from '../../../src/bytes';
import { CacheModel, parseModel, type ModelContext } from '../../../src/jpip';

const ctx = (over: Partial<ModelContext> = {}): ModelContext => ({ defaultStreams: [1], ...over });

describe('server cache model (15444-9 B.2, C.9)', () => {
  it('sends only what the client lacks, byte-range exact, never twice', () => {
    const m = new CacheModel();
    expect(m.missing(1, 0, 5, 100)).toEqual({ offset: 0, length: 100, last: true });
    m.record(1, 0, 5, 0, 40, false);
    expect(m.missing(1, 0, 5, 100)).toEqual({ offset: 40, length: 60, last: true });
    m.record(1, 1, 5, 40, 60, true); // extended precinct class addresses the same bin
    expect(m.missing(1, 0, 5, 100)).toBeNull();
    expect(m.get(1, 0, 5)).toEqual({ bytes: 100, complete: true });
    m.record(1, 0, 6, 10, 10, false); // a gap does not grow the prefix
    expect(m.get(1, 0, 6)).toEqual({ bytes: 0, complete: false });
    // an empty bin still needs its zero-length final message once
    expect(m.missing(1, 8, 0, 0)).toEqual({ offset: 0, length: 0, last: true });
    m.record(1, 8, 0, 0, 0, true);
    expect(m.missing(1, 8, 0, 0)).toBeNull();
  });

  it('property: a random sequence of views never sends a byte twice and ends complete', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(2000), { minLength: 20, maxLength: 20 }),
        fc.array(fc.array(fc.nat(19), { maxLength: 8 }), { maxLength: 10 }),
        fc.array(fc.nat(3000), { maxLength: 10 }),
        (lengths, views, budgets) => {
          const m = new CacheModel();
          const sent = lengths.map(() => 0);
          views.forEach((bins, i) => {
            let budget = budgets[i] ?? 1000;
            for (const b of bins) {
              const r = m.missing(1, 0, b, lengths[b] ?? 0);
              if (r === null) continue;
              const n = Math.min(r.length, budget);
              budget -= n;
              expect(r.offset).toBe(sent[b]);
              sent[b] = (sent[b] ?? 0) + n;
              m.record(1, 0, b, r.offset, n, n === r.length);
            }
          });
          for (let b = 0; b < lengths.length; b++) {
            const r = m.missing(1, 0, b, lengths[b] ?? 0);
            if (r !== null) {
              expect(r.offset).toBe(sent[b]);
              m.record(1, 0, b, r.offset, r.length, true);
              sent[b] = (sent[b] ?? 0) + r.length;
            }
            expect(sent[b]).toBe(lengths[b]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('applies additive, subtractive, byte and layer statements', () => {
    const m = new CacheModel();
    const lengths: Record<number, number> = { 3: 500, 4: 80 };
    const c = ctx({
      binLength: (_s, _c, id) => lengths[id],
      layersToBytes: (_s, id, l) => (id === 4 ? l * 30 : undefined),
    });
    const r = m.apply(parseModel('model', 'Hm,P3:100,P4:L2,M0,H2'), c);
    expect(r).toEqual({ applied: 5, ignored: [] });
    expect(m.get(1, 6, 0)).toEqual({ bytes: 0, complete: true });
    expect(m.get(1, 0, 3)).toEqual({ bytes: 100, complete: false });
    expect(m.get(1, 0, 4)).toEqual({ bytes: 60, complete: false });
    m.apply(parseModel('model', 'P4:L3'), c);
    expect(m.get(1, 0, 4)).toEqual({ bytes: 80, complete: true });
    m.apply(parseModel('model', '-P3:40,-P4'), c);
    expect(m.get(1, 0, 3)).toEqual({ bytes: 40, complete: false });
    expect(m.get(1, 0, 4)).toEqual({ bytes: 0, complete: false });
    m.apply(parseModel('model', '-H*'), c);
    expect(m.get(1, 2, 2)).toEqual({ bytes: 0, complete: false });
  });

  it('codestream qualifiers scope the following items; unresolvable forms are ignored with a reason', () => {
    const m = new CacheModel();
    const r = m.apply(parseModel('model', '[2-3],Hm,[5-],Hm,t0c0r1p2,P1:L1,H*'), ctx({ maxStream: 6 }));
    expect(
      m.get(2, 6, 0).complete && m.get(3, 6, 0).complete && m.get(5, 6, 0).complete && m.get(6, 6, 0).complete,
    ).toBe(true);
    expect(m.get(1, 6, 0).complete).toBe(false);
    expect(r.ignored.map((i) => i.reason)).toEqual([
      'implicit descriptor not resolvable',
      'layer count not resolvable',
      'wildcard without a bin list',
    ]);
    const m2 = new CacheModel();
    expect(m2.apply(parseModel('model', '[5-],Hm'), ctx()).ignored).toHaveLength(1);
    m2.apply(parseModel('model', 'r0'), ctx({ implicitBins: () => [7, 8] }));
    expect(m2.get(1, 0, 8).complete).toBe(true);
  });

  it('serialises to a compact blob and back; hostile blobs give typed errors', () => {
    const m = new CacheModel();
    m.record(1, 6, 0, 0, 300, true);
    m.record(17, 0, 123456, 0, 99, false);
    const blob = m.encode();
    expect(blob.length).toBeLessThan(25);
    expect(CacheModel.decode(blob).entries()).toEqual(m.entries());
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(40), (noise, cut) => {
        for (const b of [noise, blob.subarray(0, cut), Uint8Array.from([...blob.subarray(0, 4), ...noise])]) {
          try {
            CacheModel.decode(b, { maxEntries: 100 });
          } catch (e) {
            expect(e).toBeInstanceOf(ParseError);
          }
        }
      }),
      { numRuns: 1000 },
    );
    expect(() => CacheModel.decode(Uint8Array.of(0x4a, 0x43, 0x4d, 0x01, 0x7f), { maxEntries: 10 })).toThrow(
      expect.objectContaining({ code: 'JPIP_CACHE_MODEL_FULL' }),
    );
  });

  it('caps the number of bins tracked', () => {
    const m = new CacheModel({ maxEntries: 2 });
    m.record(1, 0, 1, 0, 1, false);
    m.record(1, 0, 2, 0, 1, false);
    expect(() => m.record(1, 0, 3, 0, 1, false)).toThrow(expect.objectContaining({ code: 'JPIP_CACHE_MODEL_FULL' }));
    m.record(1, 0, 2, 1, 1, true); // existing bins still update
    expect(m.get(1, 0, 2)).toEqual({ bytes: 2, complete: true });
  });
});
