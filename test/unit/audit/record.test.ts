// The pure parts of the audit trail: every action's PS3.15 A.5 mapping (EventID, EventActionCode,
// EventOutcomeIndicator, EventTypeCode, DCM codes), record building (UIDs only, no free text),
// which route is which action (src/http/audit-routes.ts), log-line parsing and filtering for
// `fovea audit`, and the RFC 5424 header and target syntax.

import {
  AUDIT_ACTIONS,
  auditMessageFor,
  auditRecord,
  auditPrincipalOf,
  formatAuditRow,
  matchesAudit,
  octetCounted,
  outcomeIndicator,
  parseAuditLine,
  parseSince,
  syslogMessage,
  type AuditAction,
} from '../../../src/audit';
import { parseSyslogTarget, readConfig } from '../../../src/config';
import { auditedRoute } from '../../../src/http/audit-routes';

describe('PS3.15 A.5 mapping', () => {
  const expected: Record<AuditAction, [string, string, string | undefined]> = {
    query: ['110112', 'E', undefined],
    retrieve: ['110104', 'R', undefined],
    render: ['110103', 'R', undefined],
    'jpip-view': ['110103', 'R', undefined],
    store: ['110104', 'C', undefined],
    import: ['110107', 'C', undefined],
    delete: ['110105', 'D', undefined],
    'link-issued': ['110113', 'E', '110135'],
    'login-failure': ['110114', 'E', '110122'],
  };
  test.each(AUDIT_ACTIONS.map((a) => [a]))('%s', (action) => {
    const m = auditMessageFor(action, { success: true, httpStatus: 200 });
    const [code, act, type] = expected[action];
    expect(m.eventId.code).toBe(code);
    expect(m.eventId.codingScheme).toBe('DCM');
    expect(m.eventActionCode).toBe(act);
    expect(m.eventTypeCode?.code).toBe(type);
    if (type !== undefined) expect(m.eventTypeCode?.codingScheme).toBe('DCM');
  });

  test('EventOutcomeIndicator from HTTP and DIMSE statuses', () => {
    expect(outcomeIndicator({ success: true, httpStatus: 200 })).toBe(0);
    expect(outcomeIndicator({ success: true, httpStatus: 202 })).toBe(4); // partial STOW-RS
    expect(outcomeIndicator({ success: false, httpStatus: 401 })).toBe(4);
    expect(outcomeIndicator({ success: false, httpStatus: 404 })).toBe(4);
    expect(outcomeIndicator({ success: false, httpStatus: 500 })).toBe(8);
    expect(outcomeIndicator({ success: false, httpStatus: 200 })).toBe(4); // aborted transfer
    expect(outcomeIndicator({ success: true, dimseStatus: 0 })).toBe(0);
    expect(outcomeIndicator({ success: true, dimseStatus: 0xb000 })).toBe(4);
    expect(outcomeIndicator({ success: false, dimseStatus: 0xa801 })).toBe(4);
    expect(outcomeIndicator({ success: false, dimseStatus: 0xa700 })).toBe(8);
    expect(outcomeIndicator({ success: false, dimseStatus: 0xc000 })).toBe(8);
    expect(outcomeIndicator({ success: false, dimseStatus: 0x0110 })).toBe(8);
  });
});

describe('auditRecord', () => {
  test('keeps well-formed distinct UIDs only, and never a credential', () => {
    const r = auditRecord({
      time: 0,
      action: 'query',
      principal: auditPrincipalOf({
        kind: 'oidc',
        id: 'oidc:https://idp#alice',
        subject: 'alice',
        clientId: 'app',
        tokenId: 'j1',
        permissions: new Set(['read']),
      }),
      address: '::1',
      transport: 'http',
      operation: 'GET qido',
      studies: ['1.2.3', '1.2.3', 'DOE^JOHN', '1.2.x', '4.5'],
      outcome: { success: true, httpStatus: 200 },
    });
    expect(r.studies).toEqual(['1.2.3', '4.5']);
    expect(r.principal).toEqual({ id: 'oidc:https://idp#alice', kind: 'oidc', sub: 'alice', clientId: 'app' });
    expect(r.series).toBeUndefined();
    expect(r.time).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('auditedRoute', () => {
  const s = '1.2.3';
  test.each([
    ['POST', '/dicomweb/studies', 'store', 'stow', {}],
    ['POST', `/dicomweb/studies/${s}`, 'store', 'stow', { study: s }],
    ['GET', '/dicomweb/studies', 'query', 'qido', {}],
    ['GET', '/dicomweb/instances', 'query', 'qido', {}],
    ['GET', `/dicomweb/studies/${s}/series`, 'query', 'qido', { study: s }],
    ['GET', `/dicomweb/studies/${s}/series/4.5/instances`, 'query', 'qido', { study: s, series: '4.5' }],
    ['GET', `/dicomweb/studies/${s}`, 'retrieve', 'wado-rs', { study: s }],
    ['HEAD', `/dicomweb/studies/${s}/metadata`, 'retrieve', 'wado-rs', { study: s }],
    ['GET', `/dicomweb/studies/${s}/series/4/instances/5/frames/1`, 'retrieve', 'wado-rs', { instance: '5' }],
    ['GET', `/dicomweb/studies/${s}/series/4/instances/5/bulkdata/7FE00010`, 'retrieve', 'wado-rs', {}],
    ['GET', `/dicomweb/studies/${s}/rendered`, 'render', 'rendered', { study: s }],
    ['GET', `/dicomweb/studies/${s}/series/4/instances/5/frames/2/thumbnail`, 'render', 'thumbnail', {}],
    ['DELETE', `/dicomweb/studies/${s}`, 'delete', 'delete', { study: s }],
    ['GET', '/jpip', 'jpip-view', 'jpip', {}],
    ['POST', '/jpip/1.2.3.jp2', 'jpip-view', 'jpip', {}],
    ['POST', '/api/links', 'link-issued', 'links', {}],
  ] as const)('%s %s → %s', (method, path, action, service, uids) => {
    expect(auditedRoute(method, path, {})).toMatchObject({ action, service, ...uids });
  });

  test('WADO-URI: UIDs from the query; the object for application/dicom or */*, else a render (§8.2.5)', () => {
    const q = { requestType: 'WADO', studyUID: '1', seriesUID: '2', objectUID: '3', contentType: 'application/dicom' };
    expect(auditedRoute('GET', '/wado', q)).toEqual({
      action: 'retrieve',
      service: 'wado-uri',
      study: '1',
      series: '2',
      instance: '3',
    });
    expect(auditedRoute('GET', '/wado', { ...q, contentType: 'image/png, */*;q=0.1' })?.action).toBe('retrieve');
    expect(auditedRoute('GET', '/wado', { ...q, contentType: 'image/jpeg' })?.action).toBe('render');
    expect(auditedRoute('GET', '/wado', { requestType: 'WADO', objectUID: '3' })?.action).toBe('render'); // default image/jpeg
  });

  test('not accesses: health, preflight, unknown paths and methods', () => {
    expect(auditedRoute('GET', '/healthz', {})).toBeUndefined();
    expect(auditedRoute('OPTIONS', '/dicomweb/studies', {})).toBeUndefined();
    expect(auditedRoute('GET', '/viewer/', {})).toBeUndefined();
    expect(auditedRoute('PUT', '/dicomweb/studies/1', {})).toBeUndefined();
    expect(auditedRoute('DELETE', '/jpip', {})).toBeUndefined();
  });
});

describe('fovea audit: parsing and filtering', () => {
  const rec = auditRecord({
    time: Date.UTC(2026, 0, 2, 3, 4, 5),
    action: 'store',
    principal: { id: 'dimse:MODALITY@10.1.2.3', kind: 'dimse', aeTitle: 'MODALITY' },
    address: '10.1.2.3',
    transport: 'dimse',
    operation: 'C-STORE',
    studies: ['1.2.3'],
    outcome: { success: true, dimseStatus: 0 },
  });
  const line = JSON.stringify(rec);

  test('lines that are not records are skipped', () => {
    expect(parseAuditLine(line)).toEqual(rec);
    expect(parseAuditLine('')).toBeUndefined();
    expect(parseAuditLine('{"v":1,"time":"x"')).toBeUndefined(); // torn
    expect(parseAuditLine('{"v":2}')).toBeUndefined();
    expect(parseAuditLine('[1]')).toBeUndefined();
  });

  test('study, principal (id or AE title) and since', () => {
    expect(matchesAudit(rec, { study: '1.2.3' })).toBe(true);
    expect(matchesAudit(rec, { study: '1.2.4' })).toBe(false);
    expect(matchesAudit(rec, { principal: 'MODALITY' })).toBe(true);
    expect(matchesAudit(rec, { principal: 'dimse:MODALITY@10.1.2.3' })).toBe(true);
    expect(matchesAudit(rec, { principal: 'dimse' })).toBe(false);
    expect(matchesAudit(rec, { since: Date.UTC(2026, 0, 2) })).toBe(true);
    expect(matchesAudit(rec, { since: Date.UTC(2026, 0, 3) })).toBe(false);
  });

  test('--since: durations and ISO 8601 times', () => {
    const now = Date.UTC(2026, 0, 2);
    expect(parseSince('2h', now)).toBe(now - 7_200_000);
    expect(parseSince('7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseSince('2026-01-01T00:00:00Z', now)).toBe(Date.UTC(2026, 0, 1));
    expect(parseSince('yesterday', now)).toBeUndefined();
    expect(parseSince('12', now)).toBeUndefined();
  });

  test('a row: time, action, principal, address, outcome with the DIMSE status, studies', () => {
    expect(formatAuditRow(rec)).toBe(
      '2026-01-02T03:04:05.000Z\tstore\tdimse:MODALITY@10.1.2.3\t10.1.2.3\tok 0x0000\t1.2.3',
    );
  });
});

describe('RFC 5424', () => {
  test('header fields are printable ASCII without spaces, or "-"', () => {
    const m = syslogMessage('{}', { time: 'T', hostname: 'my host\u00e9', appName: '', procId: 42 });
    expect(m).toBe('<85>1 T myhost - 42 fovea-audit - \ufeff{}');
  });

  test('octet counting counts UTF-8 bytes', () => {
    expect(octetCounted('é').toString('utf8')).toBe('2 é');
  });

  test('FOVEA_AUDIT_SYSLOG syntax', () => {
    expect(parseSyslogTarget('udp://127.0.0.1:514')).toEqual({ protocol: 'udp', host: '127.0.0.1', port: 514 });
    expect(parseSyslogTarget('tcp://[::1]:6514')).toEqual({ protocol: 'tcp', host: '::1', port: 6514 });
    expect(parseSyslogTarget('tcp://audit.example.org:601')?.host).toBe('audit.example.org');
    expect(parseSyslogTarget('tls://a:1')).toBeUndefined();
    expect(parseSyslogTarget('udp://a:0')).toBeUndefined();
    expect(parseSyslogTarget('udp://a')).toBeUndefined();
  });
});

describe('configuration (src/config.ts)', () => {
  test('FOVEA_AUDIT_LOG defaults to <data>/audit.log; FOVEA_AUDIT_SYSLOG is checked', () => {
    expect(readConfig({ data: '/srv/fovea' }, {}).audit).toEqual({
      logPath: '/srv/fovea/audit.log',
      syslog: undefined,
    });
    expect(
      readConfig(
        { data: '/srv/fovea' },
        { FOVEA_AUDIT_LOG: '/var/log/fovea/a.log', FOVEA_AUDIT_SYSLOG: 'udp://ar:514' },
      ).audit,
    ).toEqual({ logPath: '/var/log/fovea/a.log', syslog: { protocol: 'udp', host: 'ar', port: 514 } });
    expect(() => readConfig({}, { FOVEA_AUDIT_SYSLOG: 'syslog.example:514' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_BAD_AUDIT_SYSLOG' }),
    );
  });
});
