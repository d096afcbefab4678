// `fovea jpip URL [view options] [--session] [--out FILE]`: fetches a view from any JPIP server
// (ISO/IEC 15444-9 over HTTP, Annex F; Node's fetch, chunked or Content-Length bodies read
// incrementally), then writes the picture (decoded at the view's resolution, cropped to its
// region: .png, .pgm, .ppm) or the rebuilt codestream (.j2k). URL may carry a query already (a
// DICOM Pixel Data Provider URL, PS3.5 §8.4.1). Exit codes: 0 ok, 1 server/protocol/decode
// error, 2 usage. Only GET and the http transport are used.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCodecs } from '../codec';
import { FoveaError } from '../errors';
import { codestreamSummary } from '../j2k';
import {
  EOR_NAMES,
  JpipClientSession,
  expandRanges,
  parseJpipQuery,
  type JpipView,
  type ResponseSummary,
} from '../jpip';
import { parseCommandArgs, stringOpt } from './args';
import { EXIT, UsageError } from './exit-codes';
import { commandUsage } from './usage';
import { encodePng, encodePnm, pictureOf } from './picture-files';

export interface JpipCommandIo {
  out(line: string): void;
  err(line: string): void;
}

const STDIO: JpipCommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

const OPTIONS = {
  fsiz: { type: 'string' },
  roff: { type: 'string' },
  rsiz: { type: 'string' },
  layers: { type: 'string' },
  comps: { type: 'string' },
  stream: { type: 'string' },
  type: { type: 'string' },
  len: { type: 'string' },
  session: { type: 'boolean' },
  out: { type: 'string' },
  timeout: { type: 'string' },
} as const;

/** Parses the view options with the request parser itself, so they are exactly as strict. // C.4 */
function parseView(values: Record<string, string | boolean | undefined>): JpipView {
  const fields: string[] = [];
  for (const name of ['fsiz', 'roff', 'rsiz', 'layers', 'comps', 'stream', 'type', 'len']) {
    const v = stringOpt(values, name);
    if (v === undefined) continue;
    if (/[&#\s]/.test(v)) throw new UsageError(`--${name} "${v}" contains '&', '#' or spaces`);
    fields.push(`${name}=${v}`);
  }
  let q;
  try {
    q = parseJpipQuery(fields.join('&'));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if ((q.roff !== undefined || q.rsiz !== undefined) && q.fsiz === undefined)
    throw new UsageError('--roff and --rsiz need --fsiz (15444-9 C.4.3)');
  let type: JpipView['type'];
  if (q.type !== undefined) {
    const t = q.type[0];
    if (
      q.type.length !== 1 ||
      t === undefined ||
      (t.kind !== 'jpp-stream' && t.kind !== 'jpt-stream') ||
      t.params.size > 0
    ) {
      throw new UsageError('--type must be jpp-stream or jpt-stream');
    }
    type = t.kind;
  }
  return {
    ...(q.fsiz ? { fsiz: q.fsiz } : {}),
    ...(q.roff ? { roff: q.roff } : {}),
    ...(q.rsiz ? { rsiz: q.rsiz } : {}),
    ...(q.layers !== undefined ? { layers: q.layers } : {}),
    ...(q.comps ? { comps: q.comps } : {}),
    ...(q.stream ? { stream: q.stream } : {}),
    ...(type ? { type } : {}),
    ...(q.len !== undefined ? { len: q.len } : {}),
  };
}

async function fetchView(
  session: JpipClientSession,
  view: JpipView,
  timeoutMs: number,
): Promise<ResponseSummary & { ms: number; url: string }> {
  const url = session.url(view);
  const started = performance.now();
  const res = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { Accept: 'image/jpp-stream, image/jpt-stream' },
  });
  try {
    session.beginResponse(res.status, (name) => res.headers.get(name));
  } catch (e) {
    await res.body?.cancel().catch(() => undefined);
    throw e;
  }
  if (res.body !== null) {
    for await (const chunk of res.body as AsyncIterable<unknown>) {
      if (!(chunk instanceof Uint8Array)) throw new TypeError('fetch returned a body chunk that is not bytes');
      session.push(chunk);
    }
  }
  const summary = session.endResponse();
  return { ...summary, ms: performance.now() - started, url };
}

function describe(n: number, r: ResponseSummary & { ms: number }): string {
  const eor = r.eor === null ? 'none' : `${r.eor} (${EOR_NAMES[r.eor]})`;
  return `response ${n}: ${r.bytes} bytes, ${r.messages} messages, EOR ${eor}, ${r.ms.toFixed(1)} ms`;
}

function chooseCodestream(session: JpipClientSession, view: JpipView): number {
  const present = session.codestreams();
  const wanted = view.stream?.[0]?.from;
  if (wanted !== undefined && present.includes(wanted)) return wanted;
  const first = present[0];
  if (first === undefined)
    throw new FoveaError('JPIP_CLIENT_NO_CODESTREAM', 'the server sent no main header: nothing to rebuild');
  return first;
}

async function writeOutput(session: JpipClientSession, view: JpipView, file: string, io: JpipCommandIo): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  const csn = chooseCodestream(session, view);
  const maxLayers = view.layers !== undefined && view.layers > 0 ? { maxLayers: view.layers } : {};
  if (ext === '.j2k' || ext === '.j2c') {
    const rebuilt = session.rebuild(csn, maxLayers);
    for (const w of rebuilt.warnings) io.err(`warning: ${w}`);
    fs.writeFileSync(file, rebuilt.codestream);
    io.out(`wrote ${file}: codestream ${csn}, ${rebuilt.codestream.length} bytes (${rebuilt.kind}-stream rebuild)`);
    return;
  }
  const plan = session.plan(csn, view);
  const rebuilt = session.rebuild(csn, { discardLevels: plan.r, ...maxLayers });
  for (const w of rebuilt.warnings) io.err(`warning: ${w}`);
  const codecs = await loadCodecs();
  const ht = codestreamSummary(rebuilt.codestream).htj2k;
  const img = ht
    ? codecs.decodeHtj2k(rebuilt.codestream, { reduce: plan.r })
    : codecs.decodeJ2k(rebuilt.codestream, {
        reduce: plan.r,
        ...(view.layers !== undefined && view.layers > 0 ? { layers: view.layers } : {}),
      });
  if (img.width !== plan.frame.fx || img.height !== plan.frame.fy) {
    throw new FoveaError(
      'JPIP_CLIENT_FRAME_SIZE',
      `decoded ${img.width}x${img.height}, expected the frame ${plan.frame.fx}x${plan.frame.fy}`,
    );
  }
  const comps = view.comps === undefined ? undefined : expandRanges(view.comps, 0, img.components - 1, img.components);
  const picture = pictureOf(
    img,
    { x: plan.offset.x, y: plan.offset.y, width: plan.size.x, height: plan.size.y },
    comps,
  );
  const bytes = ext === '.png' ? encodePng(picture) : encodePnm(picture);
  fs.writeFileSync(file, bytes);
  io.out(
    `wrote ${file}: ${picture.width}x${picture.height} at ${plan.offset.x},${plan.offset.y} of the ${plan.frame.fx}x${plan.frame.fy} frame ` +
      `(codestream ${csn}, ${plan.r} levels discarded, ${picture.components} component(s), ${picture.bits}-bit${img.signed ? ' signed, offset to unsigned' : ''})`,
  );
}

export async function runJpip(argv: string[], io: JpipCommandIo = STDIO): Promise<number> {
  let url: string;
  let view: JpipView;
  let values: Record<string, string | boolean | undefined>;
  let timeoutMs: number;
  try {
    const parsed = parseCommandArgs(argv, OPTIONS, true);
    if (parsed.help) {
      io.out(commandUsage('jpip').trimEnd());
      return EXIT.ok;
    }
    values = parsed.values;
    if (parsed.positionals.length !== 1) throw new UsageError('jpip needs exactly one URL');
    url = parsed.positionals[0] as string;
    if (!/^https?:\/\/[^/?#]+/i.test(url)) throw new UsageError(`"${url}" is not an http(s) URL`);
    view = parseView(values);
    const out = stringOpt(values, 'out');
    if (out !== undefined && !['.png', '.pgm', '.ppm', '.j2k', '.j2c'].includes(path.extname(out).toLowerCase())) {
      throw new UsageError('--out must end in .png, .pgm, .ppm, .j2k or .j2c');
    }
    const t = stringOpt(values, 'timeout') ?? '60000';
    if (!/^[1-9]\d{0,7}$/.test(t))
      throw new UsageError(`--timeout must be a positive number of milliseconds, got "${t}"`);
    timeoutMs = Number(t);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`fovea jpip: ${e.message}`);
      return EXIT.usage;
    }
    throw e;
  }
  const stateful = values['session'] === true;
  const session = new JpipClientSession(url, { stateful });
  try {
    const first = await fetchView(session, view, timeoutMs);
    io.out(`GET ${first.url}`);
    io.out(describe(1, first));
    if (stateful) {
      const ch = session.channel;
      if (ch === null) {
        io.out('the server granted no channel (no JPIP-cnew): the view was served statelessly');
      } else {
        io.out(`channel cid=${ch.cid}${ch.path !== null ? ` path=${ch.path}` : ''}`);
        const second = await fetchView(session, view, timeoutMs);
        io.out(`GET ${second.url}`);
        io.out(describe(2, second));
      }
    }
    io.out(
      `total: ${session.cache.totalBytes} data-bin bytes cached, codestreams ${session.codestreams().join(',') || 'none'}`,
    );
    const out = stringOpt(values, 'out');
    if (out !== undefined) await writeOutput(session, view, out, io);
    return EXIT.ok;
  } catch (e) {
    io.err(`fovea jpip: ${errorText(e)}`);
    return EXIT.failures;
  }
}

function errorText(e: unknown): string {
  if (e instanceof FoveaError) return `${e.message} (${e.code})`;
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
    if (e.name === 'TimeoutError') return 'the server did not answer in time (--timeout)';
    return `${e.message}${cause}`;
  }
  return String(e);
}
