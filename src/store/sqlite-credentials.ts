// CredentialStore over SQLite (migration 0005): API key hashes and issued/revoked links.

import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './db';
import type { ApiKeyRecord, CredentialStore, LinkRecord } from './types';

interface KeyRow {
  name: string;
  key_hash: string;
  permissions: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

interface LinkRow {
  link_id: string;
  study_uid: string;
  expires_at: number;
  created_at: number;
  revoked_at: number | null;
}

function toKey(r: KeyRow): ApiKeyRecord {
  return {
    name: r.name,
    keyHash: r.key_hash,
    permissions: r.permissions.split(',').filter((p) => p.length > 0),
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

function toLink(r: LinkRow): LinkRecord {
  return {
    linkId: r.link_id,
    studyInstanceUid: r.study_uid,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

export class SqliteCredentialStore implements CredentialStore {
  private readonly s: Record<
    'addKey' | 'keyByHash' | 'keyByName' | 'keys' | 'revokeKey' | 'touchKey' | 'addLink' | 'link' | 'revokeLink',
    Statement
  >;

  constructor(db: SqliteDatabase) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      addKey: p(
        'INSERT INTO api_keys (name, key_hash, permissions, created_at, last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING',
      ),
      keyByHash: p('SELECT * FROM api_keys WHERE key_hash = ?'),
      keyByName: p('SELECT * FROM api_keys WHERE name = ?'),
      keys: p('SELECT * FROM api_keys ORDER BY created_at, name'),
      revokeKey: p('UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL'),
      touchKey: p('UPDATE api_keys SET last_used_at = ? WHERE name = ?'),
      addLink: p(
        'INSERT INTO link_tokens (link_id, study_uid, expires_at, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)',
      ),
      link: p('SELECT * FROM link_tokens WHERE link_id = ?'),
      revokeLink: p(`INSERT INTO link_tokens (link_id, study_uid, expires_at, created_at, revoked_at)
        VALUES (?, '', 0, ?, ?) ON CONFLICT (link_id) DO UPDATE SET revoked_at = excluded.revoked_at
        WHERE link_tokens.revoked_at IS NULL`),
    };
  }

  addApiKey(r: ApiKeyRecord): boolean {
    const info = this.s.addKey.run(r.name, r.keyHash, r.permissions.join(','), r.createdAt, r.lastUsedAt, r.revokedAt);
    return info.changes === 1;
  }

  apiKeyByHash(keyHash: string): ApiKeyRecord | undefined {
    const row = this.s.keyByHash.get(keyHash) as KeyRow | undefined;
    return row === undefined ? undefined : toKey(row);
  }

  listApiKeys(): ApiKeyRecord[] {
    return (this.s.keys.all() as KeyRow[]).map(toKey);
  }

  revokeApiKey(name: string, now: number): boolean {
    return this.s.revokeKey.run(now, name).changes === 1;
  }

  touchApiKey(name: string, now: number): void {
    this.s.touchKey.run(now, name);
  }

  addLink(r: LinkRecord): void {
    this.s.addLink.run(r.linkId, r.studyInstanceUid, r.expiresAt, r.createdAt, r.revokedAt);
  }

  link(linkId: string): LinkRecord | undefined {
    const row = this.s.link.get(linkId) as LinkRow | undefined;
    return row === undefined ? undefined : toLink(row);
  }

  revokeLink(linkId: string, now: number): boolean {
    return this.s.revokeLink.run(linkId, now, now).changes === 1;
  }
}
