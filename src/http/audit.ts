// The audit trail at the HTTP edge (docs/security.md "Audit trail"): one middleware, installed
// before authenticate(), that writes one audit record when a response is over: the action and
// UIDs of the route (audit-routes.ts) plus what the handler noted with noteAudit() (QIDO: the
// studies returned; STOW-RS: what was stored; JPIP: channel, target, frames, bytes; links: the
// link id), the principal authenticate() resolved (never the credential), the client address and
// the status. A 401 is a login failure. Successful JPIP requests are aggregated per channel per
// minute by the trail. No PHI beyond UIDs: nothing of the URL query, headers or body is copied.

import type { Request, RequestHandler, Response } from 'express';
import {
  auditPrincipalOf,
  UNAUTHENTICATED,
  type AuditEvent,
  type AuditOutcome,
  type AuditRecord,
  type AuditSink,
} from '../audit';
import type { InstanceStore } from '../store';
import { authFailureOf, principalOf } from './auth';
import { auditedRoute } from './audit-routes';
import { ERROR_CODE_KEY } from './error-map';

/** What a handler adds to its request's audit record. */
export interface HttpAuditNote {
  studies?: string[];
  series?: string[];
  instances?: string[];
  link?: AuditRecord['link'];
  jpip?: { channel: string; sopInstanceUid: string | undefined; frames: number[]; bytes: number };
}

const NOTE_KEY = 'foveaAuditNote';

export function noteAudit(res: Response, note: HttpAuditNote): void {
  const prev = res.locals[NOTE_KEY] as HttpAuditNote | undefined;
  res.locals[NOTE_KEY] = { ...prev, ...note };
}

/** QIDO-RS: the Study / Series / SOP Instance UIDs of the returned DICOM JSON objects. */
export function noteQidoResult(res: Response, items: readonly Record<string, unknown>[]): void {
  const first = (item: Record<string, unknown>, tag: string): string | undefined => {
    const a = item[tag] as { Value?: unknown[] } | undefined;
    const v = a?.Value?.[0];
    return typeof v === 'string' ? v : undefined;
  };
  const pick = (tag: string): string[] => [
    ...new Set(items.map((i) => first(i, tag)).filter((u): u is string => u !== undefined)),
  ];
  noteAudit(res, { studies: pick('0020000D'), series: pick('0020000E'), instances: pick('00080018') });
}

/** STOW-RS: the UIDs of the instances stored (failed parts name nothing that was touched). */
export function noteStored(
  res: Response,
  outcomes: readonly {
    studyInstanceUid: string | null;
    seriesInstanceUid: string | null;
    sopInstanceUid: string | null;
    failureReason: number | null;
  }[],
): void {
  const stored = outcomes.filter((o) => o.failureReason === null);
  const pick = (f: (o: (typeof stored)[number]) => string | null): string[] => [
    ...new Set(stored.map(f).filter((u): u is string => u !== null)),
  ];
  noteAudit(res, {
    studies: pick((o) => o.studyInstanceUid),
    series: pick((o) => o.seriesInstanceUid),
    instances: pick((o) => o.sopInstanceUid),
  });
}

export interface HttpAuditDeps {
  sink: AuditSink;
  /** Resolves a JPIP target's study and series. */
  store: Pick<InstanceStore, 'getInstance'>;
  now?: () => number;
}

function once(res: Response, fn: (delivered: boolean) => void): void {
  let done = false;
  const run = (delivered: boolean): void => {
    if (done) return;
    done = true;
    fn(delivered);
  };
  res.once('finish', () => run(true));
  res.once('close', () => run(res.writableFinished));
}

export function auditMiddleware(deps: HttpAuditDeps): RequestHandler {
  const now = deps.now ?? Date.now;
  return (req, res, next) => {
    once(res, (delivered) => {
      try {
        record(deps, now(), req, res, delivered);
      } catch {
        // The audit trail never fails a response; a bad record is dropped (see AuditTrail.dropped).
      }
    });
    next();
  };
}

function record(deps: HttpAuditDeps, time: number, req: Request, res: Response, delivered: boolean): void {
  // originalUrl: routers rewrite req.url while routing; authenticate() removed any token from both.
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const query = Object.fromEntries(new URLSearchParams(q < 0 ? '' : url.slice(q + 1)));
  const status = res.statusCode;
  // A 401 is a login failure (PS3.15 A.5.3.11, 110114) on whatever it was sent to, even a method no
  // route serves; anything else is recorded only where it accessed data.
  const route =
    auditedRoute(req.method, q < 0 ? url : url.slice(0, q), query) ??
    (status === 401 ? { action: 'login-failure' as const, service: 'http' } : undefined);
  if (route === undefined) return;
  const code: unknown = res.locals[ERROR_CODE_KEY];
  if (code === 'HTTP_NO_ROUTE') return; // not a resource: nothing was accessed
  const note = (res.locals[NOTE_KEY] as HttpAuditNote | undefined) ?? {};
  const principal = principalOf(res);
  const failure = authFailureOf(res);
  const outcome: AuditOutcome = { success: delivered && status < 400, httpStatus: status };
  if (status === 401 && failure !== undefined) outcome.code = failure.code;
  else if (typeof code === 'string') outcome.code = code;
  else if (!delivered) outcome.code = 'HTTP_ABORTED';
  const either = (noted: string[] | undefined, own: string | undefined): string[] =>
    noted !== undefined && noted.length > 0 ? noted : own === undefined ? [] : [own];
  let studies = either(note.studies, route.study);
  let series = either(note.series, route.series);
  let instances = either(note.instances, route.instance);
  const sop = note.jpip?.sopInstanceUid;
  if (sop !== undefined) {
    const inst = deps.store.getInstance(sop);
    studies = inst === undefined ? [] : [inst.studyInstanceUid];
    series = inst === undefined ? [] : [inst.seriesInstanceUid];
    instances = [sop];
  }
  const event: AuditEvent = {
    time,
    action: status === 401 ? 'login-failure' : route.action,
    principal: status === 401 || principal === undefined ? UNAUTHENTICATED : auditPrincipalOf(principal),
    address: req.socket.remoteAddress ?? '',
    transport: 'http',
    operation: `${req.method} ${route.service}`,
    studies,
    series,
    instances,
    outcome,
  };
  if (principal?.tokenId !== undefined && status !== 401) event.jti = principal.tokenId;
  const requestId: unknown = res.locals['requestId'];
  if (typeof requestId === 'string') event.requestId = requestId;
  if (note.link !== undefined && outcome.success) event.link = note.link;
  if (route.action === 'jpip-view' && outcome.success && note.jpip !== undefined) {
    const { action: _a, ...rest } = event;
    deps.sink.jpipView({
      time,
      channel: note.jpip.channel,
      event: rest,
      frames: note.jpip.frames,
      bytes: note.jpip.bytes,
    });
    return;
  }
  deps.sink.record(event);
}
