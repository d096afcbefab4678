// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Every codestream of ../shared/data/j2k is indexed, with recorded tile/packet/data-bin values
// for several; binary index round trip; data-bins → rebuilt codestream → same data-bins.
// The HTJ2K summary of Bretagne1_ht.j2k (too large to copy) is here; recorded header values of
// small files are in corpus.test.ts.
import {
  buildPacketIndex,
  codestreamSummary,
  decodePacketIndex,
  encodePacketIndex,
  mainHeaderBin,
  precinctBin,
  rebuildCodestream,
  tileHeaderBin,
  type J2kWarning,
  type PacketIndex,
} from '../../../src/j2k';
import { corpusFiles, loadCorpusCodestream, loadCorpusFile } from './corpus-helper';

function bins(
  cs: Uint8Array,
  idx: PacketIndex,
): { tileHeaders: Map<number, Uint8Array>; precincts: Map<number, Uint8Array> } {
  const tileHeaders = new Map<number, Uint8Array>();
  for (let t = 0; t < idx.numTiles; t++) tileHeaders.set(t, tileHeaderBin(cs, idx, t));
  const precincts = new Map<number, Uint8Array>();
  for (const p of idx.precincts) precincts.set(p.binId, precinctBin(cs, idx, p.binId).bytes);
  return { tileHeaders, precincts };
}

// Recorded from the codestreams (cross-checked with MANIFEST.md: tiles, layers, progression).
const EXPECTED: Record<
  string,
  { tiles: number; precincts: number; packets: number; layers: number; warnings?: string[] }
> = {
  'p0_01.j2k': { tiles: 1, precincts: 4, packets: 4, layers: 1 },
  'a5_mono.j2c': { tiles: 4, precincts: 24, packets: 72, layers: 3 },
  'd2_colr.j2c': { tiles: 8, precincts: 444, packets: 1776, layers: 4 },
  'issue142.j2k': { tiles: 1, precincts: 121, packets: 121, layers: 1 },
  'p1_05.j2k': { tiles: 225, precincts: 13236, packets: 26472, layers: 2 },
  'p0_13.j2k': { tiles: 1, precincts: 514, packets: 514, layers: 1 },
  'Bretagne1_ht.j2k': { tiles: 1, precincts: 18, packets: 18, layers: 1 },
  'b2_mono.j2c': { tiles: 25, precincts: 96, packets: 96, layers: 1 },
  'issue559-eci-090-CIELab.jp2': {
    tiles: 8,
    precincts: 144,
    packets: 864,
    layers: 6,
    warnings: ['J2K_SOT_TPSOT', 'J2K_TNSOT_MISMATCH'],
  },
  'issue726.j2k': {
    tiles: 97,
    precincts: 679,
    packets: 21,
    layers: 3,
    warnings: ['J2K_TILE_MISSING', 'J2K_TILE_PART_TRAILING'],
  },
};

describe('packet index over the J2K corpus', () => {
  const files = corpusFiles();
  it('finds the whole corpus', () => expect(files.length).toBeGreaterThanOrEqual(60));

  it.each(files)('%s: indexes, round-trips, and rebuilds to the same data-bins', (name) => {
    const cs = loadCorpusCodestream(name);
    const warnings: J2kWarning[] = [];
    const idx = buildPacketIndex(cs, { onWarning: (w) => warnings.push(w) });
    const exp = EXPECTED[name];
    if (exp) {
      expect([idx.numTiles, idx.precincts.length, idx.packetCount, idx.layers]).toEqual([
        exp.tiles,
        exp.precincts,
        exp.packets,
        exp.layers,
      ]);
      for (const code of exp.warnings ?? []) expect(warnings.map((w) => w.code)).toContain(code);
    }
    // Packets never overlap and stay inside the codestream.
    const ranges = idx.precincts
      .flatMap((p) => p.packets.map((k) => ({ o: k.bodyOffset, n: k.bodyLength })))
      .sort((a, b) => a.o - b.o || a.n - b.n);
    let end = 0;
    for (const r of ranges) {
      expect(r.o).toBeGreaterThanOrEqual(end);
      end = r.o + r.n;
    }
    expect(end).toBeLessThanOrEqual(cs.length);
    // Binary form.
    const enc = encodePacketIndex(idx);
    expect(decodePacketIndex(enc)).toEqual(idx);
    // Data-bins → rebuilt codestream → indexed again: each original bin is a prefix of the new one
    // (equal when the codestream holds every packet).
    const b = bins(cs, idx);
    const rebuilt = rebuildCodestream({ mainHeader: mainHeaderBin(cs, idx), ...b });
    const idx2 = buildPacketIndex(rebuilt);
    expect(idx2.precincts.map((p) => p.binId)).toEqual(idx.precincts.map((p) => p.binId));
    for (const p of idx.precincts) {
      const before = b.precincts.get(p.binId) as Uint8Array;
      const after = precinctBin(rebuilt, idx2, p.binId).bytes;
      expect(Buffer.from(after.subarray(0, before.length)).equals(Buffer.from(before))).toBe(true);
      if (p.packets.length === idx.layers) expect(after.length).toBe(before.length);
    }
  });
});

describe('recorded header values', () => {
  it('summaries (Bretagne1_ht.j2k)', () => {
    expect(codestreamSummary(loadCorpusFile('Bretagne1_ht.j2k'))).toMatchObject({
      width: 640,
      height: 480,
      components: 3,
      progression: 'RPCL',
      htj2k: true,
    });
  });
});
