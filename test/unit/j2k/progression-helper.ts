// The literal B.12.1.3-B.12.1.5 loops and the check that the sorted-key packet order of every
// tile of a codestream equals them, shared by progression.test.ts (small fixtures) and
// progression-corpus.test.ts (larger corpus files).
import { parseCodestream } from '../../../src/j2k/codestream';
import { packetSequence } from '../../../src/j2k/progression';
import { tileLayout, type TileLayout } from '../../../src/j2k/tile-layout';

export function literalLoops(L: TileLayout): string[] {
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

/** Every tile of `cs` is in RPCL/PCRL/CPRL without POC and its packet order equals literalLoops. */
export function expectLiteralOrder(cs: Uint8Array): void {
  const parsed = parseCodestream(cs);
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
}
