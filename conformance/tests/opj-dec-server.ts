// OpenJPEG's opj_dec_server (package libopenjpip-dec-server), the cache-and-decode helper of its
// JPIP viewer, driven as the viewer drives it: one TCP connection per message of its line protocol
// (../shared/tools/peers/README.md §1, openjpip/imgsock_manager.c): "JPIP-stream" hands it a
// response with the target name, tid and cid (it registers the target only when the name contains
// "jp2"), "TID/CID request" look a registered target up, "SIZ request" and "PNM request" decode.
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { freePort } from './peer-tools';

export interface DecServer {
  port: number;
  /** Everything it printed (stdout + stderr), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** One message on a fresh connection; resolves with everything the server sent before closing. */
export async function decServerCall(port: number, message: Buffer): Promise<Buffer> {
  return await new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1', () => s.end(message));
    s.setTimeout(30_000, () => s.destroy(new Error('opj_dec_server did not answer')));
    s.on('data', (d: Buffer) => parts.push(d));
    s.on('close', () => resolve(Buffer.concat(parts)));
    s.on('error', reject);
  });
}

export async function startDecServer(cwd: string): Promise<DecServer> {
  const port = await freePort();
  const child: ChildProcess = spawn('opj_dec_server', [String(port)], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString('latin1')));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString('latin1')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    // An empty connection is harmless: it logs "Error to receive the header" and keeps listening.
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.end(() => resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`opj_dec_server did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** "JPIP-stream": a response for `target` (tid, cid as the JPIP headers gave them); true on ack 1. */
export async function sendJpipStream(port: number, target: string, tid: string, cid: string, body: Buffer) {
  const head = `JPIP-stream\nversion 1.2\n${target}\n${tid}\n${cid}\n${body.length}\n`;
  const reply = await decServerCall(port, Buffer.concat([Buffer.from(head, 'latin1'), body]));
  return reply.length === 1 && reply[0] === 1;
}

/** "TID request" / "CID request": the id registered for `target`, '' when none. */
export async function registeredId(port: number, kind: 'TID' | 'CID', target: string): Promise<string> {
  const reply = await decServerCall(port, Buffer.from(`${kind} request\n${target}\n`, 'latin1'));
  if (reply.subarray(0, 3).toString('latin1') !== kind) throw new Error(`bad ${kind} reply`);
  return reply.subarray(4, 4 + (reply[3] ?? 0)).toString('latin1');
}

/** "SIZ request": the image size of the cached target. */
export async function imageSize(port: number, tid: string, cid: string): Promise<[number, number]> {
  const r = await decServerCall(port, Buffer.from(`SIZ request\n${tid}\n${cid}\n`, 'latin1'));
  if (r.length !== 9 || r.subarray(0, 3).toString('latin1') !== 'SIZ') throw new Error('bad SIZ reply');
  return [r.readUIntBE(3, 3), r.readUIntBE(6, 3)];
}

/** "PNM request": the decoded view at fw x fh (8-bit samples; 16-bit images are scaled by OpenJPEG). */
export async function pnm(
  port: number,
  cid: string,
  fw: number,
  fh: number,
): Promise<{ width: number; height: number; maxval: number; data: Buffer }> {
  const r = await decServerCall(port, Buffer.from(`PNM request\n${cid}\n${fw}\n${fh}\n`, 'latin1'));
  if (r.length < 7 || r[0] !== 0x50) throw new Error('bad PNM reply');
  const width = r.readUInt16BE(2);
  const height = r.readUInt16BE(4);
  return { width, height, maxval: r[6] ?? 0, data: r.subarray(7) };
}
