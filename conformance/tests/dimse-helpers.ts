// Shared helpers of the DIMSE conformance tests: start the real gateway (temp data dir) plus the
// DIMSE listener on loopback, run DCMTK tools with bounded timeouts, and track child processes.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { startTestServer, type TestServer } from '../../test/integration/harness';
import { startDimse, type RunningDimse, type DimseDeps } from '../../src/dimse';
import { createLogger } from '../../src/log';
import { corpusPath } from '../../test/corpus';

export const DICOM_DIR = corpusPath('dicom');
export const AE = 'FOVEA';

export { hasCommand, freePort } from './peer-tools';

export interface DimseGateway {
  http: TestServer;
  dimse: RunningDimse;
  tmpDir: string;
  stop(): Promise<void>;
}

export type GatewayOptions = Partial<
  Pick<
    DimseDeps,
    | 'peers'
    | 'acceptedCallingAeTitles'
    | 'storeAeTitles'
    | 'queryAeTitles'
    | 'tls'
    | 'timeoutMs'
    | 'artimMs'
    | 'idleMs'
    | 'maxAssociations'
    | 'maxAssociationsPerAddress'
  >
> & {
  /** Collects the DIMSE listener's JSON log lines (level debug). */
  logLines?: string[];
};

export async function startGateway(options: GatewayOptions = {}): Promise<DimseGateway> {
  const http = await startTestServer();
  const g = http.running.gateway;
  const tmpDir = path.join(http.dataDir, 'tmp', 'dimse');
  const dimse = await startDimse({
    ingestor: g.ingestor,
    store: g.store.instances,
    retrieve: g.retrieve,
    logger:
      options.logLines !== undefined
        ? createLogger('debug', (line) => options.logLines?.push(line))
        : createLogger(process.env['FOVEA_TEST_LOG'] === '1' ? 'debug' : 'silent'),
    aeTitle: AE,
    port: 0,
    host: '127.0.0.1',
    acceptedCallingAeTitles: options.acceptedCallingAeTitles ?? 'any',
    storeAeTitles: options.storeAeTitles,
    queryAeTitles: options.queryAeTitles,
    tls: options.tls,
    peers: options.peers ?? [],
    tmpDir,
    timeoutMs: options.timeoutMs ?? 10_000,
    artimMs: options.artimMs,
    idleMs: options.idleMs,
    maxAssociations: options.maxAssociations,
    maxAssociationsPerAddress: options.maxAssociationsPerAddress,
  }).catch(async (err: unknown) => {
    await http.stop(); // a listener that fails to start (bad TLS files) leaves nothing running
    throw err;
  });
  return {
    http,
    dimse,
    tmpDir,
    stop: async () => {
      await dimse.close();
      await http.stop();
    },
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool to completion (killed after `timeoutMs`); never rejects. */
export async function run(cmd: string, args: string[], timeoutMs = 30_000, cwd?: string): Promise<RunResult> {
  return await new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', cwd, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code =
          err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts DCMTK storescp as a move destination writing into `dir` (`extraArgs`: e.g. +tls ...). */
export async function startStorescp(
  aeTitle: string,
  port: number,
  dir: string,
  children: ChildProcess[],
  extraArgs: string[] = [],
): Promise<ChildProcess> {
  fs.mkdirSync(dir, { recursive: true });
  const child = spawn('storescp', [...extraArgs, '-aet', aeTitle, '+xa', '-od', dir, String(port)], {
    stdio: 'ignore',
  });
  children.push(child);
  // Wait until it accepts TCP connections (bounded).
  for (let i = 0; i < 50; i += 1) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('storescp did not start');
}

export function killAll(children: ChildProcess[]): void {
  for (const c of children) if (c.exitCode === null && c.pid !== undefined) c.kill('SIGKILL');
}

/** Recursively lists files under a folder. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
