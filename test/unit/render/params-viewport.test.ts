// Rendered-resource parameter parsing (PS3.18 §8.3.5.1.3-4) and the viewport arithmetic.

import { BadRequestError, FoveaError } from '../../../src/errors';
import { LimitExceededError } from '../../../src/bytes';
import {
  discardLevelsFor,
  parseQuality,
  parseRegion,
  parseSide,
  parseViewport,
  parseWindow,
  renderGeometry,
  wadoUriViewport,
} from '../../../src/render';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof FoveaError || e instanceof LimitExceededError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('parseViewport', () => {
  it('vw,vh and the full form with elided middle values and signs', () => {
    expect(parseViewport('512,256')).toEqual({ vw: 512, vh: 256 });
    expect(parseViewport('512,512,,,256,-128')).toEqual({ vw: 512, vh: 512, sw: 256, sh: -128 });
    expect(parseViewport('10,20,1.5,-2,-30,40')).toEqual({ vw: 10, vh: 20, sx: 1.5, sy: -2, sw: -30, sh: 40 });
    expect(parseViewport('10,20,5')).toEqual({ vw: 10, vh: 20, sx: 5 });
  });
  it('rejects ill-formed values with RENDER_BAD_VIEWPORT', () => {
    for (const raw of [
      '',
      '10',
      '0,10',
      '10,-1',
      '1.5,10',
      '10,10,a',
      '10,10,0,0,0,10',
      '10,10,1,2,3,4,5',
      '70000,10',
      '10,10,,,1e999,2',
    ]) {
      expect([raw, code(() => parseViewport(raw))]).toEqual([raw, 'RENDER_BAD_VIEWPORT']);
    }
    expect(code(() => parseViewport('10,10,0,0,5,5', { sizeOnly: true }))).toBe('RENDER_BAD_VIEWPORT');
    expect(parseViewport('64,32', { sizeOnly: true })).toEqual({ vw: 64, vh: 32 });
  });
});

describe('parseWindow / parseQuality / WADO-URI values', () => {
  it('center,width,function with the three functions', () => {
    expect(parseWindow('40,400,linear')).toEqual({ center: 40, width: 400, function: 'linear' });
    expect(parseWindow('-600.5,1500,LINEAR-EXACT')).toEqual({ center: -600.5, width: 1500, function: 'linear-exact' });
    expect(parseWindow('0,0.5,sigmoid')).toEqual({ center: 0, width: 0.5, function: 'sigmoid' });
  });
  it('width <= 0, width < 1 for linear, missing parts and unknown functions are 400', () => {
    for (const raw of [
      '40,0,linear',
      '40,-1,sigmoid',
      '40,0.5,linear',
      '40,400',
      '40,400,gamma',
      'a,400,linear',
      '40,400,linear,x',
    ]) {
      const err = (() => {
        try {
          parseWindow(raw);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(BadRequestError);
      expect((err as BadRequestError).code).toBe('RENDER_BAD_WINDOW');
    }
  });
  it('quality, region and rows/columns', () => {
    expect(parseQuality('1')).toBe(1);
    expect(parseQuality('100')).toBe(100);
    for (const raw of ['0', '101', '5.5', '']) expect(code(() => parseQuality(raw))).toBe('RENDER_BAD_QUALITY');
    expect(parseRegion('0.1,0.2,0.9,1')).toEqual({ x0: 0.1, y0: 0.2, x1: 0.9, y1: 1 });
    for (const raw of ['0,0,1', '0.5,0,0.5,1', '0,0,1.2,1', '-0.1,0,1,1'])
      expect(code(() => parseRegion(raw))).toBe('WADO_URI_BAD_REGION');
    expect(parseSide('512', 'rows')).toBe(512);
    expect(code(() => parseSide('0', 'rows'))).toBe('WADO_URI_BAD_SIZE');
  });
});

describe('renderGeometry (PS3.18 §8.3.5.1.3)', () => {
  it('no viewport: the whole image unscaled', () => {
    expect(renderGeometry(640, 480, undefined)).toEqual({
      x0: 0,
      y0: 0,
      x1: 640,
      y1: 480,
      flipX: false,
      flipY: false,
      outWidth: 640,
      outHeight: 480,
    });
  });
  it('fits the region inside the viewport keeping the aspect ratio, without padding', () => {
    expect(renderGeometry(640, 480, { vw: 128, vh: 128 })).toMatchObject({ outWidth: 128, outHeight: 96 });
    expect(renderGeometry(480, 640, { vw: 128, vh: 128 })).toMatchObject({ outWidth: 96, outHeight: 128 });
    expect(renderGeometry(100, 100, { vw: 300, vh: 200 })).toMatchObject({ outWidth: 200, outHeight: 200 });
  });
  it('source region, clipping at the image edge and flips from negative sizes', () => {
    const g = renderGeometry(1000, 800, { vw: 100, vh: 100, sx: 100, sy: -50, sw: -200, sh: 400 });
    expect(g).toEqual({ x0: 100, y0: 50, x1: 300, y1: 450, flipX: true, flipY: false, outWidth: 50, outHeight: 100 });
    expect(renderGeometry(1000, 800, { vw: 100, vh: 100, sx: 900, sy: 0, sw: 500, sh: 100 })).toMatchObject({
      x1: 1000,
      outWidth: 100,
      outHeight: 100,
    });
    expect(code(() => renderGeometry(1000, 800, { vw: 10, vh: 10, sx: 1000 }))).toBe('RENDER_EMPTY_REGION');
    expect(code(() => renderGeometry(100, 100, { vw: 65536, vh: 65536 }, 1000))).toBe('RENDER_OUTPUT_TOO_LARGE');
  });
  it('discard levels: the smallest resolution still at least the output size', () => {
    expect(discardLevelsFor(renderGeometry(8192, 8192, { vw: 128, vh: 128 }), 7)).toBe(6);
    expect(discardLevelsFor(renderGeometry(8192, 8192, { vw: 128, vh: 128 }), 5)).toBe(5);
    expect(discardLevelsFor(renderGeometry(8192, 8192, { vw: 1024, vh: 1024 }), 7)).toBe(3);
    expect(discardLevelsFor(renderGeometry(8192, 8192, { vw: 1000, vh: 1000 }), 7)).toBe(3);
    expect(discardLevelsFor(renderGeometry(8192, 8192, { vw: 1025, vh: 1025 }), 7)).toBe(2);
    expect(
      discardLevelsFor(renderGeometry(8192, 8192, { vw: 1024, vh: 1024, sx: 0, sy: 0, sw: 2048, sh: 2048 }), 7),
    ).toBe(1);
    expect(discardLevelsFor(renderGeometry(100, 100, { vw: 400, vh: 400 }), 5)).toBe(0);
  });
  it('WADO-URI region/rows/columns as a viewport', () => {
    expect(wadoUriViewport(200, 100, { region: { x0: 0.5, y0: 0, x1: 1, y1: 0.5 } })).toEqual({
      vw: 100,
      vh: 50,
      sx: 100,
      sy: 0,
      sw: 100,
      sh: 50,
    });
    const g = renderGeometry(200, 100, wadoUriViewport(200, 100, { rows: 25 }));
    expect([g.outWidth, g.outHeight]).toEqual([50, 25]);
    const h = renderGeometry(200, 100, wadoUriViewport(200, 100, { rows: 80, columns: 80 }));
    expect([h.outWidth, h.outHeight]).toEqual([80, 40]);
  });
});
