// Packet order (ISO/IEC 15444-1 B.12): the sorted-key implementation must equal a literal
// transcription of the B.12.1.3-B.12.1.5 loops, which step over every canvas sample. The larger
// db11217111510058.jp2 is checked in progression-corpus.test.ts.
import { parseCodestream } from '../../../src/j2k/codestream';
import { bandRect, precinctGrid, resolutionRect, tileComponentRect, tileRect } from '../../../src/j2k/geometry';
import { TagTree } from '../../../src/j2k/tag-tree';
import { BitReader } from '../../../src/bytes';
import { loadCodestream } from './corpus-helper';
import { expectLiteralOrder } from './progression-helper';

describe('position-driven progressions equal the literal B.12 loops', () => {
  it.each(['d1_colr.j2c', 'byte.jph', 'p1_07.j2k', 'e2_colr.j2c', 'p1_06.j2k', 'p0_06.j2k'])('%s', (name) => {
    expectLiteralOrder(loadCodestream(name));
  });
});

describe('geometry (Annex B)', () => {
  it('tile, tile-component, resolution and band bounds with offsets and subsampling', () => {
    const siz = parseCodestream(loadCodestream('b2_mono.j2c')).main.siz;
    const t6 = tileRect(siz, 6);
    expect(t6).toEqual({ x0: 379, y0: 161, x1: 758, y1: 322 });
    const tc = tileComponentRect(t6, 5, 3);
    expect(tc).toEqual({ x0: 76, y0: 54, x1: 152, y1: 108 });
    expect(resolutionRect(tc, 5, 0)).toEqual({ x0: 3, y0: 2, x1: 5, y1: 4 });
    expect(bandRect(tc, 5, 1, 1)).toEqual({ x0: 2, y0: 2, x1: 5, y1: 4 }); // HL, nb = 5
    expect(bandRect(tc, 5, 5, 3)).toEqual({ x0: 38, y0: 27, x1: 76, y1: 54 }); // HH, nb = 1
    expect(precinctGrid({ x0: 3, y0: 2, x1: 70, y1: 4 }, 5, 1)).toEqual({ pw: 3, ph: 1, px0: 0, py0: 1 });
    expect(precinctGrid({ x0: 3, y0: 2, x1: 3, y1: 4 }, 5, 1).pw).toBe(0);
  });
});

describe('tag tree (B.10.2)', () => {
  it('decodes the example of B.10.2 style: leaf values against thresholds', () => {
    // 1x2 leaves with values 1 and 0: root value 0.
    // Leaf 0 against threshold 1: root: bit 1 (= 0 known); leaf0: 0 (>0) -> low 1 = threshold: stop.
    // Leaf 1 against threshold 1: root known; leaf1: bit 1 -> value 0.
    const bits = [1, 0, 1];
    const bytes = new Uint8Array([bits.reduce((a, b, i) => a | (b << (7 - i)), 0)]);
    const br = new BitReader(bytes);
    const tt = new TagTree(2, 1);
    expect(tt.decode(br, 0, 1)).toBe(false);
    expect(tt.decode(br, 1, 1)).toBe(true);
    expect(tt.valueOf(1)).toBe(0);
  });
});
