// The JPIP peer: OpenJPEG's opj_server (FastCGI) behind lighttpd on 127.0.0.1, started and stopped
// by ../shared/tools/peers/opj-jpip-server.sh over a temp folder holding the indexed JP2 (opj_server
// writes tmpjpipstream.jpp into its cwd). opj_server also listens on 0.0.0.0:60000 (its JPIP-TCP
// auxiliary port), so only one can run per machine: we wait for that port to be free first.

import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { freePort, SHARED, tempDir } from './processes';

const SCRIPT = path.join(SHARED, 'tools/peers/opj-jpip-server.sh');
const OPJ_AUX_PORT = 60000;

export interface OpjServer {
  port: number;
  /** target= value of the image. */
  target: string;
  stop(): void;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '0.0.0.0', () => srv.close(() => resolve(true)));
  });
}

export function opjServerAvailable(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v opj_server && command -v lighttpd && command -v spawn-fcgi'], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

/** Starts opj_server over `jp2File`; null (with a log line) when port 60000 stays taken. */
export async function startOpjServer(
  jp2File: string,
  log: (line: string) => void,
  waitMs = 120_000,
): Promise<OpjServer | null> {
  const deadline = Date.now() + waitMs;
  let logged = false;
  while (!(await portFree(OPJ_AUX_PORT))) {
    if (Date.now() > deadline) {
      log(`  jpip: port ${OPJ_AUX_PORT} still taken after ${waitMs / 1000} s (another opj_server?): no peer numbers`);
      return null;
    }
    if (!logged) log(`  jpip: waiting for port ${OPJ_AUX_PORT} (another opj_server is running on this machine)`);
    logged = true;
    await new Promise((r) => setTimeout(r, 2000));
  }
  const { dir } = tempDir('fovea-bench-opj-');
  symlinkSync(jp2File, path.join(dir, 'image.jp2'));
  const port = await freePort();
  let fcgiPort = await freePort();
  while (fcgiPort === port) fcgiPort = await freePort();
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      execFileSync(SCRIPT, ['stop', String(port)], { stdio: 'ignore' });
    } finally {
      rmSync(`/tmp/opj-jpip-server.${port}`, { recursive: true, force: true });
    }
  };
  // processes.ts' cleanup list is private; run.ts calls process.exit on every path, so 'exit' suffices.
  process.once('exit', stop);
  execFileSync(SCRIPT, ['start', String(port), dir, String(fcgiPort)], { stdio: 'ignore' });
  return { port, target: 'image.jp2', stop };
}
