// The audit trail, the adapter of src/audit: turns events into records (record.ts) and appends
// them as JSON lines to the audit log (opened O_WRONLY | O_APPEND | O_CREAT, mode 0600; one
// write() per record, so concurrent writers and a crash leave whole lines), optionally also
// sending each as an RFC 5424 message to a syslog audit repository over UDP or TCP (syslog.ts).
// Callers never wait: record() puts the line on a bounded queue that one async loop drains; when
// the queue is full the record is dropped, counted and reported on the operational log (which
// never carries the record itself). JPIP views are aggregated per channel per minute
// (jpip-aggregate.ts) and written when their minute is over, or at close().

import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../log';
import { JpipViewAggregator, type JpipViewHit } from './jpip-aggregate';
import { auditRecord, type AuditEvent, type AuditRecord } from './record';
import { octetCounted, syslogMessage, type SyslogTarget } from './syslog';

/** What the HTTP edge, DIMSE and the CLI record through. */
export interface AuditSink {
  record(event: AuditEvent): void;
  /** One successful JPIP request, aggregated per channel per minute. */
  jpipView(hit: JpipViewHit): void;
}

/** Records nothing (tests and tools that build a gateway without a trail). */
export const NO_AUDIT: AuditSink = Object.freeze({ record: () => undefined, jpipView: () => undefined });

export interface AuditTrailOptions {
  /** The JSON-lines file (FOVEA_AUDIT_LOG, default <data>/audit.log). */
  logPath: string;
  /** FOVEA_AUDIT_SYSLOG. */
  syslog?: SyslogTarget | undefined;
  /** Most records waiting to be written (default 10,000). */
  maxQueue?: number;
  logger: Logger;
  now?: () => number;
  /** How often finished JPIP minutes are written (ms, default 10 s). */
  jpipFlushMs?: number;
}

const DEFAULT_MAX_QUEUE = 10_000;

export class AuditTrail implements AuditSink {
  private readonly queue: AuditRecord[] = [];
  private draining: Promise<void> | undefined;
  private readonly aggregator = new JpipViewAggregator();
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly maxQueue: number;
  private syslog: SyslogSender | undefined;
  private closed = false;
  /** Records dropped because the queue was full (or the trail closed). */
  dropped = 0;

  private constructor(
    private readonly file: fs.promises.FileHandle,
    private readonly options: AuditTrailOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
    if (options.syslog !== undefined) this.syslog = new SyslogSender(options.syslog, options.logger);
    this.timer = setInterval(() => this.takeJpip(this.now()), options.jpipFlushMs ?? 10_000);
    this.timer.unref();
  }

  static async open(options: AuditTrailOptions): Promise<AuditTrail> {
    await fs.promises.mkdir(path.dirname(options.logPath), { recursive: true });
    const { O_WRONLY, O_APPEND, O_CREAT } = fs.constants;
    const file = await fs.promises.open(options.logPath, O_WRONLY | O_APPEND | O_CREAT, 0o600);
    await file.chmod(0o600); // an existing log keeps owner-only access too
    return new AuditTrail(file, options);
  }

  record(event: AuditEvent): void {
    this.enqueue(auditRecord(event));
  }

  jpipView(hit: JpipViewHit): void {
    for (const e of this.aggregator.add(hit)) this.record(e);
  }

  /** Resolves when every record queued so far is written to the file (and handed to syslog). */
  async flush(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  /** Writes the JPIP aggregates of unfinished minutes too (shutdown, tests), then flushes. */
  async flushAll(): Promise<void> {
    this.takeJpip(Infinity);
    await this.flush();
  }

  /** Writes the pending JPIP aggregates and the queue, then closes the file and the syslog socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    this.takeJpip(Infinity);
    await this.flush();
    this.closed = true;
    await this.file.close();
    await this.syslog?.close();
  }

  private takeJpip(now: number): void {
    for (const e of this.aggregator.take(now)) this.record(e);
  }

  private enqueue(rec: AuditRecord): void {
    if (this.closed || this.queue.length >= this.maxQueue) {
      this.dropped += 1;
      if (this.dropped === 1 || this.dropped % 1000 === 0)
        this.options.logger.error('audit.dropped', { dropped: this.dropped, queue: this.queue.length });
      return;
    }
    this.queue.push(rec);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  private async drain(): Promise<void> {
    for (let rec = this.queue.shift(); rec !== undefined; rec = this.queue.shift()) {
      const line = JSON.stringify(rec);
      try {
        await this.file.write(`${line}\n`); // one write per record (O_APPEND)
      } catch (err) {
        this.dropped += 1;
        this.options.logger.error('audit.write_failed', { error: err, dropped: this.dropped });
      }
      this.syslog?.send(line, rec.time);
    }
  }
}

/** RFC 5424 over UDP (one datagram per message) or TCP (octet counting, reconnecting on demand). */
class SyslogSender {
  private udp: dgram.Socket | undefined;
  private tcp: net.Socket | undefined;
  private readonly hostname = os.hostname();

  constructor(
    private readonly target: SyslogTarget,
    private readonly logger: Logger,
  ) {}

  send(json: string, time: string): void {
    const msg = syslogMessage(json, { time, hostname: this.hostname, appName: 'fovea', procId: process.pid });
    if (this.target.protocol === 'udp') {
      this.udp ??= this.openUdp();
      this.udp.send(Buffer.from(msg, 'utf8'), this.target.port, this.target.host, (err) => {
        if (err) this.logger.warn('audit.syslog_failed', { protocol: 'udp', error: err });
      });
      return;
    }
    if (this.tcp === undefined || this.tcp.destroyed) this.tcp = this.openTcp();
    this.tcp.write(octetCounted(msg));
  }

  private openUdp(): dgram.Socket {
    const s = dgram.createSocket(net.isIPv6(this.target.host) ? 'udp6' : 'udp4');
    s.on('error', (err) => this.logger.warn('audit.syslog_failed', { protocol: 'udp', error: err }));
    s.unref();
    return s;
  }

  private openTcp(): net.Socket {
    const s = net.connect({ host: this.target.host, port: this.target.port });
    s.on('error', (err) => {
      this.logger.warn('audit.syslog_failed', { protocol: 'tcp', error: err });
      s.destroy();
    });
    s.unref();
    return s;
  }

  async close(): Promise<void> {
    const udp = this.udp;
    if (udp !== undefined) await new Promise<void>((resolve) => udp.close(() => resolve()));
    const tcp = this.tcp;
    if (tcp !== undefined && !tcp.destroyed) await new Promise<void>((resolve) => tcp.end(() => resolve()));
  }
}
