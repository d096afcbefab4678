// The audit record (docs/security.md "Audit trail"): one append-only entry per access, as plain
// data. Who (the principal, never a credential), from where, what (the action and the Study /
// Series / SOP Instance UIDs touched), the outcome, and the DICOM PS3.15 A.5 audit message it maps
// to (dicom-mapping.ts). Records carry UIDs only: never a patient name or ID, never a token, never
// a URL query. Pure: no fs, no express, no clock (the caller gives the time).

import type { Principal } from '../auth';
import { auditMessageFor, type AuditMessageMapping } from './dicom-mapping';
import type { AuditAction, AuditOutcome } from './types';

export { AUDIT_ACTIONS, type AuditAction, type AuditOutcome } from './types';

/** The principal as the audit trail names it: the identity, and what identifies its credential. */
export interface AuditPrincipal {
  /** Principal.id ("oidc:<iss>#<sub>", "key:<name>", "link:<id>", "anonymous"), "dimse:<AET>@<address>",
   *  "cli:<user>", or "unauthenticated" for a login failure. */
  id: string;
  kind: Principal['kind'] | 'dimse' | 'cli' | 'unauthenticated';
  sub?: string;
  clientId?: string;
  keyName?: string;
  linkId?: string;
  /** DIMSE: the calling AE title. */
  aeTitle?: string;
}

export interface AuditRecord {
  /** Record format version. */
  v: 1;
  /** ISO 8601 UTC. For jpip-view: the end of the aggregated minute (or of the last request). */
  time: string;
  action: AuditAction;
  principal: AuditPrincipal;
  /** Client IP address (HTTP) or the calling peer's address (DIMSE). */
  address: string;
  transport: 'http' | 'dimse' | 'cli';
  /** HTTP method and route (path, no query) or DIMSE operation (C-STORE, C-FIND, C-MOVE, C-GET). */
  operation: string;
  studies: string[];
  series?: string[];
  instances?: string[];
  outcome: AuditOutcome;
  /** OIDC `jti` or link id of the credential used. */
  jti?: string;
  requestId?: string;
  /** jpip-view: the channel (cid, or "stateless:<target>"), the minute aggregated, what was served. */
  jpip?: { channel: string; from: string; requests: number; frames: number; bytes: number };
  /** link-issued: the new link's id and expiry (the token itself is never recorded). */
  link?: { id: string; expires: string };
  dicom: AuditMessageMapping;
}

export interface AuditEvent {
  time: number;
  action: AuditAction;
  principal: AuditPrincipal;
  address: string;
  transport: AuditRecord['transport'];
  operation: string;
  studies?: readonly string[];
  series?: readonly string[];
  instances?: readonly string[];
  outcome: AuditOutcome;
  jti?: string;
  requestId?: string;
  jpip?: AuditRecord['jpip'];
  link?: AuditRecord['link'];
}

/** The audit principal of an authenticated HTTP principal (credential fields only, never the token). */
export function auditPrincipalOf(p: Principal): AuditPrincipal {
  const out: AuditPrincipal = { id: p.id, kind: p.kind };
  if (p.subject !== undefined) out.sub = p.subject;
  if (p.clientId !== undefined) out.clientId = p.clientId;
  if (p.keyName !== undefined) out.keyName = p.keyName;
  if (p.linkId !== undefined) out.linkId = p.linkId;
  return out;
}

/** The audit principal of a DIMSE association: "dimse:<calling AET>@<address>". */
export function dimsePrincipal(aeTitle: string, address: string): AuditPrincipal {
  return { id: `dimse:${aeTitle}@${address}`, kind: 'dimse', aeTitle };
}

export const UNAUTHENTICATED: AuditPrincipal = Object.freeze({ id: 'unauthenticated', kind: 'unauthenticated' });

const UID = /^[0-9]+(\.[0-9]+)*$/;

/** Distinct well-formed UIDs in first-seen order (anything else is dropped: no free text in records). */
function uids(list: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const u of list ?? []) if (u.length <= 64 && UID.test(u) && !out.includes(u)) out.push(u);
  return out;
}

/** Builds the record of one event, with its PS3.15 A.5 mapping. */
export function auditRecord(e: AuditEvent): AuditRecord {
  const series = uids(e.series);
  const instances = uids(e.instances);
  // Members in reading order: who, where, what, outcome, credential, details, mapping.
  return {
    v: 1,
    time: new Date(e.time).toISOString(),
    action: e.action,
    principal: e.principal,
    address: e.address,
    transport: e.transport,
    operation: e.operation,
    studies: uids(e.studies),
    ...(series.length > 0 ? { series } : {}),
    ...(instances.length > 0 ? { instances } : {}),
    outcome: e.outcome,
    ...(e.jti !== undefined ? { jti: e.jti } : {}),
    ...(e.requestId !== undefined ? { requestId: e.requestId } : {}),
    ...(e.jpip !== undefined ? { jpip: e.jpip } : {}),
    ...(e.link !== undefined ? { link: e.link } : {}),
    dicom: auditMessageFor(e.action, e.outcome),
  };
}
