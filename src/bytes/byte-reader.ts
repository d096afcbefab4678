// Bounds-checked cursor over a Uint8Array: the one way parsers read bytes (CONVENTIONS.md
// "Binary parsing rules"). Big-endian by default (JPEG 2000, JPIP); little-endian on request
// (DICOM). `sub(n)` returns a bounded child reader whose offsets stay absolute, so errors name
// the byte position in the outermost input. Reading past the end throws TruncatedError.

import { TruncatedError, MalformedError } from './errors';

export interface ByteReaderOptions {
  littleEndian?: boolean;
  /** Absolute offset of data[0] in the outermost input (used for error offsets). */
  baseOffset?: number;
}

export class ByteReader {
  private readonly view: DataView;
  private pos = 0;
  readonly littleEndian: boolean;
  readonly baseOffset: number;

  constructor(
    readonly data: Uint8Array,
    options: ByteReaderOptions = {},
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.littleEndian = options.littleEndian ?? false;
    this.baseOffset = options.baseOffset ?? 0;
  }

  /** Absolute offset of the cursor in the outermost input. */
  get offset(): number {
    return this.baseOffset + this.pos;
  }

  /** Offset of the cursor relative to this reader's start. */
  get position(): number {
    return this.pos;
  }

  get length(): number {
    return this.data.byteLength;
  }

  get remaining(): number {
    return this.data.byteLength - this.pos;
  }

  get atEnd(): boolean {
    return this.pos >= this.data.byteLength;
  }

  /** Throws TruncatedError unless n more bytes are available. `what` names the structure. */
  need(n: number, what = 'data'): void {
    if (!Number.isInteger(n) || n < 0) {
      throw new MalformedError('BYTES_BAD_LENGTH', `invalid length ${n} for ${what}`, {
        offset: this.offset,
        context: what,
      });
    }
    if (n > this.remaining) {
      throw new TruncatedError(
        'BYTES_TRUNCATED',
        `${what}: need ${n} bytes at offset ${this.offset}, only ${this.remaining} left`,
        { offset: this.offset, context: what },
      );
    }
  }

  /** Moves the cursor to a position relative to this reader's start (0..length). */
  seek(position: number): void {
    if (!Number.isInteger(position) || position < 0 || position > this.data.byteLength) {
      throw new TruncatedError('BYTES_SEEK_OUT_OF_RANGE', `seek to ${position} outside 0..${this.data.byteLength}`, {
        offset: this.baseOffset + Math.max(0, Math.min(position, this.data.byteLength)),
      });
    }
    this.pos = position;
  }

  skip(n: number, what = 'data'): void {
    this.need(n, what);
    this.pos += n;
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    const v = this.view.getUint8(this.pos);
    this.pos += 1;
    return v;
  }

  u16(what = 'u16'): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, this.littleEndian);
    this.pos += 2;
    return v;
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  i16(what = 'i16'): number {
    this.need(2, what);
    const v = this.view.getInt16(this.pos, this.littleEndian);
    this.pos += 2;
    return v;
  }

  i32(what = 'i32'): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  /** 64-bit unsigned; throws MalformedError if the value exceeds Number.MAX_SAFE_INTEGER. */
  u64(what = 'u64'): number {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, this.littleEndian);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new MalformedError('BYTES_U64_TOO_LARGE', `${what}: 64-bit value ${v} too large`, {
        offset: this.offset,
        context: what,
      });
    }
    this.pos += 8;
    return Number(v);
  }

  f32(what = 'f32'): number {
    this.need(4, what);
    const v = this.view.getFloat32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  f64(what = 'f64'): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.pos, this.littleEndian);
    this.pos += 8;
    return v;
  }

  peekU8(what = 'u8'): number {
    this.need(1, what);
    return this.view.getUint8(this.pos);
  }

  peekU16(what = 'u16'): number {
    this.need(2, what);
    return this.view.getUint16(this.pos, this.littleEndian);
  }

  peekU32(what = 'u32'): number {
    this.need(4, what);
    return this.view.getUint32(this.pos, this.littleEndian);
  }

  /** A view (no copy) of the next n bytes. */
  bytes(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A view of the next n bytes without moving the cursor. */
  peekBytes(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    return this.data.subarray(this.pos, this.pos + n);
  }

  /** A bounded child reader over the next n bytes; the cursor moves past them. */
  sub(n: number, what = 'segment'): ByteReader {
    const start = this.offset;
    const view = this.bytes(n, what);
    return new ByteReader(view, { littleEndian: this.littleEndian, baseOffset: start });
  }

  /** Same bytes, other byte order, shared nothing (new cursor at the same position). */
  withEndianness(littleEndian: boolean): ByteReader {
    const r = new ByteReader(this.data, { littleEndian, baseOffset: this.baseOffset });
    r.pos = this.pos;
    return r;
  }

  /** ASCII/Latin-1 text of n bytes (no decoding of escape sequences). */
  ascii(n: number, what = 'text'): string {
    const b = this.bytes(n, what);
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i] as number);
    return s;
  }
}
