// Precinct re-partitioning: the bit-level pieces against their decoders (B.10.1 bit stuffing,
// B.10.2 tag trees, B.10.6 pass counts), typed refusals (PPM/PPT, code-block changes, bad sizes),
// limits, and truncation / corruption sweeps where the only allowed failures are our typed errors.
// Conformance codestreams are the small copies in test/fixtures/corpus/j2k; the cases on larger
// corpus files are in repacketize-errors-corpus.test.ts.

import { BitReader, MalformedError, ParseError, TruncatedError, UnsupportedError } from '../../../src/bytes';
import { loadCodecs } from '../../../src/codec';
import { parseMainHeader, repartitionPrecincts } from '../../../src/j2k';
import { TagTree } from '../../../src/j2k/tag-tree';
import { BitWriter } from '../../../src/j2k/repacketize/bit-writer';
import { lengthFields, readPassCount, writePassCount } from '../../../src/j2k/repacketize/block-coding';
import { TagTreeEncoder } from '../../../src/j2k/repacketize/tag-tree-encoder';
import { loadCodestream, loadFile } from './corpus-helper';
import { codeOf, syntheticImage } from './repacketize-helper';

const P7 = { precincts: [{ PPx: 7, PPy: 7 }] };

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('bit-level round trips', () => {
  test('BitWriter output is read back by BitReader, with 0xFF stuffing and the final stuffed byte', () => {
    const rnd = lcg(7);
    for (let trial = 0; trial < 200; trial++) {
      const fields: Array<[number, number]> = [];
      const bw = new BitWriter();
      const n = 1 + Math.floor(rnd() * 60);
      for (let i = 0; i < n; i++) {
        const bits = Math.floor(rnd() * 33);
        // many all-ones fields, to force 0xFF bytes
        const v = rnd() < 0.5 ? 2 ** bits - 1 : Math.floor(rnd() * 2 ** bits);
        fields.push([v, bits]);
        bw.bits(v, bits);
      }
      const bytes = bw.finish();
      expect(bytes[bytes.length - 1]).not.toBe(0xff);
      for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0xff) expect((bytes[i + 1] as number) & 0x80).toBe(0);
      const br = new BitReader(bytes);
      for (const [v, bits] of fields) expect(br.bits(bits)).toBe(v);
      br.align();
      expect(br.position).toBe(bytes.length);
    }
  });

  test('TagTreeEncoder bits decode to the same leaf values under growing thresholds', () => {
    const rnd = lcg(11);
    for (let trial = 0; trial < 100; trial++) {
      const w = 1 + Math.floor(rnd() * 9);
      const h = 1 + Math.floor(rnd() * 9);
      const values = Array.from({ length: w * h }, () => Math.floor(rnd() * 6));
      const enc = new TagTreeEncoder(w, h, (i) => values[i] as number);
      const bw = new BitWriter();
      const script: Array<[number, number]> = [];
      for (let t = 1; t <= 7; t++) {
        for (let i = 0; i < w * h; i++) {
          if (rnd() < 0.7) {
            script.push([i, t]);
            enc.encode(bw, i, t);
          }
        }
      }
      const br = new BitReader(bw.finish());
      const dec = new TagTree(w, h);
      for (const [i, t] of script) expect(dec.decode(br, i, t)).toBe((values[i] as number) < t);
    }
  });

  test('pass-count codes 1..164 (Table B.4) round trip; 165 is refused', () => {
    const bw = new BitWriter();
    for (let n = 1; n <= 164; n++) writePassCount(bw, n);
    const br = new BitReader(bw.finish());
    for (let n = 1; n <= 164; n++) expect(readPassCount(br)).toBe(n);
    expect(codeOf(() => writePassCount(new BitWriter(), 165))).toBe('J2K_REPACK_PASSES');
  });

  test('codeword segments per code-block style (D.4 Table D.8)', () => {
    expect(lengthFields(0, 5, 7)).toEqual([7]);
    expect(lengthFields(0x04, 0, 3)).toEqual([1, 1, 1]);
    expect(lengthFields(0x01, 0, 14)).toEqual([10, 2, 1, 1]);
    expect(lengthFields(0x01, 11, 5)).toEqual([1, 1, 2, 1]);
    expect(lengthFields(0x40, 0, 3)).toEqual([1, 2]);
    expect(lengthFields(0x40, 0, 4)).toEqual([4]);
  });
});

describe('typed refusals', () => {
  test('packed headers are refused', () => {
    expect(codeOf(() => repartitionPrecincts(loadCodestream('g1_colr.j2c'), P7))).toBe('J2K_REPACK_PPM');
  });

  test('sizes that change code-blocks, invalid sizes and wrong counts are refused', async () => {
    const cs = (await loadCodecs()).encodeJ2kLossless(syntheticImage(700, 600, 1, 8));
    expect(parseMainHeader(cs).cod.levels).toBe(2);
    const NL = parseMainHeader(cs).cod.levels;
    const cases: Array<[Array<{ PPx: number; PPy: number }>, string]> = [
      [[{ PPx: 6, PPy: 6 }], 'J2K_REPACK_CODEBLOCK_PARTITION'],
      [[{ PPx: 7, PPy: 5 }], 'J2K_REPACK_CODEBLOCK_PARTITION'],
      [
        [{ PPx: 5, PPy: 5 }, ...Array.from({ length: NL }, () => ({ PPx: 7, PPy: 7 }))],
        'J2K_REPACK_CODEBLOCK_PARTITION',
      ],
      [[{ PPx: 16, PPy: 7 }], 'J2K_REPACK_BAD_PRECINCT'],
      [[{ PPx: 7.5, PPy: 7 }], 'J2K_REPACK_BAD_PRECINCT'],
      [
        [{ PPx: 7, PPy: 7 }, { PPx: 0, PPy: 7 }, ...Array.from({ length: NL }, () => ({ PPx: 7, PPy: 7 }))],
        'J2K_REPACK_BAD_PRECINCT',
      ],
      [[], 'J2K_REPACK_PRECINCT_COUNT'],
      [Array.from({ length: NL }, () => ({ PPx: 7, PPy: 7 })), 'J2K_REPACK_PRECINCT_COUNT'],
    ];
    for (const [precincts, code] of cases) {
      let err: unknown;
      try {
        repartitionPrecincts(cs, { precincts });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UnsupportedError);
      expect((err as UnsupportedError).code).toBe(code);
    }
    // b3_mono has 32x32 code-blocks limited by 2^5 precincts at r = 0
    expect(codeOf(() => repartitionPrecincts(loadCodestream('b3_mono.j2c'), P7))).toBe(
      'J2K_REPACK_CODEBLOCK_PARTITION',
    );
    // and still works afterwards (no state kept between calls)
    expect(repartitionPrecincts(cs, P7).length).toBeGreaterThan(0);
  });

  test('a JP2 file is not a codestream', () => {
    expect(codeOf(() => repartitionPrecincts(loadFile('merged.jp2'), P7))).toBe('J2K_NO_SOC');
  });

  test('tiles absent from the input are warned and stay absent', () => {
    const codes: string[] = [];
    const out = repartitionPrecincts(loadCodestream('issue726.j2k'), {
      precincts: [3, 4, 5, 6, 7, 7].map((p) => ({ PPx: p, PPy: p })),
      onWarning: (w) => codes.push(w.code),
    });
    expect(codes).toContain('J2K_TILE_MISSING');
    expect(out.length).toBeGreaterThan(0);
  });
});

describe('damaged input', () => {
  let encoded: Uint8Array;
  beforeAll(async () => {
    encoded = (await loadCodecs()).encodeJ2kLossless(syntheticImage(333, 250, 1, 16, false, 12));
  });

  test('truncation sweep: every cut gives TruncatedError', () => {
    for (const cs of [encoded, loadCodestream('p1_01.j2k')]) {
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
    }
  });

  test('corruption sweep: only typed errors, never a crash', () => {
    const rnd = lcg(3);
    const main = parseMainHeader(encoded).end;
    const outcomes = new Map<string, number>();
    for (let trial = 0; trial < 300; trial++) {
      const cs = encoded.slice();
      const flips = 1 + Math.floor(rnd() * 4);
      for (let f = 0; f < flips; f++) {
        // mostly the packet area, sometimes the headers
        const pos = rnd() < 0.8 ? main + 14 + Math.floor(rnd() * (cs.length - main - 16)) : Math.floor(rnd() * main);
        cs[pos] = Math.floor(rnd() * 256);
      }
      let outcome = 'ok';
      try {
        repartitionPrecincts(cs, P7);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        outcome = e.code;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect(outcomes.size).toBeGreaterThan(1);
  });

  test('EPH and SOP damage are MalformedError with their codes', () => {
    const cs = loadCodestream('p1_01.j2k');
    const sod = parseMainHeader(cs).end;
    const find = (b1: number, b2: number): number => {
      for (let i = sod; i + 1 < cs.length; i++) if (cs[i] === b1 && cs[i + 1] === b2) return i;
      return -1;
    };
    const noEph = cs.slice();
    noEph[find(0xff, 0x92) + 1] = 0x90;
    expect(() => repartitionPrecincts(noEph, P7)).toThrow(MalformedError);
    expect(codeOf(() => repartitionPrecincts(noEph, P7))).toBe('J2K_EPH_MISSING');
    const badSop = cs.slice();
    badSop[find(0xff, 0x91) + 3] = 5;
    expect(codeOf(() => repartitionPrecincts(badSop, P7))).toBe('J2K_SOP_LENGTH');
  });
});
