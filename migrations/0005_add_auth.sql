-- Access control (docs/security.md). API keys: only the SHA-256 of the key is kept, with its
-- name, permissions (comma list of read/write/admin) and times (ms since the Unix epoch); a revoked
-- key keeps its row (revoked_at set) so its name stays in the audit trail. Link tokens: every link
-- Fovea issued (id, study, expiry) and its revocation; a token is refused once revoked_at is set.
-- JPIP sessions belong to the principal that opened them (owner = Principal.id).

CREATE TABLE api_keys (
  name          TEXT PRIMARY KEY,
  key_hash      TEXT NOT NULL UNIQUE,
  permissions   TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER,
  revoked_at    INTEGER
);

CREATE TABLE link_tokens (
  link_id       TEXT PRIMARY KEY,
  study_uid     TEXT NOT NULL,
  expires_at    INTEGER NOT NULL,
  created_at    INTEGER NOT NULL,
  revoked_at    INTEGER
);

ALTER TABLE jpip_sessions ADD COLUMN owner TEXT NOT NULL DEFAULT 'anonymous';
