// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
import { decompositionLevels, layerRatios, loadCodecs, type Codecs, type PixelImage } from '../../../src/codec';
import { FoveaError } from '../../../src/errors';
import { sharedFile } from './dicom-frames';

let codecs: Codecs;
beforeAll(async () => {
  codecs = await loadCodecs();
});

/** Independent reading of SIZ and COD (ISO/IEC 15444-1 A.5.1, A.6.1) for the assertions below. */
function headerOf(cs: Uint8Array) {
  const b = Buffer.from(cs.buffer, cs.byteOffset, cs.length);
  expect(b.readUInt16BE(0)).toBe(0xff4f);
  let i = 2;
  const out: Record<string, number | number[]> = {};
  while (i + 4 <= b.length) {
    const marker = b.readUInt16BE(i);
    if (marker === 0xff90) break;
    const len = b.readUInt16BE(i + 2);
    const s = i + 4;
    if (marker === 0xff51) {
      out.width = b.readUInt32BE(s + 2) - b.readUInt32BE(s + 10);
      out.height = b.readUInt32BE(s + 6) - b.readUInt32BE(s + 14);
      out.components = b.readUInt16BE(s + 34);
      out.ssiz = b[s + 36] ?? -1;
    } else if (marker === 0xff52) {
      out.scod = b[s] ?? -1;
      out.progression = b[s + 1] ?? -1;
      out.layers = b.readUInt16BE(s + 2);
      out.mct = b[s + 4] ?? -1;
      out.levels = b[s + 5] ?? -1;
      out.xcb = (b[s + 6] ?? -1) + 2;
      out.ycb = (b[s + 7] ?? -1) + 2;
      out.transform = b[s + 9] ?? -1;
    }
    i += 2 + len;
  }
  out.eoc = b.readUInt16BE(b.length - 2);
  return out;
}

function roundTrip(image: PixelImage): Uint8Array {
  const cs = codecs.encodeJ2kLossless(image);
  const back = codecs.decodeFrame('j2k', cs, { ...image, planarConfiguration: 0 });
  expect(back.data.length).toBe(image.data.length);
  expect(Buffer.from(back.data).equals(Buffer.from(image.data))).toBe(true);
  return cs;
}

function imageFrom(name: string, frame = 0): PixelImage {
  const f = sharedFile(name);
  return codecs.decodeFrame('native', f.frame(frame), f.desc);
}

describe('decompositionLevels / layerRatios', () => {
  it('stops when the long side is ≤ 256, at least 1, capped by the short side', () => {
    expect(decompositionLevels(1024, 1024)).toBe(2);
    expect(decompositionLevels(512, 512)).toBe(1);
    expect(decompositionLevels(128, 128)).toBe(1);
    expect(decompositionLevels(4000, 3000)).toBe(4); // 4000/16 = 250
    expect(decompositionLevels(4097, 4097)).toBe(5); // ceil(4097/16) = 257
    expect(decompositionLevels(10000, 3)).toBe(1); // cap: 2^1 ≤ 3
    expect(decompositionLevels(1, 1)).toBe(0);
  });
  it('has decreasing ratios and a lossless last layer', () => {
    expect(layerRatios(4)).toEqual([54, 18, 6, 0]);
    expect(layerRatios(1)).toEqual([0]);
  });
});

describe('encodeJ2kLossless', () => {
  it('codes MR2 (1024², 12-bit) reversibly with RPCL, 2 levels, 4 layers, 64×64 blocks, bit-exact', () => {
    const image = imageFrom('MR2_UNCR.dcm');
    const cs = roundTrip(image);
    const h = headerOf(cs);
    expect(h).toMatchObject({
      width: 1024,
      height: 1024,
      components: 1,
      ssiz: 11,
      progression: 2,
      layers: 4,
      levels: 2,
    });
    expect(h).toMatchObject({ xcb: 6, ycb: 6, transform: 1, mct: 0, eoc: 0xffd9 });
    // Wrapper limitation: precincts cannot be set, so Scod bit 0 is clear (maximal precincts).
    expect(h.scod).toBe(0);
  });

  it('keeps signed 16-bit CT exact (CT_small, precision 16 signed)', () => {
    const cs = roundTrip(imageFrom('CT_small.dcm'));
    expect(headerOf(cs)).toMatchObject({ width: 128, height: 128, ssiz: 0x80 | 15, levels: 1 });
  });

  it('keeps 8-bit RGB exact with the reversible colour transform (US1, SC_rgb_2frame)', () => {
    const cs = roundTrip(imageFrom('US1_UNCR.dcm'));
    expect(headerOf(cs)).toMatchObject({ width: 640, height: 480, components: 3, mct: 1, levels: 2, ssiz: 7 });
    roundTrip(imageFrom('SC_rgb_2frame.dcm', 1));
  });

  it('keeps every frame of 12-bit multi-frame emri_small exact', () => {
    const f = sharedFile('emri_small.dcm');
    for (let i = 0; i < f.numberOfFrames; i++) roundTrip(codecs.decodeFrame('native', f.frame(i), f.desc));
  });

  it('keeps stray bits above Bits Stored by coding 16 bits', () => {
    const data = new Uint8Array(64 * 64 * 2);
    for (let i = 0; i < data.length; i += 2) [data[i], data[i + 1]] = [i & 0xff, i % 7 === 0 ? 0xf0 : 0x03];
    const image: PixelImage = {
      columns: 64,
      rows: 64,
      samplesPerPixel: 1,
      bitsAllocated: 16,
      bitsStored: 12,
      pixelRepresentation: 0,
      photometricInterpretation: 'MONOCHROME2',
      data,
    };
    const cs = roundTrip(image);
    expect(headerOf(cs).ssiz).toBe(15);
  });

  it('codes signed 8-bit at 9 bits and signed 12-bit at 12 bits, both exact', () => {
    const s8 = new Uint8Array(50 * 40).map((_, i) => (i * 37) & 0xff);
    const cs8 = roundTrip({
      columns: 50,
      rows: 40,
      samplesPerPixel: 1,
      bitsAllocated: 8,
      bitsStored: 8,
      pixelRepresentation: 1,
      photometricInterpretation: 'MONOCHROME2',
      data: s8,
    });
    expect(headerOf(cs8).ssiz).toBe(0x80 | 8);
    const w = new Int16Array(70 * 30).map((_, i) => ((i * 53) % 4096) - 2048);
    const cs12 = roundTrip({
      columns: 70,
      rows: 30,
      samplesPerPixel: 1,
      bitsAllocated: 16,
      bitsStored: 12,
      pixelRepresentation: 1,
      photometricInterpretation: 'MONOCHROME2',
      data: new Uint8Array(w.buffer),
    });
    expect(headerOf(cs12).ssiz).toBe(0x80 | 11);
  });

  it('handles tiny, thin and constant images', () => {
    const mk = (c: number, r: number, fill: (i: number) => number): PixelImage => ({
      columns: c,
      rows: r,
      samplesPerPixel: 1,
      bitsAllocated: 8,
      bitsStored: 8,
      pixelRepresentation: 0,
      photometricInterpretation: 'MONOCHROME2',
      data: new Uint8Array(c * r).map((_, i) => fill(i)),
    });
    expect(headerOf(roundTrip(mk(1, 1, () => 7))).levels).toBe(0);
    expect(headerOf(roundTrip(mk(3000, 2, (i) => i & 0xff))).levels).toBe(1);
    roundTrip(mk(300, 300, () => 0));
    roundTrip(mk(64, 64, () => Math.floor(Math.random() * 256))); // noise expands: must still fit
  });

  it('the first quality layer alone is lossy (layers are real)', () => {
    const image = imageFrom('US1_UNCR.dcm');
    const cs = codecs.encodeJ2kLossless(image);
    const one = codecs.decodeJ2k(cs, { layers: 1 });
    const all = codecs.decodeJ2k(cs);
    expect(Buffer.from(one.data.buffer).equals(Buffer.from(all.data.buffer))).toBe(false);
  });

  it('refuses what the wrapper cannot code, with typed errors', () => {
    const rgb16: PixelImage = {
      columns: 8,
      rows: 8,
      samplesPerPixel: 3,
      bitsAllocated: 16,
      bitsStored: 16,
      pixelRepresentation: 0,
      photometricInterpretation: 'RGB',
      data: new Uint8Array(384),
    };
    expect(() => codecs.encodeJ2kLossless(rgb16)).toThrow(
      expect.objectContaining({ code: 'CODEC_ENCODE_16BIT_COLOUR' }),
    );
    const short: PixelImage = { ...rgb16, samplesPerPixel: 1, data: new Uint8Array(10) };
    expect(() => codecs.encodeJ2kLossless(short)).toThrow(expect.objectContaining({ code: 'CODEC_SIZE_MISMATCH' }));
    expect(() => codecs.encodeJ2kLossless({ ...short, data: new Uint8Array(128) }, { layers: 0 })).toThrow(FoveaError);
  });
});
