// Unsigned LEB128 varints (zig-zag for signed values) for the packet index's binary form, and
// the bounded readers shared by every version of its decoder: each count is checked against the
// bytes left before anything is allocated (CONVENTIONS.md, binary parsing rules).

import { type ByteReader, MalformedError } from '../bytes';
import type { MarkerSegment } from './header-types';

export const INDEX_MAGIC = [0x4a, 0x32, 0x50, 0x49]; // "J2PI"

export class IndexWriter {
  private buf = new Uint8Array(1024);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }
  byte(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }
  bytes(v: Uint8Array): void {
    this.uv(v.length);
    this.ensure(v.length);
    this.buf.set(v, this.length);
    this.length += v.length;
  }
  uv(v: number): void {
    this.ensure(10);
    let x = v;
    while (x >= 128) {
      this.buf[this.length++] = (x % 128) | 0x80;
      x = Math.floor(x / 128);
    }
    this.buf[this.length++] = x;
  }
  sv(v: number): void {
    this.uv(v < 0 ? -2 * v - 1 : 2 * v);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export function readUv(r: ByteReader): number {
  let v = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    const b = r.u8('varint');
    v += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return v;
    scale *= 128;
  }
  throw new MalformedError('J2K_INDEX_VARINT', 'varint longer than 8 bytes', { offset: r.offset });
}

export function readSv(r: ByteReader): number {
  const z = readUv(r);
  return z % 2 === 1 ? -(z + 1) / 2 : z / 2;
}

/** A count of entries that each take at least `minBytesEach` bytes: checked against the bytes left. */
export function readCount(r: ByteReader, what: string, minBytesEach: number): number {
  const n = readUv(r);
  if (n * minBytesEach > r.remaining) {
    throw new MalformedError('J2K_INDEX_COUNT', `${what}: ${n} entries cannot fit in ${r.remaining} bytes`, {
      offset: r.offset,
      context: what,
    });
  }
  return n;
}

/** A length-prefixed byte string (copied, so the result does not pin the index buffer). */
export function readBytes(r: ByteReader, what: string): Uint8Array {
  return r.bytes(readCount(r, what, 1), what).slice();
}

export function writeMarkers(w: IndexWriter, markers: readonly MarkerSegment[], start: number): void {
  w.uv(markers.length);
  let prev = start;
  for (const m of markers) {
    w.byte(m.marker & 0xff);
    w.sv(m.offset - prev);
    w.uv(m.length);
    prev = m.offset + m.length;
  }
}

export function readMarkers(r: ByteReader, start: number, check: (o: number, l: number) => void): MarkerSegment[] {
  const n = readCount(r, 'markers', 3);
  const out: MarkerSegment[] = [];
  let prev = start;
  for (let i = 0; i < n; i++) {
    const marker = 0xff00 | r.u8('marker');
    const offset = prev + readSv(r);
    const length = readUv(r);
    check(offset, length);
    out.push({ marker, offset, length });
    prev = offset + length;
  }
  return out;
}

/** Range check against the codestream length the index describes. */
export function rangeChecker(r: ByteReader, codestreamLength: number): (o: number, l: number) => void {
  return (o, l) => {
    if (o < 0 || l < 0 || o + l > codestreamLength) {
      throw new MalformedError(
        'J2K_INDEX_RANGE',
        `range ${o}+${l} outside the codestream of ${codestreamLength} bytes`,
        { offset: r.offset },
      );
    }
  };
}
