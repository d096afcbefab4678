// Hostile input: truncation sweeps over real files, corrupted lengths and VRs, limits checked
// before allocation, bare data sets, deflated input, a fast-check fuzz of the header region, and
// streaming. The only acceptable failures are our typed ParseErrors (never RangeError/TypeError).
// Real files are the small copies in test/fixtures/corpus/dicom; the sweep of larger files and the
// whole-file fuzz (seeded with explicit_VR-UN.dcm too) are in robustness-corpus.test.ts.
import fc from 'fast-check';
import { bufferSource, LimitExceededError, MalformedError, TruncatedError } from '../../../src/bytes';
import {
  DicomDataset,
  encodeDataset,
  encodePart10,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  inflateDeflatedDataset,
  deflateDataset,
  parseDicom,
  Tags,
} from '../../../src/dicom';
import { load, typedFailure } from './helpers';

const SWEEP = ['CT_small.dcm', 'emri_small_jpeg_2k_lossless.dcm', 'liver_j2k.dcm', 'JPEG2000.dcm'];

describe('truncation sweep', () => {
  it.each(SWEEP)('%s cut at 32 points gives TruncatedError only', (file) => {
    const bytes = load(file);
    for (let k = 1; k <= 32; k++) {
      const cut = Math.floor((bytes.length * k) / 33);
      const err = typedFailure(() => parseDicom(bufferSource(bytes.subarray(0, cut))));
      // A cut that lands exactly between two top-level elements is a valid (shorter) data set.
      if (err !== undefined) expect(err).toBeInstanceOf(TruncatedError);
    }
  });
});

function explicitLe(build: (ds: DicomDataset) => void): Uint8Array {
  const ds = new DicomDataset();
  ds.setString(Tags.SOPClassUID, 'UI', '1.2.840.10008.5.1.4.1.1.7');
  ds.setString(Tags.SOPInstanceUID, 'UI', '1.2.3.4');
  build(ds);
  return encodePart10(ds, EXPLICIT_VR_LITTLE_ENDIAN);
}

function find(bytes: Uint8Array, pattern: number[]): number {
  return Buffer.from(bytes).indexOf(Buffer.from(pattern));
}

describe('corruption', () => {
  it('a missing DICM and no recognisable data set is DICOM_NO_DICM', () => {
    const junk = new Uint8Array(300).fill(0x7f);
    expect(typedFailure(() => parseDicom(bufferSource(junk)))?.code).toBe('DICOM_NO_DICM');
  });

  it('an invalid VR is DICOM_BAD_VR', () => {
    const b = explicitLe((ds) => ds.setString(0x00100010, 'PN', 'A^B')).slice();
    const at = find(b, [0x10, 0x00, 0x10, 0x00, 0x50, 0x4e]);
    b[at + 4] = 0x01;
    const e = typedFailure(() => parseDicom(bufferSource(b)));
    expect(e).toBeInstanceOf(MalformedError);
    expect(e?.code).toBe('DICOM_BAD_VR');
  });

  it('an element length past the end is DICOM_TRUNCATED; past its item is DICOM_BAD_LENGTH', () => {
    const b = explicitLe((ds) => ds.setString(0x00100010, 'PN', 'A^B')).slice();
    const at = find(b, [0x10, 0x00, 0x10, 0x00, 0x50, 0x4e]);
    b[at + 6] = 0xff;
    b[at + 7] = 0x7f;
    expect(typedFailure(() => parseDicom(bufferSource(b)))?.code).toBe('DICOM_TRUNCATED');

    const item = new DicomDataset();
    item.setString(0x00100020, 'LO', 'ID');
    const ds = new DicomDataset();
    ds.setSequence(0x00101002, [item]);
    ds.setString(0x00100030, 'DA', '20200101');
    // Hand-built defined-length item whose element claims more than the item holds.
    const inner = encodeDataset(item, EXPLICIT_VR_LITTLE_ENDIAN).slice();
    inner[6] = 0x20;
    const seq = Buffer.concat([
      Buffer.from([0x10, 0x00, 0x02, 0x10, 0x53, 0x51, 0, 0]),
      u32(8 + inner.length),
      Buffer.from([0xfe, 0xff, 0x00, 0xe0]),
      u32(inner.length),
      Buffer.from(inner),
      Buffer.from([0x10, 0x00, 0x30, 0x00, 0x44, 0x41, 0x08, 0x00]),
      Buffer.from('20200101'),
    ]);
    const e = typedFailure(() => parseDicom(bufferSource(seq), { transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN }));
    expect(e?.code).toBe('DICOM_BAD_LENGTH');
  });

  it('a bad Basic Offset Table length is DICOM_BAD_BOT', () => {
    const b = Buffer.concat([
      Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0]),
      u32(0xffffffff),
      Buffer.from([0xfe, 0xff, 0x00, 0xe0]),
      u32(3),
      Buffer.alloc(3),
    ]);
    expect(typedFailure(() => parseDicom(bufferSource(b), { transferSyntaxUid: '1.2.840.10008.1.2.4.90' }))?.code).toBe(
      'DICOM_BAD_BOT',
    );
  });
});

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

describe('limits', () => {
  const nested = (depth: number): DicomDataset => {
    let ds = new DicomDataset();
    ds.setString(0x00100020, 'LO', 'X');
    for (let i = 0; i < depth; i++) {
      const outer = new DicomDataset();
      outer.setSequence(0x00400275, [ds]);
      ds = outer;
    }
    return ds;
  };
  it('maxDepth', () => {
    const bytes = encodeDataset(nested(5), EXPLICIT_VR_LITTLE_ENDIAN);
    expect(() =>
      parseDicom(bufferSource(bytes), { maxDepth: 5, transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN }),
    ).not.toThrow();
    const e = typedFailure(() =>
      parseDicom(bufferSource(bytes), { maxDepth: 4, transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN }),
    );
    expect(e).toBeInstanceOf(LimitExceededError);
    expect(e?.code).toBe('DICOM_TOO_DEEP');
  });
  it('maxItems, maxFragments, maxElementLength', () => {
    const ds = new DicomDataset();
    ds.setSequence(0x00400275, [new DicomDataset(), new DicomDataset(), new DicomDataset()]);
    const bytes = encodeDataset(ds, EXPLICIT_VR_LITTLE_ENDIAN);
    expect(
      typedFailure(() => parseDicom(bufferSource(bytes), { maxItems: 2, transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN }))
        ?.code,
    ).toBe('DICOM_TOO_MANY_ITEMS');
    const j2k = load('emri_small_jpeg_2k_lossless.dcm');
    expect(typedFailure(() => parseDicom(bufferSource(j2k), { maxFragments: 9 }))?.code).toBe(
      'DICOM_TOO_MANY_FRAGMENTS',
    );
    expect(() => parseDicom(bufferSource(j2k), { maxFragments: 10 })).not.toThrow();
    const big = explicitLe((d) => d.setString(0x00081030, 'LO', 'x'.repeat(64)));
    expect(typedFailure(() => parseDicom(bufferSource(big), { maxElementLength: 63 }))?.code).toBe(
      'DICOM_ELEMENT_TOO_LONG',
    );
  });
  it('inflation is bounded', () => {
    const d = deflateDataset(new Uint8Array(100000));
    expect(inflateDeflatedDataset(d).length).toBe(100000);
    expect(typedFailure(() => inflateDeflatedDataset(d, 1000))?.code).toBe('DICOM_INFLATE_TOO_LARGE');
    expect(typedFailure(() => inflateDeflatedDataset(d.subarray(0, 10)))).toBeInstanceOf(TruncatedError);
  });
});

describe('bare data sets and reuse', () => {
  it('detects Implicit and Explicit VR LE without a Part 10 header', () => {
    const ds = new DicomDataset();
    ds.setString(Tags.SOPInstanceUID, 'UI', '1.2.3.4');
    ds.setNumber(Tags.Rows, 'US', 7);
    for (const ts of [IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN]) {
      const p = parseDicom(bufferSource(encodeDataset(ds, ts)));
      expect(p.fileMeta).toBeNull();
      expect(p.transferSyntaxUid).toBe(ts);
      expect(p.dataset.number(Tags.Rows)).toBe(7);
      expect(p.dataset.uid(Tags.SOPInstanceUID)).toBe('1.2.3.4');
    }
  });
  it('a failed parse leaves no state behind', () => {
    expect(typedFailure(() => parseDicom(bufferSource(load('CT_small.dcm').subarray(0, 500))))).toBeInstanceOf(
      TruncatedError,
    );
    expect(parseDicom(bufferSource(load('CT_small.dcm'))).dataset.number(Tags.Rows)).toBe(128);
  });
});

describe('fuzz', () => {
  it('mutations of the header region (first 2 KB) throw only typed errors', () => {
    const base = load('CT_small.dcm');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 128, max: 2048 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          const b = base.slice();
          for (const [pos, val] of edits) b[pos] = val;
          typedFailure(() => parseDicom(bufferSource(b)));
        },
      ),
      { numRuns: 1500, seed: 7 },
    );
  });
});

describe('streaming', () => {
  it('parses a 500 MB native multi-frame object reading only its header', () => {
    const ds = new DicomDataset();
    ds.setString(Tags.SOPClassUID, 'UI', '1.2.840.10008.5.1.4.1.1.7');
    ds.setString(Tags.SOPInstanceUID, 'UI', '1.2.3.4.5');
    ds.setNumber(Tags.Rows, 'US', 1000);
    const pixelLength = 500 * 1024 * 1024;
    const head = Buffer.concat([
      encodePart10(ds, EXPLICIT_VR_LITTLE_ENDIAN),
      Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57, 0, 0]),
      u32(pixelLength),
    ]);
    let bytesRead = 0;
    const src = {
      size: head.length + pixelLength,
      read(offset: number, length: number): Uint8Array {
        bytesRead += length;
        const out = new Uint8Array(length);
        if (offset < head.length) out.set(head.subarray(offset, Math.min(head.length, offset + length)));
        return out;
      },
    };
    const p = parseDicom(src);
    expect(p.pixelData).toEqual({
      kind: 'native',
      offset: head.length,
      length: pixelLength,
      vr: 'OW',
      bigEndian: false,
    });
    expect(bytesRead).toBeLessThanOrEqual(64 * 1024 + 132);
  });
});
