// Child processes and temporary folders of a benchmark run, and their cleanup: the Fovea gateway
// (a child `node dist/cli/main.js serve`, so its RSS can be read from /proc), the Orthanc peer
// (started and stopped by ../shared/tools/peers/orthanc.sh; RemoteAccessAllowed false, only
// 127.0.0.1 is contacted), and temp dirs. Everything registered is removed on exit, Ctrl-C included.

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { findMigrationsDir } from '../src/store';
import { getText } from './http-client';

// The package root (the folder with package.json and migrations/), found by walking up, so it is
// right whether this file runs compiled from dist-bench/bench/ or from source.
const REPO_ROOT = path.dirname(findMigrationsDir(__dirname));
export const SHARED = path.resolve(REPO_ROOT, '../shared');
const ORTHANC_SH = path.join(SHARED, 'tools/peers/orthanc.sh');

const cleanups = new Map<number, () => void>();
let nextCleanup = 0;

/** Registers a synchronous cleanup step; returns a function that runs it once and unregisters it. */
function register(step: () => void): () => void {
  const id = nextCleanup++;
  cleanups.set(id, step);
  return () => {
    if (cleanups.delete(id)) step();
  };
}

/** Runs every pending cleanup (latest first). Safe to call more than once. */
export function cleanupAll(): void {
  for (const id of [...cleanups.keys()].reverse()) {
    const step = cleanups.get(id);
    cleanups.delete(id);
    try {
      step?.();
    } catch {
      // best effort: the remaining steps still run
    }
  }
}

/** Cleans up on normal exit, on Ctrl-C / SIGTERM (exit 130/143) and on an uncaught error. */
export function installExitHandlers(): void {
  process.once('exit', cleanupAll);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping children and removing temp dirs\n`);
      cleanupAll();
      process.exit(code);
    });
  }
}

export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: register(() => rmSync(dir, { recursive: true, force: true })) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error(`server for ${url} exited during start-up`);
    try {
      const r = await getText(url);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Peer {
  readonly name: string;
  /** DICOMweb root without trailing slash. */
  readonly dicomweb: string;
  /** PID whose /proc status gives the server's memory. */
  readonly pid: number;
  stop(): Promise<void>;
}

/** Peak and current resident set size of a process, in bytes (Linux /proc/<pid>/status). */
export function memoryOf(pid: number): { peakRss: number; rss: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    return m?.[1] === undefined ? Number.NaN : Number(m[1]) * 1024;
  };
  return { peakRss: kb('VmHWM'), rss: kb('VmRSS') };
}

/** Starts `fovea serve` as a child process on a loopback port over `dataDir`. */
export async function startFovea(dataDir: string): Promise<Peer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'dist/cli/main.js'),
      'serve',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--data',
      dataDir,
      '--dimse-port',
      '0',
      '--log-level',
      'error',
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const kill = register(() => {
    if (!exited) child.kill('SIGKILL');
  });
  await waitFor(`http://127.0.0.1:${port}/healthz`, 60_000, () => !exited);
  const pid = child.pid ?? -1;
  return {
    name: 'Fovea',
    dicomweb: `http://127.0.0.1:${port}/dicomweb`,
    pid,
    stop: async () => {
      if (!exited) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await done;
        clearTimeout(timer);
      }
      kill();
    },
  };
}

export function orthancAvailable(): boolean {
  try {
    execFileSync('which', ['Orthanc'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts a throw-away Orthanc 1.10 + DICOMweb through the peers script. */
export async function startOrthanc(): Promise<Peer> {
  const httpPort = await freePort();
  const dicomPort = await freePort();
  const state = `/tmp/orthanc.${httpPort}`;
  const stopSync = (): void => {
    try {
      execFileSync(ORTHANC_SH, ['stop', String(httpPort)], { stdio: 'ignore' });
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  };
  const remove = register(stopSync);
  execFileSync(ORTHANC_SH, ['start', String(httpPort), String(dicomPort), 'BENCHORTHANC'], { stdio: 'ignore' });
  const pid = Number(readFileSync(path.join(state, 'orthanc.pid'), 'utf8').trim());
  await waitFor(`http://127.0.0.1:${httpPort}/system`, 30_000, () => true);
  return {
    name: 'Orthanc',
    dicomweb: `http://127.0.0.1:${httpPort}/dicom-web`,
    pid,
    stop: async () => remove(),
  };
}
