// A random-access byte source: lets parsers walk inputs far larger than memory (a 500 MB
// multi-frame object) by reading only the ranges they need. The file-backed implementation
// lives outside the pure layers (src/store/file-source.ts); this module holds the interface
// and the in-memory implementation.

import { TruncatedError } from './errors';

export interface RandomAccessSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Reads exactly `length` bytes at `offset`, or throws TruncatedError if they are not there. */
  read(offset: number, length: number): Uint8Array;
}

/**
 * A source over bytes already in memory; `read` returns views, not copies. A Node Buffer is seen
 * as a plain Uint8Array, so that a caller's `.slice()` of a view copies (Buffer#slice is a view:
 * a parser swapping Big Endian values in its "copy" would otherwise rewrite the caller's bytes).
 */
export function bufferSource(input: Uint8Array): RandomAccessSource {
  const data = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return {
    size: data.byteLength,
    read(offset: number, length: number): Uint8Array {
      if (
        !Number.isInteger(offset) ||
        !Number.isInteger(length) ||
        offset < 0 ||
        length < 0 ||
        offset + length > data.byteLength
      ) {
        throw new TruncatedError(
          'BYTES_SOURCE_RANGE',
          `read of ${length} bytes at ${offset} outside source of ${data.byteLength}`,
          {
            offset: Math.max(0, offset),
          },
        );
      }
      return data.subarray(offset, offset + length);
    },
  };
}
