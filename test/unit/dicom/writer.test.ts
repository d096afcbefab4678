// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Writer round trips: parse → encodePart10 → parse gives the same elements (Explicit LE, Implicit
// LE, Explicit BE, Deflated), dcmdump (when installed) accepts the written files, and the
// streaming pieces produce a file whose frames read back identical.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bufferSource } from '../../../src/bytes';
import {
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  DicomDataset,
  encapsulatedPixelDataPrefix,
  encodeDataset,
  encodePart10,
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  fragmentItemHeader,
  frameLocations,
  IMPLEMENTATION_CLASS_UID,
  IMPLICIT_VR_LITTLE_ENDIAN,
  parseDicom,
  pixelDescription,
  readFrame,
  SEQUENCE_DELIMITER,
  Tags,
} from '../../../src/dicom';
import { canonical, corpusSource, DICOM_DIR, dcmdumpPath } from './helpers';

const FILES = readdirSync(DICOM_DIR)
  .filter((f) => f.endsWith('.dcm'))
  .sort();
const DCMDUMP = dcmdumpPath();

describe('encodePart10 round trip', () => {
  it.each(FILES)('%s keeps every element in its own transfer syntax', (file) => {
    const p = parseDicom(corpusSource(file));
    const out = encodePart10(p.dataset, p.transferSyntaxUid, { source: p.source });
    const q = parseDicom(bufferSource(out));
    expect(q.transferSyntaxUid).toBe(p.transferSyntaxUid);
    expect(canonical(q.dataset, q.source)).toEqual(canonical(p.dataset, p.source));
    expect(q.fileMeta?.uid(0x00020012)).toBe(IMPLEMENTATION_CLASS_UID);
    expect(q.fileMeta?.uid(Tags.MediaStorageSOPInstanceUID)).toBe(p.dataset.uid(Tags.SOPInstanceUID));
  });

  const NATIVE = [
    'CT_small.dcm',
    'MR_small.dcm',
    'SC_rgb_2frame.dcm',
    'emri_small.dcm',
    'eCT_Supplemental.dcm',
    'sm_image.dcm',
  ];
  it.each(NATIVE)('%s converts to Implicit LE, Explicit BE and Deflated and back', (file) => {
    const p = parseDicom(corpusSource(file));
    const reference = canonical(p.dataset, p.source, true);
    for (const ts of [IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_BIG_ENDIAN, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN]) {
      const q = parseDicom(bufferSource(encodePart10(p.dataset, ts, { source: p.source })));
      expect(q.transferSyntaxUid).toBe(ts);
      // Big Endian bulk values are swapped back on resolve; compare via a second LE write.
      const back = parseDicom(bufferSource(encodePart10(q.dataset, EXPLICIT_VR_LITTLE_ENDIAN, { source: q.source })));
      expect(canonical(back.dataset, back.source, true)).toEqual(reference);
    }
  });

  it.each(['693_J2KR.dcm', 'TOSHIBA_J2K_OpenJPEGv2Regression.dcm'])(
    '%s: Group Length elements are dropped (PS3.5 §7.2), (0002,0000) is the real length',
    (file) => {
      const p = parseDicom(corpusSource(file));
      const groupLengths = (ds: DicomDataset): number[] =>
        ds
          .elements()
          .flatMap((el) => [
            ...((el.tag & 0xffff) === 0 ? [el.tag] : []),
            ...(el.value.kind === 'sequence' ? el.value.items.flatMap(groupLengths) : []),
          ]);
      expect(groupLengths(p.dataset)).toContain(0x00080000); // the input has them
      const out = encodePart10(p.dataset, p.transferSyntaxUid, { source: p.source });
      const q = parseDicom(bufferSource(out));
      expect(groupLengths(q.dataset)).toEqual([]);
      const metaLength = Buffer.from(out).readUInt32LE(132 + 8);
      expect(
        Buffer.from(out)
          .subarray(132 + 12 + metaLength, 132 + 12 + metaLength + 2)
          .readUInt16LE(0),
      ).not.toBe(0x0002);
      expect(q.fileMeta?.number(0x00020000)).toBe(metaLength);
      // Inside sequence items too: a synthetic item with its own (0008,0000).
      const ds = new DicomDataset();
      ds.setNumber(0x00080000, 'UL', 999);
      ds.setString(Tags.SOPInstanceUID, 'UI', '1.2.3');
      const item = new DicomDataset();
      item.setNumber(0x00080000, 'UL', 4);
      item.setString(0x00081155, 'UI', '1.2.3.4');
      ds.setSequence(0x00081140, [item]);
      const back = parseDicom(bufferSource(encodeDataset(ds, EXPLICIT_VR_LITTLE_ENDIAN)), {
        transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN,
      });
      expect(groupLengths(back.dataset)).toEqual([]);
      expect(back.dataset.sequence(0x00081140)?.[0]?.uid(0x00081155)).toBe('1.2.3.4');
    },
  );

  it('needs the source for bulk values and says so with a code', () => {
    const p = parseDicom(corpusSource('CT_small.dcm'));
    expect(() => encodeDataset(p.dataset, EXPLICIT_VR_LITTLE_ENDIAN)).toThrow(
      expect.objectContaining({ code: 'DICOM_BULK_UNRESOLVED' }),
    );
  });

  it('pads odd values: UI with 0x00, text and UR with space', () => {
    const ds = new DicomDataset();
    ds.setString(Tags.SOPInstanceUID, 'UI', '1.2.3');
    ds.setString(0x00100010, 'PN', 'Doe^J');
    ds.setString(Tags.PixelDataProviderURL, 'UR', 'http://x/a');
    ds.setString(0x00080060, 'CS', 'CT');
    const bytes = encodeDataset(ds, EXPLICIT_VR_LITTLE_ENDIAN);
    const hex = Buffer.from(bytes).toString('latin1');
    expect(hex).toContain('1.2.3\0');
    expect(hex).toContain('Doe^J ');
    expect(hex).toContain('http://x/a');
    expect(bytes.length % 2).toBe(0);
    const q = parseDicom(bufferSource(bytes), { transferSyntaxUid: EXPLICIT_VR_LITTLE_ENDIAN });
    expect(q.dataset.string(0x00100010)).toBe('Doe^J');
    expect(q.dataset.uid(Tags.SOPInstanceUID)).toBe('1.2.3');
  });

  it('streams encapsulated frames with prefix, item headers and delimiter', () => {
    const p = parseDicom(corpusSource('emri_small_jpeg_2k_lossless.dcm'));
    const desc = pixelDescription(p.dataset);
    const frames = frameLocations(p.pixelData!, desc, p.source).map((l) => readFrame(p.source, l));
    const ds = p.dataset.clone();
    ds.delete(Tags.PixelData);
    const parts: Uint8Array[] = [
      encodePart10(ds, p.transferSyntaxUid),
      encapsulatedPixelDataPrefix(frames.map((f) => f.length)),
    ];
    for (const f of frames) {
      parts.push(fragmentItemHeader(f.length), f);
      if (f.length % 2 === 1) parts.push(new Uint8Array(1));
    }
    parts.push(SEQUENCE_DELIMITER);
    const q = parseDicom(bufferSource(Buffer.concat(parts)));
    expect(q.pixelData?.kind === 'encapsulated' ? q.pixelData.basicOffsetTable.length : 0).toBe(10);
    const again = frameLocations(q.pixelData!, desc, q.source).map((l) => readFrame(q.source, l));
    expect(again.map((f) => Buffer.from(f).toString('hex'))).toEqual(frames.map((f) => Buffer.from(f).toString('hex')));
  });
});

(DCMDUMP === undefined ? describe.skip : describe)(
  'dcmdump accepts written files (skipped: dcmdump not installed)',
  () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fovea-dicom-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const cases: [string, string][] = [
      ['CT_small.dcm', EXPLICIT_VR_LITTLE_ENDIAN],
      ['CT_small.dcm', IMPLICIT_VR_LITTLE_ENDIAN],
      ['MR_small.dcm', EXPLICIT_VR_BIG_ENDIAN],
      ['emri_small.dcm', DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN],
      ['liver_j2k.dcm', '1.2.840.10008.1.2.4.90'],
      ['explicit_VR-UN.dcm', '1.2.840.10008.1.2.4.90'],
      ['examples_ybr_color.dcm', '1.2.840.10008.1.2.4.50'],
    ];
    it.each(cases)('%s as %s', (file, ts) => {
      const p = parseDicom(corpusSource(file));
      const target = path.join(dir, `${file}.${ts}.dcm`);
      writeFileSync(target, encodePart10(p.dataset, ts, { source: p.source }));
      const dump = execFileSync(DCMDUMP as string, ['-q', '-E', '+P', '0008,0018', '+P', '0002,0010', target], {
        encoding: 'utf8',
      });
      expect(dump).toContain(p.dataset.uid(Tags.SOPInstanceUID));
      expect(dump).toContain(
        ts === IMPLICIT_VR_LITTLE_ENDIAN
          ? 'LittleEndianImplicit'
          : ts === EXPLICIT_VR_BIG_ENDIAN
            ? 'BigEndianExplicit'
            : '',
      );
    });
  },
);
