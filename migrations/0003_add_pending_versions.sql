-- Journal of blob versions written but not (yet) referenced by an instance row, or referenced
-- no more (replaced). Ingest reserves a version before writing its files and the commit clears
-- it; a replaced version is journalled in the commit and cleared after its files are deleted.
-- The start-up sweep therefore visits only journalled versions, not the whole archive.
CREATE TABLE pending_versions (
  version_key TEXT PRIMARY KEY,
  created_at  INTEGER NOT NULL
);
