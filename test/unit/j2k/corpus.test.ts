// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Every codestream of ../shared/data/j2k is indexed; recorded SIZ/tile/packet/data-bin values
// for several; binary index round trip; data-bins → rebuilt codestream → same data-bins.
import {
  buildPacketIndex,
  codestreamSummary,
  decodePacketIndex,
  encodePacketIndex,
  findPrecinct,
  mainHeaderBin,
  parseMainHeader,
  precinctBin,
  rebuildCodestream,
  tileHeaderBin,
  type J2kWarning,
  type PacketIndex,
} from '../../../src/j2k';
import { corpusFiles, loadCodestream, loadFile } from './corpus-helper';

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
    const cs = loadCodestream(name);
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
  it('SIZ of b2_mono.j2c (offsets, 5x3 subsampling, 25 tiles)', () => {
    const h = parseMainHeader(loadFile('b2_mono.j2c'));
    expect(h.siz).toMatchObject({
      Xsiz: 1519,
      Ysiz: 697,
      XOsiz: 1,
      YOsiz: 160,
      XTsiz: 379,
      YTsiz: 161,
      XTOsiz: 0,
      YTOsiz: 0,
      Csiz: 1,
      tilesX: 5,
      tilesY: 5,
    });
    expect(h.siz.components[0]).toMatchObject({ XRsiz: 5, YRsiz: 3, precision: 8, signed: false });
  });

  it('summaries', () => {
    expect(codestreamSummary(loadFile('issue142.j2k'))).toEqual({
      width: 1920,
      height: 1080,
      components: 3,
      bitDepth: 10,
      signed: false,
      levels: 5,
      layers: 1,
      progression: 'CPRL',
      tilesX: 1,
      tilesY: 1,
      precincts: '128x128,256x256,256x256,256x256,256x256,256x256',
      htj2k: false,
    });
    expect(codestreamSummary(loadFile('Bretagne1_ht.j2k'))).toMatchObject({
      width: 640,
      height: 480,
      components: 3,
      progression: 'RPCL',
      htj2k: true,
    });
    expect(codestreamSummary(loadFile('tnsot_zero.jp2'))).toMatchObject({
      width: 400,
      height: 200,
      tilesX: 2,
      precincts: '256x512,512x512',
    });
  });

  it('data-bin ids follow I = t + (c + s*Csiz)*numTiles (15444-9 A.3.2.1)', () => {
    const idx = buildPacketIndex(loadCodestream('d2_colr.j2c'));
    // d2_colr: 8 tiles, 3 components; tile 3, component 1, first precinct of resolution 0 (s = 0).
    expect(findPrecinct(idx, 3 + (1 + 0 * 3) * 8)).toMatchObject({ tile: 3, component: 1, resolution: 0, precinct: 0 });
    for (const p of idx.precincts) {
      expect(p.binId % 8).toBe(p.tile);
      expect(Math.floor(p.binId / 8) % 3).toBe(p.component);
    }
    const one = buildPacketIndex(loadCodestream('p0_01.j2k'));
    expect(one.precincts.map((p) => [p.binId, p.resolution, p.precinct])).toEqual([
      [0, 0, 0],
      [1, 1, 0],
      [2, 2, 0],
      [3, 3, 0],
    ]);
  });

  it('precinctBin reports per-layer packet ends', () => {
    const cs = loadCodestream('c1_mono.j2c');
    const idx = buildPacketIndex(cs);
    const p = idx.precincts[0] as PacketIndex['precincts'][number];
    const bin = precinctBin(cs, idx, p.binId);
    expect(bin.layerEnds).toHaveLength(10);
    expect(bin.layerEnds[9]).toBe(bin.bytes.length);
    let sum = 0;
    p.packets.forEach((k, l) => {
      sum += k.headerLength + k.bodyLength;
      expect(bin.layerEnds[l]).toBe(sum);
    });
  });
});
