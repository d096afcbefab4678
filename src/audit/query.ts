// Answers "who saw this study" from audit log lines (`fovea audit`): parses JSON lines, filters
// by study, principal and time, and formats a row per record. Pure: the CLI reads the file.

import type { AuditRecord } from './record';
import { AUDIT_ACTIONS } from './types';

export interface AuditFilter {
  study?: string;
  /** Matches Principal.id exactly, or its sub, client_id, key name, link id or AE title. */
  principal?: string;
  /** Records at or after this time (ms since epoch). */
  since?: number;
}

/** One log line as a record; undefined for a line that is not one (a torn last line, garbage). */
export function parseAuditLine(line: string): AuditRecord | undefined {
  if (line.trim().length === 0) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Partial<AuditRecord>;
  if (
    r.v !== 1 ||
    typeof r.time !== 'string' ||
    !AUDIT_ACTIONS.some((a) => a === r.action) ||
    typeof r.principal?.id !== 'string' ||
    !Array.isArray(r.studies)
  )
    return undefined;
  return v as AuditRecord;
}

export function matchesAudit(r: AuditRecord, f: AuditFilter): boolean {
  if (f.study !== undefined && !r.studies.includes(f.study)) return false;
  if (f.since !== undefined && Date.parse(r.time) < f.since) return false;
  if (f.principal !== undefined) {
    const p = r.principal;
    const names = [p.id, p.sub, p.clientId, p.keyName, p.linkId, p.aeTitle];
    if (!names.includes(f.principal)) return false;
  }
  return true;
}

/** --since: an ISO 8601 time, or a duration back from `now` like "90s", "15m", "2h", "7d". */
export function parseSince(raw: string, now: number): number | undefined {
  const d = /^([0-9]{1,9})([smhd])$/.exec(raw.trim());
  if (d !== null && d[1] !== undefined && d[2] !== undefined) {
    const unit = { s: 1, m: 60, h: 3600, d: 86400 }[d[2] as 's' | 'm' | 'h' | 'd'];
    return now - Number(d[1]) * unit * 1000;
  }
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(raw)) return undefined;
  const t = Date.parse(raw);
  return Number.isNaN(t) ? undefined : t;
}

/** One tab-separated line: time, action, principal, address, outcome, studies. */
export function formatAuditRow(r: AuditRecord): string {
  const status =
    r.outcome.httpStatus !== undefined
      ? String(r.outcome.httpStatus)
      : r.outcome.dimseStatus !== undefined
        ? `0x${r.outcome.dimseStatus.toString(16).padStart(4, '0').toUpperCase()}`
        : '';
  const outcome = `${r.outcome.success ? 'ok' : 'failed'}${status === '' ? '' : ` ${status}`}`;
  const extra = r.jpip !== undefined ? `\t${r.jpip.requests} req ${r.jpip.frames} frames ${r.jpip.bytes} B` : '';
  return `${r.time}\t${r.action}\t${r.principal.id}\t${r.address}\t${outcome}\t${r.studies.join(',') || '-'}${extra}`;
}
