// Public API of src/audit (docs/security.md "Audit trail"): the record and its PS3.15 A.5
// mapping, JPIP view aggregation, RFC 5424 formatting, log querying (all pure) and the trail
// (trail.ts, the adapter that writes records to the log file and to syslog).
export {
  AUDIT_ACTIONS,
  UNAUTHENTICATED,
  auditPrincipalOf,
  auditRecord,
  dimsePrincipal,
  type AuditAction,
  type AuditEvent,
  type AuditOutcome,
  type AuditPrincipal,
  type AuditRecord,
} from './record';
export { AUDIT_CODES, auditMessageFor, outcomeIndicator, type AuditMessageMapping } from './dicom-mapping';
export { JpipViewAggregator, type JpipViewHit } from './jpip-aggregate';
export { octetCounted, syslogMessage, SYSLOG_PRI, type SyslogTarget } from './syslog';
export { formatAuditRow, matchesAudit, parseAuditLine, parseSince, type AuditFilter } from './query';
export { AuditTrail, NO_AUDIT, type AuditSink, type AuditTrailOptions } from './trail';
