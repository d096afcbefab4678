// MSB-first bit writer for JPEG 2000 packet headers, ISO/IEC 15444-1 B.10.1: after a byte equal
// to 0xFF the next byte carries only 7 bits (a zero bit is stuffed into its MSB). `finish()` pads
// the last byte with zeros and, when the header would end on 0xFF, emits the stuffed byte too
// ("the last byte of a packet header shall not be 0xFF"). The mirror of bytes/BitReader.

export class BitWriter {
  private readonly out: number[] = [];
  private cur = 0;
  private count = 0;
  private capacity = 8;

  bit(b: number): void {
    this.cur = (this.cur << 1) | (b & 1);
    if (++this.count === this.capacity) this.flushByte();
  }

  /** Writes the low `n` (0..32) bits of `v` (a non-negative integer below 2^n) MSB first. */
  bits(v: number, n: number): void {
    for (let i = n - 1; i >= 0; i--) this.bit(Math.floor(v / 2 ** i) % 2);
  }

  /** Writes `n` one bits followed by a zero (the unary Lblock increment of B.10.7.1). */
  unary(n: number): void {
    for (let i = 0; i < n; i++) this.bit(1);
    this.bit(0);
  }

  private flushByte(): void {
    this.out.push(this.cur);
    this.capacity = this.cur === 0xff ? 7 : 8;
    this.cur = 0;
    this.count = 0;
  }

  /** Pads to a byte boundary and returns the header bytes; the writer must not be reused. */
  finish(): Uint8Array {
    if (this.count > 0) {
      this.cur <<= this.capacity - this.count;
      this.count = this.capacity;
      this.flushByte();
    }
    if (this.out.length > 0 && this.out[this.out.length - 1] === 0xff) this.out.push(0);
    return Uint8Array.from(this.out);
  }
}
