// decodeFrame per transfer syntax family, compared with the uncompressed source: small copies of
// corpus files (test/fixtures/corpus/dicom) and the codec fixtures (test/fixtures/codec). The cases
// needing larger corpus files are in decode-frame-corpus.test.ts.
import { loadCodecs, type Codecs, type PixelDescription, type TransferSyntaxFamily } from '../../../src/codec';
import { FoveaError } from '../../../src/errors';
import { fixtureFile, sharedFixture, type TestFile } from './dicom-frames';

let codecs: Codecs;
beforeAll(async () => {
  codecs = await loadCodecs();
});

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

function expectTyped(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FoveaError);
    return;
  }
}

/** Every frame of `coded` decodes to exactly the frames of the uncompressed `reference`. */
function expectExact(family: TransferSyntaxFamily, coded: TestFile, reference: TestFile, photometric?: string): void {
  expect(coded.numberOfFrames).toBe(reference.numberOfFrames);
  for (let i = 0; i < coded.numberOfFrames; i++) {
    const out = codecs.decodeFrame(family, coded.frame(i), coded.desc);
    const ref = codecs.decodeFrame('native', reference.frame(i), reference.desc);
    expect(same(out.data, ref.data)).toBe(true);
    expect(out.photometricInterpretation).toBe(photometric ?? ref.photometricInterpretation);
  }
}

describe('native', () => {
  it('passes 16-bit signed samples through (CT_small)', () => {
    const f = sharedFixture('CT_small.dcm');
    const img = codecs.decodeFrame('native', f.frame(0), f.desc);
    expect(img).toMatchObject({
      columns: 128,
      rows: 128,
      bitsAllocated: 16,
      pixelRepresentation: 1,
      photometricInterpretation: 'MONOCHROME2',
    });
    expect(same(img.data, f.frame(0))).toBe(true);
  });

  it('converts planar configuration 1 to interleaved', () => {
    const f = sharedFixture('SC_rgb_2frame.dcm');
    const interleaved = f.frame(1);
    const planar = new Uint8Array(interleaved.length);
    const n = 100 * 100;
    for (let p = 0; p < n; p++) for (let s = 0; s < 3; s++) planar[s * n + p] = interleaved[p * 3 + s] ?? 0;
    const img = codecs.decodeFrame('native', planar, { ...f.desc, planarConfiguration: 1 });
    expect(same(img.data, interleaved)).toBe(true);
  });

  it('expands native YBR_FULL_422 to YBR_FULL, matching the YBR_FULL reference image', () => {
    const f422 = sharedFixture('SC_ybr_full_422_uncompressed.dcm');
    const img = codecs.decodeFrame('native', f422.frame(0), f422.desc);
    expect(img.photometricInterpretation).toBe('YBR_FULL');
    expect(img.data.length).toBe(100 * 100 * 3);
    const raw = f422.frame(0);
    // pixel pair 0: Y1 Y2 Cb Cr → (Y1 Cb Cr) (Y2 Cb Cr)
    expect(Array.from(img.data.subarray(0, 6))).toEqual([raw[0], raw[2], raw[3], raw[1], raw[2], raw[3]]);
  });

  it('keeps 1-bit frames packed', () => {
    const desc: PixelDescription = {
      rows: 3,
      columns: 5,
      samplesPerPixel: 1,
      bitsAllocated: 1,
      bitsStored: 1,
      pixelRepresentation: 0,
      photometricInterpretation: 'MONOCHROME2',
      planarConfiguration: 0,
    };
    const img = codecs.decodeFrame('native', Uint8Array.of(0xff, 0x01, 0x80), desc);
    expect(Array.from(img.data)).toEqual([0xff, 0x01]);
  });

  it('rejects short frames and bad descriptions with typed errors', () => {
    const f = sharedFixture('CT_small.dcm');
    expect(() => codecs.decodeFrame('native', f.frame(0).subarray(0, 100), f.desc)).toThrow(
      expect.objectContaining({ code: 'CODEC_NATIVE_SHORT_FRAME' }),
    );
    expect(() => codecs.decodeFrame('native', f.frame(0), { ...f.desc, rows: 0 })).toThrow(
      expect.objectContaining({ code: 'CODEC_BAD_PIXEL_DESCRIPTION' }),
    );
    expect(() => codecs.decodeFrame('native', f.frame(0), { ...f.desc, bitsAllocated: 32, bitsStored: 32 })).toThrow(
      expect.objectContaining({ code: 'CODEC_UNSUPPORTED_BITS_ALLOCATED' }),
    );
  });
});

describe('RLE (PS3.5 Annex G)', () => {
  it('decodes 16-bit signed, 8-bit RGB multi-frame and 12-bit multi-frame exactly', () => {
    expectExact('rle', fixtureFile('ct_small_rle.dcm'), sharedFixture('CT_small.dcm'));
    expectExact('rle', fixtureFile('sc_rgb_2frame_rle.dcm'), sharedFixture('SC_rgb_2frame.dcm'));
    expectExact('rle', fixtureFile('emri_small_rle.dcm'), sharedFixture('emri_small.dcm'));
  });

  it('rejects a wrong segment count, bad offsets and truncation with typed errors', () => {
    const f = fixtureFile('ct_small_rle.dcm');
    const frame = f.frame(0);
    const wrongCount = frame.slice();
    wrongCount[0] = 3;
    expect(() => codecs.decodeFrame('rle', wrongCount, f.desc)).toThrow(
      expect.objectContaining({ code: 'CODEC_RLE_SEGMENT_COUNT' }),
    );
    const badOffset = frame.slice();
    badOffset.set([0xff, 0xff, 0xff, 0x7f], 8);
    expect(() => codecs.decodeFrame('rle', badOffset, f.desc)).toThrow(
      expect.objectContaining({ code: 'CODEC_RLE_SEGMENT_OFFSET' }),
    );
    for (let k = 0; k < 16; k++) {
      expect(() => codecs.decodeFrame('rle', frame.subarray(0, Math.floor((frame.length * k) / 16)), f.desc)).toThrow(
        FoveaError,
      );
    }
  });
});

describe('JPEG', () => {
  it('decodes lossless SV1 (.70) and process 14 SV6 (.57) exactly: 16-bit signed, 12-bit, RGB', () => {
    expectExact('jpeg-lossless', fixtureFile('ct_small_jpeg_ll_sv1.dcm'), sharedFixture('CT_small.dcm'));
    expectExact('jpeg-lossless', fixtureFile('mr_small_jpeg_ll_p14_sv6.dcm'), sharedFixture('MR_small.dcm'));
    expectExact('jpeg-lossless', fixtureFile('emri_small_jpeg_ll_sv1.dcm'), sharedFixture('emri_small.dcm'));
    expectExact('jpeg-lossless', fixtureFile('sc_rgb_2frame_jpeg_ll_sv1.dcm'), sharedFixture('SC_rgb_2frame.dcm'));
  });

  it('decodes baseline greyscale close to the source (lossy)', () => {
    const img = codecs.decodeFrame(
      'jpeg-baseline',
      fixtureFile('dx_image_jpeg_baseline.dcm').frame(0),
      fixtureFile('dx_image_jpeg_baseline.dcm').desc,
    );
    const ref = sharedFixture('dx_image.dcm').frame(0);
    let err = 0;
    for (let i = 0; i < ref.length; i++) err += Math.abs((img.data[i] ?? 0) - (ref[i] ?? 0));
    expect(err / ref.length).toBeLessThan(8); // dcmcjpeg default quality; unrelated data gives ~80
    expect(img.photometricInterpretation).toBe('MONOCHROME1');
  });

  it('refuses 12-bit extended DCT with UnsupportedError', () => {
    const f = fixtureFile('emri_small_jpeg_ext12.dcm');
    expect(() => codecs.decodeFrame('jpeg-extended', f.frame(0), f.desc)).toThrow(
      expect.objectContaining({ code: 'CODEC_JPEG_12BIT' }),
    );
  });

  it('turns corrupt and truncated JPEG into typed errors, never a crash or hang', () => {
    for (const [name, family] of [
      ['ct_small_jpeg_ll_sv1.dcm', 'jpeg-lossless'],
      ['dx_image_jpeg_baseline.dcm', 'jpeg-baseline'],
    ] as const) {
      const f = fixtureFile(name);
      const frame = f.frame(0);
      for (let k = 0; k < 16; k++)
        expectTyped(() => codecs.decodeFrame(family, frame.subarray(0, Math.floor((frame.length * k) / 16)), f.desc));
      const flipped = frame.slice();
      for (let i = 200; i < flipped.length; i += 97) flipped[i] = (flipped[i] ?? 0) ^ 0x5a;
      expectTyped(() => codecs.decodeFrame(family, flipped, f.desc));
      expect(() => codecs.decodeFrame(family, Uint8Array.of(1, 2, 3), f.desc)).toThrow(
        expect.objectContaining({ code: 'CODEC_JPEG_NO_SOI' }),
      );
    }
  });
});

describe('JPEG-LS (CharLS)', () => {
  it('decodes lossless 16-bit signed, RGB line/none interleave and YBR_FULL sample interleave exactly', () => {
    expectExact('jpeg-ls', fixtureFile('ct_small_jls.dcm'), sharedFixture('CT_small.dcm'));
    expectExact('jpeg-ls', fixtureFile('sc_rgb_2frame_jls.dcm'), sharedFixture('SC_rgb_2frame.dcm'));
    expectExact('jpeg-ls', fixtureFile('sc_rgb_2frame_jls_il_none.dcm'), sharedFixture('SC_rgb_2frame.dcm'));
    expectExact('jpeg-ls', fixtureFile('sc_ybr_full_jls_sample_il.dcm'), sharedFixture('SC_ybr_full_uncompressed.dcm'));
  });

  it('decodes near-lossless (.81, NEAR=2) within ±2', () => {
    const f = fixtureFile('emri_small_jls_near2.dcm');
    const ref = sharedFixture('emri_small.dcm');
    const a = new Uint16Array(codecs.decodeFrame('jpeg-ls', f.frame(3), f.desc).data.slice().buffer);
    const b = new Uint16Array(ref.frame(3).slice().buffer);
    expect(a.length).toBe(b.length);
    expect(a.every((v, i) => Math.abs(v - (b[i] ?? 0)) <= 2)).toBe(true);
  });

  it('turns garbage and truncation into typed errors', () => {
    const f = fixtureFile('ct_small_jls.dcm');
    expect(() => codecs.decodeFrame('jpeg-ls', Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), f.desc)).toThrow(FoveaError);
    const frame = f.frame(0);
    const started = Date.now();
    for (let k = 0; k < 16; k++) {
      expect(() =>
        codecs.decodeFrame('jpeg-ls', frame.subarray(0, Math.floor((frame.length * k) / 16)), f.desc),
      ).toThrow(FoveaError);
    }
    for (let seed = 0; seed < 4; seed++) {
      const flipped = frame.slice();
      for (let i = 100 + seed * 13; i < flipped.length - 2; i += 211) flipped[i] = (flipped[i] ?? 0) ^ (0x11 << seed);
      expectTyped(() => codecs.decodeFrame('jpeg-ls', flipped, f.desc));
    }
    expect(Date.now() - started).toBeLessThan(5000); // CharLS alone needs ~10 s per truncated stream
    expectExact('jpeg-ls', f, sharedFixture('CT_small.dcm')); // still works afterwards
  });
});
