// Client request building (ISO/IEC 15444-9 Annex C): the view-window fields (fsiz C.4.2, roff
// C.4.3, rsiz C.4.4, comps C.4.5, stream C.4.6, layers C.4.10), return type (C.7.3), len (C.6.1)
// and the session/cache fields (tid C.2.2, cid C.3.2, cnew C.3.3, model C.9.2). Values are
// written with raw ',', ':', ';', '[' and ']' (OpenJPEG's opj_server does no %-decoding) and the
// query is joined to a base URL that may already carry one (PS3.5 §8.4.1: join with '&' or '?').

import { MalformedError } from '../../bytes';
import type { Fsiz, XY } from '../request';
import type { SampledRange, UintRange } from '../request-values';

export type JpipStreamType = 'jpp-stream' | 'jpt-stream';

/** What the client wants to see: a view-window plus response limits. */
export interface JpipView {
  /** Frame size; `round` omitted = the server's default (round-down). */
  fsiz?: Omit<Fsiz, 'round'> & { round?: Fsiz['round'] };
  roff?: XY;
  rsiz?: XY;
  comps?: readonly UintRange[];
  /** Codestreams (DICOM: frame n is stream n, PS3.5 §8.4.1). */
  stream?: readonly SampledRange[];
  layers?: number;
  type?: JpipStreamType;
  len?: number;
}

/** Session and cache fields added by the client session. */
export interface JpipSessionFields {
  tid?: string;
  cid?: string;
  cnew?: readonly string[];
  model?: string;
}

function uint(name: string, v: number): string {
  if (!Number.isSafeInteger(v) || v < 0)
    throw new MalformedError('JPIP_CLIENT_BAD_VIEW', `${name} must be a whole number ≥ 0, got ${v}`, { context: name });
  return String(v);
}

function range(name: string, r: UintRange): string {
  const from = uint(name, r.from);
  if (r.to === null) return `${from}-`;
  if (uint(name, r.to) === from) return from;
  if (r.to < r.from)
    throw new MalformedError('JPIP_CLIENT_BAD_VIEW', `${name} range ${r.from}-${r.to} is reversed`, { context: name });
  return `${from}-${r.to}`;
}

/** Characters allowed in cid/tid values we echo back: a token, no query syntax. // C.2.2, C.3.2 */
const TOKEN = /^[\x21-\x7e]+$/;
function token(name: string, v: string): string {
  if (!TOKEN.test(v) || /[&=#%?]/.test(v) || v.length > 255) {
    throw new MalformedError('JPIP_CLIENT_BAD_TOKEN', `${name} '${v.slice(0, 40)}' cannot be sent in a query`, {
      context: name,
    });
  }
  return v;
}

/** The request's fields in a stable order, as `name=value` strings. */
export function buildQueryFields(view: JpipView, session: JpipSessionFields = {}): string[] {
  const out: string[] = [];
  if (session.tid !== undefined) out.push(`tid=${token('tid', session.tid)}`);
  if (session.cid !== undefined) out.push(`cid=${token('cid', session.cid)}`);
  if (session.cnew !== undefined && session.cnew.length > 0)
    out.push(`cnew=${session.cnew.map((t) => token('cnew', t)).join(',')}`);
  if (view.stream !== undefined && view.stream.length > 0) {
    out.push(
      `stream=${view.stream.map((s) => range('stream', s) + (s.step > 1 ? `:${uint('stream', s.step)}` : '')).join(',')}`,
    );
  }
  if (view.fsiz !== undefined) {
    const f = view.fsiz;
    out.push(
      `fsiz=${uint('fsiz', f.fx)},${uint('fsiz', f.fy)}${f.round !== undefined && f.round !== 'round-down' ? `,${f.round}` : ''}`,
    );
  }
  if (view.roff !== undefined) out.push(`roff=${uint('roff', view.roff.x)},${uint('roff', view.roff.y)}`);
  if (view.rsiz !== undefined) out.push(`rsiz=${uint('rsiz', view.rsiz.x)},${uint('rsiz', view.rsiz.y)}`);
  if (view.comps !== undefined && view.comps.length > 0)
    out.push(`comps=${view.comps.map((c) => range('comps', c)).join(',')}`);
  if (view.layers !== undefined) out.push(`layers=${uint('layers', view.layers)}`);
  out.push(`type=${view.type ?? 'jpp-stream'}`);
  if (view.len !== undefined) out.push(`len=${uint('len', view.len)}`);
  if (session.model !== undefined && session.model.length > 0) out.push(`model=${session.model}`);
  return out;
}

export function buildQuery(view: JpipView, session: JpipSessionFields = {}): string {
  return buildQueryFields(view, session).join('&');
}

/** Appends a query to a URL that may already have one (and drops a fragment). // PS3.5 §8.4.1 */
export function joinQuery(base: string, query: string): string {
  const hash = base.indexOf('#');
  const url = hash < 0 ? base : base.slice(0, hash);
  if (query.length === 0) return url;
  const q = url.indexOf('?');
  if (q < 0) return `${url}?${query}`;
  return url.endsWith('?') || url.endsWith('&') ? url + query : `${url}&${query}`;
}
