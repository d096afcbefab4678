// Starts the real gateway (real SQLite, real files, real codecs) on a temporary data folder and
// an ephemeral loopback port, for integration tests that drive it over HTTP.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { createLogger } from '../../src/log';
import { CORPUS_DIR } from '../corpus';

export const SHARED_DATA = CORPUS_DIR;
export const DICOM_DIR = path.join(SHARED_DATA, 'dicom');

export interface TestServer {
  url: string;
  dataDir: string;
  running: RunningServer;
  stop(): Promise<void>;
}

export async function startTestServer(extraEnv: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-it-'));
  // DIMSE off unless a test asks for it (FOVEA_DIMSE_PORT), so parallel test files never collide on 11112.
  const config = readConfig(
    { port: '0', host: '127.0.0.1', data: dataDir, logLevel: 'silent' },
    { FOVEA_DIMSE_PORT: '0', ...extraEnv },
  );
  const running = await startServer(config, createLogger('silent'));
  const url = `http://127.0.0.1:${running.port}`;
  return {
    url,
    dataDir,
    running,
    stop: async () => {
      await running.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Builds a multipart/related STOW-RS body of application/dicom parts. */
export function stowBody(
  files: Buffer[],
  boundary = 'fovea-test-boundary-7d3f',
): { body: Buffer; contentType: string } {
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`));
    parts.push(f);
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(parts),
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
  };
}

/** Splits a multipart/related response body into parts (headers + body), for assertions. */
export function parseMultipart(body: Buffer, contentType: string): { headers: Record<string, string>; body: Buffer }[] {
  const m = /boundary="?([^";]+)"?/i.exec(contentType);
  if (!m || m[1] === undefined) throw new Error(`no boundary in ${contentType}`);
  const delim = Buffer.from(`--${m[1]}`);
  const out: { headers: Record<string, string>; body: Buffer }[] = [];
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    const after = pos + delim.length;
    if (body.subarray(after, after + 2).toString() === '--') break;
    const headerStart = after + 2; // CRLF
    const headerEnd = body.indexOf('\r\n\r\n', headerStart);
    const headers: Record<string, string> = {};
    for (const line of body.subarray(headerStart, headerEnd).toString('latin1').split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const next = body.indexOf(delim, headerEnd + 4);
    if (next < 0) throw new Error('unterminated multipart');
    out.push({ headers, body: body.subarray(headerEnd + 4, next - 2) });
    pos = next;
  }
  return out;
}
