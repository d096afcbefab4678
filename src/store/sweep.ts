// Start-up clean-up (docs/architecture.md "Storage model"): blobs are written before the
// database commit, so a crash can leave a version folder that no instance row references, or a
// replaced version whose deletion never ran, and stray files in <dataDir>/tmp. Such versions are
// exactly the ones in the pending-version journal (ingest reserves a key before writing, the
// commit releases it and journals the version a replacement made obsolete), so the sweep visits
// only those — its cost does not grow with the archive. Entries younger than `minAgeMs` are
// left alone, so a concurrent writer (another `fovea import` on the same data folder) never
// loses files it has not committed yet.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isErrno } from './fs-errors';
import type { BlobStore, InstanceStore } from './types';

export interface SweepOptions {
  /** Only entries older than this are removed (default 15 minutes). */
  minAgeMs?: number;
  now?: number;
}

export interface SweepReport {
  /** Version keys removed (no row referenced them). */
  removedVersions: string[];
  /** Entries of tmp/ removed. */
  removedTmp: number;
}

export async function sweepOrphans(
  dataDir: string,
  instances: Pick<InstanceStore, 'hasVersion' | 'pendingVersions' | 'releaseVersion'>,
  blobs: Pick<BlobStore, 'deletePrefix'>,
  options: SweepOptions = {},
): Promise<SweepReport> {
  const minAgeMs = options.minAgeMs ?? 15 * 60 * 1000;
  const cutoff = (options.now ?? Date.now()) - minAgeMs;
  const tmpDir = path.join(dataDir, 'tmp');
  const report: SweepReport = { removedVersions: [], removedTmp: 0 };

  for (const key of instances.pendingVersions(cutoff)) {
    if (!instances.hasVersion(key)) {
      await blobs.deletePrefix(key);
      report.removedVersions.push(key);
    }
    instances.releaseVersion(key);
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
