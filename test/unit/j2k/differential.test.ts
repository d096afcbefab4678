// Differential test against an independent decoder (OpenJPEG): a codestream rebuilt from partial
// precinct data-bins (cut mid-packet) decodes to exactly the first-layers image of the original
// (c1_mono.j2c, copy in test/fixtures/corpus/j2k). The sweep over every corpus codestream is in
// differential-corpus.test.ts.
import { buildPacketIndex, mainHeaderBin, precinctBin, rebuildCodestream, tileHeaderBin } from '../../../src/j2k';
import { loadCodestream } from './corpus-helper';
import { referenceDecode } from './decode-helper';

describe('rebuilt codestreams decode like the originals', () => {
  it('partial precinct bins (cut mid-packet) rebuild to the decodable first-layers image', async () => {
    const cs = loadCodestream('c1_mono.j2c');
    const idx = buildPacketIndex(cs);
    const tileHeaders = new Map([[0, tileHeaderBin(cs, idx, 0)]]);
    const precincts = new Map<number, Uint8Array>();
    for (const p of idx.precincts) {
      const bin = precinctBin(cs, idx, p.binId);
      // Keep 2 layers plus half of the third packet: the partial packet must be dropped.
      const cut = (bin.layerEnds[1] ?? 0) + Math.floor(((bin.layerEnds[2] ?? 0) - (bin.layerEnds[1] ?? 0)) / 2);
      precincts.set(p.binId, bin.bytes.subarray(0, cut));
    }
    const rebuilt = rebuildCodestream({ mainHeader: mainHeaderBin(cs, idx), tileHeaders, precincts });
    const ref = await referenceDecode(cs, false, 0, 2);
    const got = await referenceDecode(rebuilt, false);
    expect(Buffer.from(got.pixels).equals(Buffer.from(ref.pixels))).toBe(true);
  });
});
