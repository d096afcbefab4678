// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Orthanc 1.10 + DICOMweb plugin 1.7 as the hospital PACS, talking DICOMweb to Fovea (issue #9):
// Orthanc pushes studies by STOW-RS (PS3.18 §10.5; its multipart boundary is 73 characters, over
// RFC 2046's 70), queries Fovea by QIDO-RS (§10.6) and pulls a study back by WADO-RS (§10.4); the
// copy has the same SOP Instance UIDs, the same J2K codestreams and the same decoded pixels. The
// study has three instances in three series, two of them JPEG 2000 (.90, .91); a second study has
// an instance without Modality, whose QIDO answer carries no empty ModalitiesInStudy. Skipped when
// Orthanc, orthanc.sh or GDCM is absent (a missing pydicom fails: .ci/run installs it).
// Loopback only, bounded timeouts.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestServer, type TestServer } from '../../test/integration/harness';
import { freePort } from './peer-tools';
import { run, TS } from './dicomweb-helpers';
import { havePydicom, makeFixtures, summarise, type DicomSummary, type Fixtures } from './study-fixtures';
import { orthancInstalled, orthancRest, orthancSh, stopOrthanc } from './orthanc-peer';

const HAVE_ORTHANC = orthancInstalled('gdcmconv');
if (!HAVE_ORTHANC)
  console.warn('Orthanc (or shared/tools/peers/orthanc.sh, or gdcmconv) not installed: Orthanc DICOMweb tests skipped');
const d = HAVE_ORTHANC ? describe : describe.skip;

type Json = Record<string, { vr: string; Value?: unknown[] }>;

d('Orthanc ↔ Fovea over DICOMweb (STOW-RS, QIDO-RS, WADO-RS)', () => {
  let fovea: TestServer;
  let fx: Fixtures;
  let tmp = '';
  let httpPort = 0;
  let base = '';
  let started = false;
  const rest = orthancRest(() => base);

  const orthancStudyId = async (studyUid: string): Promise<string> => {
    const hits = (await rest('POST', '/tools/lookup', studyUid)) as { ID: string; Type: string }[];
    const study = hits.find((h) => h.Type === 'Study');
    if (study === undefined) throw new Error(`Orthanc has no study ${studyUid}`);
    return study.ID;
  };
  /** Orthanc as a DICOMweb client of Fovea (POST /dicom-web/servers/peer/get). */
  const orthancGet = async (uri: string): Promise<Json[]> =>
    (await rest('POST', '/dicom-web/servers/peer/get', JSON.stringify({ Uri: uri }))) as Json[];
  const foveaQido = async (route: string): Promise<Json[]> => {
    const res = await fetch(`${fovea.url}/dicomweb${route}`, { signal: AbortSignal.timeout(30_000) });
    expect(res.status).toBe(200);
    return (await res.json()) as Json[];
  };

  beforeAll(async () => {
    if (!(await havePydicom())) throw new Error('/usr/bin/python3 cannot import pydicom (python3-pydicom)');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-orthanc-dw-'));
    fx = await makeFixtures(path.join(tmp, 'in'));
    fovea = await startTestServer();
    httpPort = await freePort();
    base = `http://127.0.0.1:${httpPort}`;
    await orthancSh(['start', String(httpPort), String(await freePort()), 'ORTHANC', `${fovea.url}/dicomweb/`]);
    started = true;
    for (const o of [...fx.multi, fx.noModality]) await rest('POST', '/instances', fs.readFileSync(o.file));
  }, 120_000);

  afterAll(async () => {
    await stopOrthanc(httpPort, started);
    await fovea?.stop();
    if (tmp !== '') fs.rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  test('Orthanc pushes both studies to Fovea by STOW-RS (73-character boundary) and Fovea stores every instance', async () => {
    const studyUid = fx.multi[0]?.study ?? '';
    for (const [uid, n] of [
      [studyUid, fx.multi.length],
      [fx.noModality.study, 1],
    ] as const) {
      const r = (await rest(
        'POST',
        '/dicom-web/servers/peer/stow',
        JSON.stringify({ Resources: [await orthancStudyId(uid)] }),
      )) as Record<string, unknown>;
      expect(r).toMatchObject({ InstancesCount: String(n) });
    }
    const instances = await foveaQido(`/studies/${studyUid}/instances`);
    expect(instances.map((i) => i['00080018']?.Value?.[0]).sort()).toEqual(fx.multi.map((o) => o.sop).sort());
    const [study] = await foveaQido(`/studies?StudyInstanceUID=${studyUid}`);
    expect(study?.['00201208']?.Value).toEqual([3]);
    expect(study?.['00201206']?.Value).toEqual([3]);
    expect(study?.['00080061']?.Value).toEqual(['CT', 'MR', 'US']);
    const [noMod] = await foveaQido(`/studies?StudyInstanceUID=${fx.noModality.study}`);
    expect(noMod?.['00201208']?.Value).toEqual([1]);
    expect(noMod).not.toHaveProperty('00080061');
  }, 120_000);

  test('Orthanc queries Fovea by QIDO-RS: studies, series and instances, no empty ModalitiesInStudy', async () => {
    const studyUid = fx.multi[0]?.study ?? '';
    const studies = await orthancGet('/studies');
    const uids = studies.map((s) => s['0020000D']?.Value?.[0]);
    expect(uids.sort()).toEqual([studyUid, fx.noModality.study].sort());
    for (const s of studies) {
      for (const a of Object.values(s))
        if (a.vr === 'CS' && a.Value !== undefined) expect(a.Value.length).toBeGreaterThan(0);
      if (s['0020000D']?.Value?.[0] === fx.noModality.study) expect(s).not.toHaveProperty('00080061');
      else expect(s['00080061']?.Value).toEqual(['CT', 'MR', 'US']);
    }
    const series = await orthancGet(`/studies/${studyUid}/series`);
    expect(series.map((s) => s['00080060']?.Value?.[0]).sort()).toEqual(['CT', 'MR', 'US']);
    const instances = await orthancGet(`/studies/${studyUid}/instances`);
    expect(instances.map((i) => i['00080018']?.Value?.[0]).sort()).toEqual(fx.multi.map((o) => o.sop).sort());
  }, 60_000);

  test('Orthanc retrieves the study back from Fovea by WADO-RS: same SOP Instance UIDs, same codestreams and pixels', async () => {
    const studyUid = fx.multi[0]?.study ?? '';
    await rest('DELETE', `/studies/${await orthancStudyId(studyUid)}`);
    expect(await rest('POST', '/tools/lookup', studyUid)).toEqual([]);
    await rest('POST', '/dicom-web/servers/peer/retrieve', JSON.stringify({ Resources: [{ Study: studyUid }] }));
    const ids = (await rest('GET', `/studies/${await orthancStudyId(studyUid)}/instances`)) as { ID: string }[];
    expect(ids).toHaveLength(fx.multi.length);
    const back: string[] = [];
    for (const { ID } of ids) {
      const res = await fetch(`${base}/instances/${ID}/file`, { signal: AbortSignal.timeout(30_000) });
      expect(res.status).toBe(200);
      const file = path.join(tmp, `back-${ID}.dcm`);
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      back.push(file);
    }
    // Fovea stores an uncompressed object as JPEG 2000 lossless (conformance/dicomweb.md §8.7) and
    // pads odd-length fragments with 00 (PS3.5 A.4; two corpus files pad with FF), so Pixel Data
    // *bytes* may differ. The image must not: the J2K codestreams are compared up to their EOC, and
    // every object is decoded by GDCM (gdcmconv --raw) on both sides and the pixels compared.
    const decoded = async (files: string[]): Promise<DicomSummary[]> => {
      const raw: string[] = [];
      for (const f of files) {
        const out = path.join(tmp, `raw-${path.basename(f)}`);
        const r = await run('gdcmconv', ['--raw', f, out]);
        expect([f, r.code, r.stderr]).toEqual([f, 0, '']);
        raw.push(out);
      }
      return bySop(await summarise(raw));
    };
    const bySop = (xs: DicomSummary[]): DicomSummary[] => [...xs].sort((a, b) => a.sop.localeCompare(b.sop));
    const original = bySop(await summarise(fx.multi.map((o) => o.file)));
    const returned = bySop(await summarise(back));
    expect(returned.map((r) => r.sop)).toEqual(original.map((o) => o.sop));
    // The JPEG 2000 instances come back in their own transfer syntax (.90 and .91).
    const j2k = original.filter((o) => o.ts === TS.j2k || o.ts === TS.j2kLossless);
    expect(j2k.map((o) => o.ts).sort()).toEqual([TS.j2kLossless, TS.j2k]);
    for (const o of j2k) {
      const r = returned.find((x) => x.sop === o.sop);
      expect(r?.ts).toBe(o.ts);
      expect(o.codestreamSha256).toHaveLength(1);
      expect(r?.codestreamSha256).toEqual(o.codestreamSha256);
    }
    const originalPixels = await decoded(fx.multi.map((o) => o.file));
    const returnedPixels = await decoded(back);
    expect(returnedPixels.map((r) => [r.sop, r.pixelSha256])).toEqual(
      originalPixels.map((o) => [o.sop, o.pixelSha256]),
    );
    expect(new Set(returnedPixels.map((r) => r.pixelSha256)).size).toBe(fx.multi.length);
  }, 120_000);
});
