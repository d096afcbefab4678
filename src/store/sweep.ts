// Start-up clean-up (docs/architecture.md "Storage model"): blobs are written before the
// database commit, so a crash can leave a version folder <hash2>/<sop>/<version>/ that no
// instance row references, and stray files in <dataDir>/tmp. Both are deleted here when older
// than `minAgeMs`, so that a concurrent writer (another `fovea import` on the same data folder)
// never loses files it has not committed yet. Call it at start-up, before serving.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isErrno } from './fs-errors';
import type { InstanceStore } from './types';

export interface SweepOptions {
  /** Only entries last modified longer ago than this are removed (default 15 minutes). */
  minAgeMs?: number;
  now?: number;
}

export interface SweepReport {
  /** Version keys removed (no row referenced them). */
  removedVersions: string[];
  /** Entries of tmp/ removed. */
  removedTmp: number;
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return [];
    throw err;
  }
}

async function removeIfEmpty(dir: string): Promise<void> {
  const left = await fs.promises.readdir(dir);
  if (left.length === 0) await fs.promises.rmdir(dir);
}

export async function sweepOrphans(
  dataDir: string,
  instances: Pick<InstanceStore, 'hasVersion'>,
  options: SweepOptions = {},
): Promise<SweepReport> {
  const minAgeMs = options.minAgeMs ?? 15 * 60 * 1000;
  const cutoff = (options.now ?? Date.now()) - minAgeMs;
  const objectsDir = path.join(dataDir, 'objects');
  const tmpDir = path.join(dataDir, 'tmp');
  const report: SweepReport = { removedVersions: [], removedTmp: 0 };

  for (const h of await subdirs(objectsDir)) {
    const hDir = path.join(objectsDir, h);
    for (const sop of await subdirs(hDir)) {
      const sopDir = path.join(hDir, sop);
      for (const version of await subdirs(sopDir)) {
        const key = `${h}/${sop}/${version}`;
        const versionDir = path.join(sopDir, version);
        const { mtimeMs } = await fs.promises.stat(versionDir);
        if (mtimeMs > cutoff || instances.hasVersion(key)) continue;
        await fs.promises.rm(versionDir, { recursive: true, force: true });
        report.removedVersions.push(key);
      }
      await removeIfEmpty(sopDir);
    }
    await removeIfEmpty(hDir);
  }

  let tmpEntries: string[] = [];
  try {
    tmpEntries = await fs.promises.readdir(tmpDir);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
  }
  for (const name of tmpEntries) {
    const p = path.join(tmpDir, name);
    const { mtimeMs } = await fs.promises.lstat(p);
    if (mtimeMs > cutoff) continue;
    await fs.promises.rm(p, { recursive: true, force: true });
    report.removedTmp += 1;
  }
  return report;
}
