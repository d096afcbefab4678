// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// parseDicom over every file in ../shared/data/dicom. Expected values were read with DCMTK
// dcmdump 3.6 (Transfer Syntax, SOP Instance UID, Rows, Columns, Number of Frames, and the count
// of Pixel Data fragment items after the Basic Offset Table).
import { readdirSync } from 'node:fs';
import { parseDicom, pixelDescription, Tags } from '../../../src/dicom';
import { corpusSource, DICOM_DIR } from './helpers';

const J2K90 = '1.2.840.10008.1.2.4.90';
const J2K91 = '1.2.840.10008.1.2.4.91';
const ELE = '1.2.840.10008.1.2.1';
// [file, TS, SOP Instance UID, rows, columns, frames, fragments (0 = native)]
type Row = [string, string, string, number, number, number, number];
const EXPECTED: Row[] = [
  ['693_J2KR.dcm', J2K90, '1.2.276.0.7230010.3.1.4.296485376.1.1521713419.1802510', 512, 512, 1, 1],
  ['966_fixed.dcm', J2K90, '1.2.392.200046.100.2.1.97028794843.150131102105.1.1.1', 2128, 2000, 1, 1],
  ['CT_small.dcm', ELE, '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322', 128, 128, 1, 0],
  ['ELSCINT1_JP2vsJ2K.dcm', J2K91, '1.2.826.0.1.3680043.2.1143.8272772554554548536101020284625579066', 512, 512, 1, 1],
  ['GDCMJ2K_TextGBR.dcm', J2K90, '1.3.6.1.4.35045.258255395321547846922642016970312704221', 400, 400, 1, 1],
  [
    'HTJ2KLossless_08_RGB.dcm',
    '1.2.840.10008.1.2.4.201',
    '1.2.826.0.1.3680043.8.498.32503923131738778902515719140406645893',
    480,
    640,
    1,
    1,
  ],
  [
    'HTJ2K_08_RGB.dcm',
    '1.2.840.10008.1.2.4.203',
    '1.2.826.0.1.3680043.8.498.42100818553109929247133932621265238857',
    480,
    640,
    1,
    1,
  ],
  [
    'J2K_pixelrep_mismatch.dcm',
    J2K90,
    '1.2.392.200036.9123.100.11.15002200303521616157144551003340153',
    512,
    512,
    1,
    1,
  ],
  ['JPEG2000.dcm', J2K91, '1.3.6.1.4.1.5962.1.1.8.1.3.20040826185059.5457', 1024, 256, 1, 1],
  ['JPEG2KLossless_1s_1f_u_16_16.dcm', J2K90, '1.2.9.1.6.55765', 1416, 1420, 1, 1],
  ['MAROTECH_CT_JP2Lossy.dcm', J2K91, '1.2.840.113704.1.111.1111.1111111111.1111', 716, 512, 1, 1],
  ['MR2_J2KI.dcm', J2K91, '1.3.6.1.4.1.5962.1.1.5.1.3.20040826185059.5457', 1024, 1024, 1, 2],
  ['MR2_J2KR.dcm', J2K90, '1.3.6.1.4.1.5962.1.1.5.1.2.20040826185059.5457', 1024, 1024, 1, 9],
  ['MR2_UNCR.dcm', ELE, '1.3.6.1.4.1.5962.1.1.5.1.1.20040826185059.5457', 1024, 1024, 1, 0],
  ['MR_small.dcm', ELE, '1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457', 64, 64, 1, 0],
  ['MR_small_jp2klossless.dcm', J2K90, '1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457', 64, 64, 1, 1],
  [
    'NM_Kakadu44_SOTmarkerincons.dcm',
    J2K90,
    '1.2.840.113564.10.1.12345678901234567890123456789012345678901',
    2500,
    2048,
    1,
    1,
  ],
  [
    'OsirixFake16BitsStoredFakeSpacing.dcm',
    J2K91,
    '1.3.6.1.4.1.19291.2.1.3.2671337579494731864435767429496729553844',
    224,
    176,
    1,
    1,
  ],
  ['RG1_J2KI.dcm', J2K91, '1.3.6.1.4.1.5962.1.1.9.1.3.20040826185059.5457', 1955, 1841, 1, 11],
  ['RG3_J2KI.dcm', J2K91, '1.3.6.1.4.1.5962.1.1.11.1.3.20040826185059.5457', 1760, 1760, 1, 4],
  ['RG3_J2KR.dcm', J2K90, '1.3.6.1.4.1.5962.1.1.11.1.2.20040826185059.5457', 1760, 1760, 1, 13],
  ['SC_rgb_2frame.dcm', ELE, '1.2.826.0.1.3680043.8.498.49043964482360854182530167603505525116', 100, 100, 2, 0],
  ['SC_ybr_full_422_uncompressed.dcm', ELE, '1.2.276.0.7230010.3.1.4.8323329.5846.1512159596.457896', 100, 100, 1, 0],
  ['SC_ybr_full_uncompressed.dcm', ELE, '1.2.276.0.7230010.3.1.4.8323329.5846.1512159596.457896', 100, 100, 1, 0],
  [
    'TOSHIBA_J2K_OpenJPEGv2Regression.dcm',
    J2K90,
    '1.2.392.200036.9116.2.6.1.48.1215709311.1310366082.670207',
    512,
    512,
    1,
    1,
  ],
  ['US1_J2KI.dcm', J2K91, '1.3.6.1.4.1.5962.1.1.13.1.3.20040826185059.5457', 480, 640, 1, 1],
  ['US1_J2KR.dcm', J2K90, '1.3.6.1.4.1.5962.1.1.13.1.2.20040826185059.5457', 480, 640, 1, 3],
  ['US1_UNCR.dcm', ELE, '1.3.6.1.4.1.5962.1.1.13.1.1.20040826185059.5457', 480, 640, 1, 0],
  ['dx_image.dcm', ELE, '1.2.826.0.1.3680043.8.498.42452074182619431090433355790131769947', 169, 211, 1, 0],
  ['eCT_Supplemental.dcm', ELE, '1.3.6.1.4.1.5962.1.1.10.3.1.1166562673.14401', 512, 512, 2, 0],
  ['emri_small.dcm', ELE, '1.2.826.0.1.3680043.2.1143.6455556726214900995651753669640998622', 64, 64, 10, 0],
  [
    'emri_small_jpeg_2k_lossless.dcm',
    J2K90,
    '1.2.826.0.1.3680043.2.1143.6455556726214900995651753669640998622',
    64,
    64,
    10,
    10,
  ],
  [
    'examples_ybr_color.dcm',
    '1.2.840.10008.1.2.4.50',
    '1.2.840.114340.3.8251017118051.3.20160503.121539.16117.4',
    240,
    320,
    30,
    30,
  ],
  // dcmdump shows this UN-encoded UID as hex bytes; decoded here as text.
  ['explicit_VR-UN.dcm', J2K90, '1.2.826.0.1.3680043.2.1125.1.8828356712501776637392831168989589', 512, 512, 1, 1],
  ['liver_j2k.dcm', J2K90, '1.2.826.0.1.3680043.8.498.48839624056933092612726387696714904348', 512, 512, 3, 3],
  ['sm_image.dcm', ELE, '1.2.826.0.1.3680043.9.7433.3.12857516184849951143044513877282227', 10, 10, 25, 0],
  ['sm_image_grayscale.dcm', ELE, '1.2.826.0.1.3680043.10.511.3.54072187362219860460306199002049368', 10, 10, 25, 0],
];

describe('parseDicom over the shared corpus', () => {
  it('covers every file in the data folder', () => {
    const files = readdirSync(DICOM_DIR)
      .filter((f) => f.endsWith('.dcm'))
      .sort();
    expect(EXPECTED.map((r) => r[0]).sort()).toEqual(files);
  });

  it.each(EXPECTED)('%s', (file, ts, sop, rows, columns, frames, fragments) => {
    const p = parseDicom(corpusSource(file));
    expect(p.transferSyntaxUid).toBe(ts);
    expect(p.fileMeta?.uid(Tags.TransferSyntaxUID)).toBe(ts);
    expect(p.dataset.uid(Tags.SOPInstanceUID)).toBe(sop);
    const desc = pixelDescription(p.dataset);
    expect([desc.rows, desc.columns, desc.numberOfFrames]).toEqual([rows, columns, frames]);
    expect(p.pixelData).not.toBeNull();
    if (fragments === 0) expect(p.pixelData?.kind).toBe('native');
    else expect(p.pixelData?.kind === 'encapsulated' ? p.pixelData.fragments.length : -1).toBe(fragments);
    // Pixel Data itself is never read into the data set.
    expect(p.dataset.get(Tags.PixelData)?.value.kind).not.toBe('inline');
  });

  it('records warnings instead of failing on recoverable oddities', () => {
    expect(parseDicom(corpusSource('dx_image.dcm')).warnings.join('\n')).toMatch(/odd length/);
    expect(parseDicom(corpusSource('explicit_VR-UN.dcm')).warnings.join('\n')).toMatch(/VR UN/);
    expect(parseDicom(corpusSource('J2K_pixelrep_mismatch.dcm')).warnings.join('\n')).toMatch(/best effort/);
    expect(parseDicom(corpusSource('CT_small.dcm')).warnings).toEqual([]);
  });

  it('keeps values over bulkThreshold as offsets into the source', () => {
    const p = parseDicom(corpusSource('CT_small.dcm'), { bulkThreshold: 16 });
    const el = p.dataset.get('ImagePositionPatient');
    expect(el?.value).toMatchObject({ kind: 'bulk', length: 34 });
    if (el?.value.kind !== 'bulk') throw new Error('expected bulk');
    expect(Buffer.from(p.source.read(el.value.offset, 34)).toString('latin1')).toBe(
      '-158.135803\\-179.035797\\-75.699997',
    );
  });
});
