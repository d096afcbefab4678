// JPIP views aggregated per channel per minute (docs/security.md): a viewer panning over an image
// sends many small requests on one channel; the audit trail keeps one `jpip-view` record per
// channel (cid, or the target for requests outside a session) and wall-clock minute, with the
// requests, distinct frames and bytes served. Failed requests are not aggregated (each is its own
// record). Pure: the caller supplies the time and writes what take() returns.

import type { AuditEvent } from './record';

export interface JpipViewHit {
  time: number;
  /** The cid of the channel, or "stateless:<target>". */
  channel: string;
  event: Omit<AuditEvent, 'time' | 'jpip' | 'action'>;
  /** Frames (JPIP codestreams) the request named. */
  frames: readonly number[];
  bytes: number;
}

interface Bucket {
  minute: number;
  first: number;
  last: number;
  event: JpipViewHit['event'];
  channel: string;
  requests: number;
  frames: Set<number>;
  bytes: number;
}

const MINUTE_MS = 60_000;

export class JpipViewAggregator {
  private readonly buckets = new Map<string, Bucket>();

  /** Adds one successful request; returns the events of buckets it closed (same channel, earlier minute). */
  add(hit: JpipViewHit): AuditEvent[] {
    const minute = Math.floor(hit.time / MINUTE_MS);
    const key = `${hit.event.principal.id}\u0000${hit.channel}`;
    const closed: AuditEvent[] = [];
    let b = this.buckets.get(key);
    if (b !== undefined && b.minute !== minute) {
      closed.push(eventOf(b));
      b = undefined;
    }
    if (b === undefined) {
      b = {
        minute,
        first: hit.time,
        last: hit.time,
        event: hit.event,
        channel: hit.channel,
        requests: 0,
        frames: new Set(),
        bytes: 0,
      };
      this.buckets.set(key, b);
    }
    b.requests += 1;
    b.last = hit.time;
    b.bytes += hit.bytes;
    for (const f of hit.frames) b.frames.add(f);
    return closed;
  }

  /** The events of every bucket of a minute before `now`'s (all of them with `now` = Infinity). */
  take(now: number): AuditEvent[] {
    const minute = Math.floor(now / MINUTE_MS);
    const out: AuditEvent[] = [];
    for (const [key, b] of this.buckets) {
      if (b.minute < minute) {
        out.push(eventOf(b));
        this.buckets.delete(key);
      }
    }
    return out;
  }

  get size(): number {
    return this.buckets.size;
  }
}

function eventOf(b: Bucket): AuditEvent {
  return {
    ...b.event,
    time: b.last,
    action: 'jpip-view',
    jpip: {
      channel: b.channel,
      from: new Date(b.first).toISOString(),
      requests: b.requests,
      frames: b.frames.size,
      bytes: b.bytes,
    },
  };
}
