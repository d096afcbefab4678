// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// decodeHtj2k (OpenJPH wasm) on Bretagne1_ht.j2k, an HTJ2K codestream too large to copy into
// test/fixtures: full and reduced decodes, and agreement with OpenJPEG (j2k-decode.test.ts covers
// the small files).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCodecs, type Codecs } from '../../../src/codec';
import { corpusPath } from '../../corpus';

const J2K_DIR = corpusPath('j2k');
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(J2K_DIR, name)));

let codecs: Codecs;
beforeAll(async () => {
  codecs = await loadCodecs();
});

describe('decodeHtj2k (OpenJPH)', () => {
  it('decodes an HTJ2K lossless RGB codestream', () => {
    const img = codecs.decodeHtj2k(read('Bretagne1_ht.j2k'));
    expect([img.width, img.height, img.components, img.bitsPerSample, img.signed]).toEqual([640, 480, 3, 8, false]);
    expect(img.data.length).toBe(640 * 480 * 3);
  });

  it('decodes at a reduced resolution', () => {
    const img = codecs.decodeHtj2k(read('Bretagne1_ht.j2k'), { reduce: 2 });
    expect([img.width, img.height, img.components]).toEqual([160, 120, 3]);
    expect(img.data.length).toBe(160 * 120 * 3);
  });

  it('agrees with OpenJPEG on the same HTJ2K codestream', () => {
    const a = codecs.decodeHtj2k(read('Bretagne1_ht.j2k'));
    const b = codecs.decodeJ2k(read('Bretagne1_ht.j2k'));
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
  });
});
