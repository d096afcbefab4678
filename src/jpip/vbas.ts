// VBAS (variable-length byte-aligned segment) codec, ISO/IEC 15444-9 A.2.1: an unsigned integer
// written big-endian in 7-bit groups, bit 7 set on every byte but the last. The encoder writes
// the minimal form; the decoder also accepts redundant leading 0x80 bytes but caps the number of
// bytes (a hostile run of 0x80 bytes is MalformedError, never a hang) and the value (safe integer).

import { type ByteReader, MalformedError } from '../bytes';

/** Longest VBAS we accept, counting redundant leading 0x80 bytes. */
export const MAX_VBAS_BYTES = 12;

/** Number of bytes of the minimal VBAS encoding of `value`. // 15444-9 A.2.1 */
export function vbasLength(value: number): number {
  checkValue(value);
  let n = 1;
  let v = Math.floor(value / 128);
  while (v > 0) {
    n++;
    v = Math.floor(v / 128);
  }
  return n;
}

/** Writes the minimal VBAS for `value` into `out` at `pos`; returns the position after it. */
export function writeVbas(out: Uint8Array, pos: number, value: number): number {
  const n = vbasLength(value);
  let v = value;
  for (let i = n - 1; i >= 0; i--) {
    out[pos + i] = (v % 128) | (i === n - 1 ? 0 : 0x80);
    v = Math.floor(v / 128);
  }
  return pos + n;
}

/** The minimal VBAS encoding of `value`. // 15444-9 A.2.1 */
export function encodeVbas(value: number): Uint8Array {
  const out = new Uint8Array(vbasLength(value));
  writeVbas(out, 0, value);
  return out;
}

/** Reads one VBAS. Throws TruncatedError (from the reader) if it ends early. // 15444-9 A.2.1 */
export function readVbas(r: ByteReader, what = 'VBAS'): number {
  const start = r.offset;
  let v = 0;
  for (let i = 0; i < MAX_VBAS_BYTES; i++) {
    const b = r.u8(what);
    v = accumulate(v, b & 0x7f, start, what);
    if ((b & 0x80) === 0) return v;
  }
  throw new MalformedError('JPIP_VBAS_TOO_LONG', `${what}: VBAS longer than ${MAX_VBAS_BYTES} bytes`, {
    offset: start,
    context: what,
  });
}

/** v * 128 + low, refusing values above Number.MAX_SAFE_INTEGER. */
export function accumulate(v: number, low: number, offset: number, what: string): number {
  if (v > (Number.MAX_SAFE_INTEGER - low) / 128) {
    throw new MalformedError('JPIP_VBAS_OVERFLOW', `${what}: VBAS value exceeds 2^53-1`, { offset, context: what });
  }
  return v * 128 + low;
}

function checkValue(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MalformedError('JPIP_VBAS_BAD_VALUE', `cannot encode ${value} as VBAS`, { context: 'VBAS' });
  }
}
