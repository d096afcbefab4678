// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// The JSON log of the real gateway (startServer with DIMSE on) while DCMTK storescu and findscu talk
// to it and a QIDO-RS query names the patient: every line is one JSON object whose `level` is the
// line's own level (a C-FIND logs its query level as `queryLevel`, never over `level`),
// `dimse.listening` is logged once, and no line carries the patient's name or ID.
// Skipped when DCMTK is not installed (CI installs it).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startServer, type RunningServer } from '../../src/server';
import { DICOM_DIR, freePort, hasCommand, run } from './dimse-helpers';

const HAVE_DCMTK = ['storescu', 'findscu'].every(hasCommand);
if (!HAVE_DCMTK) console.warn('DCMTK not installed: DIMSE logging test skipped');
const d = HAVE_DCMTK ? describe : describe.skip;

// CT_small.dcm: PatientName CompressedSamples^CT1, PatientID 1CT1.
const PATIENT_NAME = 'CompressedSamples^CT1';
const PATIENT_ID = '1CT1';

d('gateway log lines', () => {
  const raw: string[] = [];
  let running: RunningServer;
  let dataDir = '';

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-log-'));
    const config = readConfig(
      { port: '0', host: '127.0.0.1', data: dataDir, logLevel: 'debug', dimsePort: String(await freePort()) },
      {},
    );
    running = await startServer(
      config,
      createLogger('debug', (line) => raw.push(line)),
    );
    const dimsePort = String(running.dimse?.port);
    const aec = ['-aec', 'FOVEA', '-to', '10', '-ta', '10', '-td', '10'];
    const stored = await run('storescu', [...aec, '127.0.0.1', dimsePort, path.join(DICOM_DIR, 'CT_small.dcm')]);
    expect(stored.code).toBe(0);
    const found = await run('findscu', [
      ...aec,
      '-S',
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      `PatientID=${PATIENT_ID}`,
      '-k',
      `PatientName=${PATIENT_NAME}`,
      '-k',
      'StudyInstanceUID',
      '127.0.0.1',
      dimsePort,
    ]);
    expect(found.code).toBe(0);
    const qido = await fetch(
      `http://127.0.0.1:${running.port}/dicomweb/studies?PatientName=${encodeURIComponent(PATIENT_NAME)}&PatientID=${PATIENT_ID}`,
    );
    expect(qido.status).toBe(200);
    const bad = await fetch(`http://127.0.0.1:${running.port}/dicomweb/studies?PatientName=${PATIENT_NAME}&limit=x`);
    expect(bad.status).toBe(400);
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
    if (dataDir !== '') fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const lines = (): Record<string, unknown>[] => raw.map((l) => JSON.parse(l) as Record<string, unknown>);

  test('every line is a JSON object with its own level, time and event', () => {
    expect(raw.length).toBeGreaterThan(3);
    for (const line of lines()) {
      expect(['debug', 'info', 'warn', 'error']).toContain(line['level']);
      expect(typeof line['event']).toBe('string');
      expect(Number.isNaN(Date.parse(String(line['time'])))).toBe(false);
    }
  });

  test('dimse.find logs the query level as queryLevel, and level stays "info"', () => {
    const finds = lines().filter((l) => l['event'] === 'dimse.find');
    expect(finds).toHaveLength(1);
    expect(finds[0]).toMatchObject({ level: 'info', queryLevel: 'STUDY', matches: 1 });
  });

  test('dimse.listening is logged once, with host, port and AE title', () => {
    const listening = lines().filter((l) => l['event'] === 'dimse.listening');
    expect(listening).toEqual([
      expect.objectContaining({ host: '127.0.0.1', port: running.dimse?.port, aeTitle: 'FOVEA' }),
    ]);
  });

  test("no line carries the patient's name or ID (C-STORE, C-FIND and QIDO-RS values included)", () => {
    const all = raw.join('\n');
    expect(all).toContain('dimse.stored');
    expect(all).toContain('request_rejected');
    for (const phi of [PATIENT_NAME, 'CompressedSamples', encodeURIComponent(PATIENT_NAME), PATIENT_ID]) {
      expect(all).not.toContain(phi);
    }
  });
});
