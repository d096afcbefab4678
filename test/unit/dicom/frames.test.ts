// frameLocations/readFrame on real encapsulated and native files plus synthetic layouts
// (Basic/Extended Offset Tables, fragment walk, padding, 1-bit packing across frames). Real files
// are the small copies in test/fixtures/corpus/dicom; larger ones are in frames-corpus.test.ts.
import { bufferSource, MalformedError } from '../../../src/bytes';
import { frameLocations, readFrame, type PixelDataLayout } from '../../../src/dicom';
import { source, encapsulatedFrames } from './helpers';

const J2K_FILES = [
  '693_J2KR.dcm',
  'J2K_pixelrep_mismatch.dcm',
  'JPEG2000.dcm',
  'MR2_J2KI.dcm',
  'MR_small_jp2klossless.dcm',
  'OsirixFake16BitsStoredFakeSpacing.dcm',
  'US1_J2KI.dcm',
  'US1_J2KR.dcm',
  'emri_small_jpeg_2k_lossless.dcm',
  'liver_j2k.dcm',
];
const JP2_FILES = ['ELSCINT1_JP2vsJ2K.dcm', 'GDCMJ2K_TextGBR.dcm', 'MAROTECH_CT_JP2Lossy.dcm'];

const frames = (file: string): Uint8Array[] => encapsulatedFrames(source(file));

describe('encapsulated frames', () => {
  it.each(J2K_FILES)('%s: every frame is a codestream FF4F FF51 ... FFD9', (file) => {
    const fs = frames(file);
    for (const f of fs) {
      expect([...f.subarray(0, 4)]).toEqual([0xff, 0x4f, 0xff, 0x51]);
      expect([...f.subarray(f.length - 2)]).toEqual([0xff, 0xd9]);
    }
  });

  it('splits emri_small_jpeg_2k_lossless into 10 frames and liver_j2k into 3', () => {
    expect(frames('emri_small_jpeg_2k_lossless.dcm')).toHaveLength(10);
    expect(frames('liver_j2k.dcm')).toHaveLength(3);
  });

  it.each(JP2_FILES)('%s: a JP2 file in Pixel Data is returned as is', (file) => {
    const [f] = frames(file);
    expect([...(f as Uint8Array).subarray(0, 8)]).toEqual([0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20]);
  });
});

// Synthetic layouts over a buffer holding fragments back to back with 8-byte item headers.
function synthetic(fragments: number[][]): {
  layout: PixelDataLayout & { kind: 'encapsulated' };
  src: ReturnType<typeof bufferSource>;
} {
  const parts: number[] = [];
  const frags: { offset: number; length: number }[] = [];
  for (const f of fragments) {
    parts.push(0xfe, 0xff, 0x00, 0xe0, f.length & 0xff, (f.length >> 8) & 0xff, 0, 0);
    frags.push({ offset: parts.length, length: f.length });
    parts.push(...f);
  }
  return {
    layout: { kind: 'encapsulated', basicOffsetTable: [], fragments: frags },
    src: bufferSource(new Uint8Array(parts)),
  };
}
const SOC = [0xff, 0x4f, 0xff, 0x51];

describe('frame location strategies', () => {
  it('walks fragments: a frame starts at FF4F FF51 and may span fragments; trailing 00 after FFD9 is trimmed', () => {
    const { layout, src } = synthetic([
      [...SOC, 1, 2],
      [3, 4, 0xff, 0xd9, 0x00],
      [...SOC, 9, 0xff, 0xd9],
    ]);
    const locs = frameLocations(layout, 2, src);
    expect(locs.map((l) => [...readFrame(src, l)])).toEqual([
      [...SOC, 1, 2, 3, 4, 0xff, 0xd9],
      [...SOC, 9, 0xff, 0xd9],
    ]);
  });

  it('uses the Basic Offset Table and the Extended Offset Table', () => {
    const { layout, src } = synthetic([
      [...SOC, 1, 1],
      [2, 2],
      [...SOC, 3, 3],
    ]);
    const bot = { ...layout, basicOffsetTable: [0, 24] };
    expect(frameLocations(bot, 2, src).map((l) => l.ranges.length)).toEqual([2, 1]);
    const eot = { offsets: [0, 24], lengths: [8, 6] };
    expect(frameLocations(layout, 2, src, eot).map((l) => l.length)).toEqual([8, 6]);
  });

  it('rejects offset tables that do not point at fragments', () => {
    const { layout, src } = synthetic([
      [...SOC, 1, 1],
      [...SOC, 3, 3],
    ]);
    const e = (() => {
      try {
        frameLocations({ ...layout, basicOffsetTable: [0, 5] }, 2, src);
      } catch (x) {
        return x;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(MalformedError);
    expect((e as MalformedError).code).toBe('DICOM_BAD_OFFSET_TABLE');
  });

  it('falls back with a warning when the BOT has the wrong number of entries', () => {
    const { layout, src } = synthetic([
      [...SOC, 1, 1],
      [...SOC, 3, 3],
    ]);
    const warnings: string[] = [];
    const locs = frameLocations({ ...layout, basicOffsetTable: [0] }, 2, src, undefined, {
      onWarning: (w) => warnings.push(w),
    });
    expect(locs).toHaveLength(2);
    expect(warnings).toHaveLength(1);
  });

  it('reports frame count mismatches with a code', () => {
    const { layout, src } = synthetic([
      [...SOC, 1, 1],
      [5, 5],
      [6, 6],
    ]);
    expect(() => frameLocations(layout, 2, src)).toThrow(
      expect.objectContaining({ code: 'DICOM_FRAME_COUNT_MISMATCH' }),
    );
    expect(() => frameLocations(layout, 4, src)).toThrow(
      expect.objectContaining({ code: 'DICOM_FRAME_COUNT_MISMATCH' }),
    );
  });
});

describe('native frames', () => {
  it('SC_rgb_2frame: 2 frames of 100*100*3 bytes; emri_small: 10 frames of 64*64*2', () => {
    expect(frames('SC_rgb_2frame.dcm').map((f) => f.length)).toEqual([30000, 30000]);
    expect(frames('emri_small.dcm').map((f) => f.length)).toEqual(new Array(10).fill(8192));
  });

  it('unpacks 1-bit frames that do not start on a byte boundary', () => {
    // 3 frames of 3x3 1-bit pixels = 27 bits; frame k has pixel (k) set only.
    const bits = new Array(27).fill(0);
    bits[0] = 1;
    bits[9 + 1] = 1;
    bits[18 + 2] = 1;
    const bytes = new Uint8Array(4);
    bits.forEach((b, i) => {
      if (b) bytes[i >> 3] = (bytes[i >> 3] as number) | (1 << (i & 7));
    });
    const src = bufferSource(bytes);
    const layout: PixelDataLayout = { kind: 'native', offset: 0, length: 4, vr: 'OB', bigEndian: false };
    const g = { numberOfFrames: 3, rows: 3, columns: 3, samplesPerPixel: 1, bitsAllocated: 1 };
    const out = frameLocations(layout, g, src).map((l) => [...readFrame(src, l)]);
    expect(out).toEqual([
      [0b1, 0],
      [0b10, 0],
      [0b100, 0],
    ]);
  });

  it('rejects Pixel Data shorter than its frames', () => {
    const layout: PixelDataLayout = { kind: 'native', offset: 0, length: 10, vr: 'OB', bigEndian: false };
    expect(() =>
      frameLocations(
        layout,
        { numberOfFrames: 2, rows: 2, columns: 3, samplesPerPixel: 1, bitsAllocated: 8 },
        bufferSource(new Uint8Array(10)),
      ),
    ).toThrow(expect.objectContaining({ code: 'DICOM_PIXEL_DATA_TOO_SHORT' }));
  });
});
