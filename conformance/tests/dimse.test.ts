// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// DIMSE conformance (PS3.4 Annexes A, B, C; PS3.7; PS3.8) against the real gateway, driven by
// DCMTK echoscu / storescu / findscu / movescu / getscu, with storescp as the C-MOVE destination.
// Skipped when DCMTK is not installed (CI installs it). Loopback only, bounded timeouts.

import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as net from 'node:net';
import * as path from 'node:path';
import * as dimse from 'dcmjs-dimse';
import { startDimse } from '../../src/dimse';
import { createLogger } from '../../src/log';
import {
  AE,
  DICOM_DIR,
  freePort,
  hasCommand,
  killAll,
  listFiles,
  run,
  startGateway,
  startStorescp,
  type DimseGateway,
} from './dimse-helpers';

const HAVE_DCMTK = ['echoscu', 'storescu', 'findscu', 'movescu', 'getscu', 'storescp'].every(hasCommand);
if (!HAVE_DCMTK) console.warn('DCMTK not installed: DIMSE conformance tests skipped');
const d = HAVE_DCMTK ? describe : describe.skip;

const CT = {
  file: 'CT_small.dcm',
  study: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322',
  sop: '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322',
  patient: '1CT1',
};
const MR = {
  file: 'MR_small.dcm',
  study: '1.3.6.1.4.1.5962.1.2.4.20040826185059.5457',
  sop: '1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457',
  patient: '4MR1',
};
const NM_J2K = { file: 'JPEG2000.dcm', sop: '1.3.6.1.4.1.5962.1.1.8.1.3.20040826185059.5457' };

d('DIMSE SCP with DCMTK', () => {
  let gw: DimseGateway;
  const children: ChildProcess[] = [];
  let destPort = 0;
  let work = '';
  const args = (...rest: string[]): string[] => ['-aec', AE, '-to', '10', '-ta', '10', '-td', '10', ...rest];

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-dimse-ct-'));
    destPort = await freePort();
    gw = await startGateway({ peers: [{ aeTitle: 'DEST', host: '127.0.0.1', port: destPort }] });
    await startStorescp('DEST', destPort, path.join(work, 'moved'), children);
  });
  afterAll(async () => {
    killAll(children);
    await gw?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const port = (): string => String(gw.dimse.port);

  test('C-ECHO succeeds (PS3.4 A.4)', async () => {
    const r = await run('echoscu', [...args(), '127.0.0.1', port()]);
    expect(r.code).toBe(0);
  });

  test('wrong called AE title is rejected (PS3.8 7.1.1.4)', async () => {
    const r = await run('echoscu', ['-aec', 'NOTFOVEA', '-to', '10', '127.0.0.1', port()]);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/Called AE Title Not Recognized/i);
  });

  test('C-STORE of uncompressed objects commits them (PS3.4 B.2)', async () => {
    const r = await run('storescu', [
      ...args(),
      '127.0.0.1',
      port(),
      path.join(DICOM_DIR, CT.file),
      path.join(DICOM_DIR, MR.file),
    ]);
    expect(r.code).toBe(0);
    expect(gw.http.running.gateway.store.instances.getInstance(CT.sop)?.studyInstanceUid).toBe(CT.study);
    expect(gw.http.running.gateway.store.instances.getInstance(MR.sop)?.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.4');
  });

  test('C-STORE of JPEG 2000 proposed with -xw keeps the J2K syntax', async () => {
    const r = await run('storescu', [...args('-xw'), '127.0.0.1', port(), path.join(DICOM_DIR, NM_J2K.file)]);
    expect(r.code).toBe(0);
    expect(gw.http.running.gateway.store.instances.getInstance(NM_J2K.sop)?.receivedTransferSyntaxUid).toBe(
      '1.2.840.10008.1.2.4.91',
    );
  });

  test('C-STORE of objects Fovea cannot transcode: Success (0000), kept as received (conformance statement)', async () => {
    const fixtures = path.join(__dirname, '..', '..', 'test', 'fixtures', 'as-received');
    const cases = [
      { file: 'liver_1frame.dcm', opts: [] as string[], sop: '1.2.276.0.7230010.3.1.4.0.42154.1458337731.665796' },
      { file: 'rtdose_1frame.dcm', opts: [], sop: '1.9.999.999.99.9.9999.9999.20030818153516' },
      { file: 'JPGExtended.dcm', opts: ['-xx'], sop: '1.3.6.1.4.1.5962.1.1.8.1.5.20040826185059.5457' },
    ];
    for (const c of cases) {
      const r = await run('storescu', [
        ...args('-v', '-R', ...c.opts),
        '127.0.0.1',
        port(),
        path.join(fixtures, c.file),
      ]);
      expect([c.file, r.code, r.code === 0 ? '' : r.stdout + r.stderr]).toEqual([c.file, 0, '']);
      expect(r.stdout + r.stderr).toMatch(/Received Store Response \(Success\)/);
      const rec = gw.http.running.gateway.store.instances.getInstance(c.sop);
      expect([c.file, rec?.asReceivedReason ?? null]).toEqual([c.file, expect.stringMatching(/^CODEC_/)]);
    }
  });

  /** Runs findscu with -X and returns each response's dump (dcmdump text). */
  async function find(model: '-S' | '-P', keys: string[]): Promise<{ code: number; responses: string[]; out: string }> {
    const dir = fs.mkdtempSync(path.join(work, 'find-'));
    const r = await run('findscu', [
      ...args(model, '-v', '-X', '-od', dir),
      ...keys.flatMap((k) => ['-k', k]),
      '127.0.0.1',
      port(),
    ]);
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.startsWith('rsp'))
      .sort();
    const responses: string[] = [];
    for (const f of files) responses.push((await run('dcmdump', [path.join(dir, f)])).stdout);
    return { code: r.code, responses, out: r.stdout + r.stderr };
  }

  test('C-FIND Study Root STUDY level: matching and return keys only (PS3.4 C.4.1, C.6.2)', async () => {
    const r = await find('-S', [
      'QueryRetrieveLevel=STUDY',
      `PatientID=${CT.patient}`,
      'StudyInstanceUID',
      'PatientName',
      'ModalitiesInStudy',
    ]);
    expect(r.code).toBe(0);
    expect(r.responses).toHaveLength(1);
    const rsp = r.responses[0] ?? '';
    expect(rsp).toContain(CT.study);
    expect(rsp).toContain('(0008,0052) CS [STUDY]');
    expect(rsp).toContain('CompressedSamples^CT1');
    expect(rsp).toContain('(0008,0061) CS [CT]');
    // Only requested keys (+ level, charset): no StudyDate, no SOP instance UIDs.
    expect(rsp).not.toContain('(0008,0020)');
    expect(rsp).not.toContain('(0008,0018)');
  });

  test('C-FIND wildcard and universal matching across studies', async () => {
    const r = await find('-S', ['QueryRetrieveLevel=STUDY', 'PatientID=*', 'StudyInstanceUID']);
    expect(r.code).toBe(0);
    const studies = r.responses.map((x) => /\(0020,000d\) UI \[([0-9.]+)\]/.exec(x)?.[1]).sort();
    expect(studies).toEqual(expect.arrayContaining([CT.study, MR.study]));
    const none = await find('-S', ['QueryRetrieveLevel=STUDY', 'PatientID=NOBODY', 'StudyInstanceUID']);
    expect(none.code).toBe(0);
    expect(none.responses).toHaveLength(0);
  });

  test('C-FIND Patient Root SERIES and IMAGE levels scoped by higher-level unique keys', async () => {
    const series = await find('-P', [
      'QueryRetrieveLevel=SERIES',
      `PatientID=${MR.patient}`,
      `StudyInstanceUID=${MR.study}`,
      'SeriesInstanceUID',
      'Modality',
    ]);
    expect(series.code).toBe(0);
    expect(series.responses).toHaveLength(1);
    expect(series.responses[0]).toContain('(0008,0060) CS [MR]');
    const seriesUid = /\(0020,000e\) UI \[([0-9.]+)\]/.exec(series.responses[0] ?? '')?.[1] ?? '';
    expect(seriesUid).not.toBe('');
    const images = await find('-S', [
      'QueryRetrieveLevel=IMAGE',
      `StudyInstanceUID=${MR.study}`,
      `SeriesInstanceUID=${seriesUid}`,
      'SOPInstanceUID',
      'SOPClassUID',
    ]);
    expect(images.responses).toHaveLength(1);
    expect(images.responses[0]).toContain(MR.sop);
    expect(images.responses[0]).toContain('(0008,0052) CS [IMAGE]');
  });

  test('C-FIND failures: PATIENT level and an invalid date range give 0xA900 (PS3.4 C.4.1.1.4)', async () => {
    const patient = await find('-P', ['QueryRetrieveLevel=PATIENT', 'PatientID']);
    expect(patient.responses).toHaveLength(0);
    expect(patient.out).toMatch(/DataSetDoesNotMatchSOPClass/);
    const badDate = await find('-S', ['QueryRetrieveLevel=STUDY', 'StudyDate=2020XX01', 'StudyInstanceUID']);
    expect(badDate.responses).toHaveLength(0);
    expect(badDate.out).toMatch(/DataSetDoesNotMatchSOPClass/);
  });

  test('C-MOVE to a known peer sends the study to storescp (PS3.4 C.4.2)', async () => {
    const r = await run('movescu', [
      ...args('-S', '-aem', 'DEST'),
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      `StudyInstanceUID=${CT.study}`,
      '127.0.0.1',
      port(),
    ]);
    expect(r.code).toBe(0);
    const moved = listFiles(path.join(work, 'moved'));
    expect(moved.length).toBe(1);
    const dump = (await run('dcmdump', [moved[0] ?? ''])).stdout;
    expect(dump).toContain(CT.sop);
    expect(dump).toContain('(7fe0,0010)');
  });

  test('C-MOVE to an unknown destination is refused with 0xA801', async () => {
    const r = await run('movescu', [
      ...args('-S', '-aem', 'NOWHERE', '-v'),
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      `StudyInstanceUID=${CT.study}`,
      '127.0.0.1',
      port(),
    ]);
    expect(r.stdout + r.stderr).toMatch(/MoveDestinationUnknown|a801/i);
  });

  test('C-GET returns the studies on the same association, objects larger than one PDU included (PS3.4 C.4.3)', async () => {
    const us = path.join(DICOM_DIR, 'US1_J2KI.dcm'); // 59 kB JPEG 2000: several P-DATA PDUs
    expect((await run('storescu', [...args('-xw'), '127.0.0.1', port(), us])).code).toBe(0);
    const usStudy = '1.3.6.1.4.1.5962.1.2.13.20040826185059.5457';
    const dir = fs.mkdtempSync(path.join(work, 'get-'));
    const r = await run('getscu', [
      ...args('-S', '-od', dir),
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      `StudyInstanceUID=${MR.study}\\${usStudy}`,
      '127.0.0.1',
      port(),
    ]);
    expect(r.code).toBe(0);
    const got = listFiles(dir);
    expect(got).toHaveLength(2);
    const dumps = (await Promise.all(got.map((f) => run('dcmdump', [f])))).map((x) => x.stdout).join('\n');
    expect(dumps).toContain(MR.sop);
    expect(dumps).toContain('1.3.6.1.4.1.5962.1.1.13.1.3.20040826185059.5457');
  });

  test('C-GET of an object kept as received (RT Dose, 32-bit) returns its Pixel Data unchanged', async () => {
    const file = path.join(__dirname, '..', '..', 'test', 'fixtures', 'as-received', 'rtdose_1frame.dcm');
    expect((await run('storescu', [...args('-R'), '127.0.0.1', port(), file])).code).toBe(0);
    const dir = fs.mkdtempSync(path.join(work, 'get-as-received-'));
    const r = await run('getscu', [
      ...args('-S', '-od', dir),
      '-k',
      'QueryRetrieveLevel=IMAGE',
      '-k',
      'StudyInstanceUID=1.2.999.999.99.9.9999.8888',
      '-k',
      'SeriesInstanceUID=1.2.777.777.77.7.7777.7777',
      '-k',
      'SOPInstanceUID=1.9.999.999.99.9.9999.9999.20030818153516',
      '127.0.0.1',
      port(),
    ]);
    expect(r.code).toBe(0);
    const got = listFiles(dir);
    expect(got).toHaveLength(1);
    const pixels = async (f: string): Promise<string> =>
      (await run('dcmdump', ['+P', 'PixelData', '+L', f])).stdout.replace(/#.*$/gm, '').trim();
    const sent = await pixels(file);
    expect(sent).toMatch(/^\(7fe0,0010\) OW [0-9a-f]{4}\\/);
    expect(await pixels(got[0] ?? '')).toBe(sent);
  });

  test('an unsupported SOP class (Modality Worklist) is rejected in negotiation', async () => {
    const r = await run('findscu', [...args('-W'), '-k', 'PatientName=*', '127.0.0.1', port()]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/No Acceptable Presentation Contexts|no presentation context/i);
  });

  test('C-STORE of JPEG Baseline (-xy), and of HTJ2K from an SCU that proposes the file syntax', async () => {
    const jpeg = await run('storescu', [
      ...args('-xy'),
      '127.0.0.1',
      port(),
      path.join(DICOM_DIR, 'examples_ybr_color.dcm'),
    ]);
    expect(jpeg.code).toBe(0);
    // DCMTK 3.6.7 predates HTJ2K; dcmjs-dimse proposes each file's own transfer syntax.
    const original = path.join(DICOM_DIR, 'HTJ2KLossless_08_RGB.dcm');
    const sop = (await run('dcmdump', ['+P', '0008,0018', original])).stdout.match(/\[([0-9.]+)\]/)?.[1] ?? '';
    // The sample has no Study/Series Instance UID: refused with 0xA900 and nothing stored.
    expect(await dcmjsStore(original)).toBe(0xa900);
    expect(gw.http.running.gateway.store.instances.getInstance(sop)).toBeUndefined();
    // dcmodify cannot write .201, so the two UIDs are spliced in before (0028,0002) (Explicit VR LE).
    const fixed = path.join(work, 'htj2k.dcm');
    const bytes = fs.readFileSync(original);
    const at = bytes.indexOf(Buffer.from([0x28, 0x00, 0x02, 0x00, 0x55, 0x53]));
    expect(at).toBeGreaterThan(132);
    const ui = (element: number, uid: string): Buffer => {
      const value = Buffer.from(uid.length % 2 === 0 ? uid : `${uid}\0`, 'latin1');
      const header = Buffer.from([0x20, 0x00, element, 0x00, 0x55, 0x49, value.length, 0x00]);
      return Buffer.concat([header, value]);
    };
    fs.writeFileSync(
      fixed,
      Buffer.concat([
        bytes.subarray(0, at),
        ui(0x0d, '1.2.826.0.1.3680043.8.498.1.77'),
        ui(0x0e, '1.2.826.0.1.3680043.8.498.1.78'),
        bytes.subarray(at),
      ]),
    );
    expect(await dcmjsStore(fixed)).toBe(0);
    expect(gw.http.running.gateway.store.instances.getInstance(sop)?.receivedTransferSyntaxUid).toBe(
      '1.2.840.10008.1.2.4.201',
    );
  });

  async function dcmjsStore(file: string): Promise<number> {
    return await new Promise<number>((resolve, reject) => {
      const client = new dimse.Client();
      const request = new dimse.requests.CStoreRequest(file);
      let got = -1;
      request.on('response', (response: InstanceType<typeof dimse.responses.CStoreResponse>) => {
        got = response.getStatus();
      });
      const timer = setTimeout(() => reject(new Error('timeout')), 20_000);
      client.on('closed', () => {
        clearTimeout(timer);
        resolve(got);
      });
      client.on('networkError', (e: Error) => {
        clearTimeout(timer);
        reject(e);
      });
      client.addRequest(request);
      client.send('127.0.0.1', gw.dimse.port, 'DCMJSSCU', AE);
    });
  }

  test('calling AE titles outside the accepted list are rejected', async () => {
    const g = gw.http.running.gateway;
    const restricted = await startDimse({
      ingestor: g.ingestor,
      store: g.store.instances,
      retrieve: g.retrieve,
      logger: createLogger('silent'),
      aeTitle: AE,
      port: 0,
      host: '127.0.0.1',
      acceptedCallingAeTitles: ['GOODSCU'],
      peers: [],
      tmpDir: gw.tmpDir,
    });
    try {
      const bad = await run('echoscu', [...args('-aet', 'BADSCU'), '127.0.0.1', String(restricted.port)]);
      expect(bad.code).not.toBe(0);
      expect(bad.stdout + bad.stderr).toMatch(/Calling AE Title Not Recognized/i);
      const good = await run('echoscu', [...args('-aet', 'GOODSCU'), '127.0.0.1', String(restricted.port)]);
      expect(good.code).toBe(0);
    } finally {
      await restricted.close();
    }
  });

  test('garbage and a hostile PDU length abort that connection only; others keep working', async () => {
    const send = async (bytes: Uint8Array): Promise<Buffer> =>
      await new Promise((resolve, reject) => {
        const got: Buffer[] = [];
        const sock = net.connect({ host: '127.0.0.1', port: gw.dimse.port }, () => sock.write(bytes));
        const timer = setTimeout(() => {
          sock.destroy();
          reject(new Error('connection was not closed'));
        }, 5000);
        sock.on('data', (c: Buffer) => got.push(c));
        sock.on('error', () => undefined);
        sock.on('close', () => {
          clearTimeout(timer);
          resolve(Buffer.concat(got));
        });
      });
    const garbage = await send(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(garbage[0]).toBe(0x07); // A-ABORT
    const huge = await send(new Uint8Array([0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x01]));
    expect(huge[0]).toBe(0x07);
    const echo = await run('echoscu', [...args(), '127.0.0.1', port()]);
    expect(echo.code).toBe(0);
  });

  test('an association dropped in the middle of a C-STORE leaves the store unchanged', async () => {
    // A TCP relay that forwards storescu's bytes and cuts both sides after 12 kB of a 39 kB object.
    const sop = '1.3.6.1.4.1.5962.1.1.0.0.0.1194734704.16302.0.7'; // rewritten below into the copy
    const copy = path.join(work, 'drop.dcm');
    fs.copyFileSync(path.join(DICOM_DIR, CT.file), copy);
    await run('dcmodify', ['-nb', '-m', `(0008,0018)=${sop}`, copy]);
    let forwarded = 0;
    const relay = net.createServer((client) => {
      const upstream = net.connect({ host: '127.0.0.1', port: gw.dimse.port });
      upstream.on('data', (c: Buffer) => client.write(c));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.on('data', (c: Buffer) => {
        const room = 12_000 - forwarded;
        if (room <= 0) return;
        forwarded += Math.min(room, c.length);
        upstream.write(c.subarray(0, room));
        if (forwarded >= 12_000) {
          upstream.destroy();
          client.destroy();
        }
      });
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
    const relayPort = (relay.address() as net.AddressInfo).port;
    try {
      const r = await run('storescu', [...args(), '127.0.0.1', String(relayPort), copy]);
      expect(r.code).not.toBe(0);
      expect(forwarded).toBe(12_000);
    } finally {
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gw.http.running.gateway.store.instances.getInstance(sop)).toBeUndefined();
    expect(fs.readdirSync(gw.tmpDir)).toEqual([]);
  });
});
