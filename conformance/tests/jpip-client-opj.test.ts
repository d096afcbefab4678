// `fovea jpip` against a real peer: OpenJPEG's opj_server (FastCGI behind lighttpd, loopback only,
// shared/tools/peers/opj-jpip-server.sh) serving a JP2 made by opj_compress and indexed with
// jp2-jpip-index.py. Whole-image views (roff 0,0: opj_server picks wrong precincts elsewhere, peers
// README §1) must decode to exactly the pixels opj_decompress gives for the original at the same
// resolution and layers (15444-9 C.4.2, C.4.10). Skipped when the peer packages are absent.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { crop, fovea, freePort, hasCommand, readPnm, responseBytes, run } from './jpip-client-helpers';
import { PEER_TOOLS_DIR } from '../../test/corpus';

const PEERS = PEER_TOOLS_DIR;
const SERVER_SH = path.join(PEERS, 'opj-jpip-server.sh');
const INDEXER = path.join(PEERS, 'jp2-jpip-index.py');
const NEEDED = ['opj_server', 'lighttpd', 'spawn-fcgi', 'opj_compress', 'opj_decompress'];
const missing = NEEDED.filter((c) => !hasCommand(c));
if (!fs.existsSync(SERVER_SH) || !fs.existsSync(INDEXER) || !fs.existsSync('/usr/bin/python3'))
  missing.push('shared/tools/peers scripts or /usr/bin/python3');
if (missing.length > 0) {
  console.warn(
    `opj_server interop skipped, missing: ${missing.join(', ')} (Debian: libopenjpip-server lighttpd spawn-fcgi libopenjp2-tools python3)`,
  );
}
const d = missing.length === 0 ? describe : describe.skip;

const W = 480;
const H = 352;

/** A deterministic 8-bit test picture: gradients, a ring, edges and noise. */
function writePgm(file: string): void {
  const px = Buffer.alloc(W * H);
  let s = 12345;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const r = Math.hypot(x - W / 2, y - H / 2);
      const v =
        (x * 255) / W / 2 +
        (y * 255) / H / 4 +
        (Math.abs(r - 100) < 12 ? 60 : 0) +
        ((x >> 4) % 2 === 0 ? 10 : 0) +
        ((s >> 16) % 9);
      px[y * W + x] = Math.min(255, Math.round(v));
    }
  }
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`P5\n${W} ${H}\n255\n`), px]));
}

/** True when port 60000 can be bound, i.e. no other opj_server is running. */
async function freePort60000(): Promise<boolean> {
  return await new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(60000, '0.0.0.0', () => srv.close(() => resolve(true)));
  });
}

d('fovea jpip ↔ OpenJPEG opj_server', () => {
  let dir = '';
  let port = 0;
  let started = false;
  let url = '';
  const image = () => path.join(dir, 'img', 'image.jp2');

  async function reference(reduce: number, layers = 0): Promise<ReturnType<typeof readPnm>> {
    const out = path.join(dir, `ref-r${reduce}-l${layers}.pgm`);
    if (!fs.existsSync(out))
      await run('opj_decompress', [
        '-i',
        image(),
        '-o',
        out,
        '-r',
        String(reduce),
        ...(layers > 0 ? ['-l', String(layers)] : []),
      ]);
    return readPnm(out);
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-jpip-opj-'));
    fs.mkdirSync(path.join(dir, 'img'));
    writePgm(path.join(dir, 'in.pgm'));
    await run('opj_compress', [
      '-i',
      path.join(dir, 'in.pgm'),
      '-o',
      path.join(dir, 'tmp.jp2'),
      '-p',
      'RPCL',
      '-c',
      '[64,64]',
      '-r',
      '40,20,10',
      '-n',
      '5',
      '-PLT',
    ]);
    await run('/usr/bin/python3', [INDEXER, path.join(dir, 'tmp.jp2'), image()]);
    // opj_server also listens on 0.0.0.0:60000 (its http-tcp aux port, not configurable), so only
    // one can run per machine: wait for another test's instance to finish, up to a minute.
    const deadline = Date.now() + 60_000;
    for (;;) {
      port = await freePort();
      const fcgi = await freePort();
      try {
        await run(SERVER_SH, ['start', String(port), path.join(dir, 'img'), String(fcgi)]);
        break;
      } catch (e) {
        await run(SERVER_SH, ['stop', String(port)]).catch(() => undefined);
        fs.rmSync(`/tmp/opj-jpip-server.${port}`, { recursive: true, force: true });
        if (Date.now() > deadline || (await freePort60000())) throw e;
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
    started = true;
    url = `http://127.0.0.1:${port}/jpip?target=image.jp2`;
  }, 120_000);

  afterAll(async () => {
    if (started) await run(SERVER_SH, ['stop', String(port)]).catch(() => undefined);
    fs.rmSync(`/tmp/opj-jpip-server.${port}`, { recursive: true, force: true });
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it.each([
    [0, W, H],
    [1, W / 2, H / 2],
    [3, W / 8, H / 8],
  ])('whole image, %i levels discarded (fsiz %i,%i): same pixels as opj_decompress -r', async (r, fx, fy) => {
    const out = path.join(dir, `whole-${r}.pgm`);
    const res = await fovea([url, '--fsiz', `${fx},${fy}`, '--out', out]);
    expect(res.err.filter((l) => !l.startsWith('warning:'))).toEqual([]);
    expect(res.code).toBe(0);
    expect(responseBytes(res.out)[0]).toBeGreaterThan(0);
    const got = readPnm(out);
    const ref = await reference(r);
    expect([got.width, got.height]).toEqual([fx, fy]);
    expect([ref.width, ref.height]).toEqual([fx, fy]);
    expect(got.samples).toEqual(ref.samples);
  });

  it('first quality layer only (layers=1): same pixels as opj_decompress -l 1', async () => {
    const out = path.join(dir, 'layer1.pgm');
    const res = await fovea([url, '--fsiz', `${W / 2},${H / 2}`, '--layers', '1', '--out', out]);
    expect(res.code).toBe(0);
    const ref = await reference(1, 1);
    expect(readPnm(out).samples).toEqual(ref.samples);
    expect(ref.samples).not.toEqual((await reference(1)).samples); // layers make a visible difference
  });

  it('window at roff 0,0: the region of the full-resolution decode', async () => {
    const out = path.join(dir, 'window.pgm');
    const res = await fovea([url, '--fsiz', `${W},${H}`, '--roff', '0,0', '--rsiz', '200,120', '--out', out]);
    expect(res.code).toBe(0);
    const got = readPnm(out);
    const ref = await reference(0);
    expect([got.width, got.height]).toEqual([200, 120]);
    expect(got.samples).toEqual(crop(ref, 0, 0, 200, 120));
  });

  it('--session: cnew=http, then the same view on the cid costs only the EOR', async () => {
    const out = path.join(dir, 'session.pgm');
    const res = await fovea([url, '--fsiz', `${W / 4},${H / 4}`, '--session', '--out', out]);
    expect(res.code).toBe(0);
    expect(res.out.some((l) => /^channel cid=\S+/.test(l))).toBe(true);
    const [first, second] = responseBytes(res.out);
    expect(first).toBeGreaterThan(100);
    expect(second).toBe(3); // 00 02 00: EOR window done, nothing resent
    expect(readPnm(out).samples).toEqual((await reference(2)).samples);
  });

  it('--out .j2k: the rebuilt codestream decodes with opj_decompress to the original', async () => {
    const out = path.join(dir, 'rebuilt.j2k');
    const res = await fovea([url, '--fsiz', `${W},${H}`, '--out', out]);
    expect(res.code).toBe(0);
    const dec = path.join(dir, 'rebuilt.pgm');
    await run('opj_decompress', ['-i', out, '-o', dec]);
    expect(readPnm(dec).samples).toEqual((await reference(0)).samples);
  });

  it('errors: unknown target is a server error (exit 1), bad flags are usage errors (exit 2)', async () => {
    const missingTarget = await fovea([`http://127.0.0.1:${port}/jpip?target=nothere.jp2`, '--fsiz', '64,64']);
    expect(missingTarget.code).toBe(1);
    expect(missingTarget.err.join('\n')).toContain('JPIP_CLIENT_HTTP_STATUS');
    expect((await fovea([url, '--fsiz', '64'])).code).toBe(2);
    expect((await fovea([url, '--roff', '1,1'])).code).toBe(2);
    expect((await fovea([url, '--out', 'x.bmp'])).code).toBe(2);
    expect((await fovea(['ftp://x/y'])).code).toBe(2);
  });
});
