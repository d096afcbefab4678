// A bounded cache of open read-only file handles for blobs. Blobs are immutable once renamed into
// place (a new version gets a new path), so a handle stays valid until its version is deleted;
// deletePrefix evicts handles under the prefix first. Handles in use are never closed: eviction
// picks the least recently used idle one, and the cache may exceed its bound while all are busy.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { NotFoundError } from '../errors';
import { isErrno } from './fs-errors';

export interface CachedHandle {
  readonly filePath: string;
  readonly fh: fs.promises.FileHandle;
  readonly size: number;
  users: number;
  /** Evicted while in use: closed by the last release. */
  doomed: boolean;
}

export class ReadHandleCache {
  private readonly entries = new Map<string, Promise<CachedHandle>>();

  constructor(private readonly maxIdle: number) {}

  async acquire(filePath: string, key: string): Promise<CachedHandle> {
    let pending = this.entries.get(filePath);
    if (pending === undefined) {
      pending = openHandle(filePath, key);
      this.entries.set(filePath, pending);
      pending.catch(() => this.entries.delete(filePath));
    } else {
      // Refresh the LRU position.
      this.entries.delete(filePath);
      this.entries.set(filePath, pending);
    }
    const h = await pending;
    h.users++;
    void this.trim();
    return h;
  }

  release(h: CachedHandle): void {
    h.users = Math.max(0, h.users - 1);
    if (h.users === 0 && h.doomed) void h.fh.close().catch(() => undefined);
  }

  /** Closes and forgets every idle handle under a folder (before it is deleted). */
  async evictUnder(dir: string): Promise<void> {
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    for (const [p, pending] of [...this.entries]) {
      if (p !== dir && !p.startsWith(prefix)) continue;
      this.entries.delete(p);
      const h = await pending.catch(() => undefined);
      if (h === undefined) continue;
      if (h.users === 0) await h.fh.close().catch(() => undefined);
      else h.doomed = true;
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(all.map(async (p) => (await p).fh.close()));
  }

  private async trim(): Promise<void> {
    if (this.entries.size <= this.maxIdle) return;
    for (const [p, pending] of this.entries) {
      if (this.entries.size <= this.maxIdle) break;
      const h = await pending.catch(() => undefined);
      if (h === undefined || h.users > 0) continue;
      if (this.entries.get(p) !== pending) continue;
      this.entries.delete(p);
      await h.fh.close().catch(() => undefined);
    }
  }
}

async function openHandle(filePath: string, key: string): Promise<CachedHandle> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(filePath, 'r');
  } catch (err) {
    if (isErrno(err, 'ENOENT'))
      throw new NotFoundError('STORE_BLOB_NOT_FOUND', `blob ${key} does not exist`, { context: key, cause: err });
    throw err;
  }
  try {
    const { size } = await fh.stat();
    return { filePath, fh, size, users: 0, doomed: false };
  } catch (err) {
    await fh.close();
    throw err;
  }
}
