// JPIP sessions and channels (ISO/IEC 15444-9 Annex B) over the persistent JpipSessionStore:
// creation with a bound on live sessions (UnavailableError beyond it), idle expiry (an expired or
// unknown cid is NotFoundError JPIP_UNKNOWN_CID, so the client opens a new session), channel
// close, and a per-session lock so that requests of one session are answered one at a time in
// this process (each reads, extends and saves the cache model). Not supported: locking across
// processes sharing one data folder (the last save wins).

import { randomBytes } from 'node:crypto';
import { NotFoundError, UnavailableError } from '../errors';
import type { JpipSessionRecord, JpipSessionStore } from '../store';

export interface JpipSessionOptions {
  /** A session unused this long is expired (default 10 minutes). */
  idleMs?: number;
  /** Most live sessions (default 256). */
  maxSessions?: number;
  now?: () => number;
}

function newId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

export class JpipSessions {
  private readonly idleMs: number;
  private readonly maxSessions: number;
  private readonly now: () => number;
  /** Per session: settles when the last holder queued so far releases the lock. */
  private readonly locks = new Map<string, Promise<void>>();

  constructor(
    private readonly store: JpipSessionStore,
    options: JpipSessionOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 10 * 60 * 1000;
    this.maxSessions = options.maxSessions ?? 256;
    this.now = options.now ?? Date.now;
  }

  /** Opens a session with one channel. // 15444-9 B.1, C.3.3 */
  open(
    target: string,
    tid: string,
    cacheModel: Uint8Array,
    transport: string,
    owner = 'anonymous',
  ): { session: JpipSessionRecord; cid: string } {
    const now = this.now();
    this.store.deleteIdle(now - this.idleMs);
    if (this.store.count() >= this.maxSessions) {
      throw new UnavailableError(
        'JPIP_SESSION_LIMIT',
        `the server holds its maximum of ${this.maxSessions} JPIP sessions`,
      );
    }
    const session: JpipSessionRecord = {
      sessionId: newId('S'),
      target,
      tid,
      cacheModel,
      createdAt: now,
      lastUsedAt: now,
      owner,
    };
    const cid = newId('C');
    this.store.create(session, cid, transport);
    return { session, cid };
  }

  /** The live session of a channel, if `owner` (Principal.id) opened it: a channel of another
   *  principal is answered exactly as an unknown one (no hint that it exists). // 15444-9 C.3.2 */
  lookup(cid: string, owner = 'anonymous'): JpipSessionRecord {
    const s = this.store.byChannel(cid);
    if (s === undefined || (s.owner ?? 'anonymous') !== owner)
      throw new NotFoundError('JPIP_UNKNOWN_CID', `no open channel ${cid}`, { context: 'cid' });
    if (s.lastUsedAt < this.now() - this.idleMs) {
      this.store.deleteIdle(this.now() - this.idleMs);
      throw new NotFoundError('JPIP_UNKNOWN_CID', `channel ${cid} expired`, { context: 'cid' });
    }
    return s;
  }

  /** A new channel of a live session. // 15444-9 C.3.3 */
  addChannel(sessionId: string, transport: string): string {
    const cid = newId('C');
    if (!this.store.addChannel(sessionId, cid, transport, this.now())) {
      throw new NotFoundError('JPIP_UNKNOWN_CID', 'session closed', { context: 'cid' });
    }
    return cid;
  }

  save(sessionId: string, tid: string, cacheModel: Uint8Array): void {
    this.store.save(sessionId, tid, cacheModel, this.now());
  }

  /** cclose: "*" = every channel of the session. // 15444-9 C.3.4 */
  close(sessionId: string, cids: '*' | readonly string[]): void {
    this.store.closeChannels(sessionId, cids === '*' ? this.store.channels(sessionId) : cids);
  }

  /**
   * Waits until every earlier holder of the session's lock has released it, then holds it. The
   * returned function releases it (idempotent); a response keeps the lock until its body is over.
   */
  async acquire(sessionId: string): Promise<() => void> {
    const before = this.locks.get(sessionId) ?? Promise.resolve();
    let open: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      open = resolve;
    });
    const tail = before.then(() => held);
    this.locks.set(sessionId, tail);
    await before;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      open();
      if (this.locks.get(sessionId) === tail) this.locks.delete(sessionId);
    };
  }

  /** Runs `fn` after every earlier holder of the session's lock has released it. */
  async exclusive<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(sessionId);
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
