// Helpers for the `fovea jpip` client tests: free loopback ports, command lookup, running a
// command with a time limit, reading PGM/PPM (P5/P6, comments allowed), and running the CLI
// in-process with its output captured.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { runJpip } from '../../src/cli/jpip-command';

export { hasCommand, freePort } from './peer-tools';

export async function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<string> {
  return await new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err !== null) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

export interface Pnm {
  width: number;
  height: number;
  maxval: number;
  channels: number;
  /** Samples as numbers (1 or 2 bytes each, big-endian). */
  samples: number[];
}

export function readPnm(file: string): Pnm {
  const b = fs.readFileSync(file);
  const tokens: string[] = [];
  let pos = 0;
  while (tokens.length < 4) {
    while (pos < b.length && /\s/.test(String.fromCharCode(b[pos] ?? 0))) pos++;
    if (b[pos] === 0x23) {
      while (pos < b.length && b[pos] !== 0x0a) pos++;
      continue;
    }
    const start = pos;
    while (pos < b.length && !/\s/.test(String.fromCharCode(b[pos] ?? 0))) pos++;
    tokens.push(b.subarray(start, pos).toString('latin1'));
  }
  pos++; // the single whitespace after maxval
  const [magic, w, h, m] = tokens;
  const channels = magic === 'P6' ? 3 : magic === 'P5' ? 1 : 0;
  if (channels === 0) throw new Error(`${file}: not P5/P6`);
  const width = Number(w);
  const height = Number(h);
  const maxval = Number(m);
  const n = width * height * channels;
  const samples: number[] = [];
  for (let i = 0; i < n; i++) samples.push(maxval > 255 ? b.readUInt16BE(pos + 2 * i) : (b[pos + i] ?? -1));
  return { width, height, maxval, channels, samples };
}

/** The samples of a region of `p`. */
export function crop(p: Pnm, x: number, y: number, w: number, h: number): number[] {
  const out: number[] = [];
  for (let j = y; j < y + h; j++)
    for (let i = x; i < x + w; i++)
      for (let c = 0; c < p.channels; c++) out.push(p.samples[(j * p.width + i) * p.channels + c] ?? -1);
  return out;
}

export async function fovea(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runJpip(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** "response N: B bytes, ..." lines of the CLI output, as byte counts. */
export function responseBytes(lines: readonly string[]): number[] {
  return lines.flatMap((l) => {
    const m = /^response \d+: (\d+) bytes, (\d+) messages, EOR (\S+)/.exec(l);
    return m === null ? [] : [Number(m[1])];
  });
}
