// Region -> precincts checked against a per-sample brute force: every output sample of the
// region pulls the interleaved positions its synthesis filter touches (5/3: +-1 even, +-2 odd;
// 9/7: +-3 / +-4), mirrored at the resolution edges (15444-1 F.3.7), down to resolution 0.
import fc from 'fast-check';
import {
  relevantPrecincts,
  resolveViewWindow,
  tilesOf,
  type FsizRound,
  type ImageGeometry,
  type TileComponentCoding,
} from '../../../src/jpip';

const ceil = Math.ceil;
const floor = Math.floor;

function mirror(p: number, u0: number, u1: number): number {
  if (u1 - u0 === 1) return u0;
  let q = p;
  while (q < u0 || q > u1 - 1) q = q < u0 ? 2 * u0 - q : 2 * (u1 - 1) - q;
  return q;
}

interface Needs {
  low: Set<number>;
  high: Set<number>;
}

function bruteAxis(
  tf: TileComponentCoding['transform'],
  top: number,
  region: number[],
  bounds: (rl: number) => [number, number],
): Needs[] {
  const out: Needs[] = [];
  let cur = new Set(region);
  for (let rl = top; rl >= 1; rl--) {
    const [u0, u1] = bounds(rl);
    const pos = new Set<number>();
    for (const n of cur) {
      const s = tf === '5-3' ? (n % 2 ? 2 : 1) : n % 2 ? 4 : 3;
      for (let p = n - s; p <= n + s; p++) pos.add(u1 - u0 === 1 ? u0 : mirror(p, u0, u1));
    }
    const low = new Set<number>();
    const high = new Set<number>();
    for (const p of pos) (p % 2 === 0 ? low : high).add(p % 2 === 0 ? p / 2 : (p - 1) / 2);
    out[rl] = { low, high };
    cur = low;
  }
  out[0] = { low: cur, high: new Set() };
  return out;
}

function brute(
  g: ImageGeometry,
  fsiz: { fx: number; fy: number; round: FsizRound },
  roff: { x: number; y: number },
  rsiz: { x: number; y: number },
): string[] {
  const v = resolveViewWindow(g, { fsiz, roff, rsiz });
  const res: string[] = [];
  if (v.empty) return res;
  const numX = ceil((g.Xsiz - g.XTOsiz) / g.XTsiz);
  const numY = ceil((g.Ysiz - g.YTOsiz) / g.YTsiz);
  for (let t = 0; t < numX * numY; t++) {
    const p = t % numX;
    const q = floor(t / numX);
    const tx0 = Math.max(g.XTOsiz + p * g.XTsiz, g.XOsiz),
      tx1 = Math.min(g.XTOsiz + (p + 1) * g.XTsiz, g.Xsiz);
    const ty0 = Math.max(g.YTOsiz + q * g.YTsiz, g.YOsiz),
      ty1 = Math.min(g.YTOsiz + (q + 1) * g.YTsiz, g.Ysiz);
    if (tx1 <= v.canvas.x0 || tx0 >= v.canvas.x1 || ty1 <= v.canvas.y0 || ty0 >= v.canvas.y1) continue;
    g.components.forEach((sub, c) => {
      const cod = g.tileCoding?.get(t)?.[c] ?? g.coding[c]!;
      const NL = cod.levels;
      const rb = (rl: number) => {
        const d = 2 ** (NL - rl);
        return [
          ceil(ceil(tx0 / sub.XRsiz) / d),
          ceil(ceil(tx1 / sub.XRsiz) / d),
          ceil(ceil(ty0 / sub.YRsiz) / d),
          ceil(ceil(ty1 / sub.YRsiz) / d),
        ] as const;
      };
      const top = Math.max(NL - v.r, 0);
      const [a0, a1, b0, b1] = rb(top);
      const xs: number[] = [];
      const ys: number[] = [];
      if (v.r <= NL) {
        for (let u = ceil(v.reduced.x0 / sub.XRsiz); u < ceil(v.reduced.x1 / sub.XRsiz); u++)
          if (u >= a0 && u < a1) xs.push(u);
        for (let u = ceil(v.reduced.y0 / sub.YRsiz); u < ceil(v.reduced.y1 / sub.YRsiz); u++)
          if (u >= b0 && u < b1) ys.push(u);
      } else {
        const dx = sub.XRsiz * 2 ** NL,
          dy = sub.YRsiz * 2 ** NL;
        for (let u = floor(v.canvas.x0 / dx); u < ceil(v.canvas.x1 / dx); u++) if (u >= a0 && u < a1) xs.push(u);
        for (let u = floor(v.canvas.y0 / dy); u < ceil(v.canvas.y1 / dy); u++) if (u >= b0 && u < b1) ys.push(u);
      }
      if (xs.length === 0 || ys.length === 0) return;
      const nx = bruteAxis(cod.transform, top, xs, (rl) => [rb(rl)[0], rb(rl)[1]]);
      const ny = bruteAxis(cod.transform, top, ys, (rl) => [rb(rl)[2], rb(rl)[3]]);
      let base = 0;
      for (let rl = 0; rl <= top; rl++) {
        const pp = cod.precincts[rl] ?? { PPx: 15, PPy: 15 };
        const [r0, r1, s0, s1] = rb(rl);
        const W = 2 ** pp.PPx,
          H = 2 ** pp.PPy;
        const npw = r1 > r0 && s1 > s0 ? ceil(r1 / W) - floor(r0 / W) : 0;
        const nph = r1 > r0 && s1 > s0 ? ceil(s1 / H) - floor(s0 / H) : 0;
        const cw = rl === 0 ? W : W / 2,
          ch = rl === 0 ? H : H / 2;
        const cells = new Set<number>();
        const add = (X: Set<number>, Y: Set<number>) => {
          for (const x of X)
            for (const y of Y) cells.add((floor(y / ch) - floor(s0 / H)) * npw + floor(x / cw) - floor(r0 / W));
        };
        if (rl === 0) add(nx[0]!.low, ny[0]!.low);
        else {
          add(nx[rl]!.high, ny[rl]!.low);
          add(nx[rl]!.low, ny[rl]!.high);
          add(nx[rl]!.high, ny[rl]!.high);
        }
        for (const k of cells) {
          const s = base + k;
          res.push(`${t}/${c}/${rl}/${s}/${t + (c + s * g.components.length) * numX * numY}`);
        }
        base += npw * nph;
      }
    });
  }
  return res.sort();
}

const single: ImageGeometry = {
  Xsiz: 64,
  Ysiz: 48,
  XOsiz: 0,
  YOsiz: 0,
  XTsiz: 64,
  YTsiz: 48,
  XTOsiz: 0,
  YTOsiz: 0,
  components: [{ XRsiz: 1, YRsiz: 1 }],
  coding: [
    {
      levels: 3,
      precincts: [
        { PPx: 3, PPy: 3 },
        { PPx: 3, PPy: 3 },
        { PPx: 3, PPy: 3 },
        { PPx: 3, PPy: 3 },
      ],
      transform: '5-3',
      layers: 1,
    },
  ],
};

const multi: ImageGeometry = {
  Xsiz: 100,
  Ysiz: 90,
  XOsiz: 7,
  YOsiz: 5,
  XTsiz: 32,
  YTsiz: 40,
  XTOsiz: 3,
  YTOsiz: 2,
  components: [
    { XRsiz: 1, YRsiz: 1 },
    { XRsiz: 2, YRsiz: 2 },
    { XRsiz: 2, YRsiz: 1 },
  ],
  coding: [
    {
      levels: 3,
      precincts: [
        { PPx: 2, PPy: 2 },
        { PPx: 2, PPy: 3 },
        { PPx: 3, PPy: 2 },
        { PPx: 3, PPy: 3 },
      ],
      transform: '9-7',
      layers: 2,
    },
    {
      levels: 2,
      precincts: [
        { PPx: 1, PPy: 2 },
        { PPx: 2, PPy: 2 },
        { PPx: 2, PPy: 1 },
      ],
      transform: '5-3',
      layers: 2,
    },
    { levels: 4, precincts: [], transform: '9-7', layers: 2 },
  ],
  tileCoding: new Map([
    [
      4,
      [
        {
          levels: 1,
          precincts: [
            { PPx: 2, PPy: 2 },
            { PPx: 1, PPy: 1 },
          ],
          transform: '5-3',
          layers: 1,
        },
        {
          levels: 2,
          precincts: [
            { PPx: 1, PPy: 1 },
            { PPx: 1, PPy: 1 },
            { PPx: 1, PPy: 1 },
          ],
          transform: '9-7',
          layers: 1,
        },
        { levels: 0, precincts: [{ PPx: 0, PPy: 0 }], transform: '5-3', layers: 1 },
      ],
    ],
  ]),
};

const key = (p: { tile: number; component: number; resolution: number; sequence: number; binId: number }) =>
  `${p.tile}/${p.component}/${p.resolution}/${p.sequence}/${p.binId}`;

function check(
  g: ImageGeometry,
  fsiz: { fx: number; fy: number; round: FsizRound },
  roff: { x: number; y: number },
  rsiz: { x: number; y: number },
) {
  const v = resolveViewWindow(g, { fsiz, roff, rsiz });
  const got = relevantPrecincts(g, v);
  expect(got.map(key).sort()).toEqual(brute(g, fsiz, roff, rsiz));
  for (let i = 1; i < got.length; i++) expect(got[i]!.resolution).toBeGreaterThanOrEqual(got[i - 1]!.resolution);
  return got;
}

describe('view-window -> precincts (15444-9 A.3.2, with synthesis margins)', () => {
  it('whole image at full resolution selects every precinct', () => {
    const got = check(single, { fx: 64, fy: 48, round: 'round-down' }, { x: 0, y: 0 }, { x: 64, y: 48 });
    // 8x8 precincts: rl0 8x6 grid -> 1x1, rl1 16x12 -> 2x2, rl2 32x24 -> 4x3, rl3 64x48 -> 8x6
    expect(got.length).toBe(1 + 4 + 12 + 48);
    expect(got.map((p) => p.binId)).toEqual(got.map((p) => p.sequence)); // one tile, one component: I = s
  });

  it('a small window away from 0,0 includes the 5/3 margin', () => {
    const got = check(single, { fx: 64, fy: 48, round: 'round-down' }, { x: 33, y: 17 }, { x: 6, y: 6 });
    const top = got.filter((p) => p.resolution === 3);
    // samples 33..38 need positions 31..40 (5/3): H coefficients 15..19 -> cells of 4: 3..4
    expect([...new Set(top.map((p) => p.px))]).toEqual([3, 4]);
  });

  it('lower resolutions: fsiz 16x12 uses r=2', () => {
    const got = check(single, { fx: 16, fy: 12, round: 'round-down' }, { x: 4, y: 4 }, { x: 4, y: 4 });
    expect(Math.max(...got.map((p) => p.resolution))).toBe(1);
  });

  it('multiple tiles, offsets, sub-sampling, tile overrides and both kernels: equals brute force', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 130 }),
        fc.integer({ min: 1, max: 120 }),
        fc.constantFrom<FsizRound>('round-down', 'round-up', 'closest'),
        fc.nat(110),
        fc.nat(100),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 60 }),
        (fx, fy, round, ox, oy, sx, sy) => {
          check(multi, { fx, fy, round }, { x: ox, y: oy }, { x: sx, y: sy });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('single-tile geometry with the 9/7 kernel: equals brute force', () => {
    const g97: ImageGeometry = { ...single, coding: [{ ...single.coding[0]!, transform: '9-7' }] };
    fc.assert(
      fc.property(
        fc.nat(63),
        fc.nat(47),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        (ox, oy, sx, sy) => {
          check(g97, { fx: 64, fy: 48, round: 'round-down' }, { x: ox, y: oy }, { x: sx, y: sy });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('component subset and tile list', () => {
    const v = resolveViewWindow(multi, {
      fsiz: { fx: 93, fy: 85, round: 'round-down' },
      roff: { x: 20, y: 30 },
      rsiz: { x: 40, y: 20 },
    });
    const got = relevantPrecincts(multi, v, { components: [1] });
    expect(got.every((p) => p.component === 1)).toBe(true);
    expect(tilesOf(got)).toEqual([0, 1, 3, 4, 5].filter((t) => got.some((p) => p.tile === t)));
    expect(() => relevantPrecincts(multi, v, { maxPrecincts: 2 })).toThrow(
      expect.objectContaining({ code: 'JPIP_TOO_MANY_PRECINCTS' }),
    );
  });
});
