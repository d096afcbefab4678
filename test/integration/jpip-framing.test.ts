// HTTP framing of JPIP responses (15444-9 Annex F; RFC 9112 §6.2, §7.1), read off the wire with a
// raw socket: by default every response (stateless, session, type=raw, channel close) carries
// Content-Length equal to the body length and no Transfer-Encoding, because native JPIP clients
// may not parse chunked bodies; with FOVEA_JPIP_CHUNKED_MIN_KB set, large session responses to
// HTTP/1.1 clients are chunked (and de-chunk to the same bytes), HTTP/1.0 and stateless ones not.
// A store failure discovered after the headers went out cuts the body short of its Content-Length.

import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { readJpipStream } from '../../src/jpip';
import { startTestServer, type TestServer } from './harness';
import { generateJ2kDicom, stow, type GeneratedObject } from './jpip-helpers';

interface Wire {
  status: number;
  headers: Map<string, string>;
  /** The body as sent (still chunk-coded when chunked). */
  raw: Buffer;
}

/** One request on a fresh connection (Connection: close), the whole reply as bytes. */
async function wire(base: string, pathAndQuery: string, version: '1.1' | '1.0' = '1.1'): Promise<Wire> {
  const u = new URL(base);
  const reply = await new Promise<Buffer>((resolve, reject) => {
    const parts: Buffer[] = [];
    const s = net.connect(Number(u.port), u.hostname, () => {
      s.write(`GET ${pathAndQuery} HTTP/${version}\r\nHost: ${u.host}\r\nConnection: close\r\n\r\n`);
    });
    s.on('data', (d: Buffer) => parts.push(d));
    s.on('end', () => resolve(Buffer.concat(parts)));
    s.on('error', reject);
  });
  const end = reply.indexOf('\r\n\r\n');
  const lines = reply.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1]);
  const headers = new Map<string, string>();
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
  }
  return { status, headers, raw: reply.subarray(end + 4) };
}

/** Decodes a chunked body (RFC 9112 §7.1); throws on a malformed one. */
function dechunk(raw: Buffer): { body: Buffer; chunks: number } {
  const out: Buffer[] = [];
  let pos = 0;
  let chunks = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', pos);
    const size = parseInt(raw.subarray(pos, eol).toString('latin1'), 16);
    if (!Number.isFinite(size) || eol < 0) throw new Error(`bad chunk size at ${pos}`);
    if (size === 0) return { body: Buffer.concat(out), chunks };
    out.push(raw.subarray(eol + 2, eol + 2 + size));
    chunks++;
    pos = eol + 2 + size + 2;
  }
}

function expectContentLength(w: Wire): void {
  expect(w.status).toBe(200);
  expect(w.headers.has('transfer-encoding')).toBe(false);
  expect(w.headers.get('content-length')).toBe(String(w.raw.length));
}

let img: GeneratedObject;
let plain: TestServer;
let chunking: TestServer;

beforeAll(async () => {
  img = generateJ2kDicom({
    width: 512,
    height: 512,
    components: 1,
    bits: 12,
    opj: ['-p', 'RPCL', '-c', '[64,64]', '-n', '5', '-r', '4,1'],
  });
  plain = await startTestServer();
  chunking = await startTestServer({ FOVEA_JPIP_CHUNKED_MIN_KB: '16' });
  await stow(plain.url, [img.file]);
  await stow(chunking.url, [img.file]);
}, 120_000);

afterAll(async () => {
  await plain?.stop();
  await chunking?.stop();
});

const q = (rest: string): string => `/jpip?target=${img.sopInstanceUid}&${rest}`;

test('default: a stateless jpp-stream has Content-Length = body length, no Transfer-Encoding (F.2)', async () => {
  const w = await wire(plain.url, q('fsiz=512,512'));
  expectContentLength(w);
  expect(w.raw.length).toBeGreaterThan(16 * 1024);
  expect(readJpipStream(w.raw).at(-1)).toMatchObject({ kind: 'eor', reason: 1 });
});

test('default: session responses, len-cut responses, type=raw and a channel close all carry Content-Length', async () => {
  const opened = await wire(plain.url, q('fsiz=512,512&cnew=http'));
  expectContentLength(opened);
  const cid = /cid=([^,]+)/.exec(opened.headers.get('jpip-cnew') ?? '')?.[1] ?? '';
  expect(cid).not.toBe('');
  const again = await wire(plain.url, `/jpip?cid=${cid}&fsiz=512,512`);
  expectContentLength(again);
  expect(again.raw.length).toBe(3); // EOR only: nothing resent
  expectContentLength(await wire(plain.url, q('fsiz=512,512&len=1000')));
  const raw = await wire(plain.url, q('type=raw'));
  expectContentLength(raw);
  expect(raw.headers.get('content-type')).toBe('image/jp2');
  expectContentLength(await wire(plain.url, `/jpip?cid=${cid}&cclose=${cid}`));
});

test('FOVEA_JPIP_CHUNKED_MIN_KB: a large session response to HTTP/1.1 is chunked and de-chunks to the same body', async () => {
  const reference = await wire(chunking.url, q('fsiz=512,512')); // stateless: still Content-Length
  expectContentLength(reference);
  const w = await wire(chunking.url, q('fsiz=512,512&cnew=http'));
  expect(w.status).toBe(200);
  expect(w.headers.get('transfer-encoding')).toBe('chunked');
  expect(w.headers.has('content-length')).toBe(false);
  const { body, chunks } = dechunk(w.raw);
  expect(chunks).toBeGreaterThan(0);
  expect(body.equals(reference.raw)).toBe(true);
});

test('FOVEA_JPIP_CHUNKED_MIN_KB: small session responses and HTTP/1.0 clients get Content-Length', async () => {
  expectContentLength(await wire(chunking.url, q('fsiz=32,32&cnew=http'))); // under 16 KiB
  const old = await wire(chunking.url, q('fsiz=512,512&cnew=http'), '1.0');
  expectContentLength(old);
  expect(old.raw.length).toBeGreaterThan(16 * 1024);
});

/** Every file called `name` under `dir`. */
function findFiles(dir: string, name: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? findFiles(p, name) : e.name === name ? [p] : [];
  });
}

test('a read failure after the headers went out: the connection closes short of Content-Length', async () => {
  // A frame large enough that the body needs more than one 1 MiB read batch (emit.ts), so the first
  // batch and the headers go out before the truncated tail of frames.bin is read.
  const big = generateJ2kDicom({
    width: 2048,
    height: 1024,
    components: 1,
    bits: 16,
    opj: ['-p', 'RPCL', '-c', '[64,64]'],
  });
  expect(big.codestreams[0]?.length).toBeGreaterThan(1.15 * 1024 * 1024);
  const server = await startTestServer();
  try {
    await stow(server.url, [big.file]);
    const before = findFiles(path.join(server.dataDir, 'objects'), 'frames.bin');
    const file = before.find((f) => fs.statSync(f).size > 1024 * 1024);
    if (file === undefined) throw new Error('no frames.bin for the big object');
    fs.truncateSync(file, fs.statSync(file).size - 20 * 1024);
    const w = await wire(server.url, `/jpip?target=${big.sopInstanceUid}&fsiz=2048,1024`);
    expect(w.status).toBe(200);
    expect(w.headers.has('transfer-encoding')).toBe(false);
    const declared = Number(w.headers.get('content-length'));
    expect(declared).toBeGreaterThan(1024 * 1024);
    expect(w.raw.length).toBeGreaterThan(0);
    expect(w.raw.length).toBeLessThan(declared); // never a complete-looking body of the wrong length
  } finally {
    await server.stop();
  }
}, 120_000);
