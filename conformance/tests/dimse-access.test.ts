// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Association acceptance policy (src/dimse/access.ts) against DCMTK and a dcmjs-dimse requester
// bound to another loopback address: a calling AE bound to 127.0.0.2 is accepted from there and
// rejected from 127.0.0.1 (A-ASSOCIATE-RJ permanent, calling-AE-title-not-recognized, PS3.8
// 9.3.4); C-STORE from a peer outside FOVEA_DIMSE_STORE_AETS and C-FIND/C-MOVE/C-GET from a peer
// outside FOVEA_DIMSE_QUERY_AETS get 0124H Refused: Not authorized (PS3.7 Annex C.5).
// Skipped when DCMTK is not installed (CI installs it).

import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as dimse from 'dcmjs-dimse';
import { AE, DICOM_DIR, hasCommand, run, startGateway, type DimseGateway } from './dimse-helpers';

const HAVE_DCMTK = ['echoscu', 'storescu', 'findscu', 'movescu', 'getscu'].every(hasCommand);
if (!HAVE_DCMTK) console.warn('DCMTK not installed: DIMSE access tests skipped');
const d = HAVE_DCMTK ? describe : describe.skip;

const CT = { file: 'CT_small.dcm', sop: '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322', patient: '1CT1' };
const MR = { file: 'MR_small.dcm', sop: '1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457' };
const VERIFICATION = '1.2.840.10008.1.1';
const STUDY_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.2.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';

/** A-ASSOCIATE from `localAddress` as `callingAe`, then C-ECHO (or a STUDY C-FIND for
 *  `patientId`): the final status, or 'rejected'. */
async function echoFrom(
  localAddress: string,
  callingAe: string,
  port: number,
  patientId?: string,
): Promise<number | 'rejected'> {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress });
  const conn = new dimse.Scp(socket, { connectTimeout: 10_000, associationTimeout: 10_000, pduTimeout: 10_000 });
  const association = new dimse.association.Association(callingAe, AE);
  const id = association.addPresentationContext(patientId === undefined ? VERIFICATION : STUDY_ROOT_FIND);
  association.addTransferSyntaxToPresentationContext(id, IMPLICIT_LE);
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer'));
    }, 10_000);
    const done = (r: number | 'rejected'): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    socket.once('connect', () => conn.sendAssociationRequest(association));
    conn.once('associationRejected', () => done('rejected'));
    conn.once('associationAccepted', () => {
      const request =
        patientId === undefined
          ? new dimse.requests.CEchoRequest()
          : dimse.requests.CFindRequest.createStudyFindRequest({ PatientID: patientId, StudyInstanceUID: '' });
      request.on('response', (r: InstanceType<typeof dimse.responses.CEchoResponse>) => {
        if (r.getStatus() !== 0xff00) done(r.getStatus()); // the final response, not a Pending one
      });
      conn.sendRequests(request);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

d('DIMSE association acceptance policy', () => {
  let gw: DimseGateway;
  const logLines: string[] = [];
  let work = '';
  const port = (): string => String(gw.dimse.port);
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
  const logged = (event: string): Record<string, unknown>[] =>
    logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['event'] === event);

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-dimse-access-'));
    gw = await startGateway({
      logLines,
      acceptedCallingAeTitles: [
        { aeTitle: 'BOUND', from: '127.0.0.2' },
        { aeTitle: 'LOCALNET', from: '127.0.0.0/30' },
        'STOREONLY',
        'QUERYONLY',
      ],
      storeAeTitles: ['STOREONLY', 'LOCALNET'],
      queryAeTitles: ['QUERYONLY', { aeTitle: 'LOCALNET', from: '127.0.0.1' }],
    });
  });
  afterAll(async () => {
    await gw?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('an AE bound to 127.0.0.2 is accepted from 127.0.0.2 and rejected from 127.0.0.1', async () => {
    expect(await echoFrom('127.0.0.2', 'BOUND', gw.dimse.port)).toBe(0x0000);
    const r = await run('echoscu', [...args('BOUND'), '127.0.0.1', port()]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/Association Rejected/i);
    expect(r.stdout + r.stderr).toMatch(/Result: Rejected Permanent.*\n.*Reason: Calling AE Title Not Recognized/i);
    const rejected = logged('dimse.association_rejected').at(-1);
    expect(rejected).toMatchObject({ calling: 'BOUND', reason: 'calling AE title not recognized' });
    expect(String(rejected?.['peer'])).toMatch(/^127\.0\.0\.1:/);
  });

  test('an AE bound to a network: inside accepted, unlisted titles rejected', async () => {
    expect((await run('echoscu', [...args('LOCALNET'), '127.0.0.1', port()])).code).toBe(0);
    expect(await echoFrom('127.0.0.2', 'LOCALNET', gw.dimse.port)).toBe(0x0000);
    expect(await echoFrom('127.0.0.5', 'LOCALNET', gw.dimse.port)).toBe('rejected'); // outside 127.0.0.0/30
    expect(await echoFrom('127.0.0.2', 'NOBODY', gw.dimse.port)).toBe('rejected');
  });

  test('C-STORE from a peer outside the store list is refused with 0124H and nothing is stored', async () => {
    const r = await run('storescu', [...args('QUERYONLY', '-v'), '127.0.0.1', port(), path.join(DICOM_DIR, CT.file)]);
    expect(r.stdout + r.stderr).toMatch(/Status: 0x0?124\b/);
    expect(gw.http.running.gateway.store.instances.getInstance(CT.sop)).toBeUndefined();
    expect(logged('dimse.operation_refused').at(-1)).toMatchObject({ operation: 'store' });
  });

  test('C-STORE from a store source succeeds; it cannot C-FIND, C-MOVE or C-GET (0124H)', async () => {
    const stored = await run('storescu', [...args('STOREONLY'), '127.0.0.1', port(), path.join(DICOM_DIR, CT.file)]);
    expect(stored.code).toBe(0);
    expect(gw.http.running.gateway.store.instances.getInstance(CT.sop)).toBeDefined();
    const keys = ['-k', 'QueryRetrieveLevel=STUDY', '-k', `PatientID=${CT.patient}`, '-k', 'StudyInstanceUID'];
    const find = await run('findscu', [...args('STOREONLY', '-S', '-v'), ...keys, '127.0.0.1', port()]);
    expect(find.stdout + find.stderr).toMatch(/Status: 0x0?124\b/);
    expect(find.stdout + find.stderr).not.toContain('1.3.6.1.4.1.5962.1.2.1.20040119072730.12322');
    const move = await run('movescu', [
      ...args('STOREONLY', '-S', '-v', '-aem', 'STOREONLY'),
      ...keys,
      '127.0.0.1',
      port(),
    ]);
    expect(move.stdout + move.stderr).toMatch(/Status: 0x0?124\b/);
    const dir = fs.mkdtempSync(path.join(work, 'get-'));
    const get = await run('getscu', [...args('STOREONLY', '-S', '-v', '-od', dir), ...keys, '127.0.0.1', port()]);
    expect(get.stdout + get.stderr).toMatch(/Status: 0x0?124\b/);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(logged('dimse.operation_refused').map((l) => l['operation'])).toEqual(
      expect.arrayContaining(['find', 'move', 'get']),
    );
  });

  test('a query peer finds and gets; rights are per address too (LOCALNET queries only from 127.0.0.1)', async () => {
    const keys = ['-k', 'QueryRetrieveLevel=STUDY', '-k', `PatientID=${CT.patient}`, '-k', 'StudyInstanceUID'];
    const find = await run('findscu', [...args('QUERYONLY', '-S', '-v'), ...keys, '127.0.0.1', port()]);
    expect(find.code).toBe(0);
    expect(find.stdout + find.stderr).toContain('1.3.6.1.4.1.5962.1.2.1.20040119072730.12322');
    const dir = fs.mkdtempSync(path.join(work, 'get-'));
    const get = await run('getscu', [...args('LOCALNET', '-S', '-od', dir), ...keys, '127.0.0.1', port()]);
    expect(get.code).toBe(0);
    expect(fs.readdirSync(dir)).toHaveLength(1);
    expect(await echoFrom('127.0.0.2', 'LOCALNET', gw.dimse.port, CT.patient)).toBe(0x0124);
    expect(await echoFrom('127.0.0.2', 'QUERYONLY', gw.dimse.port, CT.patient)).toBe(0x0000);
    // LOCALNET may store from anywhere in 127.0.0.0/30.
    const stored = await run('storescu', [...args('LOCALNET'), '127.0.0.1', port(), path.join(DICOM_DIR, MR.file)]);
    expect(stored.code).toBe(0);
    expect(gw.http.running.gateway.store.instances.getInstance(MR.sop)).toBeDefined();
  });

  test('log lines of refusals carry AE titles and addresses, never patient data', () => {
    const text = logLines.join('\n');
    expect(text).not.toContain('CompressedSamples');
    expect(text).not.toContain(`"${CT.patient}"`);
  });
});
