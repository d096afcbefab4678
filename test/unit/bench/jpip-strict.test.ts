// The benchmark's strict-need calculator (bench/jpip-strict.ts): a codestream rebuilt from the
// main/tile headers and only the precincts it selects must decode, inside the requested region, to
// exactly the samples of the full codestream decoded at the same resolution (sufficiency), and the
// set must be smaller than the whole image for windows (so the check can fail).

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StrictCalculator, type StrictView } from '../../../bench/jpip-strict';
import { loadCodecs, type Codecs, type DecodedImage } from '../../../src/codec';
import {
  buildPacketIndex,
  mainHeaderBin,
  precinctBin,
  rebuildCodestream,
  tileHeaderBin,
  type PacketIndex,
} from '../../../src/j2k';

const SIZE = 256;

function encode(opj: string[], transform: '5-3' | '9-7'): Uint8Array {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-strict-'));
  try {
    const raw = Buffer.alloc(SIZE * SIZE * 2);
    let seed = 7;
    for (let i = 0; i < SIZE * SIZE; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      raw.writeUInt16LE((((i % SIZE) * 97 + Math.floor(i / SIZE) * 61) % 4000) + ((seed >> 16) % 50), i * 2);
    }
    fs.writeFileSync(path.join(dir, 'in.rawl'), raw);
    const extra = transform === '9-7' ? ['-I', '-r', '8,2'] : [];
    execFileSync(
      'opj_compress',
      [
        '-i',
        path.join(dir, 'in.rawl'),
        '-o',
        path.join(dir, 'out.j2k'),
        '-F',
        `${SIZE},${SIZE},1,12,u`,
        ...opj,
        ...extra,
      ],
      { stdio: 'pipe' },
    );
    return new Uint8Array(fs.readFileSync(path.join(dir, 'out.j2k')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function regionEqual(a: DecodedImage, b: DecodedImage, x0: number, y0: number, x1: number, y1: number): number {
  let diff = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) if (a.data[y * a.width + x] !== b.data[y * b.width + x]) diff++;
  return diff;
}

function check(codecs: Codecs, cs: Uint8Array, index: PacketIndex, calc: StrictCalculator, view: StrictView): void {
  const s = calc.strict(view);
  expect(s.binIds.size).toBeGreaterThan(0);
  const precincts = new Map<number, Uint8Array>();
  for (const id of s.binIds) {
    const bin = precinctBin(cs, index, id);
    const end = view.layers === undefined ? bin.bytes.length : (bin.layerEnds[view.layers - 1] ?? bin.bytes.length);
    precincts.set(id, bin.bytes.subarray(0, end));
  }
  const rebuilt = rebuildCodestream({
    mainHeader: mainHeaderBin(cs, index),
    tileHeaders: new Map([[0, tileHeaderBin(cs, index, 0)]]),
    precincts,
    discardLevels: s.discard,
    ...(view.layers === undefined ? {} : { maxLayers: view.layers }),
  });
  const layers = view.layers === undefined ? {} : { layers: view.layers };
  const want = codecs.decodeJ2k(cs, { reduce: s.discard, ...layers });
  const got = codecs.decodeJ2k(rebuilt, { reduce: s.discard, ...layers });
  const [x0, y0] = view.roff ?? [0, 0];
  const [w, h] = view.rsiz ?? [want.width, want.height];
  expect(regionEqual(want, got, x0, y0, Math.min(want.width, x0 + w), Math.min(want.height, y0 + h))).toBe(0);
}

describe('bench strict-need calculator', () => {
  let codecs: Codecs;
  beforeAll(async () => {
    codecs = await loadCodecs();
  });

  const views: StrictView[] = [
    { fsiz: 256, roff: [0, 0], rsiz: [64, 64] },
    { fsiz: 256, roff: [32, 96], rsiz: [64, 32] }, // edges on precinct borders
    { fsiz: 256, roff: [31, 97], rsiz: [66, 30] },
    { fsiz: 256, roff: [200, 180], rsiz: [56, 76] }, // touching the far edges
    { fsiz: 128, roff: [40, 8], rsiz: [30, 50] },
    { fsiz: 64 },
    { fsiz: 256, roff: [100, 100], rsiz: [40, 40], layers: 1 },
  ];

  it.each(['5-3', '9-7'] as const)('selects enough precincts to decode the region exactly (%s)', (transform) => {
    const cs = encode(['-p', 'RPCL', '-n', '4', '-c', '[32,32],[32,32],[32,32],[32,32]', '-r', '10,1'], transform);
    const index = buildPacketIndex(cs);
    const calc = new StrictCalculator(cs, index);
    for (const v of views) check(codecs, cs, index, calc, v);
    const window = calc.strict({ fsiz: 256, roff: [100, 100], rsiz: [40, 40] });
    expect(window.binIds.size).toBeLessThan(index.precincts.length / 2);
    const whole = calc.strict({ fsiz: 256 });
    expect(whole.binIds.size).toBe(index.precincts.length);
  });

  it('refuses codestreams outside its scope (tiles)', () => {
    const cs = encode(['-t', '128,128'], '5-3');
    expect(() => new StrictCalculator(cs)).toThrow(Error);
  });
});
