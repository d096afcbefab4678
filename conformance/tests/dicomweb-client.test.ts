// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// DICOMweb conformance with dicomweb-client (npm) as the reference client against the real gateway:
// STOW-RS (PS3.18 §10.5), QIDO-RS (§10.6, matching rules of §8.3.4 / PS3.4 C.2.2.2), WADO-RS
// instances / metadata / frames / bulk data (§10.4) with transfer-syntax negotiation (§8.7.3).
// Ground truth is an independent reading of the sent files (dicom-parser, test/integration/oracle).

import * as path from 'node:path';
import * as dicomParser from 'dicom-parser';
import { parseMultipart, startTestServer, type TestServer } from '../../test/integration/harness';
import { readOriginal } from '../../test/integration/oracle';
import {
  DICOM_DIR,
  TS,
  readDicom,
  referenceClient,
  uidsOf,
  value,
  type ClientError,
  type DicomwebClient,
} from './dicomweb-helpers';

const FILES = ['CT_small.dcm', 'JPEG2000.dcm', 'emri_small_jpeg_2k_lossless.dcm', 'US1_J2KR.dcm'];
const CT = uidsOf('CT_small.dcm');
const NM = uidsOf('JPEG2000.dcm');
const EMRI = uidsOf('emri_small_jpeg_2k_lossless.dcm');
const US = uidsOf('US1_J2KR.dcm');
const ref = (u: typeof CT): { studyInstanceUID: string; seriesInstanceUID: string; sopInstanceUID: string } => ({
  studyInstanceUID: u.study,
  seriesInstanceUID: u.series,
  sopInstanceUID: u.sop,
});

let server: TestServer;
let client: DicomwebClient;
let stowResponse: unknown;

beforeAll(async () => {
  server = await startTestServer();
  client = referenceClient(`${server.url}/dicomweb`);
  stowResponse = await client.storeInstances({ datasets: FILES.map(readDicom) });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const studyUids = (items: Record<string, { Value?: unknown[] }>[]): string[] =>
  items.map((i) => String(value(i, '0020000D'))).sort();

describe('STOW-RS (PS3.18 §10.5)', () => {
  test('storeInstances: Store Instances Response with ReferencedSOPSequence and RetrieveURLs (§10.5.3, Table 10.5.3-3)', () => {
    const body = JSON.parse(String(stowResponse)) as Record<
      string,
      { Value?: Record<string, { Value?: unknown[] }>[] }
    >;
    const refs = body['00081199']?.Value ?? [];
    expect(refs.map((r) => value(r, '00081155')).sort()).toEqual([CT.sop, NM.sop, EMRI.sop, US.sop].sort());
    for (const r of refs)
      expect(String(value(r, '00081190'))).toMatch(
        new RegExp(`^${server.url}/dicomweb/studies/[0-9.]+/series/[0-9.]+/instances/[0-9.]+$`),
      );
    expect(body['00081198']).toBeUndefined();
  });
});

describe('QIDO-RS (PS3.18 §10.6, §8.3.4)', () => {
  test('searchForStudies without filters returns every study with the default attributes (§10.6.3.3.1)', async () => {
    const studies = await client.searchForStudies();
    expect(studyUids(studies)).toEqual([CT.study, NM.study, EMRI.study, US.study].sort());
    const ct = studies.find((s) => value(s, '0020000D') === CT.study);
    for (const tag of [
      '00080020',
      '00080030',
      '00080050',
      '00080061',
      '00100010',
      '00100020',
      '0020000D',
      '00201206',
      '00201208',
      '00081190',
    ])
      expect(ct?.[tag]).toBeDefined();
    expect(ct?.['00080061']?.Value).toEqual(['CT']);
    expect(value(ct, '00201208')).toBe(1);
  });

  test('PN matching is case-insensitive, with * and ? wildcards (PS3.4 C.2.2.2.1, C.2.2.2.4)', async () => {
    expect(studyUids(await client.searchForStudies({ queryParams: { PatientName: 'compressedsamples^ct1' } }))).toEqual(
      [CT.study],
    );
    expect(studyUids(await client.searchForStudies({ queryParams: { PatientName: 'COMPRESSED?AMPLES^C*' } }))).toEqual([
      CT.study,
    ]);
  });

  test('fuzzymatching=true matches PN words by prefix, in any component (§8.3.4.1)', async () => {
    expect(
      studyUids(await client.searchForStudies({ queryParams: { PatientName: 'ct', fuzzymatching: true } })),
    ).toEqual([CT.study]);
    expect(await client.searchForStudies({ queryParams: { PatientName: 'ct', fuzzymatching: false } })).toEqual([]);
  });

  test('date ranges: closed, open-ended, and a partial-day value is not a range (PS3.4 C.2.2.2.5)', async () => {
    expect(studyUids(await client.searchForStudies({ queryParams: { StudyDate: '20040119' } }))).toEqual([CT.study]);
    expect(studyUids(await client.searchForStudies({ queryParams: { StudyDate: '20040101-20040131' } }))).toEqual([
      CT.study,
    ]);
    const all = studyUids(await client.searchForStudies({ queryParams: { StudyDate: '19000101-' } }));
    expect(all).toContain(CT.study);
    expect(await client.searchForStudies({ queryParams: { StudyDate: '20050101-20040101' } })).toEqual([]);
  });

  test('UID list matching with comma-separated values (PS3.4 C.2.2.2.2)', async () => {
    const r = await client.searchForStudies({ queryParams: { StudyInstanceUID: `${CT.study},${NM.study},1.2.3.4` } });
    expect(studyUids(r)).toEqual([CT.study, NM.study].sort());
  });

  test('ModalitiesInStudy, includefield and limit/offset paging (§8.3.4.3, §8.3.4.4)', async () => {
    expect(studyUids(await client.searchForStudies({ queryParams: { ModalitiesInStudy: 'CT' } }))).toEqual([CT.study]);
    const withField = await client.searchForStudies({
      queryParams: { StudyInstanceUID: CT.study, includefield: '00081030' },
    });
    expect(withField[0]?.['00081030']).toBeDefined();
    const all = studyUids(await client.searchForStudies());
    const pages = [];
    for (let offset = 0; offset < all.length; offset += 1)
      pages.push(...(await client.searchForStudies({ queryParams: { limit: 1, offset } })));
    expect(studyUids(pages)).toEqual(all);
  });

  test('a limited page carries Warning 299 when more results exist (§8.3.4.4)', async () => {
    const more = await fetch(`${server.url}/dicomweb/studies?limit=1`);
    expect(more.headers.get('warning')).toMatch(/^299 /);
    const last = await fetch(`${server.url}/dicomweb/studies?limit=1&offset=3`);
    expect(last.headers.get('warning')).toBeNull();
  });

  test('searchForSeries and searchForInstances in a study, with attribute filters (§10.6.1)', async () => {
    const series = await client.searchForSeries({ studyInstanceUID: EMRI.study, queryParams: { Modality: 'MR' } });
    expect(series.map((s) => value(s, '0020000E'))).toEqual([EMRI.series]);
    expect(await client.searchForSeries({ studyInstanceUID: EMRI.study, queryParams: { Modality: 'CT' } })).toEqual([]);
    const inst = await client.searchForInstances({ studyInstanceUID: EMRI.study, seriesInstanceUID: EMRI.series });
    expect(inst.map((i) => value(i, '00080018'))).toEqual([EMRI.sop]);
    expect(value(inst[0], '00280008')).toBe(10);
    const byRows = await client.searchForInstances({ queryParams: { Rows: 128 } });
    expect(byRows.map((i) => value(i, '00080018'))).toEqual([CT.sop]);
  });
});

describe('WADO-RS (PS3.18 §10.4)', () => {
  test('retrieveInstance: default Accept gives Explicit VR Little Endian Part 10 (§8.7.3.5.2 default syntax)', async () => {
    const part = await client.retrieveInstance(ref(CT));
    const ds = dicomParser.parseDicom(new Uint8Array(part));
    expect(ds.string('x00020010')).toBe(TS.explicitLE);
    expect(ds.string('x00080018')).toBe(CT.sop);
    const original = readOriginal(path.join(DICOM_DIR, 'CT_small.dcm')).nativePixels as Buffer;
    const px = ds.elements['x7fe00010'];
    expect(px).toBeDefined();
    expect(Buffer.from(part, px?.dataOffset ?? 0, original.length).equals(original)).toBe(true);
  });

  test('retrieveInstance with transfer-syntax=* returns the stored J2K codestreams byte for byte (§8.7.3.5.2)', async () => {
    // dicomweb-client 0.11.3 cannot send this Accept for instances (its _getCommonMediaType yields
    // "application/", never "application/dicom", so any mediaTypes option throws): sent by hand.
    const url = `${server.url}/dicomweb/studies/${NM.study}/series/${NM.series}/instances/${NM.sop}`;
    const res = await fetch(url, {
      headers: { accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
    });
    expect(res.status).toBe(200);
    const contentType = res.headers.get('content-type') ?? '';
    expect(contentType).toContain(`transfer-syntax=${TS.j2k}`);
    const [part] = parseMultipart(Buffer.from(await res.arrayBuffer()), contentType);
    const ds = dicomParser.parseDicom(new Uint8Array((part as { body: Buffer }).body));
    expect(ds.string('x00020010')).toBe(TS.j2k);
    const sent = readOriginal(path.join(DICOM_DIR, 'JPEG2000.dcm')).frames[0] as Buffer;
    const back = Buffer.from(
      dicomParser.readEncapsulatedPixelDataFromFragments(ds, ds.elements['x7fe00010'] as dicomParser.Element, 0),
    );
    expect(back.subarray(0, sent.length).equals(sent)).toBe(true);
  });

  test('retrieveSeries returns every instance of the series (§10.4.1.1.1)', async () => {
    const parts = await client.retrieveSeries({ studyInstanceUID: US.study, seriesInstanceUID: US.series });
    expect(parts).toHaveLength(1);
    expect(dicomParser.parseDicom(new Uint8Array(parts[0] as ArrayBuffer)).string('x00080018')).toBe(US.sop);
  });

  test('retrieveInstanceMetadata: DICOM JSON (Annex F) with an absolute BulkDataURI for Pixel Data (§10.4.1.1.2)', async () => {
    const md = await client.retrieveInstanceMetadata(ref(CT));
    expect(md).toHaveLength(1);
    const item = md[0];
    expect(value(item, '00080018')).toBe(CT.sop);
    expect(value(item, '00100010')).toEqual({ Alphabetic: 'CompressedSamples^CT1' });
    expect(item?.['7FE00010']?.BulkDataURI).toBe(
      `${server.url}/dicomweb/studies/${CT.study}/series/${CT.series}/instances/${CT.sop}/bulkdata/7FE00010`,
    );
    const series = await client.retrieveSeriesMetadata({
      studyInstanceUID: EMRI.study,
      seriesInstanceUID: EMRI.series,
    });
    expect(series.map((i) => value(i, '00080018'))).toEqual([EMRI.sop]);
  });

  test('retrieveBulkData of Pixel Data gives the native pixels of the original (§10.4.1.1.5)', async () => {
    const md = await client.retrieveInstanceMetadata(ref(CT));
    const uri = md[0]?.['7FE00010']?.BulkDataURI as string;
    const parts = await client.retrieveBulkData({ BulkDataURI: uri });
    const original = readOriginal(path.join(DICOM_DIR, 'CT_small.dcm')).nativePixels as Buffer;
    expect(Buffer.from(parts[0] as ArrayBuffer).equals(original)).toBe(true);
  });

  test('retrieveInstanceFrames image/jp2 with transfer-syntax=*: stored codestreams of frames 1,3,10 (§10.4.1.1.3)', async () => {
    const frames = await client.retrieveInstanceFrames({
      ...ref(EMRI),
      frameNumbers: [1, 3, 10],
      mediaTypes: [{ mediaType: 'image/jp2', transferSyntaxUID: '*' }],
    });
    const sent = readOriginal(path.join(DICOM_DIR, 'emri_small_jpeg_2k_lossless.dcm')).frames;
    expect(frames).toHaveLength(3);
    [0, 2, 9].forEach((f, i) => {
      const back = Buffer.from(frames[i] as ArrayBuffer);
      const orig = sent[f] as Buffer;
      expect(back.length - orig.length).toBeLessThanOrEqual(1);
      expect(back.subarray(0, orig.length).equals(orig)).toBe(true);
    });
  });

  test('retrieveInstanceFrames: default octet-stream gives decoded samples, octet-stream with * the codestream (§8.7.3.3.2)', async () => {
    const [frame] = await client.retrieveInstanceFrames({ ...ref(CT), frameNumbers: [1] });
    const original = readOriginal(path.join(DICOM_DIR, 'CT_small.dcm')).nativePixels as Buffer;
    expect(Buffer.from(frame as ArrayBuffer).equals(original)).toBe(true);
    // octet-stream with transfer-syntax=* (the OHIF / Cornerstone request) is the stored codestream,
    // as Orthanc and dcm4chee answer it (conformance/dicomweb.md).
    const [nm] = await client.retrieveInstanceFrames({
      ...ref(NM),
      frameNumbers: [1],
      mediaTypes: [{ mediaType: 'application/octet-stream', transferSyntaxUID: '*' }],
    });
    const sent = readOriginal(path.join(DICOM_DIR, 'JPEG2000.dcm')).frames[0] as Buffer;
    expect(Buffer.from(nm as ArrayBuffer).equals(sent)).toBe(true);
  });

  test('unknown UIDs are 404 through the client (§10.4.3)', async () => {
    const err = await client
      .retrieveInstance({ studyInstanceUID: CT.study, seriesInstanceUID: CT.series, sopInstanceUID: '1.2.3.4.5' })
      .then(
        () => null,
        (e: ClientError) => e,
      );
    expect(err?.status).toBe(404);
    const none = await client.retrieveInstanceFrames({ ...ref(CT), frameNumbers: [2] }).then(
      () => null,
      (e: ClientError) => e,
    );
    expect(none?.status).toBe(404);
  });
});
