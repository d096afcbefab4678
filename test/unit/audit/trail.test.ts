// AuditTrail against the real file system and real sockets: the log is created 0600 and appended
// to (an existing log keeps its lines and gets owner-only access), one JSON line per record, a
// full queue drops and counts instead of blocking, JPIP views are aggregated per channel and
// minute, and FOVEA_AUDIT_SYSLOG sends each record as an RFC 5424 message to a real UDP socket
// (one datagram each) and to a real TCP listener (octet counting, RFC 6587 §3.4.1).

import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditTrail, parseAuditLine, type AuditEvent, type AuditRecord } from '../../../src/audit';
import { createLogger } from '../../../src/log';

const STUDY = '1.2.826.0.1.3680043.8.498.1';
const logger = createLogger('silent');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-audit-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function event(over: Partial<AuditEvent> = {}): AuditEvent {
  return {
    time: Date.UTC(2026, 11, 2, 10, 0, 5),
    action: 'retrieve',
    principal: { id: 'key:ehr', kind: 'key', keyName: 'ehr' },
    address: '127.0.0.1',
    transport: 'http',
    operation: 'GET wado-rs',
    studies: [STUDY],
    outcome: { success: true, httpStatus: 200 },
    ...over,
  };
}

function lines(file: string): AuditRecord[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const r = parseAuditLine(l);
      if (r === undefined) throw new Error(`not a record: ${l}`);
      return r;
    });
}

describe('the audit log file', () => {
  test('created with mode 0600 in a new folder; one JSON line per record, in order', async () => {
    const logPath = path.join(dir, 'sub', 'audit.log');
    const trail = await AuditTrail.open({ logPath, logger });
    for (let i = 0; i < 50; i += 1) trail.record(event({ requestId: `r${i}` }));
    await trail.close();
    expect(fs.statSync(logPath).mode & 0o777).toBe(0o600);
    const recs = lines(logPath);
    expect(recs.map((r) => r.requestId)).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`));
    expect(recs[0]).toMatchObject({ v: 1, time: '2026-12-02T10:00:05.000Z', dicom: { eventId: { code: '110104' } } });
  });

  test('an existing log is appended to and made owner-only', async () => {
    const logPath = path.join(dir, 'audit.log');
    fs.writeFileSync(logPath, 'earlier line\n', { mode: 0o644 });
    const trail = await AuditTrail.open({ logPath, logger });
    trail.record(event());
    await trail.close();
    const text = fs.readFileSync(logPath, 'utf8');
    expect(text.startsWith('earlier line\n')).toBe(true);
    expect(text.split('\n').filter((l) => l.length > 0)).toHaveLength(2);
    expect(fs.statSync(logPath).mode & 0o777).toBe(0o600);
  });

  test('a full queue drops and counts records instead of growing without bound', async () => {
    const logPath = path.join(dir, 'audit.log');
    const trail = await AuditTrail.open({ logPath, logger, maxQueue: 10 });
    for (let i = 0; i < 100; i += 1) trail.record(event()); // synchronously: the drain loop has not run yet
    await trail.close();
    const written = lines(logPath).length;
    expect(written).toBeLessThanOrEqual(11);
    expect(written + trail.dropped).toBe(100);
  });

  test('JPIP views: one record per channel per minute, with requests, distinct frames and bytes', async () => {
    const logPath = path.join(dir, 'audit.log');
    let now = Date.UTC(2026, 11, 2, 10, 0, 1);
    const trail = await AuditTrail.open({ logPath, logger, now: () => now });
    const base = {
      principal: { id: 'link:L1', kind: 'link' as const, linkId: 'L1' },
      address: '10.0.0.7',
      transport: 'http' as const,
      operation: 'GET jpip',
      studies: [STUDY],
      outcome: { success: true, httpStatus: 200 },
    };
    trail.jpipView({ time: now, channel: 'C1', event: base, frames: [1], bytes: 100 });
    trail.jpipView({ time: now + 1000, channel: 'C1', event: base, frames: [1, 2], bytes: 50 });
    trail.jpipView({ time: now + 2000, channel: 'C2', event: base, frames: [3], bytes: 7 });
    now += 60_000; // next minute: C1's first minute closes on its next request
    trail.jpipView({ time: now, channel: 'C1', event: base, frames: [1], bytes: 1 });
    await trail.flush();
    expect(lines(logPath).map((r) => r.jpip)).toEqual([
      { channel: 'C1', from: '2026-12-02T10:00:01.000Z', requests: 2, frames: 2, bytes: 150 },
    ]);
    await trail.close(); // writes the rest
    const recs = lines(logPath);
    const key = (r: AuditRecord): string => `${r.jpip?.from ?? ''} ${r.jpip?.channel ?? ''}`;
    recs.sort((a, b) => key(a).localeCompare(key(b)));
    expect(recs.map((r) => [r.action, r.jpip?.channel, r.jpip?.requests, r.jpip?.bytes])).toEqual([
      ['jpip-view', 'C1', 2, 150],
      ['jpip-view', 'C2', 1, 7],
      ['jpip-view', 'C1', 1, 1],
    ]);
    expect(recs[0]!.dicom).toMatchObject({ eventId: { code: '110103' }, eventActionCode: 'R' });
  });
});

/** RFC 5424 §6: <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]. */
const RFC5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|\[.*?\]) \ufeff(.*)$/s;

describe('syslog (FOVEA_AUDIT_SYSLOG)', () => {
  test('udp://: each record is one RFC 5424 datagram with the JSON record as MSG', async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const port = socket.address().port;
    const received: Buffer[] = [];
    const two = new Promise<void>((resolve) =>
      socket.on('message', (msg) => {
        received.push(msg);
        if (received.length === 2) resolve();
      }),
    );
    const logPath = path.join(dir, 'audit.log');
    const trail = await AuditTrail.open({ logPath, logger, syslog: { protocol: 'udp', host: '127.0.0.1', port } });
    trail.record(event());
    trail.record(
      event({ action: 'login-failure', outcome: { success: false, httpStatus: 401, code: 'AUTH_REQUIRED' } }),
    );
    await two;
    await trail.close();
    socket.close();
    const parsed = received.map((b) => RFC5424.exec(b.toString('utf8')));
    for (const m of parsed) {
      expect(m).not.toBeNull();
      expect(m![1]).toBe('85'); // facility 10 (security/authorization) × 8 + severity 5 (notice)
      expect(m![2]).toBe('2026-12-02T10:00:05.000Z');
      expect(m![3]).toBe(os.hostname().replace(/[^\x21-\x7e]/g, '') || '-');
      expect(m![4]).toBe('fovea');
      expect(m![5]).toBe(String(process.pid));
      expect(m![6]).toBe('fovea-audit');
      expect(m![7]).toBe('-');
    }
    const msgs = parsed.map((m) => JSON.parse(m![8]!) as AuditRecord);
    expect(msgs.map((r) => r.action)).toEqual(['retrieve', 'login-failure']);
    expect(msgs[1]!.dicom.eventId.code).toBe('110114');
    // The same records are in the file.
    expect(lines(logPath)).toEqual(msgs);
  });

  test('tcp://: octet-counted RFC 5424 messages on one connection', async () => {
    let data = Buffer.alloc(0);
    const got = new Promise<void>((resolve) => {
      const server = net.createServer((c) => {
        c.on('data', (d: Buffer) => {
          data = Buffer.concat([data, d]);
          if ((data.toString('utf8').match(/fovea-audit/g) ?? []).length === 2) {
            c.end();
            server.close();
            resolve();
          }
        });
      });
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as net.AddressInfo).port;
        void AuditTrail.open({
          logPath: path.join(dir, 'audit.log'),
          logger,
          syslog: { protocol: 'tcp', host: '127.0.0.1', port },
        }).then(async (trail) => {
          trail.record(event());
          trail.record(event({ action: 'query' }));
          await got;
          await trail.close();
        });
      });
    });
    await got;
    const frames: string[] = [];
    let rest = data;
    while (rest.length > 0) {
      const sp = rest.indexOf(0x20);
      const len = Number(rest.subarray(0, sp).toString('ascii'));
      frames.push(rest.subarray(sp + 1, sp + 1 + len).toString('utf8'));
      rest = rest.subarray(sp + 1 + len);
    }
    expect(frames).toHaveLength(2);
    expect(frames.map((f) => (JSON.parse(RFC5424.exec(f)![8]!) as AuditRecord).action)).toEqual(['retrieve', 'query']);
  });
});
