// Minimal HTTP/1.1 client for the benchmarks (keep-alive, loopback only): timed GETs that read
// and discard the body, and STOW-RS requests whose multipart/related body is streamed part by
// part from files or buffers (PS3.18 §10.5), so the bench process never holds a large object.

import { createReadStream, statSync } from 'node:fs';
import * as http from 'node:http';
import { Readable } from 'node:stream';

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

export interface TimedResponse {
  status: number;
  ms: number;
  bytes: number;
}

function request(
  url: string,
  init: { method: string; headers?: Record<string, string | number>; body?: Readable },
  keep: boolean,
): Promise<{ status: number; ms: number; body: Buffer | null; bytes: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = http.request(url, { method: init.method, headers: init.headers ?? {}, agent }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (keep) chunks.push(c);
      });
      res.once('end', () => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        resolve({ status: res.statusCode ?? 0, ms, body: keep ? Buffer.concat(chunks) : null, bytes });
      });
      res.once('error', reject);
    });
    req.once('error', reject);
    if (init.body !== undefined) init.body.once('error', (e) => req.destroy(e)).pipe(req);
    else req.end();
  });
}

/** GET, body discarded; the time is until the last body byte. */
export async function getTimed(url: string, accept = 'application/dicom+json'): Promise<TimedResponse> {
  const r = await request(url, { method: 'GET', headers: { accept } }, false);
  return { status: r.status, ms: r.ms, bytes: r.bytes };
}

export async function getText(url: string, accept = '*/*'): Promise<{ status: number; text: string }> {
  const r = await request(url, { method: 'GET', headers: { accept } }, true);
  return { status: r.status, text: r.body?.toString('utf8') ?? '' };
}

export type StowPart = { file: string } | { bytes: Uint8Array };

export interface StowResult {
  status: number;
  ms: number;
  stored: number;
  failed: number;
}

const BOUNDARY = 'fovea-bench-5f0c2d9e1b';

function partSize(p: StowPart): number {
  return 'file' in p ? statSync(p.file).size : p.bytes.length;
}

async function* multipartBody(parts: readonly StowPart[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) {
    yield Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n`);
    if ('file' in p) {
      for await (const chunk of createReadStream(p.file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
    } else yield p.bytes;
    yield Buffer.from('\r\n');
  }
  yield Buffer.from(`--${BOUNDARY}--\r\n`);
}

/** Number of items in a DICOM JSON sequence attribute of a STOW-RS response. */
function sequenceLength(json: unknown, tag: string): number {
  if (typeof json !== 'object' || json === null) return 0;
  const attr = (json as Record<string, unknown>)[tag];
  if (typeof attr !== 'object' || attr === null) return 0;
  const value = (attr as Record<string, unknown>)['Value'];
  return Array.isArray(value) ? value.length : 0;
}

/** POST {dicomweb}/studies with one application/dicom part per item, streamed. */
export async function stow(dicomweb: string, parts: readonly StowPart[]): Promise<StowResult> {
  const length =
    parts.reduce(
      (sum, p) => sum + (`--${BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n`.length + partSize(p) + 2),
      0,
    ) + `--${BOUNDARY}--\r\n`.length;
  const r = await request(
    `${dicomweb}/studies`,
    {
      method: 'POST',
      headers: {
        'content-type': `multipart/related; type="application/dicom"; boundary=${BOUNDARY}`,
        accept: 'application/dicom+json',
        'content-length': length,
      },
      body: Readable.from(multipartBody(parts), { objectMode: false }),
    },
    true,
  );
  let json: unknown = null;
  try {
    json = JSON.parse(r.body?.toString('utf8') ?? '');
  } catch {
    json = null;
  }
  return {
    status: r.status,
    ms: r.ms,
    stored: sequenceLength(json, '00081199'),
    failed: sequenceLength(json, '00081198'),
  };
}

export function closeAgent(): void {
  agent.destroy();
}
