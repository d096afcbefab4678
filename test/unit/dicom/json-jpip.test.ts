// DICOM JSON (PS3.18 F.2) on CT_small.dcm with values checked against dcmdump, plus the JPIP
// Referenced builder, pixelDescription, the transfer syntax table and the dictionary (small copies
// in test/fixtures/corpus/dicom; the HTJ2K RGB case is in json-jpip-corpus.test.ts).
import {
  DicomDataset,
  jpipReferencedDataset,
  keywordForTag,
  parseDicom,
  pixelDescription,
  tagForKeyword,
  Tags,
  toDicomJson,
  transferSyntax,
  vrForTag,
} from '../../../src/dicom';
import { source } from './helpers';

describe('toDicomJson on CT_small.dcm', () => {
  const p = parseDicom(source('CT_small.dcm'));
  const uris: number[][] = [];
  const json = toDicomJson(p.dataset, {
    source: p.source,
    bulkDataUri: (path) => {
      uris.push([...path]);
      return path[0] === Tags.PixelData ? 'bulk/7FE00010' : undefined;
    },
  });

  it('encodes strings, PN, IS/DS, numbers and empty values as PS3.18 F.2 says', () => {
    expect(json['00080018']).toEqual({ vr: 'UI', Value: ['1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322'] });
    expect(json['00080008']).toEqual({ vr: 'CS', Value: ['ORIGINAL', 'PRIMARY', 'AXIAL'] });
    expect(json['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'CompressedSamples^CT1' }] });
    expect(json['00080090']).toEqual({ vr: 'PN' });
    expect(json['00080050']).toEqual({ vr: 'SH' });
    expect(json['00200013']).toEqual({ vr: 'IS', Value: [1] });
    expect(json['00200032']).toEqual({ vr: 'DS', Value: [-158.135803, -179.035797, -75.699997] });
    expect(json['00280010']).toEqual({ vr: 'US', Value: [128] });
    expect(json['00091027']).toEqual({ vr: 'SL', Value: [862399669] });
    expect(json['00231070']?.Value?.[0]).toBeCloseTo(862399761.11107898, 5);
    expect(json['00100030']).toEqual({ vr: 'DA' });
  });

  it('recurses into sequences and uses BulkDataURI for Pixel Data', () => {
    expect(json['00101002']).toEqual({
      vr: 'SQ',
      Value: [
        { '00100020': { vr: 'LO', Value: ['ABCD1234'] }, '00100022': { vr: 'CS', Value: ['TEXT'] } },
        { '00100020': { vr: 'LO', Value: ['1234ABCD'] }, '00100022': { vr: 'CS', Value: ['TEXT'] } },
      ],
    });
    expect(json['7FE00010']).toEqual({ vr: 'OW', BulkDataURI: 'bulk/7FE00010' });
    expect(uris).toContainEqual([Tags.PixelData]);
  });

  it('keys are in tag order and objects have no prototype', () => {
    const keys = Object.keys(json);
    expect(keys).toEqual([...keys].sort());
    expect(Object.getPrototypeOf(json)).toBeNull();
  });

  it('splits PN components, writes AT as GGGGEEEE and small binaries inline', () => {
    const ds = new DicomDataset();
    ds.setString(Tags.SpecificCharacterSet, 'CS', 'ISO_IR 192');
    ds.setString(0x00100010, 'PN', ['Yamada^Tarou=山田^太郎=やまだ^たろう', '']);
    ds.setBytes(0x00209165, 'AT', new Uint8Array([0x20, 0x00, 0x32, 0x00]));
    ds.setBytes(0x00091010, 'OB', new Uint8Array([1, 2, 3]));
    ds.setString(0x00200013, 'IS', 'x1');
    const j = toDicomJson(ds);
    expect(j['00100010']?.Value).toEqual([
      { Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' },
      null,
    ]);
    expect(j['00209165']?.Value).toEqual(['00200032']);
    expect(j['00091010']?.InlineBinary).toBe(Buffer.from([1, 2, 3, 0]).toString('base64'));
    expect(j['00200013']?.Value).toEqual(['x1']);
  });
});

describe('jpipReferencedDataset', () => {
  const url = 'https://gw.example/jpip?target=1.2.3';
  it('drops Pixel Data, adds the provider URL and keeps monochrome photometrics', () => {
    const p = parseDicom(source('emri_small_jpeg_2k_lossless.dcm'));
    const out = jpipReferencedDataset(p.dataset, {
      url,
      transferSyntaxUid: '1.2.840.10008.1.2.4.94',
      codestreamColourTransform: 'none',
    });
    expect(out.has(Tags.PixelData)).toBe(false);
    expect(out.get(Tags.PixelDataProviderURL)?.vr).toBe('UR');
    expect(out.string(Tags.PixelDataProviderURL)).toBe(url);
    expect(out.string(Tags.PhotometricInterpretation)).toBe('MONOCHROME2');
    expect(out.number(Tags.NumberOfFrames)).toBe(10);
    expect(p.dataset.has(Tags.PixelData)).toBe(true);
  });
});

describe('pixelDescription', () => {
  it('reads the Image Pixel Module', () => {
    expect(pixelDescription(parseDicom(source('US1_J2KR.dcm')).dataset)).toEqual({
      rows: 480,
      columns: 640,
      samplesPerPixel: 3,
      bitsAllocated: 8,
      bitsStored: 8,
      highBit: 7,
      pixelRepresentation: 0,
      photometricInterpretation: 'YBR_RCT',
      planarConfiguration: 0,
      numberOfFrames: 1,
    });
  });
  it('rejects inconsistent descriptions with DICOM_BAD_PIXEL_DESCRIPTION', () => {
    const ds = parseDicom(source('CT_small.dcm')).dataset;
    ds.setNumber(Tags.HighBit, 'US', 3);
    expect(() => pixelDescription(ds)).toThrow(expect.objectContaining({ code: 'DICOM_BAD_PIXEL_DESCRIPTION' }));
    ds.delete(Tags.Rows);
    expect(() => pixelDescription(ds)).toThrow(expect.objectContaining({ code: 'DICOM_BAD_PIXEL_DESCRIPTION' }));
  });
});

describe('transfer syntaxes and dictionary', () => {
  it('classifies the syntaxes a PACS sends', () => {
    expect(transferSyntax('1.2.840.10008.1.2')).toMatchObject({
      explicitVr: false,
      littleEndian: true,
      encapsulated: false,
    });
    expect(transferSyntax('1.2.840.10008.1.2.2')).toMatchObject({ explicitVr: true, littleEndian: false });
    expect(transferSyntax('1.2.840.10008.1.2.1.99')).toMatchObject({ deflated: true });
    expect(transferSyntax('1.2.840.10008.1.2.4.90')).toMatchObject({ family: 'j2k', lossy: false, encapsulated: true });
    expect(transferSyntax('1.2.840.10008.1.2.4.203')).toMatchObject({ family: 'htj2k', lossy: true });
    expect(transferSyntax('1.2.840.10008.1.2.4.95')).toMatchObject({
      family: 'jpip',
      deflated: true,
      encapsulated: false,
    });
    expect(transferSyntax('1.2.840.10008.1.2.4.205')).toMatchObject({ family: 'jpip-htj2k', deflated: true });
    expect(transferSyntax('1.2.840.10008.1.2.5')?.family).toBe('rle');
    expect(transferSyntax('1.2.840.10008.1.2.4.102')?.family).toBe('video');
    expect(transferSyntax('1.2.3')).toBeUndefined();
  });
  it('maps keywords, tags and VRs', () => {
    expect(tagForKeyword('PatientName')).toBe(0x00100010);
    expect(keywordForTag(0x00287fe0)).toBe('PixelDataProviderURL');
    expect(keywordForTag(0x60023000)).toBe('OverlayData');
    expect(vrForTag(0x00080018)).toBe('UI');
    expect(vrForTag(0x00280106)).toBe('US');
    expect(vrForTag(0x00090010)).toBe('LO');
    expect(vrForTag(0x00091001)).toBe('UN');
    expect(vrForTag(0x00100000)).toBe('UL');
    expect(tagForKeyword('NoSuchKeyword')).toBeUndefined();
  });
});
