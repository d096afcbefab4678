// The vocabulary of the audit trail shared by the record and its PS3.15 A.5 mapping. Pure.

/** What was done. `jpip-view` records aggregate one channel's requests over one minute. */
export type AuditAction =
  'query' | 'retrieve' | 'render' | 'jpip-view' | 'store' | 'import' | 'delete' | 'link-issued' | 'login-failure';

export const AUDIT_ACTIONS: readonly AuditAction[] = [
  'query',
  'retrieve',
  'render',
  'jpip-view',
  'store',
  'import',
  'delete',
  'link-issued',
  'login-failure',
];

export interface AuditOutcome {
  success: boolean;
  httpStatus?: number;
  /** DIMSE status of the final response (PS3.7 Annex C). */
  dimseStatus?: number;
  /** Stable error code (e.g. AUTH_KEY_UNKNOWN) when the access failed. */
  code?: string;
}
