// Recorded SIZ/summary/data-bin values of conformance codestreams (small copies in
// test/fixtures/corpus/j2k). The sweep indexing every codestream of ../shared/data/j2k is in
// corpus-corpus.test.ts.
import {
  buildPacketIndex,
  codestreamSummary,
  findPrecinct,
  parseMainHeader,
  precinctBin,
  type PacketIndex,
} from '../../../src/j2k';
import { loadCodestream, loadFile } from './corpus-helper';

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
