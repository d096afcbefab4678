// External JPIP client conformance (ISO/IEC 15444-9 Annex A messages, A.3 data-bins, D.3 EOR):
// OpenJPEG's opj_jpip_transcode (package libopenjpip-dec-server) turns Fovea's jpp-stream and
// jpt-stream responses into a codestream that opj_decompress decodes to the same pixels as the
// original decoded at the same resolution (../shared/tools/peers/README.md §1, jpp-to-pgm.sh),
// also for the `<uid>.jp2` view whose metadata-bin 0 carries JP2 boxes; and opj_dec_server (below).

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCodecs, type Codecs, type DecodedImage } from '../../src/codec';
import { JpipStreamWriter, readJpipStream } from '../../src/jpip';
import { startTestServer, type TestServer } from '../../test/integration/harness';
import { generateJ2kDicom, regionDiff, stow, type GeneratedObject } from '../../test/integration/jpip-helpers';
import {
  decServerCall,
  imageSize,
  pnm,
  registeredId,
  sendJpipStream,
  startDecServer,
  type DecServer,
} from './opj-dec-server';

const HAVE_OPJ = ['opj_jpip_transcode', 'opj_decompress'].every(
  (t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0,
);
if (!HAVE_OPJ) console.warn('OpenJPEG JPIP tools not installed: JPIP conformance tests skipped');
const d = HAVE_OPJ ? describe : describe.skip;

/** Reads a binary PGM (P5), 8- or 16-bit big-endian samples. */
function readPgm(file: string): DecodedImage {
  const b = fs.readFileSync(file);
  const header = /^P5\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(b.subarray(0, 128).toString('latin1'));
  if (header === null) throw new Error(`${file} is not a P5 PGM`);
  const [, w, h, max] = header.map(Number) as [number, number, number, number];
  const data = b.subarray(header[0].length);
  const wide = max > 255;
  const out = wide ? new Uint16Array(w * h) : new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) out[i] = wide ? data.readUInt16BE(i * 2) : (data[i] as number);
  return { width: w, height: h, components: 1, bitsPerSample: wide ? 16 : 8, signed: false, data: out };
}

/**
 * opj_jpip_transcode expects OpenJPEG's NON-conformant tile-header bins (its server puts the SOT
 * body Lsot..TNsot and the SOD marker in them, JPIP.md §9 item 1) and crashes (SIGSEGV) on
 * conformant ones (15444-9 A.3.3: SOT and SOD excluded; here empty bins). Fovea stays conformant;
 * this shim rewrites only the tile-header messages into OpenJPEG's form (SOT body with Psot = 0,
 * TNsot = 1, then the bin, then SOD), everything else (main header, precinct bins, EOR) goes to
 * opj_jpip_transcode byte for byte as Fovea sent it.
 */
function toOpenJpegTileHeaders(body: Uint8Array): Uint8Array {
  const writer = new JpipStreamWriter();
  const out: Uint8Array[] = [];
  for (const e of readJpipStream(body)) {
    if (e.kind === 'eor') {
      out.push(writer.eor(e.reason, e.body));
      continue;
    }
    const m = e.message;
    if (m.classId !== 2) {
      out.push(writer.message(m));
      continue;
    }
    if (m.offset !== 0 || !m.last) throw new Error('tile-header bin split over messages');
    const sot = new Uint8Array([0x00, 0x0a, m.binId >> 8, m.binId & 0xff, 0, 0, 0, 0, 0, 1]);
    out.push(writer.message({ ...m, data: Buffer.concat([sot, m.data, new Uint8Array([0xff, 0x93])]) }));
  }
  return Buffer.concat(out);
}

d('opj_jpip_transcode + opj_decompress read Fovea responses', () => {
  let server: TestServer;
  let codecs: Codecs;
  let img8: GeneratedObject;
  let img12: GeneratedObject;
  let dir: string;

  beforeAll(async () => {
    codecs = await loadCodecs();
    server = await startTestServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-opj-jpip-'));
    img8 = generateJ2kDicom({
      width: 512,
      height: 384,
      components: 1,
      bits: 8,
      opj: ['-p', 'RPCL', '-c', '[64,64]', '-n', '5', '-r', '20,4,1'],
    });
    img12 = generateJ2kDicom({
      width: 640,
      height: 640,
      components: 1,
      bits: 12,
      opj: ['-p', 'LRCP', '-c', '[128,128]', '-n', '4', '-r', '10,1', '-t', '320,320'],
    });
    await stow(server.url, [img8.file, img12.file]);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (dir !== undefined && process.env['KEEP'] === undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function viaOpenJpeg(query: string, name: string): Promise<DecodedImage> {
    const res = await fetch(`${server.url}/jpip?${query}`);
    expect(res.status).toBe(200);
    const jpp = path.join(dir, `${name}.jpp`);
    const body = new Uint8Array(await res.arrayBuffer());
    fs.writeFileSync(jpp, res.headers.get('content-type') === 'image/jpp-stream' ? toOpenJpegTileHeaders(body) : body);
    const j2k = path.join(dir, `${name}.j2k`);
    const pgm = path.join(dir, `${name}.pgm`);
    const t = spawnSync('opj_jpip_transcode', [jpp, j2k], { encoding: 'utf8' });
    if (t.status !== 0) throw new Error(`opj_jpip_transcode failed: ${t.stdout}${t.stderr}`);
    execFileSync('opj_decompress', ['-i', j2k, '-o', pgm], { stdio: 'pipe' });
    return readPgm(pgm);
  }

  const jpp = 'type=jpp-stream';
  const cases: [string, () => GeneratedObject, string, number][] = [
    ['8-bit whole image, jpp-stream', () => img8, `fsiz=512,384&${jpp}`, 0],
    ['8-bit reduced, jpp-stream', () => img8, `fsiz=128,96&${jpp}`, 2],
    ['8-bit window, jpp-stream', () => img8, `fsiz=512,384&roff=0,0&rsiz=512,384&layers=3&${jpp}`, 0],
    ['8-bit whole image, jpt-stream', () => img8, 'fsiz=512,384&type=jpt-stream', 0],
    ['12-bit tiled LRCP, jpp-stream', () => img12, `fsiz=640,640&${jpp}`, 0],
    ['12-bit tiled, jpt-stream', () => img12, 'fsiz=640,640&type=jpt-stream', 0],
  ];
  async function check(name: string, o: GeneratedObject, view: string, reduce: number): Promise<void> {
    const got = await viaOpenJpeg(`target=${o.sopInstanceUid}&${view}`, name.replace(/[^a-z0-9]+/gi, '-'));
    const expected = codecs.decodeJ2k(o.codestreams[0] as Uint8Array, { reduce });
    expect([got.width, got.height]).toEqual([expected.width, expected.height]);
    expect(regionDiff(expected, got, 0, 0, expected.width, expected.height)).toBe(0);
  }

  test.each(cases)(
    '%s (15444-9 A.2, A.3)',
    async (name, obj, view, reduce) => check(name, obj(), view, reduce),
    60_000,
  );

  test('the <uid>.jp2 view with metareq=[jp2h] (metadata-bin 0 with boxes) transcodes to the same pixels (A.3.6)', async () => {
    const got = await viaOpenJpeg(`target=${img8.sopInstanceUid}.jp2&fsiz=512,384&metareq=[jp2h]&${jpp}`, 'jp2-view');
    const expected = codecs.decodeJ2k(img8.codestreams[0] as Uint8Array, {});
    expect(regionDiff(expected, got, 0, 0, expected.width, expected.height)).toBe(0);
  }, 60_000);

  // Known OpenJPEG fault: a reduced-resolution view of a multi-tile codestream is rebuilt
  // wrongly by opj_jpip_transcode (~70 % of the samples differ) although Fovea's own client
  // decodes such views exactly (test/integration/jpip.test.ts, tiled LRCP/RPCL at reduced fsiz).
  // Marked failing so that a fixed OpenJPEG turns this red and the case can move up.
  test.failing(
    '12-bit tiled LRCP reduced, jpp-stream (OpenJPEG multi-tile reduction fault)',
    async () => check('tiled-reduced', img12, `fsiz=160,160&${jpp}`, 2),
    60_000,
  );
});

// OpenJPEG's viewer-side helper opj_dec_server against Fovea (15444-9 A.3.6 metadata-bins, C.2.1
// target, C.5.2 metareq): a request as OpenJPEG's viewer makes it, on the `<uid>.jp2` alias (the
// helper registers only targets whose name contains "jp2"), with metareq=[jp2h]; the response goes
// to opj_dec_server (tile-header bins rewritten as above, nothing else), which registers the target
// under its tid and cid, reports the image size, decodes the same pixels as the original, and
// rebuilds a JP2 whose boxes start with the signature, ftyp and jp2h Fovea sent in metadata-bin 0.
const HAVE_DEC_SERVER = HAVE_OPJ && spawnSync('sh', ['-c', 'command -v opj_dec_server']).status === 0;
if (!HAVE_DEC_SERVER) console.warn('opj_dec_server not installed (libopenjpip-dec-server): its tests skipped');
const dd = HAVE_DEC_SERVER ? describe : describe.skip;

dd('opj_dec_server registers and decodes a Fovea JP2-view target', () => {
  let server: TestServer;
  let codecs: Codecs;
  let img: GeneratedObject;
  let dir: string;
  let dec: DecServer;

  beforeAll(async () => {
    codecs = await loadCodecs();
    server = await startTestServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-opj-dec-'));
    img = generateJ2kDicom({
      width: 384,
      height: 256,
      components: 1,
      bits: 8,
      opj: ['-p', 'RPCL', '-c', '[64,64]', '-n', '4', '-r', '10,2,1'],
    });
    await stow(server.url, [img.file]);
    dec = await startDecServer(dir);
  }, 120_000);

  afterAll(async () => {
    await dec?.stop();
    await server?.stop();
    if (dir !== undefined && process.env['KEEP'] === undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('target <uid>.jp2 + metareq=[jp2h]: registered by name, jp2h received, same pixels (A.3.6, C.5.2)', async () => {
    const target = `${img.sopInstanceUid}.jp2`;
    const res = await fetch(
      `${server.url}/jpip?target=${target}&fsiz=384,256&cnew=http&type=jpp-stream&metareq=[jp2h]`,
    );
    expect(res.status).toBe(200);
    const tid = res.headers.get('jpip-tid') ?? '';
    const cid = /cid=([^,]+)/.exec(res.headers.get('jpip-cnew') ?? '')?.[1] ?? '';
    expect(tid).toMatch(/^T[0-9a-f]{32}$/);
    const body = Buffer.from(await res.arrayBuffer());
    const meta = readJpipStream(body).flatMap((e) =>
      e.kind === 'message' && e.message.classId === 8 ? [e.message] : [],
    );
    expect(meta.map((m) => Buffer.from(m.data.subarray(4, 8)).toString('latin1'))).toEqual([
      'jP  ',
      'ftyp',
      'jp2h',
      'phld',
    ]);

    expect(await sendJpipStream(dec.port, target, tid, cid, Buffer.from(toOpenJpegTileHeaders(body)))).toBe(true);
    expect(await registeredId(dec.port, 'TID', target)).toBe(tid);
    expect(await registeredId(dec.port, 'CID', target)).toBe(cid);
    expect(await imageSize(dec.port, tid, cid)).toEqual([384, 256]);
    const got = await pnm(dec.port, cid, 384, 256);
    const expected = codecs.decodeJ2k(img.codestreams[0] as Uint8Array, {});
    expect([got.width, got.height]).toEqual([384, 256]);
    expect(Buffer.from(got.data).equals(Buffer.from(expected.data))).toBe(true);
    const half = await pnm(dec.port, cid, 192, 128); // one resolution level discarded
    expect([half.width, half.height]).toEqual([192, 128]);
    const expectedHalf = codecs.decodeJ2k(img.codestreams[0] as Uint8Array, { reduce: 1 });
    expect(Buffer.from(half.data).equals(Buffer.from(expectedHalf.data))).toBe(true);

    const before = new Set(fs.readdirSync(dir));
    await decServerCall(dec.port, Buffer.from(`JP2 save\n${cid}\n`, 'latin1'));
    const saved = fs.readdirSync(dir).filter((f) => f.endsWith('.jp2') && !before.has(f));
    expect(saved.length).toBe(1);
    const jp2 = fs.readFileSync(path.join(dir, saved[0] as string));
    const sent = Buffer.concat(meta.slice(0, 3).map((m) => Buffer.from(m.data)));
    expect(jp2.subarray(0, sent.length).equals(sent)).toBe(true); // its file starts with Fovea's jP, ftyp, jp2h
  }, 60_000);
});
