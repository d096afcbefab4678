// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Packet order (ISO/IEC 15444-1 B.12): the sorted-key implementation must equal a literal
// transcription of the B.12.1.3-B.12.1.5 loops, which step over every canvas sample.
import { parseCodestream } from '../../../src/j2k/codestream';
import { bandRect, precinctGrid, resolutionRect, tileComponentRect, tileRect } from '../../../src/j2k/geometry';
import { packetSequence } from '../../../src/j2k/progression';
import { TagTree } from '../../../src/j2k/tag-tree';
import { tileLayout, type TileLayout } from '../../../src/j2k/tile-layout';
import { BitReader } from '../../../src/bytes';
import { loadCodestream } from './corpus-helper';

function literalLoops(L: TileLayout): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (c: number, r: number, y: number, x: number): void => {
    const comp = L.comps[c];
    const res = comp?.res[r];
    if (comp === undefined || res === undefined || res.numPrecincts === 0) return;
    const NL = comp.style.levels;
    const ok = (v: number, t0: number, R: number, PP: number, rr0: number): boolean =>
      v % (R * 2 ** (PP + NL - r)) === 0 || (v === t0 && (rr0 * 2 ** (NL - r)) % 2 ** (PP + NL - r) !== 0);
    if (!ok(y, L.rect.y0, comp.YRsiz, res.PPy, res.rect.y0) || !ok(x, L.rect.x0, comp.XRsiz, res.PPx, res.rect.x0))
      return;
    const kx = Math.floor(Math.ceil(x / (comp.XRsiz * 2 ** (NL - r))) / 2 ** res.PPx) - res.grid.px0;
    const ky = Math.floor(Math.ceil(y / (comp.YRsiz * 2 ** (NL - r))) / 2 ** res.PPy) - res.grid.py0;
    const key = `${c}/${r}/${ky * res.grid.pw + kx}`;
    if (seen.has(key)) return;
    seen.add(key);
    for (let l = 0; l < L.layers; l++) out.push(`${key}/${l}`);
  };
  const { x0, y0, x1, y1 } = L.rect;
  const C = L.comps.length;
  if (L.progression === 2)
    for (let r = 0; r <= L.maxNL; r++)
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) for (let c = 0; c < C; c++) visit(c, r, y, x);
  if (L.progression === 3)
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) for (let c = 0; c < C; c++) for (let r = 0; r <= L.maxNL; r++) visit(c, r, y, x);
  if (L.progression === 4)
    for (let c = 0; c < C; c++)
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) for (let r = 0; r <= L.maxNL; r++) visit(c, r, y, x);
  return out;
}

describe('position-driven progressions equal the literal B.12 loops', () => {
  it.each(['d1_colr.j2c', 'db11217111510058.jp2', 'byte.jph', 'p1_07.j2k', 'e2_colr.j2c', 'p1_06.j2k', 'p0_06.j2k'])(
    '%s',
    (name) => {
      const parsed = parseCodestream(loadCodestream(name));
      for (let t = 0; t < parsed.numTiles; t++) {
        const L = tileLayout(
          parsed.main,
          (parsed.tiles[t] ?? []).map((p) => p.header),
          t,
          1e7,
        );
        expect(L.progression).toBeGreaterThanOrEqual(2);
        expect(L.poc).toHaveLength(0);
        const seq = packetSequence(L, 1e7);
        const got: string[] = [];
        for (let i = 0; i < seq.count; i++) {
          const id = seq.precinct[i] as number;
          let c = 0;
          while (c + 1 < L.comps.length && (seq.precinctBase[c + 1] as number) <= id) c++;
          const s = id - (seq.precinctBase[c] as number);
          const comp = L.comps[c];
          const res = comp?.res.find((rr) => s >= rr.seqBase && s < rr.seqBase + rr.numPrecincts);
          got.push(`${c}/${res?.r}/${s - (res?.seqBase ?? 0)}/${seq.layer[i]}`);
        }
        expect(got).toEqual(literalLoops(L));
      }
    },
  );
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
