// Orthanc 1.10 as the hospital PACS: it pushes studies to Fovea by C-STORE (PS3.4 B) and pulls a
// study back from Fovea by C-MOVE (PS3.4 C.4.2, Fovea opening the association to Orthanc).
// Skipped when Orthanc or the peers script is not installed. Loopback only, bounded timeouts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DICOM_DIR, freePort, startGateway, type DimseGateway } from './dimse-helpers';
import { orthancInstalled, orthancRest, orthancSh, stopOrthanc } from './orthanc-peer';

const HAVE_ORTHANC = orthancInstalled();
if (!HAVE_ORTHANC)
  console.warn('Orthanc (or shared/tools/peers/orthanc.sh) not installed: Orthanc DIMSE tests skipped');
const d = HAVE_ORTHANC ? describe : describe.skip;

const CT = {
  file: 'CT_small.dcm',
  study: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322',
  sop: '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322',
};
const US = {
  file: 'US1_J2KI.dcm',
  study: '1.3.6.1.4.1.5962.1.2.13.20040826185059.5457',
  sop: '1.3.6.1.4.1.5962.1.1.13.1.3.20040826185059.5457',
};

d('Orthanc ↔ Fovea over DIMSE', () => {
  let gw: DimseGateway;
  let httpPort = 0;
  let base = '';
  let started = false;
  const rest = orthancRest(() => base);

  const lookup = async (uid: string): Promise<{ ID: string; Type: string }[]> =>
    (await rest('POST', '/tools/lookup', uid)) as { ID: string; Type: string }[];

  beforeAll(async () => {
    httpPort = await freePort();
    const dicomPort = await freePort();
    base = `http://127.0.0.1:${httpPort}`;
    gw = await startGateway({ peers: [{ aeTitle: 'ORTHANC', host: '127.0.0.1', port: dicomPort }], timeoutMs: 20_000 });
    await orthancSh(['start', String(httpPort), String(dicomPort), 'ORTHANC', '', 'FOVEA', String(gw.dimse.port)]);
    started = true;
  }, 90_000);

  afterAll(async () => {
    await stopOrthanc(httpPort, started);
    await gw?.stop();
  }, 60_000);

  test('Orthanc pushes studies (uncompressed and JPEG 2000) to Fovea by C-STORE', async () => {
    for (const f of [CT.file, US.file]) await rest('POST', '/instances', fs.readFileSync(path.join(DICOM_DIR, f)));
    for (const s of [CT, US]) {
      const study = (await lookup(s.study)).find((x) => x.Type === 'Study');
      expect(study).toBeDefined();
      const result = (await rest('POST', '/modalities/peer/store', study?.ID ?? '')) as {
        InstancesCount: number;
        FailedInstancesCount: number;
      };
      expect(result.FailedInstancesCount).toBe(0);
      expect(gw.http.running.gateway.store.instances.getInstance(s.sop)?.studyInstanceUid).toBe(s.study);
    }
  }, 90_000);

  test('Orthanc retrieves a study from Fovea by C-MOVE', async () => {
    const study = (await lookup(US.study)).find((x) => x.Type === 'Study');
    await rest('DELETE', `/studies/${study?.ID ?? ''}`);
    expect(await lookup(US.sop)).toEqual([]);
    await rest(
      'POST',
      '/modalities/peer/move',
      JSON.stringify({
        Level: 'Study',
        Resources: [{ StudyInstanceUID: US.study }],
        TargetAet: 'ORTHANC',
        Synchronous: true,
        Timeout: 30,
      }),
    );
    const back = await lookup(US.sop);
    expect(back.some((x) => x.Type === 'Instance')).toBe(true);
  }, 90_000);
});
