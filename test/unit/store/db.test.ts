// db.ts: pragmas, forward-only migrations tracked by user_version, idempotent re-open.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findMigrationsDir, loadMigrations, migrate, openDatabase } from '../../../src/store/db';
import { FoveaError } from '../../../src/errors';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof FoveaError) return err.code;
    throw err;
  }
  throw new Error('expected a FoveaError');
}

describe('openDatabase and migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-db-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('finds the package migrations folder from src/', () => {
    const found = findMigrationsDir();
    expect(fs.existsSync(path.join(found, '0001_init.sql'))).toBe(true);
    expect(code(() => findMigrationsDir(os.tmpdir()))).toBe('STORE_MIGRATIONS_NOT_FOUND');
  });

  test('applies migrations once, sets WAL and pragmas, and re-opening is a no-op', () => {
    const latest = loadMigrations(findMigrationsDir()).length;
    const db = openDatabase({ dataDir: dir });
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    db.prepare("INSERT INTO patients (patient_key) VALUES ('k')").run();
    expect(migrate(db, loadMigrations(findMigrationsDir()))).toBe(0);
    db.close();
    const again = openDatabase({ dataDir: dir });
    expect(again.pragma('user_version', { simple: true })).toBe(latest);
    expect(again.prepare('SELECT count(*) AS n FROM patients').get()).toEqual({ n: 1 });
    again.close();
  });

  test('applies only newer migrations, in one transaction, and refuses a newer schema', () => {
    const mdir = path.join(dir, 'migrations');
    fs.mkdirSync(mdir);
    fs.writeFileSync(path.join(mdir, '0001_create_a.sql'), 'CREATE TABLE a (x INTEGER);');
    const data = path.join(dir, 'data');
    openDatabase({ dataDir: data, migrationsDir: mdir }).close();
    fs.writeFileSync(path.join(mdir, '0002_create_b.sql'), 'CREATE TABLE b (x INTEGER);');
    fs.writeFileSync(path.join(mdir, '0003_broken.sql'), 'CREATE TABLE c (x INTEGER); THIS IS NOT SQL;');
    expect(() => openDatabase({ dataDir: data, migrationsDir: mdir })).toThrow();
    fs.rmSync(path.join(mdir, '0003_broken.sql'));
    const db = openDatabase({ dataDir: data, migrationsDir: mdir });
    // The failed run rolled back b and c entirely; this run created b.
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual([
      'a',
      'b',
    ]);
    db.pragma('user_version = 9');
    db.close();
    expect(code(() => openDatabase({ dataDir: data, migrationsDir: mdir }))).toBe('STORE_SCHEMA_TOO_NEW');
  });

  test('rejects misnamed or gapped migration files', () => {
    const mdir = path.join(dir, 'm');
    fs.mkdirSync(mdir);
    fs.writeFileSync(path.join(mdir, '0002_skip.sql'), '');
    expect(code(() => loadMigrations(mdir))).toBe('STORE_MIGRATION_GAP');
    fs.rmSync(path.join(mdir, '0002_skip.sql'));
    fs.writeFileSync(path.join(mdir, '1_bad.sql'), '');
    expect(code(() => loadMigrations(mdir))).toBe('STORE_MIGRATION_NAME');
  });
});
