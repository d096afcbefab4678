// Opens the SQLite database (better-sqlite3) at <dataDir>/fovea.sqlite with WAL, foreign keys,
// a busy timeout and synchronous=NORMAL (durable at checkpoints, never corrupt, in WAL mode), and
// applies the numbered forward-only migrations of <package root>/migrations in one transaction,
// tracked with PRAGMA user_version. An applied migration is never edited; a database whose
// user_version is newer than the migrations we ship is refused (STORE_SCHEMA_TOO_NEW).

import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { ensureDataFolder } from './data-dir';
import { StoreSetupError } from './errors';

export type SqliteDatabase = Database.Database;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** Walks up from `start` to the first folder holding both migrations/ and package.json. */
export function findMigrationsDir(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, 'migrations');
    if (
      fs.existsSync(path.join(dir, 'package.json')) &&
      fs.existsSync(candidate) &&
      fs.statSync(candidate).isDirectory()
    ) {
      return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new StoreSetupError('STORE_MIGRATIONS_NOT_FOUND', `no migrations/ folder above ${start}`);
    }
    dir = parent;
  }
}

/** Reads NNNN_verb_noun.sql files in order; versions must be 1, 2, 3... without gaps. */
export function loadMigrations(dir: string): Migration[] {
  const migrations: Migration[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.sql')) continue;
    const m = MIGRATION_FILE.exec(name);
    if (m === null || m[1] === undefined) {
      throw new StoreSetupError('STORE_MIGRATION_NAME', `migration file ${name} is not named NNNN_verb_noun.sql`);
    }
    const version = Number.parseInt(m[1], 10);
    if (version !== migrations.length + 1) {
      throw new StoreSetupError(
        'STORE_MIGRATION_GAP',
        `migration ${name} has version ${version}, expected ${migrations.length + 1}`,
      );
    }
    migrations.push({ version, name, sql: fs.readFileSync(path.join(dir, name), 'utf8') });
  }
  return migrations;
}

/** Applies the migrations newer than PRAGMA user_version in one transaction; returns how many ran. */
export function migrate(db: SqliteDatabase, migrations: Migration[]): number {
  const current = db.pragma('user_version', { simple: true });
  if (typeof current !== 'number')
    throw new StoreSetupError('STORE_USER_VERSION', 'PRAGMA user_version did not return a number');
  const latest = migrations.length;
  if (current > latest) {
    throw new StoreSetupError(
      'STORE_SCHEMA_TOO_NEW',
      `database schema version ${current} is newer than this build (${latest})`,
    );
  }
  const pending = migrations.slice(current);
  if (pending.length === 0) return 0;
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql);
    // PRAGMA takes no bound parameters; the value is an integer we computed.
    db.pragma(`user_version = ${latest}`);
  }).immediate();
  return pending.length;
}

export interface OpenDatabaseOptions {
  dataDir: string;
  /** Defaults to findMigrationsDir(). */
  migrationsDir?: string;
  busyTimeoutMs?: number;
}

/** Opens (creating if needed) and migrates <dataDir>/fovea.sqlite. */
export function openDatabase(options: OpenDatabaseOptions): SqliteDatabase {
  ensureDataFolder(options.dataDir);
  const migrations = loadMigrations(options.migrationsDir ?? findMigrationsDir());
  const db = new Database(path.join(options.dataDir, 'fovea.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    migrate(db, migrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
