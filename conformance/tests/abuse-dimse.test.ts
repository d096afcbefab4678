// Abuse suite, DIMSE (issue 11 finding 3), against the real gateway with DCMTK echoscu as the
// "second client": idle TCP connections from one address cannot take every association slot
// (per-address cap), over the caps a peer gets A-ASSOCIATE-RJ transient / local-limit-exceeded
// (PS3.8 §9.3.4) and the socket is closed, a connection that sends no A-ASSOCIATE-RQ is closed
// after ARTIM (§9.1.5), an idle association is aborted, and after A-ASSOCIATE-RJ or garbage P-DATA
// the server closes the connection. Attackers bind 127.0.0.2.. (Linux routes 127/8 to lo).
// Skipped when DCMTK is not installed (CI installs it). Bounded: small caps, 1 s ARTIM, 2 s idle.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AE, DICOM_DIR, hasCommand, run, startGateway, type DimseGateway } from './dimse-helpers';
import { associateRq, connectRaw, type RawConnection } from './dimse-raw';
import { startProbe } from './abuse-probe';

const HAVE_DCMTK = ['echoscu', 'storescu'].every(hasCommand);
if (!HAVE_DCMTK) console.warn('DCMTK not installed: DIMSE abuse tests skipped');
const d = HAVE_DCMTK ? describe : describe.skip;

const ARTIM_MS = 1000;
const IDLE_MS = 2000;
const REJECT_LOCAL_LIMIT = [0x03, 0, 0, 0, 0, 4, 0, 2, 3, 2]; // RJ transient, provider (presentation), 2

/** An associated, then silent, connection from `from` (what holds a slot longest). */
async function associatedIdle(port: number, from: string): Promise<RawConnection> {
  const c = await connectRaw(port, from);
  c.socket.write(associateRq(AE));
  const ac = await c.bytes(6);
  expect(ac[0]).toBe(0x02); // A-ASSOCIATE-AC
  return c;
}

async function echo(port: number): Promise<{ code: number; ms: number; out: string }> {
  const started = performance.now();
  const r = await run('echoscu', ['-aec', AE, '-to', '5', '-ta', '5', '127.0.0.1', String(port)], 15_000);
  return { code: r.code, ms: performance.now() - started, out: r.stdout + r.stderr };
}

d('DIMSE abuse: association slots, ARTIM, idle, orderly close', () => {
  let gw: DimseGateway;
  let port: number;
  const open: RawConnection[] = [];

  beforeAll(async () => {
    gw = await startGateway({ artimMs: ARTIM_MS, idleMs: IDLE_MS, maxAssociations: 6, maxAssociationsPerAddress: 3 });
    port = gw.dimse.port;
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.socket.destroy();
  });
  afterAll(async () => {
    await gw.stop();
  });

  test('idle connections from one address take at most its share; echoscu from another still succeeds', async () => {
    const probe = startProbe(`${gw.http.url}/healthz`);
    for (let i = 0; i < 3; i += 1) open.push(await associatedIdle(port, '127.0.0.2'));
    // The 4th from the same address: A-ASSOCIATE-RJ local-limit-exceeded, then the server closes.
    const fourth = await connectRaw(port, '127.0.0.2');
    open.push(fourth);
    fourth.socket.write(associateRq(AE));
    expect([...(await fourth.bytes(10))]).toEqual(REJECT_LOCAL_LIMIT);
    expect(await fourth.closed).toBeLessThan(ARTIM_MS + 1500);
    // Half-open connections (no A-ASSOCIATE-RQ) from the same address are refused too, and closed by ARTIM.
    const halfOpen = await connectRaw(port, '127.0.0.2');
    open.push(halfOpen);
    for (let i = 0; i < 5; i += 1) {
      const e = await echo(port);
      expect(e.code).toBe(0);
      expect(e.ms).toBeLessThan(3000);
    }
    const stored = await run('storescu', ['-aec', AE, '127.0.0.1', String(port), path.join(DICOM_DIR, 'CT_small.dcm')]);
    expect(stored.code).toBe(0);
    expect(await halfOpen.closed).toBeLessThan(ARTIM_MS + 1500);
    const health = await probe.stop();
    expect(health.failures).toBe(0);
    expect(health.p99).toBeLessThan(500);
  }, 20_000);

  test('all slots taken: echoscu gets A-ASSOCIATE-RJ "Local Limit Exceeded", and succeeds once they are freed', async () => {
    for (const from of ['127.0.0.3', '127.0.0.4'])
      for (let i = 0; i < 3; i += 1) open.push(await associatedIdle(port, from));
    const refused = await echo(port);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/Local Limit Exceeded/i);
    expect(refused.out).toMatch(/Transient/i);
    for (const c of open.splice(0)) c.socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect((await echo(port)).code).toBe(0);
  }, 20_000);

  test('a connection that never sends A-ASSOCIATE-RQ is closed after ARTIM and frees its slot', async () => {
    const silent: RawConnection[] = [];
    for (let i = 0; i < 3; i += 1) silent.push(await connectRaw(port, '127.0.0.5'));
    open.push(...silent);
    const times = await Promise.all(silent.map((c) => c.closed));
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(ARTIM_MS - 100);
      expect(t).toBeLessThan(ARTIM_MS + 1500);
    }
    expect(silent.every((c) => c.received().length === 0)).toBe(true); // Sta2: closed without a PDU
    open.push(await associatedIdle(port, '127.0.0.5')); // the address has its slots back
  }, 20_000);

  test('an association with no traffic is aborted (A-ABORT) and closed after the idle time', async () => {
    const c = await associatedIdle(port, '127.0.0.6');
    open.push(c);
    const acLength = c.received().length;
    const closedAt = await c.closed;
    expect(closedAt).toBeGreaterThanOrEqual(IDLE_MS - 100);
    expect(closedAt).toBeLessThan(IDLE_MS + 2000);
    expect([...c.received().subarray(acLength)]).toEqual([0x07, 0, 0, 0, 0, 4, 0, 0, 2, 0]);
  }, 20_000);

  test('after A-ASSOCIATE-RJ (unknown called AE) the server closes the connection', async () => {
    const c = await connectRaw(port, '127.0.0.7');
    open.push(c);
    c.socket.write(associateRq('NOT-FOVEA'));
    expect([...(await c.bytes(10))]).toEqual([0x03, 0, 0, 0, 0, 4, 0, 1, 1, 7]); // permanent, user, 7
    expect(await c.closed).toBeLessThan(ARTIM_MS + 1000);
  }, 20_000);

  test.each([
    ['random bytes', Buffer.from([4, 0, 0, 0, 0, 16, ...Array.from({ length: 16 }, (_, i) => (i * 37) & 255)])],
    ['an empty command PDV', Buffer.from([4, 0, 0, 0, 0, 6, 0, 0, 0, 2, 1, 3])],
    ['a command set outside group 0000', Buffer.from([4, 0, 0, 0, 0, 10, 0, 0, 0, 6, 1, 3, 0xff, 0xff, 0, 0])],
    ['a PDV running past its PDU', Buffer.from([4, 0, 0, 0, 0, 8, 0, 0, 0, 200, 1, 3, 0, 0])],
  ])(
    'garbage P-DATA (%s): A-ABORT invalid-PDU-parameter, then closed',
    async (_name, pdata) => {
      const c = await associatedIdle(port, '127.0.0.8');
      open.push(c);
      const acLength = c.received().length;
      c.socket.write(pdata);
      const closedAt = await c.closed;
      expect([...c.received().subarray(acLength)]).toEqual([0x07, 0, 0, 0, 0, 4, 0, 0, 2, 6]);
      expect(closedAt).toBeLessThan(IDLE_MS); // by the abort, not by the idle timer
      expect((await echo(port)).code).toBe(0);
    },
    20_000,
  );
});

const HAVE_OPENSSL = HAVE_DCMTK && hasCommand('openssl');
(HAVE_OPENSSL ? describe : describe.skip)('DIMSE abuse under DICOM TLS', () => {
  let gw: DimseGateway;
  let dir: string;
  let cert: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-abuse-tls-'));
    const [key, pem] = [path.join(dir, 'k.pem'), path.join(dir, 'c.pem')];
    // A self-signed server certificate (its own CA for echoscu +cf).
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key].concat([
        '-out',
        pem,
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ]),
      { stdio: 'ignore', timeout: 20_000 },
    );
    cert = pem;
    gw = await startGateway({
      tls: { certFile: pem, keyFile: key },
      artimMs: ARTIM_MS,
      idleMs: IDLE_MS,
      maxAssociations: 4,
      maxAssociationsPerAddress: 2,
    });
  });
  afterAll(async () => {
    await gw.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('TCP connections that never start the handshake hold slots only for ARTIM; over the cap they are closed', async () => {
    const port = gw.dimse.port;
    const silent = [await connectRaw(port, '127.0.0.9'), await connectRaw(port, '127.0.0.9')];
    const over = await connectRaw(port, '127.0.0.9');
    expect(await over.closed).toBeLessThan(500); // per-address cap: closed at accept (no PDU before TLS)
    const ok = await run('echoscu', ['+tla', '+cf', cert, '-aec', AE, '127.0.0.1', String(port)], 15_000);
    expect(ok.code).toBe(0);
    for (const t of await Promise.all(silent.map((c) => c.closed))) {
      expect(t).toBeGreaterThanOrEqual(ARTIM_MS - 100);
      expect(t).toBeLessThan(ARTIM_MS + 1500);
    }
  }, 20_000);
});
