// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// DICOM TLS (PS3.15 B.9 Non-downgrading BCP 195 TLS Secure Transport Connection Profile) against
// DCMTK built with OpenSSL: a CA, the gateway's certificate, a client certificate and a rogue
// self-signed one are made with `openssl` in the test. echoscu/storescu/movescu +tls associate;
// plain TCP, a client certificate not signed by the CA, no client certificate, TLS 1.1 and a
// non-AEAD cipher suite are refused at the handshake; a C-MOVE destination marked /tls receives
// the study over TLS (storescp +tls). Skipped when DCMTK or openssl is not installed.

import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as dimse from 'dcmjs-dimse';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startServer } from '../../src/server';
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

const HAVE_TOOLS = ['echoscu', 'storescu', 'movescu', 'storescp', 'openssl'].every(hasCommand);
if (!HAVE_TOOLS) console.warn('DCMTK or openssl not installed: DICOM TLS tests skipped');
const d = HAVE_TOOLS ? describe : describe.skip;

const CT = {
  file: 'CT_small.dcm',
  study: '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322',
  sop: '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322',
};

interface Pki {
  dir: string;
  ca: string;
  /** name → [key, cert] */
  pair(name: 'server' | 'client' | 'rogue'): [string, string];
}

/** A throw-away CA (P-256), a server and a client certificate it signs, and a self-signed rogue. */
function makePki(dir: string): Pki {
  const ossl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore', timeout: 20_000 });
  };
  const key = (name: string): void =>
    ossl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', `${name}.key`);
  key('ca');
  ossl('req', '-x509', '-new', '-key', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Fovea Test CA');
  for (const name of ['server', 'client']) {
    key(name);
    ossl('req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`);
    fs.writeFileSync(path.join(dir, `${name}.ext`), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    ossl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      `${name}.pem`,
      '-extfile',
      `${name}.ext`,
    );
  }
  key('rogue');
  ossl('req', '-x509', '-new', '-key', 'rogue.key', '-out', 'rogue.pem', '-days', '2', '-subj', '/CN=client');
  return {
    dir,
    ca: path.join(dir, 'ca.pem'),
    pair: (name) => [path.join(dir, `${name}.key`), path.join(dir, `${name}.pem`)],
  };
}

const dcmArgs = (...rest: string[]): string[] => ['-aec', AE, '-to', '10', '-ta', '10', '-td', '10', ...rest];

/** openssl s_client handshake only (no DICOM): exit 0 when the handshake completed. */
async function handshake(port: number, pki: Pki, ...opts: string[]): Promise<{ ok: boolean; out: string }> {
  const [key, cert] = pki.pair('client');
  const r = await run(
    'sh',
    [
      '-c',
      `echo | openssl s_client -connect 127.0.0.1:${port} -key "$0" -cert "$1" -CAfile "$2" -verify_return_error ${opts.join(' ')}`,
      key,
      cert,
      pki.ca,
    ],
    20_000,
  );
  const out = r.stdout + r.stderr;
  return { ok: r.code === 0 && /Verify return code: 0 \(ok\)/.test(out) && !/alert|errno/i.test(out), out };
}

d('DICOM TLS listener (client certificates required: CA configured)', () => {
  let gw: DimseGateway;
  let pki: Pki;
  let work = '';
  const logLines: string[] = [];
  const children: ChildProcess[] = [];
  let destPort = 0;
  const port = (): string => String(gw.dimse.port);
  const tlsArgs = (name: 'client' | 'rogue'): string[] => ['+tls', ...pki.pair(name), '+cf', pki.ca];
  const refusals = (): string[] =>
    logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['event'] === 'dimse.tls_refused')
      .map((l) => String(l['reason']));

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-dimse-tls-'));
    pki = makePki(work);
    destPort = await freePort();
    const [keyFile, certFile] = pki.pair('server');
    gw = await startGateway({
      logLines,
      tls: { certFile, keyFile, caFile: pki.ca },
      peers: [{ aeTitle: 'TLSDEST', host: '127.0.0.1', port: destPort, tls: true }],
    });
  });
  afterAll(async () => {
    killAll(children);
    await gw?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('echoscu +tls with a CA-signed client certificate: C-ECHO succeeds', async () => {
    const r = await run('echoscu', [...dcmArgs(...tlsArgs('client')), '127.0.0.1', port()]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test('storescu +tls stores the object (committed before Success)', async () => {
    const r = await run('storescu', [
      ...dcmArgs(...tlsArgs('client')),
      '127.0.0.1',
      port(),
      path.join(DICOM_DIR, CT.file),
    ]);
    expect(r.code).toBe(0);
    expect(gw.http.running.gateway.store.instances.getInstance(CT.sop)?.studyInstanceUid).toBe(CT.study);
  });

  test('plain TCP to the TLS port fails (no downgrade)', async () => {
    const before = refusals().length;
    const r = await run('echoscu', [...dcmArgs(), '127.0.0.1', port()]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/Association Accepted/i);
    expect(refusals().length).toBeGreaterThan(before);
  });

  test('a client certificate not signed by the CA is refused', async () => {
    const before = refusals().length;
    const r = await run('echoscu', [...dcmArgs(...tlsArgs('rogue')), '127.0.0.1', port()]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/Association Accepted/i);
    expect(refusals().slice(before)).toEqual([expect.stringMatching(/^client certificate: [A-Z_]+/)]);
  });

  test('a client without a certificate is refused (peer entity authentication is mutual)', async () => {
    const before = refusals().length;
    const r = await run('echoscu', [...dcmArgs('+tla', '+cf', pki.ca), '127.0.0.1', port()]);
    expect(r.code).not.toBe(0);
    expect(refusals().slice(before)).toEqual(['no client certificate']);
  });

  test('findscu +tls queries over TLS', async () => {
    const r = await run('findscu', [
      ...dcmArgs(...tlsArgs('client'), '-S', '-v', '-k', 'QueryRetrieveLevel=STUDY', '-k', 'PatientID=1CT1'),
      '-k',
      'StudyInstanceUID',
      '127.0.0.1',
      port(),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain(CT.study);
  });

  test('TLS 1.2 with a BCP 195 suite handshakes; TLS 1.1 and a CBC suite do not', async () => {
    expect((await handshake(gw.dimse.port, pki, '-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-GCM-SHA256')).ok).toBe(true);
    expect((await handshake(gw.dimse.port, pki, '-tls1_3')).ok).toBe(true);
    // SECLEVEL=0 lets the client offer TLS 1.1 / CBC at all, so a refusal is the server's.
    const old = await handshake(gw.dimse.port, pki, '-tls1_1', '-cipher', "'DEFAULT:@SECLEVEL=0'");
    expect(old.ok).toBe(false);
    expect(old.out).toMatch(/protocol version|unsupported protocol|no protocols available/i);
    const cbc = await handshake(gw.dimse.port, pki, '-tls1_2', '-cipher', "'ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0'");
    expect(cbc.ok).toBe(false);
    expect(cbc.out).toMatch(/handshake failure|no shared cipher/i);
  });

  test('C-MOVE to a destination marked /tls: storescp +tls receives the study', async () => {
    const [key, cert] = pki.pair('server');
    const dir = path.join(work, 'moved');
    // storescp +tls requires and verifies Fovea's certificate (DCMTK default --require-peer-cert).
    await startStorescp('TLSDEST', destPort, dir, children, ['+tls', key, cert, '+cf', pki.ca]);
    // DCMTK 3.6.7 movescu has no TLS: the C-MOVE comes from dcmjs-dimse's TLS client.
    const [ckeyFile, ccertFile] = pki.pair('client');
    const tlsOptions = {
      key: fs.readFileSync(ckeyFile),
      cert: fs.readFileSync(ccertFile),
      ca: fs.readFileSync(pki.ca),
    };
    const statuses = await new Promise<number[]>((resolve, reject) => {
      const client = new dimse.Client();
      const request = dimse.requests.CMoveRequest.createStudyMoveRequest('TLSDEST', CT.study);
      const got: number[] = [];
      request.on('response', (res: InstanceType<typeof dimse.responses.CMoveResponse>) => got.push(res.getStatus()));
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
      client.send('127.0.0.1', gw.dimse.port, 'DCMJSSCU', AE, {
        securityOptions: { ...tlsOptions, minVersion: 'TLSv1.2' },
      });
    });
    expect(statuses.at(-1)).toBe(0x0000);
    expect(listFiles(dir)).toHaveLength(1);
  });
});

d('DICOM TLS listener without a CA (server authentication only)', () => {
  let gw: DimseGateway;
  let work = '';
  let pki: Pki;
  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-dimse-tls1-'));
    pki = makePki(work);
    const [keyFile, certFile] = pki.pair('server');
    gw = await startGateway({ tls: { certFile, keyFile } });
  });
  afterAll(async () => {
    await gw?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('a client without a certificate associates; plain TCP still fails', async () => {
    const port = String(gw.dimse.port);
    expect((await run('echoscu', [...dcmArgs('+tla', '+cf', pki.ca), '127.0.0.1', port])).code).toBe(0);
    expect((await run('echoscu', [...dcmArgs(), '127.0.0.1', port])).code).not.toBe(0);
  });

  test('a key that does not match the certificate fails at start', async () => {
    const [, certFile] = pki.pair('server');
    const [keyFile] = pki.pair('client');
    await expect(startGateway({ tls: { certFile, keyFile } })).rejects.toMatchObject({ code: 'CONFIG_DIMSE_TLS' });
  });
});

d('fovea serve: DICOM TLS and the AE lists from the environment (readConfig → startServer)', () => {
  test('FOVEA_DIMSE_TLS_* and FOVEA_DIMSE_CALLING/STORE_AETS reach the listener', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-dimse-tls-serve-'));
    const pki = makePki(work);
    const [keyFile, certFile] = pki.pair('server');
    const config = readConfig(
      { port: '0', host: '127.0.0.1', data: path.join(work, 'data'), dimsePort: String(await freePort()) },
      {
        FOVEA_DIMSE_TLS_CERT: certFile,
        FOVEA_DIMSE_TLS_KEY: keyFile,
        FOVEA_DIMSE_TLS_CA: pki.ca,
        FOVEA_DIMSE_CALLING_AETS: 'PACS1@127.0.0.1,ELSEWHERE@127.0.0.2',
        FOVEA_DIMSE_STORE_AETS: 'none',
      },
    );
    const running = await startServer(config, createLogger('silent'));
    try {
      const port = String(running.dimse?.port);
      const tls = ['+tls', ...pki.pair('client'), '+cf', pki.ca];
      expect((await run('echoscu', ['-aet', 'PACS1', ...dcmArgs(...tls), '127.0.0.1', port])).code).toBe(0);
      expect((await run('echoscu', ['-aet', 'PACS1', ...dcmArgs(), '127.0.0.1', port])).code).not.toBe(0);
      const other = await run('echoscu', ['-aet', 'ELSEWHERE', ...dcmArgs(...tls), '127.0.0.1', port]);
      expect(other.stdout + other.stderr).toMatch(/Calling AE Title Not Recognized/i);
      const store = await run('storescu', [
        '-aet',
        'PACS1',
        ...dcmArgs(...tls, '-v'),
        '127.0.0.1',
        port,
        path.join(DICOM_DIR, CT.file),
      ]);
      expect(store.stdout + store.stderr).toMatch(/Status: 0x0?124\b/);
      expect(running.gateway.store.instances.getInstance(CT.sop)).toBeUndefined();
    } finally {
      await running.stop();
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
