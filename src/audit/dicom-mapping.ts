// Each audit action mapped to its DICOM audit message (PS3.15 Annex A.5, "Audit Trail Message
// Format Profile"): the EventID (CID 400 "Audit Event ID", coding scheme DCM), the EventActionCode
// (A.5.3: C create, R read, U update, D delete, E execute), the EventOutcomeIndicator (A.5,
// 0 success, 4 minor failure, 8 serious failure, 12 major failure) and, where A.5.3 asks for one,
// the EventTypeCode (CID 401 / 403). Pure.

import type { AuditAction, AuditOutcome } from './types';

export interface CodedValue {
  code: string;
  codingScheme: 'DCM';
  meaning: string;
}

export type EventActionCode = 'C' | 'R' | 'U' | 'D' | 'E';
export type EventOutcomeIndicator = 0 | 4 | 8 | 12;

export interface AuditMessageMapping {
  eventId: CodedValue;
  eventActionCode: EventActionCode;
  eventOutcomeIndicator: EventOutcomeIndicator;
  eventTypeCode?: CodedValue;
}

const dcm = (code: string, meaning: string): CodedValue => ({ code, codingScheme: 'DCM', meaning });

/** PS3.16 CID 400 / 401 / 403 codes used by Fovea. */
export const AUDIT_CODES = {
  instancesAccessed: dcm('110103', 'DICOM Instances Accessed'),
  instancesTransferred: dcm('110104', 'DICOM Instances Transferred'),
  studyDeleted: dcm('110105', 'DICOM Study Deleted'),
  import: dcm('110107', 'Import'),
  query: dcm('110112', 'Query'),
  securityAlert: dcm('110113', 'Security Alert'),
  userAuthentication: dcm('110114', 'User Authentication'),
  login: dcm('110122', 'Login'), // CID 401 event type of User Authentication
  objectSecurityAttributesChanged: dcm('110135', 'Object Security Attributes Changed'), // CID 403
} as const;

const BY_ACTION: Readonly<
  Record<AuditAction, { eventId: CodedValue; eventActionCode: EventActionCode; eventTypeCode?: CodedValue }>
> = {
  // QIDO-RS, C-FIND: A.5.3 "Query", action E.
  query: { eventId: AUDIT_CODES.query, eventActionCode: 'E' },
  // WADO-RS / WADO-URI retrieve, C-MOVE, C-GET: instances sent out of the gateway, action R (A.5.3 "DICOM Instances Transferred").
  retrieve: { eventId: AUDIT_CODES.instancesTransferred, eventActionCode: 'R' },
  // Rendered / thumbnail images and JPIP views: instances viewed, action R (A.5.3 "DICOM Instances Accessed").
  render: { eventId: AUDIT_CODES.instancesAccessed, eventActionCode: 'R' },
  'jpip-view': { eventId: AUDIT_CODES.instancesAccessed, eventActionCode: 'R' },
  // STOW-RS, C-STORE: instances transferred into the gateway, action C (A.5.3 "DICOM Instances Transferred").
  store: { eventId: AUDIT_CODES.instancesTransferred, eventActionCode: 'C' },
  // `fovea import` of files: A.5.3 "Import", action C.
  import: { eventId: AUDIT_CODES.import, eventActionCode: 'C' },
  // Deleting a study: A.5.3 "DICOM Study Deleted", action D.
  delete: { eventId: AUDIT_CODES.studyDeleted, eventActionCode: 'D' },
  // A study-scoped link grants read of a study: a change of the study's access rights
  // (A.5.3 "Security Alert", event type 110135).
  'link-issued': {
    eventId: AUDIT_CODES.securityAlert,
    eventActionCode: 'E',
    eventTypeCode: AUDIT_CODES.objectSecurityAttributesChanged,
  },
  // 401: a failed login (A.5.3 "User Authentication", event type 110122 Login).
  'login-failure': {
    eventId: AUDIT_CODES.userAuthentication,
    eventActionCode: 'E',
    eventTypeCode: AUDIT_CODES.login,
  },
};

/** PS3.15 A.5 EventOutcomeIndicator: 0 success; 4 minor failure (the client's fault: HTTP 4xx, a
 *  partial STOW-RS 202, DIMSE warnings, cancel and refused requests 0xA...); 8 serious failure
 *  (HTTP 5xx, DIMSE processing failures 0x0110, 0xC...). */
export function outcomeIndicator(o: AuditOutcome): EventOutcomeIndicator {
  if (o.httpStatus !== undefined) {
    if (o.httpStatus >= 500) return 8;
    if (o.httpStatus >= 400 || o.httpStatus === 202) return 4;
    return o.success ? 0 : 4;
  }
  if (o.dimseStatus !== undefined) {
    const s = o.dimseStatus;
    if (s === 0x0000) return o.success ? 0 : 4;
    if ((s & 0xf000) === 0xb000 || s === 0xfe00 || (s & 0xf000) === 0xa000) return s === 0xa700 ? 8 : 4;
    return 8;
  }
  return o.success ? 0 : 4;
}

export function auditMessageFor(action: AuditAction, outcome: AuditOutcome): AuditMessageMapping {
  const m = BY_ACTION[action];
  const out: AuditMessageMapping = {
    eventId: m.eventId,
    eventActionCode: m.eventActionCode,
    eventOutcomeIndicator: outcomeIndicator(outcome),
  };
  if (m.eventTypeCode !== undefined) out.eventTypeCode = m.eventTypeCode;
  return out;
}
