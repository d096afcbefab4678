// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// The audit trail of DIMSE (docs/security.md "Audit trail"), driven by DCMTK against the real
// gateway started as `fovea serve` starts it (startServer: HTTP + DIMSE + audit log): storescu
// C-STORE, findscu C-FIND and getscu C-GET each produce exactly one record naming
// "dimse:<calling AET>@<address>", the UIDs touched and the DIMSE status; no record carries the
// object's PatientName or PatientID. Skipped when DCMTK is not installed (.ci/run installs it).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AuditRecord } from '../../src/audit';
import { startTestServer, type TestServer } from '../../test/integration/harness';
import { AE, DICOM_DIR, freePort, hasCommand, run } from './dimse-helpers';

const HAVE_DCMTK = ['storescu', 'findscu', 'getscu'].every(hasCommand);
if (!HAVE_DCMTK) console.warn('DCMTK not installed: DIMSE audit tests skipped');
const d = HAVE_DCMTK ? describe : describe.skip;

// CT_small.dcm: PatientName "CompressedSamples^CT1", PatientID "1CT1" (dcmdump).
const CT = {
  file: path.join(DICOM_DIR, 'CT_small.dcm'),
  study: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322',
  series: '1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322',
  sop: '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322',
};

d('DIMSE audit records with DCMTK', () => {
  let server: TestServer;
  let port = 0;
  let seen = 0;
  const args = (aet: string, ...rest: string[]): string[] => [
    '-aet',
    aet,
    '-aec',
    AE,
    '-to',
    '10',
    '-ta',
    '10',
    '-td',
    '10',
    ...rest,
  ];

  async function newRecords(): Promise<AuditRecord[]> {
    await server.running.gateway.audit.flush();
    const all = fs
      .readFileSync(path.join(server.dataDir, 'audit.log'), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as AuditRecord);
    const fresh = all.slice(seen);
    seen = all.length;
    return fresh;
  }

  beforeAll(async () => {
    port = await freePort();
    server = await startTestServer({ FOVEA_DIMSE_PORT: String(port), FOVEA_AE_TITLE: AE });
  }, 60_000);
  afterAll(async () => {
    await server.stop();
  });

  test('storescu C-STORE → one store record (110104, action C) with the calling AE as principal', async () => {
    const r = await run('storescu', [...args('MODALITY1', '127.0.0.1', String(port)), CT.file]);
    expect(r.code).toBe(0);
    const recs = await newRecords();
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({
      action: 'store',
      transport: 'dimse',
      operation: 'C-STORE',
      principal: { id: 'dimse:MODALITY1@127.0.0.1', kind: 'dimse', aeTitle: 'MODALITY1' },
      address: '127.0.0.1',
      studies: [CT.study],
      series: [CT.series],
      instances: [CT.sop],
      outcome: { success: true, dimseStatus: 0 },
      dicom: { eventId: { code: '110104', codingScheme: 'DCM' }, eventActionCode: 'C', eventOutcomeIndicator: 0 },
    });
  });

  test('findscu C-FIND → one query record listing the studies matched (110112)', async () => {
    const r = await run('findscu', [
      ...args('WORKSTATION', '-S', '127.0.0.1', String(port)),
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      'StudyInstanceUID',
      '-k',
      'PatientName',
    ]);
    expect(r.code).toBe(0);
    const recs = await newRecords();
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({
      action: 'query',
      operation: 'C-FIND',
      principal: { id: 'dimse:WORKSTATION@127.0.0.1' },
      studies: [CT.study],
      outcome: { success: true, dimseStatus: 0 },
      dicom: { eventId: { code: '110112' }, eventActionCode: 'E' },
    });
  });

  test('getscu C-GET → one retrieve record naming the instances sent (110104, action R)', async () => {
    const dir = fs.mkdtempSync(path.join(server.dataDir, 'get-'));
    const r = await run('getscu', [
      ...args('VIEWER', '-S', '-od', dir, '127.0.0.1', String(port)),
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      `StudyInstanceUID=${CT.study}`,
    ]);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(dir)).toHaveLength(1);
    const recs = await newRecords();
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({
      action: 'retrieve',
      operation: 'C-GET',
      principal: { id: 'dimse:VIEWER@127.0.0.1' },
      studies: [CT.study],
      instances: [CT.sop],
      outcome: { success: true, dimseStatus: 0 },
      dicom: { eventId: { code: '110104' }, eventActionCode: 'R' },
    });
  });

  test('no record carries the PatientName or PatientID', () => {
    const text = fs.readFileSync(path.join(server.dataDir, 'audit.log'), 'utf8');
    for (const phi of ['CompressedSamples', 'CT1']) expect(text).not.toContain(phi);
  });
});
