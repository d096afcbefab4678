// A forward cursor over a RandomAccessSource that hands out bounded ByteReaders for small
// structures (element headers, short values) from a cached window, so a parser walks a file of
// any size reading only headers, and skips large values without reading them.
// End of input is reported as TruncatedError DICOM_TRUNCATED.

import { ByteReader, TruncatedError, type RandomAccessSource } from '../bytes';

const WINDOW = 64 * 1024;

export class SourceCursor {
  pos: number;
  private winStart = 0;
  private win: Uint8Array = new Uint8Array(0);

  constructor(
    readonly source: RandomAccessSource,
    public littleEndian: boolean,
    start = 0,
  ) {
    this.pos = start;
  }

  get size(): number {
    return this.source.size;
  }

  get remaining(): number {
    return this.source.size - this.pos;
  }

  /** Throws DICOM_TRUNCATED unless `n` bytes are left before `limit` (default: end of source). */
  need(n: number, what: string): void {
    if (!Number.isSafeInteger(n) || n < 0 || this.pos + n > this.source.size) {
      throw new TruncatedError(
        'DICOM_TRUNCATED',
        `${what}: need ${n} bytes at offset ${this.pos}, source has ${this.source.size}`,
        {
          offset: this.pos,
          context: what,
        },
      );
    }
  }

  private window(offset: number, n: number): Uint8Array {
    if (n > WINDOW) return this.source.read(offset, n);
    if (offset < this.winStart || offset + n > this.winStart + this.win.length) {
      const len = Math.min(WINDOW, this.source.size - offset);
      this.win = this.source.read(offset, len);
      this.winStart = offset;
    }
    return this.win.subarray(offset - this.winStart, offset - this.winStart + n);
  }

  /** A reader over the next `n` bytes; the cursor moves past them. */
  take(n: number, what: string): ByteReader {
    this.need(n, what);
    const r = new ByteReader(this.window(this.pos, n), { littleEndian: this.littleEndian, baseOffset: this.pos });
    this.pos += n;
    return r;
  }

  /** A reader over the next `n` bytes without moving. */
  peek(n: number, what: string): ByteReader {
    this.need(n, what);
    return new ByteReader(this.window(this.pos, n), { littleEndian: this.littleEndian, baseOffset: this.pos });
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }
}
