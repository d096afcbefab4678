// HTTP mapping of the DICOMweb/WADO-URI routes (status codes, headers, multipart framing) against
// tiny in-test implementations of the Ingestor/InstanceStore/RetrieveService contracts. The real
// services are exercised by the lead's integration tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { createApp } from '../../../src/http';
import { FailureReason, type Ingestor, type IngestOutcome } from '../../../src/ingest/types';
import type { RetrieveService } from '../../../src/retrieve/types';
import type { InstanceRecord, InstanceStore, QidoQuery } from '../../../src/store/types';
import type { DicomJsonObject as DicomJson } from '../../../src/dicom';
import { NotAcceptableError } from '../../../src/errors';
import { MalformedError } from '../../../src/bytes/errors';
import { parseMultipart } from '../../integration/harness';

const EVRLE = '1.2.840.10008.1.2.1';
const J2KL = '1.2.840.10008.1.2.4.90';
const ST = '1.2.3';
const SE = '1.2.3.4';
const SOP1 = '1.2.3.4.5';
const SOP2 = '1.2.3.4.6';
const PUBLIC = 'https://gw.example';

function record(sop: string, frames: number): InstanceRecord {
  return {
    studyInstanceUid: ST,
    seriesInstanceUid: SE,
    sopInstanceUid: sop,
    sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
    receivedTransferSyntaxUid: J2KL,
    storedTransferSyntaxUid: J2KL,
    contentSha256: 'x',
    versionKey: 'v',
    sizeBytes: 10,
    numberOfFrames: frames,
    pixelDataProviderUrl: null,
    instanceNumber: 1,
    asReceivedReason: null,
  };
}
const records = [record(SOP1, 3), record(SOP2, 0)];
let lastQuery: QidoQuery | undefined;

const store: InstanceStore = {
  commitInstance: () => {
    throw new Error('unused');
  },
  getInstance: (sop) => records.find((r) => r.sopInstanceUid === sop),
  listInstances: (scope) =>
    records.filter(
      (r) =>
        r.studyInstanceUid === scope.studyInstanceUid &&
        (scope.seriesInstanceUid === undefined || r.seriesInstanceUid === scope.seriesInstanceUid),
    ),
  getFrame: () => undefined,
  listFrames: () => [],
  metadata: (scope) =>
    records
      .filter(
        (r) =>
          r.studyInstanceUid === scope.studyInstanceUid &&
          (scope.sopInstanceUid === undefined || r.sopInstanceUid === scope.sopInstanceUid),
      )
      .map((r): DicomJson => ({
        '00080018': { vr: 'UI', Value: [r.sopInstanceUid] },
        '0020000D': { vr: 'UI', Value: [ST] },
        '0020000E': { vr: 'UI', Value: [SE] },
        '00540016': {
          vr: 'SQ',
          Value: [
            {
              '00181072': {
                vr: 'OB',
                BulkDataURI: `studies/${ST}/series/${SE}/instances/${r.sopInstanceUid}/bulkdata/00540016/0/00181072`,
              },
            },
          ],
        },
        '7FE00010': {
          vr: 'OB',
          BulkDataURI: `studies/${ST}/series/${SE}/instances/${r.sopInstanceUid}/bulkdata/7FE00010`,
        },
      })),
  query: (q) => {
    lastQuery = q;
    if (q.matches.some((m) => m.tag === '00100020' && m.value === 'none')) return { items: [], total: 0 };
    return {
      items: [{ '0020000D': { vr: 'UI', Value: [ST] }, '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DOE^J' }] } }],
      total: 5,
    };
  },
  // As the SQLite store does: the stored JSON texts joined into one array.
  metadataJson: (scope) => JSON.stringify(store.metadata(scope)),
  hasVersion: () => false,
  reserveVersion: () => {
    throw new Error('unused: routes never write');
  },
  releaseVersion: () => {
    throw new Error('unused: routes never write');
  },
  pendingVersions: () => [],
  framesWithoutIndex: () => [],
  setPacketIndex: () => undefined,
  close: () => undefined,
};

const frameBytes = (n: number): Uint8Array => Uint8Array.from({ length: 100 }, (_, i) => (i + n) & 0xff);
const retrieve: RetrieveService = {
  transferSyntaxesFor: (sop) => (sop === SOP1 ? [J2KL, EVRLE] : [EVRLE]),
  instance: async (sop, ts) => {
    if (!(sop === SOP1 ? [J2KL, EVRLE] : [EVRLE]).includes(ts)) throw new NotAcceptableError('X', 'no');
    const body = Buffer.from(`DICM:${sop}:${ts}`);
    return {
      transferSyntaxUid: ts,
      length: body.length,
      chunks: (async function* () {
        yield body;
      })(),
    };
  },
  frame: async (_sop, n, ts) => ({
    transferSyntaxUid: ts,
    mediaType: ts === J2KL ? 'image/jp2' : 'application/octet-stream',
    bytes: frameBytes(n),
  }),
  bulkdata: async (_sop, tagPath) => {
    if (tagPath[0] === '00111111') throw new MalformedError('BULK_BAD', 'bad');
    return { mediaType: 'application/octet-stream', bytes: Buffer.from(tagPath.join('/')) };
  },
};

const ingestCalls: { content: string; expected: string | undefined }[] = [];
function fakeIngest(content: string, options: { expectedStudyInstanceUid?: string } | undefined): IngestOutcome {
  ingestCalls.push({ content, expected: options?.expectedStudyInstanceUid });
  const m = /^OK:(\S+)( warn)?$/.exec(content);
  if (m !== null && m[1] !== undefined) {
    return {
      status: 'stored',
      studyInstanceUid: ST,
      seriesInstanceUid: SE,
      sopInstanceUid: m[1],
      sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
      warnings: m[2] === undefined ? [] : ['w'],
      asReceivedReason: null,
    };
  }
  return {
    status: 'failed',
    sopInstanceUid: null,
    sopClassUid: null,
    failureReason: FailureReason.CannotUnderstand,
    error: new MalformedError('BAD', 'bad'),
    warnings: [],
  };
}
// STOW keeps small parts in memory (ingestBytes) and spools large ones to temp files (ingestFile).
let fileIngests = 0;
const ingestor: Ingestor = {
  ingestFile: async (file, options) => {
    fileIngests++;
    return fakeIngest(fs.readFileSync(file, 'latin1'), options);
  },
  ingestBytes: async (bytes, options) => fakeIngest(Buffer.from(bytes).toString('latin1'), options),
};

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-http-'));
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));
const app = createApp({
  ingestor,
  store,
  retrieve,
  publicUrl: PUBLIC,
  tmpDir,
  corsOrigins: ['*', 'https://ok.example'],
  limits: { maxBodyBytes: 100_000, maxPartBytes: 10_000, maxParts: 3 },
});

function stow(parts: string[], boundary = 'bnd-1', type = 'application/dicom'): { body: Buffer; ct: string } {
  const body = Buffer.from(
    parts.map((p) => `--${boundary}\r\nContent-Type: application/dicom\r\n\r\n${p}\r\n`).join('') +
      `--${boundary}--\r\n`,
  );
  return { body, ct: `multipart/related; type="${type}"; boundary=${boundary}` };
}
const buf = (r: request.Test) =>
  r.buffer(true).parse((res, cb) => {
    const c: Buffer[] = [];
    res.on('data', (d: Buffer) => c.push(d));
    res.on('end', () => cb(null, Buffer.concat(c)));
  });

describe('app basics', () => {
  it('healthz, unknown routes, request ids', async () => {
    const h = await request(app).get('/healthz').set('X-Request-Id', 'abc-1');
    expect(h.status).toBe(200);
    expect(h.body).toEqual({ status: 'ok' });
    expect(h.headers['x-request-id']).toBe('abc-1');
    const nf = await request(app).get('/nope');
    expect(nf.status).toBe(404);
    expect(nf.headers['content-type']).toMatch(/^application\/json/);
    expect(nf.body.code).toBe('HTTP_NO_ROUTE');
    expect(nf.body.stack).toBeUndefined();
  });
  it('CORS: any origin for GET, listed origins for POST, preflight', async () => {
    const g = await request(app).get('/healthz').set('Origin', 'https://x.example');
    expect(g.headers['access-control-allow-origin']).toBe('*');
    expect(g.headers['access-control-expose-headers']).toContain('JPIP-cnew');
    const pre = await request(app)
      .options('/dicomweb/studies')
      .set('Origin', 'https://x.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-methods']).toBe('GET, HEAD');
    const pre2 = await request(app)
      .options('/dicomweb/studies')
      .set('Origin', 'https://ok.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(pre2.headers['access-control-allow-origin']).toBe('https://ok.example');
    expect(pre2.headers['access-control-allow-methods']).toContain('POST');
  });
});

describe('STOW-RS', () => {
  it('200 when all stored, with RetrieveURLs and ReferencedSOPSequence; temp files removed', async () => {
    ingestCalls.length = 0;
    const { body, ct } = stow([`OK:${SOP1}`, `OK:${SOP2}`]);
    const r = await request(app).post(`/dicomweb/studies/${ST}`).set('Content-Type', ct).send(body);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/dicom\+json/);
    const json = JSON.parse(r.text) as DicomJson;
    expect(json['00081190']?.Value).toEqual([`${PUBLIC}/dicomweb/studies/${ST}`]);
    const refs = json['00081199']?.Value as DicomJson[];
    expect(refs).toHaveLength(2);
    expect(refs[0]?.['00081190']?.Value).toEqual([`${PUBLIC}/dicomweb/studies/${ST}/series/${SE}/instances/${SOP1}`]);
    expect(json['00081198']).toBeUndefined();
    expect(ingestCalls).toEqual([
      { content: `OK:${SOP1}`, expected: ST },
      { content: `OK:${SOP2}`, expected: ST },
    ]);
    expect(fs.readdirSync(tmpDir)).toEqual([]);
  });
  it('parts larger than memoryPartBytes go through temp files, which are removed', async () => {
    const spooling = createApp({
      ingestor,
      store,
      retrieve,
      publicUrl: PUBLIC,
      tmpDir,
      limits: { maxBodyBytes: 100_000, maxPartBytes: 10_000, maxParts: 3, memoryPartBytes: 4 },
    });
    ingestCalls.length = 0;
    fileIngests = 0;
    const { body, ct } = stow([`OK:${SOP1}`, `OK:${SOP2}`]);
    const r = await request(spooling).post(`/dicomweb/studies/${ST}`).set('Content-Type', ct).send(body);
    expect(r.status).toBe(200);
    expect(fileIngests).toBe(2);
    expect(ingestCalls).toEqual([
      { content: `OK:${SOP1}`, expected: ST },
      { content: `OK:${SOP2}`, expected: ST },
    ]);
    expect(fs.readdirSync(tmpDir)).toEqual([]);
  });
  it('202 when some failed, 200 despite ingest notes; 409 when all failed (FailureReason per instance)', async () => {
    const mixed = stow([`OK:${SOP1}`, 'garbage']);
    const r = await request(app).post('/dicomweb/studies').set('Content-Type', mixed.ct).send(mixed.body);
    expect(r.status).toBe(202);
    const failed = (JSON.parse(r.text) as DicomJson)['00081198']?.Value as DicomJson[];
    expect(failed[0]?.['00081197']?.Value).toEqual([0xc000]);
    const warned = stow([`OK:${SOP1} warn`]);
    const w = await request(app).post('/dicomweb/studies').set('Content-Type', warned.ct).send(warned.body);
    // Ingest notes are not PS3.18 warnings (no coercion happened): still 200, no Warning header.
    expect(w.status).toBe(200);
    expect(w.headers['warning']).toBeUndefined();
    const bad = stow(['x', 'y']);
    const b = await request(app).post('/dicomweb/studies').set('Content-Type', bad.ct).send(bad.body);
    expect(b.status).toBe(409);
    expect((JSON.parse(b.text) as DicomJson)['00081199']).toBeUndefined();
  });
  it('415 for wrong media types, 400 for bad boundary/UID/empty body or truncation, 413 for limits', async () => {
    const ok = stow([`OK:${SOP1}`]);
    expect(
      (await request(app).post('/dicomweb/studies').set('Content-Type', 'application/dicom').send(ok.body)).status,
    ).toBe(415);
    expect(
      (
        await request(app)
          .post('/dicomweb/studies')
          .set('Content-Type', 'multipart/related; type="application/dicom+json"; boundary=bnd-1')
          .send(ok.body)
      ).status,
    ).toBe(415);
    expect(
      (
        await request(app)
          .post('/dicomweb/studies')
          .set('Content-Type', 'multipart/related; type="application/dicom"')
          .send(ok.body)
      ).body.code,
    ).toBe('STOW_NO_BOUNDARY');
    expect(
      (await request(app).post('/dicomweb/studies/not-a-uid').set('Content-Type', ok.ct).send(ok.body)).status,
    ).toBe(400);
    const empty = await request(app)
      .post('/dicomweb/studies')
      .set('Content-Type', ok.ct)
      .send(Buffer.from('--bnd-1--\r\n'));
    expect(empty.body.code).toBe('STOW_NO_PARTS');
    const truncated = await request(app)
      .post('/dicomweb/studies')
      .set('Content-Type', ok.ct)
      .send(ok.body.subarray(0, ok.body.length - 12));
    expect(truncated.status).toBe(400);
    expect(truncated.body.code).toBe('MULTIPART_TRUNCATED');
    const many = stow(['a', 'b', 'c', 'd']);
    const m = await request(app).post('/dicomweb/studies').set('Content-Type', many.ct).send(many.body);
    expect(m.status).toBe(413);
    expect(m.body.code).toBe('MULTIPART_TOO_MANY_PARTS');
    expect(fs.readdirSync(tmpDir)).toEqual([]);
  });
});

describe('QIDO-RS', () => {
  it('adds RetrieveURL, passes the parsed query, warns about more results', async () => {
    const r = await request(app).get(`/dicomweb/studies?PatientName=DOE*&limit=1&includefield=StudyDescription`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/dicom\+json/);
    const items = JSON.parse(r.text) as DicomJson[];
    expect(items[0]?.['00081190']?.Value).toEqual([`${PUBLIC}/dicomweb/studies/${ST}`]);
    expect(Object.keys(items[0] ?? {})).toEqual(['00081190', '0020000D', '00100010'].sort());
    expect(lastQuery).toMatchObject({
      level: 'study',
      limit: 1,
      matches: [{ tag: '00100010', value: 'DOE*' }],
      includeFields: ['00081030'],
    });
    expect(r.headers['warning']).toMatch(/Additional results/);
  });
  it('200 [] when nothing matches; scoped levels; 400 for bad parameters; 406 for XML', async () => {
    const e = await request(app).get('/dicomweb/studies?PatientID=none');
    expect(e.status).toBe(200);
    expect(JSON.parse(e.text)).toEqual([]);
    await request(app).get(`/dicomweb/studies/${ST}/series/${SE}/instances`);
    expect(lastQuery).toMatchObject({ level: 'instance', studyInstanceUid: ST, seriesInstanceUid: SE });
    expect((await request(app).get('/dicomweb/studies?limit=ten')).body.code).toBe('QIDO_BAD_NUMBER');
    expect((await request(app).get('/dicomweb/studies?foo=1')).status).toBe(400);
    expect(
      (await request(app).get('/dicomweb/series').set('Accept', 'application/json')).headers['content-type'],
    ).toMatch(/^application\/json/);
    expect((await request(app).get('/dicomweb/series').set('Accept', 'application/dicom+xml')).status).toBe(406);
  });
});

describe('WADO-RS', () => {
  it('streams instances as multipart/related with the negotiated syntax per part', async () => {
    const r = await buf(
      request(app)
        .get(`/dicomweb/studies/${ST}`)
        .set('Accept', 'multipart/related; type="application/dicom"; transfer-syntax=*'),
    );
    expect(r.status).toBe(200);
    const ct = String(r.headers['content-type']);
    expect(ct).toMatch(/^multipart\/related; type="application\/dicom"; boundary=fovea-[0-9a-f]{32}$/);
    const parts = parseMultipart(r.body as Buffer, ct);
    expect(parts.map((p) => p.body.toString())).toEqual([`DICM:${SOP1}:${J2KL}`, `DICM:${SOP2}:${EVRLE}`]);
    expect(parts[0]?.headers['content-type']).toBe(`application/dicom; transfer-syntax=${J2KL}`);
    expect(parts[0]?.headers['content-location']).toBe(
      `${PUBLIC}/dicomweb/studies/${ST}/series/${SE}/instances/${SOP1}`,
    );
  });
  it('default syntax, 406 when an instance cannot be produced, 404 for unknown or mismatched paths', async () => {
    const d = await buf(request(app).get(`/dicomweb/studies/${ST}/series/${SE}/instances/${SOP1}`));
    expect(String(d.headers['content-type'])).toContain(`transfer-syntax=${EVRLE}`);
    const n = await request(app)
      .get(`/dicomweb/studies/${ST}`)
      .set('Accept', `multipart/related; type="application/dicom"; transfer-syntax=${J2KL}`);
    expect(n.status).toBe(406);
    expect((await request(app).get('/dicomweb/studies/9.9')).status).toBe(404);
    expect((await request(app).get(`/dicomweb/studies/9.9/series/${SE}/instances/${SOP1}`)).status).toBe(404);
  });
  it('metadata with absolute BulkDataURIs (sequences included)', async () => {
    const r = await request(app).get(`/dicomweb/studies/${ST}/series/${SE}/instances/${SOP1}/metadata`);
    expect(r.status).toBe(200);
    const [m] = JSON.parse(r.text) as DicomJson[];
    const inst = `${PUBLIC}/dicomweb/studies/${ST}/series/${SE}/instances/${SOP1}`;
    expect(m?.['7FE00010']?.BulkDataURI).toBe(`${inst}/bulkdata/7FE00010`);
    expect((m?.['00540016']?.Value as DicomJson[])[0]?.['00181072']?.BulkDataURI).toBe(
      `${inst}/bulkdata/00540016/0/00181072`,
    );
    expect(JSON.parse((await request(app).get(`/dicomweb/studies/${ST}/metadata`)).text)).toHaveLength(2);
  });
  it('frames: multipart, single part with Range (206/416), 400 bad list, 404 beyond NumberOfFrames', async () => {
    const base = `/dicomweb/studies/${ST}/series/${SE}/instances/${SOP1}/frames`;
    const m = await buf(request(app).get(`${base}/1,3`).set('Accept', 'multipart/related; type="image/jp2"'));
    expect(m.status).toBe(200);
    const mct = String(m.headers['content-type']);
    expect(mct).toContain('type="image/jp2"');
    const parts = parseMultipart(m.body as Buffer, mct);
    expect(parts.map((p) => Buffer.compare(p.body, Buffer.from(frameBytes(parts.indexOf(p) === 0 ? 1 : 3))))).toEqual([
      0, 0,
    ]);
    const s = await buf(request(app).get(`${base}/2`).set('Accept', 'image/jp2').set('Range', 'bytes=10-19'));
    expect(s.status).toBe(206);
    expect(s.headers['content-range']).toBe('bytes 10-19/100');
    expect(Buffer.compare(s.body as Buffer, Buffer.from(frameBytes(2).subarray(10, 20)))).toBe(0);
    const u = await request(app).get(`${base}/2`).set('Accept', 'image/jp2').set('Range', 'bytes=100-');
    expect(u.status).toBe(416);
    expect(u.headers['content-range']).toBe('bytes */100');
    expect((await request(app).get(`${base}/1,,2`)).body.code).toBe('WADO_BAD_FRAME_LIST');
    expect((await request(app).get(`${base}/0`)).status).toBe(400);
    expect((await request(app).get(`${base}/4`)).body.code).toBe('WADO_FRAME_NOT_FOUND');
  });
  it('bulkdata: tag paths, single part or multipart, typed errors mapped', async () => {
    const base = `/dicomweb/studies/${ST}/series/${SE}/instances/${SOP1}/bulkdata`;
    const one = await buf(request(app).get(`${base}/00540016/0/00181072`).set('Accept', 'application/octet-stream'));
    expect(one.status).toBe(200);
    expect((one.body as Buffer).toString()).toBe('00540016/0/00181072');
    const multi = await buf(request(app).get(`${base}/7fe00010`));
    expect(String(multi.headers['content-type'])).toMatch(/^multipart\/related; type="application\/octet-stream"/);
    expect((await request(app).get(`${base}/7FE00010/x`)).body.code).toBe('WADO_BAD_BULKDATA_PATH');
    expect((await request(app).get(`${base}/00111111`)).body.code).toBe('BULK_BAD');
  });
});

describe('WADO-URI', () => {
  const q = (extra: string) => `/wado?requestType=WADO&studyUID=${ST}&seriesUID=${SE}&objectUID=${SOP1}${extra}`;
  it('application/dicom in the requested syntax, falling back to Explicit VR LE (PS3.18 §8.2.11)', async () => {
    const j = await buf(request(app).get(q(`&contentType=application/dicom&transferSyntax=${J2KL}`)));
    expect(j.status).toBe(200);
    expect(j.headers['content-type']).toBe('application/dicom');
    expect((j.body as Buffer).toString()).toBe(`DICM:${SOP1}:${J2KL}`);
    const f = await buf(
      request(app).get(q('&contentType=application/dicom&transferSyntax=1.2.840.10008.1.2.4.94&frameNumber=2')),
    );
    expect((f.body as Buffer).toString()).toBe(`DICM:${SOP1}:${EVRLE}`);
  });
  it('501 for rendered types (no renderer), 406 for types never produced, 400 for bad parameters, 404 for unknown objects', async () => {
    expect((await request(app).get(q('&contentType=image/jpeg'))).status).toBe(501);
    expect((await request(app).get(q(''))).status).toBe(501);
    expect((await request(app).get(q('&contentType=application/x-foo'))).status).toBe(406);
    // conformance/dicomweb.md: text/html, image/jp2 and the like are 406 (never produced), not 501.
    for (const type of ['text/html', 'image/jp2', 'application/pdf', 'text/html,image/jp2']) {
      const res = await request(app).get(q(`&contentType=${encodeURIComponent(type)}`));
      expect({ type, status: res.status, code: res.body.code }).toEqual({
        type,
        status: 406,
        code: 'WADO_URI_CONTENT_TYPE_UNSUPPORTED',
      });
      expect(res.body.message).toBe(`contentType ${type.replace(',', ', ')} cannot be produced; use application/dicom`);
    }
    expect((await request(app).get(q('&contentType=application/dicom&rows=10'))).status).toBe(400);
    expect((await request(app).get(q('&contentType=application/dicom&bogus=1'))).body.code).toBe(
      'WADO_URI_UNKNOWN_PARAMETER',
    );
    expect((await request(app).get(q('&contentType=application/dicom&frameNumber=x'))).status).toBe(400);
    expect((await request(app).get('/wado?requestType=WADO&studyUID=1.2&seriesUID=1.2')).body.code).toBe(
      'WADO_URI_BAD_UID',
    );
    expect(
      (
        await request(app).get(
          `/wado?requestType=WADO&studyUID=${ST}&seriesUID=${SE}&objectUID=9.9&contentType=application/dicom`,
        )
      ).status,
    ).toBe(404);
    expect((await request(app).get(q('&contentType=application/dicom&anonymize=yes'))).status).toBe(501);
  });
});
