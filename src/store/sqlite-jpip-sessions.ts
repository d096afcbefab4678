// JpipSessionStore over SQLite (migrations 0002, 0005: owner): sessions with their cache model blob, channels
// referencing them (ON DELETE CASCADE). Every method is one statement or one transaction, so
// several processes sharing the database see consistent sessions.

import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './db';
import type { JpipSessionRecord, JpipSessionStore } from './types';

interface SessionRow {
  session_id: string;
  target: string;
  tid: string;
  cache_model: Buffer;
  created_at: number;
  last_used_at: number;
  owner: string;
}

function toRecord(r: SessionRow): JpipSessionRecord {
  return {
    sessionId: r.session_id,
    target: r.target,
    tid: r.tid,
    cacheModel: new Uint8Array(r.cache_model.buffer, r.cache_model.byteOffset, r.cache_model.length),
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    owner: r.owner,
  };
}

export class SqliteJpipSessionStore implements JpipSessionStore {
  private readonly s: Record<
    | 'insertSession'
    | 'insertChannel'
    | 'sessionExists'
    | 'byChannel'
    | 'channels'
    | 'save'
    | 'deleteChannel'
    | 'deleteIfEmpty'
    | 'deleteIdle'
    | 'count',
    Statement
  >;

  constructor(private readonly db: SqliteDatabase) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      insertSession: p(
        'INSERT INTO jpip_sessions (session_id, target, tid, cache_model, created_at, last_used_at, owner) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      insertChannel: p('INSERT INTO jpip_channels (cid, session_id, transport, created_at) VALUES (?, ?, ?, ?)'),
      sessionExists: p('SELECT 1 FROM jpip_sessions WHERE session_id = ?'),
      byChannel: p(`SELECT s.session_id, s.target, s.tid, s.cache_model, s.created_at, s.last_used_at, s.owner
        FROM jpip_channels c JOIN jpip_sessions s ON s.session_id = c.session_id WHERE c.cid = ?`),
      channels: p('SELECT cid FROM jpip_channels WHERE session_id = ? ORDER BY created_at, cid'),
      save: p('UPDATE jpip_sessions SET tid = ?, cache_model = ?, last_used_at = ? WHERE session_id = ?'),
      deleteChannel: p('DELETE FROM jpip_channels WHERE cid = ? AND session_id = ?'),
      deleteIfEmpty: p(
        'DELETE FROM jpip_sessions WHERE session_id = ? AND NOT EXISTS (SELECT 1 FROM jpip_channels WHERE session_id = ?)',
      ),
      deleteIdle: p('DELETE FROM jpip_sessions WHERE last_used_at < ?'),
      count: p('SELECT COUNT(*) AS n FROM jpip_sessions'),
    };
  }

  create(session: JpipSessionRecord, cid: string, transport: string): void {
    this.db.transaction(() => {
      this.s.insertSession.run(
        session.sessionId,
        session.target,
        session.tid,
        Buffer.from(session.cacheModel),
        session.createdAt,
        session.lastUsedAt,
        session.owner ?? 'anonymous',
      );
      this.s.insertChannel.run(cid, session.sessionId, transport, session.createdAt);
    })();
  }

  addChannel(sessionId: string, cid: string, transport: string, now: number): boolean {
    return this.db.transaction(() => {
      if (this.s.sessionExists.get(sessionId) === undefined) return false;
      this.s.insertChannel.run(cid, sessionId, transport, now);
      return true;
    })();
  }

  byChannel(cid: string): JpipSessionRecord | undefined {
    const row = this.s.byChannel.get(cid) as SessionRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  channels(sessionId: string): string[] {
    return (this.s.channels.all(sessionId) as { cid: string }[]).map((r) => r.cid);
  }

  save(sessionId: string, tid: string, cacheModel: Uint8Array, now: number): void {
    this.s.save.run(tid, Buffer.from(cacheModel.buffer, cacheModel.byteOffset, cacheModel.length), now, sessionId);
  }

  closeChannels(sessionId: string, cids: readonly string[]): void {
    this.db.transaction(() => {
      for (const cid of cids) this.s.deleteChannel.run(cid, sessionId);
      this.s.deleteIfEmpty.run(sessionId, sessionId);
    })();
  }

  deleteIdle(before: number): number {
    return this.s.deleteIdle.run(before).changes;
  }

  count(): number {
    return (this.s.count.get() as { n: number }).n;
  }
}
