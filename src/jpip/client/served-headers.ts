// Reads the JPIP response headers a client needs (ISO/IEC 15444-9 D.2): JPIP-tid (D.2.2),
// JPIP-cnew (D.2.3: cid, path, transport, host, port, auxport), JPIP-fsiz/roff/rsiz (D.2.4-6:
// the view-window actually served), JPIP-layers (D.2.11), JPIP-comps/-stream (kept as text), and
// the Content-Type (jpp-stream / jpt-stream, D.1). A malformed value is a MalformedError: the
// server broke the protocol. Unknown JPIP-* headers are ignored on purpose (D.2: optional ones).

import { MalformedError } from '../../bytes';
import type { XY } from '../request';
import type { JpipStreamType } from './query';

export type HeaderLookup = (name: string) => string | null;

export interface ServedChannel {
  cid: string;
  transport: string | null;
  path: string | null;
  host: string | null;
  port: number | null;
}

export interface ServedHeaders {
  tid: string | null;
  channel: ServedChannel | null;
  fsiz: XY | null;
  roff: XY | null;
  rsiz: XY | null;
  layers: number | null;
  comps: string | null;
  stream: string | null;
  /** Stream type named by Content-Type (image/jpp-stream, image/jpt-stream), or null. */
  streamType: JpipStreamType | null;
  contentType: string | null;
}

function bad(header: string, value: string, why: string): MalformedError {
  return new MalformedError('JPIP_CLIENT_BAD_HEADER', `${header}: '${value.slice(0, 80)}' ${why}`, { context: header });
}

function uint(header: string, whole: string, s: string): number {
  if (!/^\d{1,15}$/.test(s)) throw bad(header, whole, 'is not a whole number');
  return Number(s);
}

function pair(header: string, v: string | null): XY | null {
  if (v === null) return null;
  const parts = v.trim().split(',');
  if (parts.length < 2 || parts.length > 3) throw bad(header, v, 'is not "x,y"');
  // JPIP-fsiz may repeat a round-direction token (same syntax as the request field, D.2.4).
  return { x: uint(header, v, (parts[0] ?? '').trim()), y: uint(header, v, (parts[1] ?? '').trim()) };
}

/** JPIP-cnew: comma-separated name=value pairs; cid is required. // 15444-9 D.2.3 */
export function parseCnewHeader(v: string): ServedChannel {
  const out: ServedChannel = { cid: '', transport: null, path: null, host: null, port: null };
  const seen = new Set<string>();
  for (const item of v.split(',')) {
    const s = item.trim();
    const eq = s.indexOf('=');
    if (eq <= 0) throw bad('JPIP-cnew', v, `has an item '${s.slice(0, 20)}' without '='`);
    const name = s.slice(0, eq).trim().toLowerCase();
    const value = s.slice(eq + 1).trim();
    if (seen.has(name)) throw bad('JPIP-cnew', v, `repeats '${name}'`);
    seen.add(name);
    if (value.length === 0 || value.length > 255) throw bad('JPIP-cnew', v, `has an empty or overlong '${name}'`);
    if (name === 'cid') out.cid = value;
    else if (name === 'transport') out.transport = value;
    else if (name === 'path') out.path = value;
    else if (name === 'host') out.host = value;
    else if (name === 'port') {
      const port = uint('JPIP-cnew', v, value);
      if (port < 1 || port > 65535) throw bad('JPIP-cnew', v, 'has a port outside 1-65535');
      out.port = port;
    }
    // auxport and later extensions: only meaningful for http-tcp, which this client never offers.
  }
  if (out.cid === '') throw bad('JPIP-cnew', v, 'has no cid');
  return out;
}

function streamTypeOf(contentType: string | null): JpipStreamType | null {
  if (contentType === null) return null;
  const base = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (base === 'image/jpp-stream') return 'jpp-stream';
  if (base === 'image/jpt-stream') return 'jpt-stream';
  return null;
}

/** Parses the JPIP headers of one response. // 15444-9 D.2 */
export function parseServedHeaders(get: HeaderLookup): ServedHeaders {
  const layers = get('JPIP-layers');
  const contentType = get('Content-Type');
  const cnew = get('JPIP-cnew');
  const tid = get('JPIP-tid');
  return {
    tid: tid === null ? null : tid.trim(),
    channel: cnew === null ? null : parseCnewHeader(cnew),
    fsiz: pair('JPIP-fsiz', get('JPIP-fsiz')),
    roff: pair('JPIP-roff', get('JPIP-roff')),
    rsiz: pair('JPIP-rsiz', get('JPIP-rsiz')),
    layers: layers === null ? null : uint('JPIP-layers', layers, layers.trim()),
    comps: get('JPIP-comps'),
    stream: get('JPIP-stream'),
    streamType: streamTypeOf(contentType),
    contentType,
  };
}
