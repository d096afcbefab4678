// decodeJ2k / decodeHtj2k (OpenJPEG, OpenJPH wasm) on conformance codestreams (small copies in
// test/fixtures/corpus/j2k): sizes, reduction, layers, typed errors. The HTJ2K cases on the larger
// Bretagne1_ht.j2k are in j2k-decode-corpus.test.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CodecError, loadCodecs, type Codecs } from '../../../src/codec';
import { FoveaError } from '../../../src/errors';
import { fixturePath } from '../../corpus';

const J2K_DIR = fixturePath('j2k');
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(J2K_DIR, name)));

let codecs: Codecs;
beforeAll(async () => {
  codecs = await loadCodecs();
});

describe('loadCodecs', () => {
  it('is memoised', async () => {
    expect(await loadCodecs()).toBe(codecs);
  });
});

describe('decodeJ2k (OpenJPEG)', () => {
  it('decodes a 16-bit unsigned lossless codestream (buxR.j2k, 2 layers)', () => {
    const img = codecs.decodeJ2k(read('buxR.j2k'));
    expect([img.width, img.height, img.components, img.bitsPerSample, img.signed]).toEqual([512, 512, 1, 16, false]);
    expect(img.data).toBeInstanceOf(Uint16Array);
    expect(img.data.length).toBe(512 * 512);
    // the data is a copy that survives later decodes on the same WASM heap
    const before = Array.from(img.data.subarray(0, 64));
    codecs.decodeJ2k(read('a1_mono.j2c'));
    expect(Array.from(img.data.subarray(0, 64))).toEqual(before);
  });

  it('reduce discards resolution levels (ceil division, B.5)', () => {
    const img = codecs.decodeJ2k(read('a1_mono.j2c'), { reduce: 2 });
    expect([img.width, img.height]).toEqual([Math.ceil(303 / 4), Math.ceil(179 / 4)]);
    expect(img.data).toBeInstanceOf(Uint8Array);
    expect(img.data.length).toBe(76 * 45);
  });

  it('layers limits the quality layers decoded', () => {
    // c1_mono.j2c has 10 layers
    const all = codecs.decodeJ2k(read('c1_mono.j2c'));
    const one = codecs.decodeJ2k(read('c1_mono.j2c'), { layers: 1 });
    const two = codecs.decodeJ2k(read('c1_mono.j2c'), { layers: 10 });
    expect(one.data.length).toBe(all.data.length);
    expect(Buffer.from(two.data.buffer).equals(Buffer.from(all.data.buffer))).toBe(true);
    expect(Buffer.from(one.data.buffer).equals(Buffer.from(all.data.buffer))).toBe(false);
  });

  it('decodes 3-component 8-bit interleaved (a2_colr.j2c)', () => {
    const img = codecs.decodeJ2k(read('a2_colr.j2c'));
    expect([img.width, img.height, img.components, img.bitsPerSample]).toEqual([256, 149, 3, 8]);
    expect(img.data.length).toBe(256 * 149 * 3);
  });

  it('decodes 8-bit signed as Int8Array (j2k32.j2k)', () => {
    const img = codecs.decodeJ2k(read('j2k32.j2k'));
    expect(img.signed).toBe(true);
    expect(img.data).toBeInstanceOf(Int8Array);
    expect(Array.from(img.data).some((v) => v < 0)).toBe(true);
  });

  it('rejects reduce beyond the decomposition levels', () => {
    expect(() => codecs.decodeJ2k(read('a1_mono.j2c'), { reduce: 6 })).toThrow(
      expect.objectContaining({ code: 'CODEC_REDUCE_TOO_LARGE' }),
    );
  });

  it('rejects bad options', () => {
    expect(() => codecs.decodeJ2k(read('a1_mono.j2c'), { reduce: -1 })).toThrow(
      expect.objectContaining({ code: 'CODEC_BAD_OPTION' }),
    );
    expect(() => codecs.decodeJ2k(read('a1_mono.j2c'), { layers: 0 })).toThrow(
      expect.objectContaining({ code: 'CODEC_BAD_OPTION' }),
    );
  });

  it('turns garbage and truncated headers into typed errors, and keeps working afterwards', () => {
    const cs = read('a1_mono.j2c');
    for (const bad of [
      new Uint8Array(0),
      Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
      cs.subarray(0, 40),
      cs.subarray(0, 100),
    ]) {
      let thrown: unknown;
      try {
        codecs.decodeJ2k(bad);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(FoveaError);
    }
    expect(() => codecs.decodeJ2k(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8))).toThrow(CodecError);
    expect(codecs.decodeJ2k(cs).width).toBe(303);
  });

  it('never crashes on truncation at every 1/16 of a codestream', () => {
    const cs = read('a2_colr.j2c');
    for (let k = 1; k < 16; k++) {
      const cut = cs.subarray(0, Math.floor((cs.length * k) / 16));
      try {
        const img = codecs.decodeJ2k(cut);
        expect(img.data.length).toBe(256 * 149 * 3); // OpenJPEG decodes what is there
      } catch (e) {
        expect(e).toBeInstanceOf(FoveaError);
      }
    }
  });
});

describe('decodeHtj2k (OpenJPH)', () => {
  it('turns garbage into a typed error', () => {
    expect(() => codecs.decodeHtj2k(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))).toThrow(CodecError);
    expect(() => codecs.decodeHtj2k(Uint8Array.of(0xff, 0x4f, 0xff, 0x51, 0, 4, 0, 0))).toThrow(CodecError);
  });
});
