// The audit record as an RFC 5424 syslog message, for an audit repository (IHE ATNA): the header
// `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID -` (§6.2; PRI = facility 10 "security/
// authorization" × 8 + severity 5 "notice" = 85, as IHE ITI-20 asks), no structured data, and as
// MSG the record's JSON line (UTF-8, BOM-prefixed, §6.4). Over UDP one message per datagram
// (RFC 5426); over TCP octet-counted, "LEN SP MSG" (RFC 6587 §3.4.1, the RFC 5425 framing). Pure.

export const SYSLOG_PRI = 10 * 8 + 5;
export const SYSLOG_MSGID = 'fovea-audit';
const BOM = '\ufeff';

export interface SyslogTarget {
  protocol: 'udp' | 'tcp';
  host: string;
  port: number;
}

/** RFC 5424 §6.2.4 HOSTNAME / §6.2.5 APP-NAME: printable US-ASCII without spaces, bounded, or "-". */
function headerField(value: string, max: number): string {
  const v = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return v.length === 0 ? '-' : v;
}

export function syslogMessage(
  json: string,
  o: { time: string; hostname: string; appName: string; procId: string | number },
): string {
  return (
    `<${SYSLOG_PRI}>1 ${o.time} ${headerField(o.hostname, 255)} ${headerField(o.appName, 48)} ` +
    `${headerField(String(o.procId), 128)} ${SYSLOG_MSGID} - ${BOM}${json}`
  );
}

/** RFC 6587 §3.4.1 octet counting: the length in bytes of the UTF-8 message, a space, the message. */
export function octetCounted(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
