import { MalformedError } from '../../../src/bytes';
import { frameSizeAt, resolveViewWindow, selectDiscardLevels, type ImageGeometry } from '../../../src/jpip';

function geom(over: Partial<ImageGeometry> = {}, levels = 5): ImageGeometry {
  return {
    Xsiz: 1000,
    Ysiz: 800,
    XOsiz: 0,
    YOsiz: 0,
    XTsiz: 1000,
    YTsiz: 800,
    XTOsiz: 0,
    YTOsiz: 0,
    components: [{ XRsiz: 1, YRsiz: 1 }],
    coding: [{ levels, precincts: [], transform: '5-3', layers: 1 }],
    ...over,
  };
}

describe('fsiz -> discard levels (15444-9 C.4.2)', () => {
  const g = geom();
  it('frame sizes without offsets', () => {
    expect([0, 1, 2, 3, 4, 5].map((r) => frameSizeAt(g, r))).toEqual([
      { fx: 1000, fy: 800 },
      { fx: 500, fy: 400 },
      { fx: 250, fy: 200 },
      { fx: 125, fy: 100 },
      { fx: 63, fy: 50 },
      { fx: 32, fy: 25 },
    ]);
  });

  it('frame sizes with image offsets: ceil(Xsiz/2^r) - ceil(XOsiz/2^r)', () => {
    const o = geom({ XOsiz: 333, YOsiz: 101, XTOsiz: 0, YTOsiz: 0 });
    expect([0, 1, 2, 3].map((r) => frameSizeAt(o, r))).toEqual([
      { fx: 667, fy: 699 },
      { fx: 333, fy: 349 },
      { fx: 166, fy: 174 },
      { fx: 83, fy: 87 },
    ]);
    expect(selectDiscardLevels(o, { fx: 400, fy: 400, round: 'round-down' })).toBe(1);
    expect(selectDiscardLevels(o, { fx: 334, fy: 349, round: 'round-down' })).toBe(1);
    expect(selectDiscardLevels(o, { fx: 333, fy: 348, round: 'round-down' })).toBe(2);
    expect(selectDiscardLevels(o, { fx: 333, fy: 349, round: 'round-up' })).toBe(1);
    expect(selectDiscardLevels(o, { fx: 334, fy: 349, round: 'round-up' })).toBe(0);
  });

  it.each([
    [600, 600, 'round-down', 1],
    [1000, 800, 'round-down', 0],
    [500, 400, 'round-down', 1],
    [499, 400, 'round-down', 2],
    [10, 10, 'round-down', 5], // nothing fits: smallest frame
    [600, 600, 'round-up', 0],
    [120, 90, 'round-up', 3],
    [125, 100, 'round-up', 3],
    [2000, 2000, 'round-up', 0], // nothing is large enough: full resolution
    [1, 1, 'round-up', 5],
    [300, 300, 'closest', 2],
    [31250, 1, 'closest', 2], // equidistant from r2 (50000) and r3 (12500): the larger frame
    [31249, 1, 'closest', 3],
    [5000, 5000, 'closest', 0],
  ] as const)('fsiz=%d,%d,%s -> r=%d', (fx, fy, round, r) => {
    expect(selectDiscardLevels(g, { fx, fy, round })).toBe(r);
  });
});

describe('roff/rsiz scaling and clipping (15444-9 C.4.3, C.4.4)', () => {
  const g = geom();
  it('scales with floor start / ceil end', () => {
    const v = resolveViewWindow(g, {
      fsiz: { fx: 600, fy: 600, round: 'round-down' },
      roff: { x: 100, y: 100 },
      rsiz: { x: 200, y: 200 },
    });
    expect(v.r).toBe(1);
    expect(v.frame).toEqual({ fx: 500, fy: 400 });
    expect(v.offset).toEqual({ x: 83, y: 66 });
    expect(v.size).toEqual({ x: 167, y: 134 });
    expect(v.canvas).toEqual({ x0: 166, y0: 132, x1: 500, y1: 400 });
    expect([v.fsizChanged, v.roffChanged, v.rsizChanged]).toEqual([true, true, true]);
  });

  it('clips to the frame and reports it', () => {
    const v = resolveViewWindow(g, {
      fsiz: { fx: 1000, fy: 800, round: 'round-down' },
      roff: { x: 900, y: 700 },
      rsiz: { x: 500, y: 500 },
    });
    expect(v.offset).toEqual({ x: 900, y: 700 });
    expect(v.size).toEqual({ x: 100, y: 100 });
    expect([v.fsizChanged, v.roffChanged, v.rsizChanged]).toEqual([false, false, true]);
    const out = resolveViewWindow(g, { fsiz: { fx: 1000, fy: 800, round: 'round-down' }, roff: { x: 2000, y: 0 } });
    expect(out.empty).toBe(true);
  });

  it('maps to the canvas with image offsets', () => {
    const o = geom({ XOsiz: 333, YOsiz: 101 });
    const v = resolveViewWindow(o, {
      fsiz: { fx: 333, fy: 349, round: 'round-down' },
      roff: { x: 0, y: 0 },
      rsiz: { x: 10, y: 10 },
    });
    expect(v.r).toBe(1);
    // frame origin on the reduced canvas is ceil(333/2)=167, ceil(101/2)=51
    expect(v.reduced).toEqual({ x0: 167, y0: 51, x1: 177, y1: 61 });
    expect(v.canvas).toEqual({ x0: 334, y0: 102, x1: 354, y1: 122 });
    const full = resolveViewWindow(o, {});
    expect(full.canvas).toEqual({ x0: 333, y0: 101, x1: 1000, y1: 800 });
    expect(full.fsizChanged).toBe(true);
  });

  it('refuses inconsistent geometry', () => {
    expect(() => resolveViewWindow(geom({ Xsiz: 0 }), {})).toThrow(MalformedError);
    expect(() => resolveViewWindow(geom({ XTsiz: 0 }), {})).toThrow(
      expect.objectContaining({ code: 'JPIP_BAD_GEOMETRY' }),
    );
  });
});
