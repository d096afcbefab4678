-- JPIP sessions and channels (ISO/IEC 15444-9 Annex B): a session is bound to one target (SOP
-- Instance UID) and target id, and owns the server's cache model of what the client holds (the
-- binary form of jpip CacheModel.encode()). Channels (cid) belong to a session; requests carry
-- a cid. Kept in SQLite so a restarted server, or another replica sharing the data folder, can
-- continue a session. Times are milliseconds since the Unix epoch.

CREATE TABLE jpip_sessions (
  session_id    TEXT PRIMARY KEY,
  target        TEXT NOT NULL,
  tid           TEXT NOT NULL,
  cache_model   BLOB NOT NULL,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER NOT NULL
);
CREATE INDEX jpip_sessions_last_used ON jpip_sessions (last_used_at);

CREATE TABLE jpip_channels (
  cid           TEXT PRIMARY KEY,
  session_id    TEXT NOT NULL REFERENCES jpip_sessions (session_id) ON DELETE CASCADE,
  transport     TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX jpip_channels_session ON jpip_channels (session_id);
