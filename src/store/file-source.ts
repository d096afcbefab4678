// A RandomAccessSource over a file (src/bytes' interface): positional fs.readSync reads of just
// the requested range, so ingest can parse objects far larger than memory. Out-of-range reads
// throw TruncatedError (BYTES_SOURCE_RANGE) before allocating, like bufferSource does.

import * as fs from 'node:fs';
import { TruncatedError, type RandomAccessSource } from '../bytes';
import { FoveaError, NotFoundError } from '../errors';
import { isErrno } from './fs-errors';

export function fileSource(filePath: string): RandomAccessSource & { close(): void } {
  let fd: number;
  try {
    fd = fs.openSync(filePath, 'r');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) {
      throw new NotFoundError('STORE_FILE_NOT_FOUND', `file ${filePath} does not exist`, {
        context: filePath,
        cause: err,
      });
    }
    throw err;
  }
  const size = fs.fstatSync(fd).size;
  let closed = false;
  return {
    size,
    read(offset: number, length: number): Uint8Array {
      if (closed) throw new FoveaError('STORE_SOURCE_CLOSED', `read from closed file source ${filePath}`);
      if (
        !Number.isSafeInteger(offset) ||
        !Number.isSafeInteger(length) ||
        offset < 0 ||
        length < 0 ||
        offset + length > size
      ) {
        throw new TruncatedError('BYTES_SOURCE_RANGE', `read of ${length} bytes at ${offset} outside file of ${size}`, {
          offset: Math.max(0, offset),
        });
      }
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = fs.readSync(fd, out, done, length - done, offset + done);
        if (n === 0)
          throw new TruncatedError('STORE_FILE_SHRANK', `file ${filePath} ended at ${offset + done}`, {
            offset: offset + done,
          });
        done += n;
      }
      return out;
    },
    close(): void {
      if (closed) return;
      closed = true;
      fs.closeSync(fd);
    },
  };
}
