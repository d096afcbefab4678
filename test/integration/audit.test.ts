// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// The audit trail end to end (docs/security.md "Audit trail"): a real gateway with auth on (API
// keys, an OIDC HS256 JWT, a study-scoped link), every kind of request → exactly the expected
// record in <data>/audit.log: QIDO lists the studies returned, a 401 is a login failure without
// the token, JPIP requests of one channel become one jpip-view record, `fovea audit --study`
// lists them, and no record carries the corpus file's PatientName or PatientID.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { SignJWT } from 'jose';
import type { AuditRecord } from '../../src/audit';
import { generateApiKey, hashApiKey } from '../../src/auth';
import { runAudit } from '../../src/cli/audit-command';
import { runImport } from '../../src/cli/import';
import { corpusPath } from '../corpus';
import { startTestServer, stowBody, type TestServer } from './harness';

const ISSUER = 'https://idp.example.test';
const AUDIENCE = 'fovea-gateway';
const HS_SECRET = 'audit-test-hs256-secret-of-at-least-32-bytes!';
// MR_small_jp2klossless.dcm: PatientName "CompressedSamples^MR1", PatientID "4MR1" (dcmdump).
const MR = {
  file: corpusPath('dicom', 'MR_small_jp2klossless.dcm'),
  study: '1.3.6.1.4.1.5962.1.2.4.20040826185059.5457',
  series: '1.3.6.1.4.1.5962.1.3.4.1.20040826185059.5457',
  sop: '1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457',
};
// JPEG2000.dcm: PatientName "CompressedSamples^NM1", PatientID "8NM1".
const NM = { file: corpusPath('dicom', 'JPEG2000.dcm'), study: '1.3.6.1.4.1.5962.1.2.8.20040826185059.5457' };
const PHI = ['CompressedSamples', 'MR1', '4MR1', '8NM1'];

let server: TestServer;
let logPath: string;
const keys: Record<'writer' | 'reader', string> = { writer: generateApiKey(), reader: generateApiKey() };
let seen = 0;

function addKey(name: string, key: string, permissions: string[]): void {
  server.running.gateway.store.credentials.addApiKey({
    name,
    keyHash: hashApiKey(key),
    permissions,
    createdAt: Date.now(),
    lastUsedAt: null,
    revokedAt: null,
  });
}

async function jwt(sub: string, jti: string, scope = 'fovea:read'): Promise<string> {
  return new SignJWT({ scope, client_id: 'viewer-app' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(sub)
    .setJti(jti)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(Buffer.from(HS_SECRET, 'utf8'));
}

function allRecords(): AuditRecord[] {
  return fs
    .readFileSync(logPath, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as AuditRecord);
}

/** The records written since the last call (after the trail's queue is drained). */
async function newRecords(): Promise<AuditRecord[]> {
  await server.running.gateway.audit.flush();
  const all = allRecords();
  const fresh = all.slice(seen);
  seen = all.length;
  return fresh;
}

async function get(p: string, token?: string, accept?: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  if (accept !== undefined) headers['accept'] = accept;
  const res = await fetch(`${server.url}${p}`, { headers });
  await res.arrayBuffer();
  return res;
}

beforeAll(async () => {
  server = await startTestServer({
    FOVEA_OIDC_ISSUER: ISSUER,
    FOVEA_OIDC_AUDIENCE: AUDIENCE,
    FOVEA_OIDC_HS256_SECRET: HS_SECRET,
  });
  logPath = path.join(server.dataDir, 'audit.log');
  addKey('pacs-bridge', keys.writer, ['read', 'write']);
  addKey('reporting', keys.reader, ['read']);
}, 60_000);

afterAll(async () => {
  await server.stop();
});

describe('audit trail over HTTP with auth on', () => {
  test('the log is created owner-only (0600)', () => {
    expect(fs.statSync(logPath).mode & 0o777).toBe(0o600);
  });

  test('STOW-RS: one store record naming the key and what was stored (110104, action C)', async () => {
    const { body, contentType } = stowBody([fs.readFileSync(MR.file), fs.readFileSync(NM.file)]);
    const res = await fetch(`${server.url}/dicomweb/studies`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${keys.writer}`,
        'content-type': contentType,
        accept: 'application/dicom+json',
      },
      body,
    });
    expect(res.status).toBe(200);
    const recs = await newRecords();
    expect(recs).toHaveLength(1);
    const r = recs[0]!;
    expect(r).toMatchObject({
      v: 1,
      action: 'store',
      transport: 'http',
      operation: 'POST stow',
      principal: { id: 'key:pacs-bridge', kind: 'key', keyName: 'pacs-bridge' },
      outcome: { success: true, httpStatus: 200 },
      dicom: {
        eventId: { code: '110104', codingScheme: 'DCM', meaning: 'DICOM Instances Transferred' },
        eventActionCode: 'C',
        eventOutcomeIndicator: 0,
      },
    });
    expect(r.address).toMatch(/127\.0\.0\.1$/);
    expect(r.studies.sort()).toEqual([MR.study, NM.study].sort());
    expect(r.instances).toContain(MR.sop);
    expect(r.jti).toBeUndefined();
  });

  test('QIDO-RS: the query record lists the studies returned (110112, action E)', async () => {
    expect((await get('/dicomweb/studies', keys.reader)).status).toBe(200);
    let [r] = await newRecords();
    expect(r).toMatchObject({ action: 'query', operation: 'GET qido', principal: { id: 'key:reporting' } });
    expect(r!.studies.sort()).toEqual([MR.study, NM.study].sort());
    expect(r!.dicom).toMatchObject({ eventId: { code: '110112' }, eventActionCode: 'E', eventOutcomeIndicator: 0 });
    // A narrowing query lists only what it returned.
    expect((await get(`/dicomweb/studies?StudyInstanceUID=${NM.study}`, keys.reader)).status).toBe(200);
    [r] = await newRecords();
    expect(r!.studies).toEqual([NM.study]);
  });

  test('WADO-RS with an OIDC JWT: retrieve record with sub, client_id and the jti', async () => {
    const token = await jwt('alice', 'jti-wado-1');
    const res = await get(`/dicomweb/studies/${MR.study}/series/${MR.series}/instances/${MR.sop}`, token);
    expect(res.status).toBe(200);
    const recs = await newRecords();
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({
      action: 'retrieve',
      operation: 'GET wado-rs',
      principal: { id: `oidc:${ISSUER}#alice`, kind: 'oidc', sub: 'alice', clientId: 'viewer-app' },
      studies: [MR.study],
      series: [MR.series],
      instances: [MR.sop],
      jti: 'jti-wado-1',
      outcome: { success: true, httpStatus: 200 },
      dicom: { eventId: { code: '110104' }, eventActionCode: 'R' },
    });
    expect(JSON.stringify(recs[0])).not.toContain(token);
  });

  test('rendered, thumbnail and WADO-URI (object and default rendered JPEG): one record each', async () => {
    const inst = `/dicomweb/studies/${MR.study}/series/${MR.series}/instances/${MR.sop}`;
    expect((await get(`${inst}/rendered`, keys.reader, 'image/png')).status).toBe(200);
    expect((await get(`${inst}/thumbnail`, keys.reader, 'image/jpeg')).status).toBe(200);
    const wado = `/wado?requestType=WADO&studyUID=${MR.study}&seriesUID=${MR.series}&objectUID=${MR.sop}`;
    expect((await get(`${wado}&contentType=application%2Fdicom`, keys.reader)).status).toBe(200);
    expect((await get(wado, keys.reader)).status).toBe(200); // default: image/jpeg (PS3.18 §8.2.5)
    const recs = await newRecords();
    expect(recs.map((r) => [r.action, r.operation, r.instances])).toEqual([
      ['render', 'GET rendered', [MR.sop]],
      ['render', 'GET thumbnail', [MR.sop]],
      ['retrieve', 'GET wado-uri', [MR.sop]],
      ['render', 'GET wado-uri', [MR.sop]],
    ]);
    expect(recs[0]!.dicom).toMatchObject({ eventId: { code: '110103' }, eventActionCode: 'R' });
  });

  test('a 401 is a login-failure record (110114) without the token', async () => {
    const bogus = generateApiKey();
    expect((await get('/dicomweb/studies', bogus)).status).toBe(401);
    expect((await get(`/dicomweb/studies/${MR.study}/metadata`)).status).toBe(401);
    const recs = await newRecords();
    expect(recs).toHaveLength(2);
    expect(recs[0]).toMatchObject({
      action: 'login-failure',
      principal: { id: 'unauthenticated', kind: 'unauthenticated' },
      outcome: { success: false, httpStatus: 401, code: 'AUTH_KEY_UNKNOWN' },
      dicom: {
        eventId: { code: '110114', meaning: 'User Authentication' },
        eventActionCode: 'E',
        eventOutcomeIndicator: 4,
        eventTypeCode: { code: '110122', meaning: 'Login' },
      },
    });
    expect(recs[1]).toMatchObject({ action: 'login-failure', studies: [MR.study], outcome: { code: 'AUTH_REQUIRED' } });
    expect(fs.readFileSync(logPath, 'utf8')).not.toContain(bogus);
    expect(fs.readFileSync(logPath, 'utf8')).not.toContain(bogus.slice('fovea_k_'.length));
  });

  test('a 403 is recorded as a failed access by the known principal', async () => {
    const { body, contentType } = stowBody([fs.readFileSync(MR.file)]);
    const res = await fetch(`${server.url}/dicomweb/studies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.reader}`, 'content-type': contentType },
      body,
    });
    expect(res.status).toBe(403);
    const recs = await newRecords();
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({
      action: 'store',
      principal: { id: 'key:reporting' },
      outcome: { success: false, httpStatus: 403, code: 'AUTH_FORBIDDEN' },
      dicom: { eventOutcomeIndicator: 4 },
    });
  });

  test('POST /api/links: link-issued record with the link id (never the token); the link is then audited as itself', async () => {
    const res = await fetch(`${server.url}/api/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.writer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ study: MR.study, ttl: '10m' }),
    });
    expect(res.status).toBe(201);
    const link = (await res.json()) as { token: string; id: string };
    let recs = await newRecords();
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({
      action: 'link-issued',
      principal: { id: 'key:pacs-bridge' },
      studies: [MR.study],
      link: { id: link.id },
      dicom: { eventId: { code: '110113' }, eventTypeCode: { code: '110135' } },
    });
    // The link used as ?token= (removed from the URL before anything sees it).
    expect((await get(`/dicomweb/studies/${MR.study}/metadata?token=${encodeURIComponent(link.token)}`)).status).toBe(
      200,
    );
    recs = await newRecords();
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({
      action: 'retrieve',
      principal: { id: `link:${link.id}`, kind: 'link', linkId: link.id },
      jti: link.id,
      studies: [MR.study],
    });
    expect(fs.readFileSync(logPath, 'utf8')).not.toContain(link.token);
  });

  test('JPIP: the requests of one channel are one jpip-view record with requests, frames and bytes', async () => {
    const token = await jwt('bob', 'jti-jpip-1');
    const auth = { authorization: `Bearer ${token}` };
    const first = await fetch(`${server.url}/jpip?target=${MR.sop}&fsiz=64,64&cnew=http&type=jpp-stream`, {
      headers: auth,
    });
    const firstBody = Buffer.from(await first.arrayBuffer());
    expect(first.status).toBe(200);
    const cid = /cid=([^,]+)/.exec(first.headers.get('jpip-cnew') ?? '')?.[1];
    expect(cid).toBeDefined();
    let bytes = firstBody.length;
    for (const fsiz of ['128,128', '256,256']) {
      const r = await fetch(`${server.url}/jpip`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: `cid=${cid!}&fsiz=${fsiz}&type=jpp-stream`,
      });
      bytes += Buffer.from(await r.arrayBuffer()).length;
      expect(r.status).toBe(200);
    }
    expect(await newRecords()).toHaveLength(0); // aggregated until the minute is over
    await server.running.gateway.audit.flushAll();
    const recs = await newRecords();
    // Usually one record; two when the three requests straddled a minute boundary.
    expect(recs.length).toBeGreaterThanOrEqual(1);
    expect(recs.length).toBeLessThanOrEqual(2);
    for (const r of recs)
      expect(r).toMatchObject({
        action: 'jpip-view',
        principal: { id: `oidc:${ISSUER}#bob` },
        jti: 'jti-jpip-1',
        studies: [MR.study],
        series: [MR.series],
        instances: [MR.sop],
        jpip: { channel: cid, frames: 1 },
        dicom: { eventId: { code: '110103' }, eventActionCode: 'R' },
      });
    expect(recs.reduce((n, r) => n + r.jpip!.requests, 0)).toBe(3);
    expect(recs.reduce((n, r) => n + r.jpip!.bytes, 0)).toBe(bytes);
  });

  test('a failed JPIP request is its own record', async () => {
    expect((await get('/jpip?target=1.2.3.4&fsiz=64,64', keys.reader)).status).toBe(404);
    const recs = await newRecords();
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ action: 'jpip-view', outcome: { success: false, httpStatus: 404 } });
  });

  test('health checks and unknown routes are not audited', async () => {
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/dicomweb/nothing-here', keys.reader)).status).toBe(404);
    expect(await newRecords()).toHaveLength(0);
  });

  test('fovea audit --study lists who accessed the study; --principal and --json filter', async () => {
    await server.running.gateway.audit.flushAll();
    const run = async (args: string[]): Promise<string> => {
      let out = '';
      const sink = new Writable({
        write(chunk: Buffer, _e, cb) {
          out += chunk.toString();
          cb();
        },
      });
      expect(await runAudit(['--log', logPath, ...args], sink)).toBe(0);
      return out;
    };
    const rows = (await run(['--study', MR.study])).trim().split('\n');
    const expected = allRecords().filter((r) => r.studies.includes(MR.study));
    expect(rows).toHaveLength(expected.length);
    const actions = rows.map((r) => r.split('\t')[1]);
    for (const a of ['store', 'query', 'retrieve', 'render', 'login-failure', 'link-issued', 'jpip-view'])
      expect(actions).toContain(a);
    const principals = new Set(rows.map((r) => r.split('\t')[2]));
    expect(principals).toEqual(
      new Set([
        'key:pacs-bridge',
        'key:reporting',
        `oidc:${ISSUER}#alice`,
        `oidc:${ISSUER}#bob`,
        'unauthenticated',
        expect.stringMatching(/^link:/) as unknown as string,
      ]),
    );
    const alice = (await run(['--study', MR.study, '--principal', 'alice', '--json'])).trim().split('\n');
    expect(alice).toHaveLength(1);
    expect((JSON.parse(alice[0]!) as AuditRecord).jti).toBe('jti-wado-1');
    expect((await run(['--study', NM.study, '--principal', 'key:reporting'])).trim().split('\n')).toHaveLength(2);
    expect(await run(['--since', '2999-01-01T00:00:00Z'])).toBe('');
  });

  test('no record carries a PatientName or PatientID value', () => {
    const text = fs.readFileSync(logPath, 'utf8');
    expect(text.length).toBeGreaterThan(0);
    for (const phi of PHI) expect(text).not.toContain(phi);
  });
});

describe('fovea import', () => {
  test('one import record per DICOM file (110107, action C) by cli:<user>; non-DICOM files none', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-audit-import-'));
    const junk = path.join(data, 'notes.txt');
    fs.writeFileSync(junk, 'not DICOM');
    try {
      const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        expect(await runImport(['--data', path.join(data, 'store'), '--quiet', MR.file, junk])).toBe(0);
      } finally {
        write.mockRestore();
      }
      const recs = fs
        .readFileSync(path.join(data, 'store', 'audit.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as AuditRecord);
      expect(recs).toHaveLength(1);
      expect(recs[0]).toMatchObject({
        action: 'import',
        transport: 'cli',
        principal: { id: `cli:${os.userInfo().username}`, kind: 'cli' },
        studies: [MR.study],
        instances: [MR.sop],
        outcome: { success: true },
        dicom: { eventId: { code: '110107', meaning: 'Import' }, eventActionCode: 'C', eventOutcomeIndicator: 0 },
      });
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  });
});
