// Precinct re-partitioning of codestreams made by our own encoder (src/codec, OpenJPEG: 5/3,
// RPCL, 4 layers, 64x64 code-blocks, no precincts) and of real DICOM transcodes: decoded samples
// (full, reduced, layer-limited) stay bit-exact, the packet index shows the new precinct grid
// (ISO/IEC 15444-1 B.6 Eq. B-16), and the native OpenJPEG tools read the result. DICOM files are
// the small copies in test/fixtures/corpus/dicom; the larger ones are in repacketize-corpus.test.ts.

import { loadCodecs, type Codecs, type PixelImage } from '../../../src/codec';
import {
  buildPacketIndex,
  codestreamSummary,
  parseMainHeader,
  repartitionPrecincts,
  type PrecinctSize,
} from '../../../src/j2k';
import { sharedFixture } from '../codec/dicom-frames';
import {
  expectSameDecode,
  expectTranscodeRepartitions,
  expectedPrecincts,
  opjDecompress,
  opjDumpPrecincts,
  precinctsPerResolution,
  samples,
  syntheticImage,
  withTempDir,
} from './repacketize-helper';

let codecs: Codecs;
beforeAll(async () => {
  codecs = await loadCodecs();
});

const CASES: Array<[string, () => PixelImage]> = [
  ['512x512 16-bit unsigned (12 stored)', () => syntheticImage(512, 512, 1, 16, false, 12)],
  ['1000x700 8-bit mono', () => syntheticImage(1000, 700, 1, 8)],
  ['64x64 16-bit signed', () => syntheticImage(64, 64, 1, 16, true)],
  ['1x1 8-bit', () => syntheticImage(1, 1, 1, 8)],
  ['300x200 RGB', () => syntheticImage(300, 200, 3, 8)],
  ['777x1301 16-bit unsigned', () => syntheticImage(777, 1301, 1, 16)],
];

const sizes = (levels: number, variant: string): { pp: number[]; precincts: PrecinctSize[] } => {
  if (variant === '128') return { pp: [7], precincts: [{ PPx: 7, PPy: 7 }] };
  if (variant === '256') return { pp: [8], precincts: [{ PPx: 8, PPy: 8 }] };
  const pp = Array.from({ length: levels + 1 }, (_, r) => (r === 0 ? 6 : 7));
  return { pp, precincts: pp.map((p) => ({ PPx: p, PPy: p })) };
};

describe.each(CASES)('codec-encoded %s', (_name, make) => {
  const image = make();
  let original: Uint8Array;
  beforeAll(() => {
    original = codecs.encodeJ2kLossless(image);
  });

  test('the encoder writes one precinct per resolution (why this module exists)', () => {
    const cod = parseMainHeader(original).cod;
    expect(cod.userPrecincts).toBe(false);
    expect(cod.progression).toBe(2);
    expect(new Set(precinctsPerResolution(buildPacketIndex(original)))).toEqual(new Set([1]));
  });

  test.each(['128', '256', '64 at r=0'])('precincts %s: same samples, expected grid, tools agree', (variant) => {
    const { levels, layers, components } = codestreamSummary(original);
    const { pp, precincts } = sizes(levels, variant);
    const out = repartitionPrecincts(original, { precincts });

    // (a) full decode, (b) every reduce x layer-limited decode
    expectSameDecode(codecs, original, out);
    expect(samples(codecs.decodeJ2k(out)).equals(Buffer.from(image.data))).toBe(true);
    for (let reduce = 0; reduce <= levels; reduce++) {
      for (let l = 1; l <= layers; l++) expectSameDecode(codecs, original, out, { reduce, layers: l });
    }

    // (c) the packet index of the result shows the new grid
    const cod = parseMainHeader(out).cod;
    expect(cod.userPrecincts).toBe(true);
    expect(cod.Scod & 1).toBe(1);
    expect(cod.PPx).toEqual(Array.from({ length: levels + 1 }, (_, r) => pp[Math.min(r, pp.length - 1)]));
    const index = buildPacketIndex(out);
    const expected = expectedPrecincts(image.columns, image.rows, levels, pp);
    for (let c = 0; c < components; c++) expect(precinctsPerResolution(index, c)).toEqual(expected);
    const total = expected.reduce((a, v) => a + v, 0) * components;
    expect(index.precincts).toHaveLength(total);
    expect(index.packetCount).toBe(total * layers);
    for (const p of index.precincts) expect(p.packets).toHaveLength(layers);

    // (d) native OpenJPEG reads the sizes and decodes the same samples
    withTempDir((dir) => {
      const dump = opjDumpPrecincts(dir, 'out', out);
      const want = Array.from(
        { length: levels + 1 },
        (_, r) => `(${pp[Math.min(r, pp.length - 1)]},${pp[Math.min(r, pp.length - 1)]})`,
      ).join(' ');
      expect(dump).toEqual(Array.from({ length: components }, () => want));
      expect(opjDecompress(dir, 'out', out).equals(opjDecompress(dir, 'orig', original))).toBe(true);
    });
  });
});

describe('real DICOM transcodes', () => {
  test.each([['MR_small.dcm'], ['CT_small.dcm'], ['dx_image.dcm']])('%s: 128x128 precincts, bit-exact', (file) => {
    expectTranscodeRepartitions(codecs, sharedFixture(file));
  });
});
