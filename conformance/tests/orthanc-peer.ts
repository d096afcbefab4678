// The real Orthanc peer (1.10 + DICOMweb plugin, started by ../shared/tools/peers/orthanc.sh on
// free loopback ports), as the Orthanc conformance suites drive it: installed or not, start/stop
// through the script (state in /tmp/orthanc.<http port>), and its REST API with bounded timeouts.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PEER_TOOLS_DIR } from '../../test/corpus';
import { hasCommand } from './peer-tools';

export const ORTHANC_SH = path.join(PEER_TOOLS_DIR, 'orthanc.sh');

/** Orthanc and the peers script are installed (and every extra command named). */
export function orthancInstalled(...extraCommands: string[]): boolean {
  return hasCommand('Orthanc') && fs.existsSync(ORTHANC_SH) && extraCommands.every(hasCommand);
}

/** Runs `orthanc.sh ARGS...` (start HTTP DICOM [AET] [PEER_DICOMWEB_URL] [PEER_AET PEER_PORT] / stop HTTP). */
export async function orthancSh(args: string[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile(ORTHANC_SH, args, { timeout: 60_000, killSignal: 'SIGKILL' }, (err) =>
      err === null ? resolve() : reject(new Error(`orthanc.sh ${args.join(' ')} failed`, { cause: err })),
    );
  });
}

/** Stops the Orthanc on `httpPort` (if it was started) and removes the script's state folder. */
export async function stopOrthanc(httpPort: number, started: boolean): Promise<void> {
  if (started) await orthancSh(['stop', String(httpPort)]).catch(() => undefined);
  if (httpPort !== 0) fs.rmSync(`/tmp/orthanc.${httpPort}`, { recursive: true, force: true });
}

/** A call of Orthanc's REST API at `base` (http://127.0.0.1:PORT): the JSON answer, null when empty. */
export type OrthancRest = (method: string, route: string, body?: string | Buffer) => Promise<unknown>;

export function orthancRest(base: () => string): OrthancRest {
  return async (method, route, body) => {
    const init: RequestInit = { method, signal: AbortSignal.timeout(60_000) };
    if (body !== undefined) init.body = body;
    const res = await fetch(`${base()}${route}`, init);
    if (!res.ok) throw new Error(`Orthanc ${method} ${route}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return text === '' ? null : (JSON.parse(text) as unknown);
  };
}
