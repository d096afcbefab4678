// MSB-first bit reader for JPEG 2000 packet headers, ISO/IEC 15444-1 B.10.1: after a byte equal
// to 0xFF the next byte carries only 7 bits (its MSB is a stuffed 0). `align()` ends a header:
// it drops the unread bits of the current byte and, if that byte was 0xFF, also the stuffed byte
// that follows. Bounds-checked: reading past `end` throws TruncatedError (never RangeError).

import { TruncatedError } from './errors';

export class BitReader {
  private pos: number;
  private cur = 0;
  private bitsLeft = 0;
  private lastFF = false;

  /**
   * @param data bytes; reading covers data[start, end)
   * @param baseOffset absolute offset of data[0] in the outermost input (for error offsets)
   */
  constructor(
    private readonly data: Uint8Array,
    start = 0,
    private readonly end = data.length,
    private readonly baseOffset = 0,
  ) {
    if (start < 0 || end > data.length || start > end) {
      throw new TruncatedError('BITS_RANGE', `bit reader range ${start}..${end} outside 0..${data.length}`, {
        offset: baseOffset,
      });
    }
    this.pos = start;
  }

  /** Position (relative to data[0]) of the next unread byte. Meaningful after align(). */
  get position(): number {
    return this.pos;
  }

  /** Absolute offset of the next unread byte. */
  get offset(): number {
    return this.baseOffset + this.pos;
  }

  private load(): void {
    if (this.pos >= this.end) {
      throw new TruncatedError(
        'BITS_TRUNCATED',
        `packet header runs past the end of its data at offset ${this.offset}`,
        {
          offset: this.offset,
          context: 'packet header',
        },
      );
    }
    const b = this.data[this.pos++] as number;
    this.bitsLeft = this.lastFF ? 7 : 8;
    this.lastFF = b === 0xff;
    this.cur = b;
  }

  bit(): number {
    if (this.bitsLeft === 0) this.load();
    this.bitsLeft--;
    return (this.cur >>> this.bitsLeft) & 1;
  }

  /** Reads n (0..32) bits MSB first as an unsigned number. */
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }

  /** Ends a header: skip to the byte boundary, and past the stuffed byte after a trailing 0xFF. */
  align(): void {
    this.bitsLeft = 0;
    if (this.lastFF) {
      this.lastFF = false;
      if (this.pos >= this.end) {
        throw new TruncatedError('BITS_TRUNCATED', `stuffed byte after 0xFF missing at offset ${this.offset}`, {
          offset: this.offset,
        });
      }
      this.pos++;
    }
  }

  /** Re-targets the reader at byte position `pos` (aligned state). */
  reset(pos: number): void {
    if (pos < 0 || pos > this.end) {
      throw new TruncatedError('BITS_RANGE', `bit reader position ${pos} outside 0..${this.end}`, {
        offset: this.baseOffset + Math.max(0, pos),
      });
    }
    this.pos = pos;
    this.bitsLeft = 0;
    this.lastFF = false;
  }
}
