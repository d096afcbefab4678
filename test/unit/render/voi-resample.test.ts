// VOI functions (PS3.3 C.11.2.1.2-3), VOI LUT, MONOCHROME1 inversion and the resampler.

import { applyVoiLut, applyWindow, axisTaps, resample, toDisplay8, valueRange } from '../../../src/render';

describe('window functions', () => {
  it('LINEAR: c=40, w=400 maps [-160, 240] and clips outside (C.11.2.1.2.1)', () => {
    const w = { center: 40, width: 400, function: 'linear' as const };
    expect(applyWindow(-160, w)).toBe(0); // x <= c - 0.5 - (w-1)/2 = -160
    expect(applyWindow(-159.5, w)).toBeCloseTo((-199 / 399 + 0.5) * 255, 10);
    expect(applyWindow(239, w)).toBeCloseTo(255, 10);
    expect(applyWindow(239.01, w)).toBe(255); // x > c - 0.5 + (w-1)/2 = 239
    expect(applyWindow(39.5, w)).toBeCloseTo(127.5, 10);
    expect(applyWindow(0, w)).toBeCloseTo(((0 - 39.5) / 399 + 0.5) * 255, 10);
  });
  it('LINEAR with width 1 is a threshold at c - 0.5', () => {
    const w = { center: 100, width: 1, function: 'linear' as const };
    expect(applyWindow(99.5, w)).toBe(0);
    expect(applyWindow(99.6, w)).toBe(255);
  });
  it('LINEAR_EXACT and SIGMOID', () => {
    const e = { center: 0, width: 100, function: 'linear-exact' as const };
    expect(applyWindow(-50, e)).toBe(0);
    expect(applyWindow(50, e)).toBe(255);
    expect(applyWindow(25, e)).toBeCloseTo(191.25, 10);
    const s = { center: 10, width: 20, function: 'sigmoid' as const };
    expect(applyWindow(10, s)).toBeCloseTo(127.5, 10);
    expect(applyWindow(20, s)).toBeCloseTo(255 / (1 + Math.exp(-2)), 10);
  });
  it('VOI LUT: clamps below the first mapped value and above the last entry, scales to 8 bits', () => {
    const lut = { firstMapped: 100, bits: 12, data: Uint16Array.from([0, 1000, 2000, 4095]) };
    expect(applyVoiLut(50, lut)).toBe(0);
    expect(applyVoiLut(101, lut)).toBeCloseTo((1000 / 4095) * 255, 10);
    expect(applyVoiLut(500, lut)).toBe(255);
  });
  it('rescale before VOI, inversion for MONOCHROME1, the value-range default', () => {
    const v = Float32Array.from([0, 1000, 2000]);
    const rescale = { slope: 1, intercept: -1000 };
    expect(valueRange(v, rescale)).toEqual({ min: -1000, max: 1000 });
    const voi = { kind: 'window' as const, window: { center: 0, width: 1000, function: 'linear-exact' as const } };
    expect([...toDisplay8(v, { rescale, voi, invert: false })]).toEqual([0, 128, 255]);
    expect([...toDisplay8(v, { rescale, voi, invert: true })]).toEqual([255, 127, 0]);
    expect([...toDisplay8(v, { rescale, voi: { kind: 'range', min: -1000, max: 1000 }, invert: false })]).toEqual([
      0, 128, 255,
    ]);
    expect([...toDisplay8(v, { rescale, voi: { kind: 'range', min: 5, max: 5 }, invert: false })]).toEqual([0, 0, 0]);
  });
});

describe('resample', () => {
  const img = { width: 4, height: 2, channels: 1, data: [0, 10, 20, 30, 40, 50, 60, 70] };
  it('identity at scale 1, and a region with flips', () => {
    expect([...resample(img, { x0: 0, y0: 0, x1: 4, y1: 2 }, 4, 2)]).toEqual(img.data);
    expect([...resample(img, { x0: 1, y0: 0, x1: 3, y1: 2 }, 2, 2, true, true)]).toEqual([60, 50, 20, 10]);
  });
  it('area average when shrinking, including fractional coverage', () => {
    expect([...resample(img, { x0: 0, y0: 0, x1: 4, y1: 2 }, 2, 1)]).toEqual([25, 45]);
    const taps = axisTaps(0.5, 2, 1, 4);
    expect([...taps.index]).toEqual([0, 1]);
    expect(taps.weight[0]).toBeCloseTo(1 / 3, 6);
  });
  it('bilinear when enlarging, clamped to the region', () => {
    const row = { width: 2, height: 1, channels: 1, data: [0, 100] };
    expect([...resample(row, { x0: 0, y0: 0, x1: 2, y1: 1 }, 4, 1)]).toEqual([0, 25, 75, 100]);
  });
  it('interleaved channels stay separate', () => {
    const rgb = { width: 2, height: 1, channels: 3, data: [10, 20, 30, 50, 60, 70] };
    expect([...resample(rgb, { x0: 0, y0: 0, x1: 2, y1: 1 }, 1, 1)]).toEqual([30, 40, 50]);
  });
});
