// BlobStore over the local file system, rooted at <dataDir>/objects. put() is atomic: bytes go to
// <dataDir>/tmp/<random>.part, are fsynced, renamed into place and the folder is fsynced, so a
// crash leaves either the whole blob or none (at worst a stray tmp file or an unreferenced version
// folder, removed by sweepOrphans). Reads open the file and read only the requested range.

import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BadRequestError, NotFoundError } from '../errors';
import { assertBlobKey } from './blob-key';
import { ensureDataFolder } from './data-dir';
import { BlobIntegrityError, InvalidWriteError } from './errors';
import { isErrno } from './fs-errors';
import { ReadHandleCache } from './read-handle-cache';
import type { BlobStore } from './types';

const STREAM_CHUNK = 1 << 20;

export interface BlobWrite {
  key: string;
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

function checkRange(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new BadRequestError('STORE_BAD_RANGE', `invalid byte range offset=${offset} length=${length}`);
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.promises.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export class FileBlobStore implements BlobStore {
  readonly objectsDir: string;
  readonly tmpDir: string;

  /** Open read handles of immutable blobs, reused across reads (JPIP and rendering read many small ranges). */
  private readonly handles = new ReadHandleCache(64);

  constructor(dataDir: string) {
    this.objectsDir = path.join(dataDir, 'objects');
    this.tmpDir = path.join(dataDir, 'tmp');
    ensureDataFolder(this.objectsDir);
    ensureDataFolder(this.tmpDir);
  }

  private pathOf(key: string): string {
    assertBlobKey(key);
    return path.join(this.objectsDir, ...key.split('/'));
  }

  async put(
    key: string,
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  ): Promise<{ size: number; sha256: string }> {
    const [one] = await this.putMany([{ key, chunks }]);
    return one as { size: number; sha256: string };
  }

  /**
   * Writes several blobs atomically as a group: each goes to its own temp file (written in order,
   * so a later entry's chunks may be computed after an earlier one's), all are fsynced, then
   * renamed into place and each target folder is fsynced once (its parents too when created).
   * Fewer fsyncs than one put() per blob, same guarantee: after it resolves every blob is durable;
   * after a crash each target holds the whole blob or nothing.
   */
  async putMany(entries: readonly BlobWrite[]): Promise<{ size: number; sha256: string }[]> {
    const staged: { tmp: string; target: string; fh: fs.promises.FileHandle; synced: Promise<void> }[] = [];
    const results: { size: number; sha256: string }[] = [];
    try {
      for (const { key, chunks } of entries) {
        const target = this.pathOf(key);
        const tmp = path.join(this.tmpDir, `${randomUUID()}.part`);
        const fh = await fs.promises.open(tmp, 'wx');
        const entry = { tmp, target, fh, synced: Promise.resolve() };
        staged.push(entry);
        const hash = createHash('sha256');
        let size = 0;
        for await (const chunk of chunks) {
          if (!(chunk instanceof Uint8Array))
            throw new InvalidWriteError('STORE_BAD_CHUNK', `blob ${key}: chunks must be Uint8Array`);
          let written = 0;
          while (written < chunk.byteLength) {
            const { bytesWritten } = await fh.write(chunk, written, chunk.byteLength - written);
            written += bytesWritten;
          }
          hash.update(chunk);
          size += chunk.byteLength;
        }
        // fsync runs in the background while the next blob is produced.
        entry.synced = fh.sync();
        results.push({ size, sha256: hash.digest('hex') });
      }
      await Promise.all(staged.map((e) => e.synced));
    } catch (err) {
      await Promise.allSettled(staged.map((e) => e.synced));
      await Promise.allSettled(staged.map((e) => e.fh.close()));
      await Promise.allSettled(staged.map((e) => fs.promises.rm(e.tmp, { force: true })));
      throw err;
    }
    await Promise.all(staged.map((e) => e.fh.close()));
    const dirsToSync = new Set<string>();
    try {
      for (const e of staged) {
        const dir = path.dirname(e.target);
        const created = await fs.promises.mkdir(dir, { recursive: true });
        dirsToSync.add(dir);
        // A freshly created chain of folders: each new folder's entry lives in its parent.
        if (created !== undefined) {
          for (let d = dir; d.length >= created.length && d !== this.objectsDir; d = path.dirname(d))
            dirsToSync.add(path.dirname(d));
        }
        await fs.promises.rename(e.tmp, e.target);
      }
    } catch (err) {
      await Promise.allSettled(staged.map((e) => fs.promises.rm(e.tmp, { force: true })));
      throw err;
    }
    // Make the renames (and freshly created folders) durable.
    await Promise.all([...dirsToSync].map(fsyncDir));
    return results;
  }

  private async open(key: string): Promise<fs.promises.FileHandle> {
    try {
      return await fs.promises.open(this.pathOf(key), 'r');
    } catch (err) {
      if (isErrno(err, 'ENOENT'))
        throw new NotFoundError('STORE_BLOB_NOT_FOUND', `blob ${key} does not exist`, { context: key, cause: err });
      throw err;
    }
  }

  async read(key: string, offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length);
    const h = await this.handles.acquire(this.pathOf(key), key);
    try {
      if (offset + length > h.size) {
        throw new BlobIntegrityError(
          'STORE_BLOB_SHORT',
          `blob ${key} has ${h.size} bytes, range ${offset}+${length} requested`,
          { context: key },
        );
      }
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await h.fh.read(out, done, length - done, offset + done);
        if (bytesRead === 0)
          throw new BlobIntegrityError('STORE_BLOB_SHORT', `blob ${key} shrank while reading`, { context: key });
        done += bytesRead;
      }
      return out;
    } finally {
      this.handles.release(h);
    }
  }

  async *stream(key: string, offset: number, length: number): AsyncIterable<Uint8Array> {
    checkRange(offset, length);
    const fh = await this.open(key);
    try {
      const { size } = await fh.stat();
      if (offset + length > size) {
        throw new BlobIntegrityError(
          'STORE_BLOB_SHORT',
          `blob ${key} has ${size} bytes, range ${offset}+${length} requested`,
          { context: key },
        );
      }
      let position = offset;
      const end = offset + length;
      while (position < end) {
        const buf = new Uint8Array(Math.min(STREAM_CHUNK, end - position));
        const { bytesRead } = await fh.read(buf, 0, buf.byteLength, position);
        if (bytesRead === 0)
          throw new BlobIntegrityError('STORE_BLOB_SHORT', `blob ${key} shrank while streaming`, { context: key });
        position += bytesRead;
        yield bytesRead === buf.byteLength ? buf : buf.subarray(0, bytesRead);
      }
    } finally {
      await fh.close();
    }
  }

  async size(key: string): Promise<number> {
    try {
      return (await fs.promises.stat(this.pathOf(key))).size;
    } catch (err) {
      if (isErrno(err, 'ENOENT'))
        throw new NotFoundError('STORE_BLOB_NOT_FOUND', `blob ${key} does not exist`, { context: key, cause: err });
      throw err;
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    const target = this.pathOf(prefix);
    await this.handles.evictUnder(target);
    await fs.promises.rm(target, { recursive: true, force: true });
    // Remove parent folders left empty (<hash2>/<sop>/), never objects/ itself.
    let dir = path.dirname(target);
    while (dir !== this.objectsDir && dir.startsWith(this.objectsDir + path.sep)) {
      try {
        await fs.promises.rmdir(dir);
      } catch (err) {
        if (isErrno(err, 'ENOTEMPTY') || isErrno(err, 'EEXIST') || isErrno(err, 'ENOENT')) break;
        throw err;
      }
      dir = path.dirname(dir);
    }
  }

  localPath(key: string): string {
    return this.pathOf(key);
  }

  /** Closes cached read handles. */
  async close(): Promise<void> {
    await this.handles.closeAll();
  }
}
