// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Computed QIDO-RS attributes (PS3.4 C.6.2.1.2; PS3.18 §10.6.3.3) of a study whose instance has no
// Modality (issue #9 defect 6): ModalitiesInStudy (0008,0061) is left out instead of being sent as
// an empty {"vr":"CS"}, which OHIF's study list cannot read (it then fails for every study); the
// counts and InstanceAvailability are still there, at every level and with includefield=all; and
// the instance metadata (§10.4.1.1.2) has no Modality and no empty computed attribute either. The
// object is a real corpus file (MR_small) with Modality removed by pydicom (study-fixtures.py).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestServer, stowBody, type TestServer } from '../../test/integration/harness';
import { havePydicom, makeFixtures, type Fixtures } from './study-fixtures';

type Json = Record<string, { vr: string; Value?: unknown[] }>;

/** Computed attributes: InstanceAvailability, ModalitiesInStudy, SOPClassesInStudy, the counts. */
const COMPUTED = ['00080056', '00080061', '00080062', '00201206', '00201208', '00201209'];

describe('computed attributes of a study without Modality', () => {
  let server: TestServer;
  let fx: Fixtures;
  let tmp = '';
  const get = async (route: string): Promise<Json[]> => {
    const res = await fetch(`${server.url}/dicomweb${route}`);
    expect([route, res.status]).toEqual([route, 200]);
    return (await res.json()) as Json[];
  };
  const noEmptyComputed = (items: Json[]): void => {
    for (const item of items)
      for (const tag of COMPUTED) if (tag in item) expect([tag, item[tag]?.Value?.length ?? 0]).not.toEqual([tag, 0]);
  };

  beforeAll(async () => {
    if (!(await havePydicom())) throw new Error('/usr/bin/python3 cannot import pydicom (python3-pydicom)');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-nomod-'));
    fx = await makeFixtures(tmp);
    server = await startTestServer();
    const { body, contentType } = stowBody([...fx.multi, fx.noModality].map((o) => fs.readFileSync(o.file)));
    const res = await fetch(`${server.url}/dicomweb/studies`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    expect(res.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (tmp !== '') fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the object really has no Modality', async () => {
    const [meta] = await get(`/studies/${fx.noModality.study}/metadata`);
    expect(meta?.['00080018']?.Value).toEqual([fx.noModality.sop]);
    expect(meta).not.toHaveProperty('00080060');
    for (const tag of COMPUTED) expect(meta).not.toHaveProperty(tag);
  });

  test('study level: no ModalitiesInStudy, counts and availability present; other studies unchanged', async () => {
    for (const q of ['', '&includefield=all', '&includefield=00080061,00080062']) {
      const items = await get(`/studies?StudyInstanceUID=${fx.noModality.study}${q}`);
      expect(items).toHaveLength(1);
      const [s] = items;
      expect(s).not.toHaveProperty('00080061');
      expect(s?.['00201206']?.Value).toEqual([1]);
      expect(s?.['00201208']?.Value).toEqual([1]);
      expect(s?.['00080056']?.Value).toEqual(['ONLINE']);
      noEmptyComputed(items);
    }
    const all = await get('/studies');
    expect(all).toHaveLength(2);
    noEmptyComputed(all);
    const multi = all.find((s) => s['0020000D']?.Value?.[0] === fx.multi[0]?.study);
    expect(multi?.['00080061']?.Value).toEqual(['CT', 'MR', 'US']);
  });

  test('series and instance levels: no empty computed attribute', async () => {
    const series = await get(`/studies/${fx.noModality.study}/series?includefield=all`);
    expect(series.map((s) => s['00201209']?.Value)).toEqual([[1]]);
    noEmptyComputed(series);
    noEmptyComputed(await get('/series?includefield=00080061'));
    const instances = await get(`/instances?StudyInstanceUID=${fx.noModality.study}&includefield=all`);
    expect(instances.map((i) => i['00080018']?.Value?.[0])).toEqual([fx.noModality.sop]);
    noEmptyComputed(instances);
  });
});
