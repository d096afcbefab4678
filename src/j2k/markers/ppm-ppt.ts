// PPM and PPT marker segments: packed packet headers, ISO/IEC 15444-1 A.7.4 Table A.36 (PPM) and
// A.7.5 Table A.37 (PPT). Segments are ordered by Zppm/Zppt; their payloads form one stream.
// For PPM that stream is a run of (Nppm, Ippm) pairs, one per tile-part in codestream order,
// and a pair may straddle segments (A.7.4), so we keep a map from stream to codestream offsets.

import { ByteReader, MalformedError } from '../../bytes';

export interface PackedSegment {
  /** Zppm / Zppt */
  Z: number;
  /** Codestream offset and length of the payload after Z. */
  offset: number;
  length: number;
}

// ISO/IEC 15444-1 A.7.4 Table A.36 / A.7.5 Table A.37
export function parsePacked(seg: ByteReader, name: 'PPM' | 'PPT'): PackedSegment {
  const Z = seg.u8(`Z${name.toLowerCase()}`);
  const offset = seg.offset;
  const length = seg.remaining;
  seg.skip(length);
  return { Z, offset, length };
}

/** Concatenation of packed-header payloads with a map back to codestream offsets. */
export class PackedStream {
  readonly bytes: Uint8Array;
  /** Stream start of each piece, and the codestream offset it came from. */
  private readonly starts: number[] = [];
  private readonly sources: number[] = [];

  constructor(codestream: Uint8Array, segments: PackedSegment[], name: string) {
    const sorted = [...segments].sort((a, b) => a.Z - b.Z);
    for (let i = 1; i < sorted.length; i++) {
      if ((sorted[i] as PackedSegment).Z === (sorted[i - 1] as PackedSegment).Z) {
        throw new MalformedError(`J2K_${name}_ORDER`, `${name}: duplicate Z index ${(sorted[i] as PackedSegment).Z}`, {
          offset: (sorted[i] as PackedSegment).offset - 1,
          context: name,
        });
      }
    }
    let total = 0;
    for (const s of sorted) total += s.length;
    this.bytes = new Uint8Array(total);
    let pos = 0;
    for (const s of sorted) {
      this.starts.push(pos);
      this.sources.push(s.offset);
      this.bytes.set(codestream.subarray(s.offset, s.offset + s.length), pos);
      pos += s.length;
    }
  }

  /**
   * Codestream offset of stream range [pos, pos+len), or -1 when the range straddles two
   * marker segments (then it is not one contiguous codestream range).
   */
  sourceOffset(pos: number, len: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    const start = this.starts[lo] ?? 0;
    const end = lo + 1 < this.starts.length ? (this.starts[lo + 1] as number) : this.bytes.length;
    if (pos + len > end) return -1;
    return (this.sources[lo] ?? 0) + (pos - start);
  }
}

/** Splits a PPM stream into its (Nppm, Ippm) chunks: stream ranges of each tile-part's headers. */
export function splitPpm(stream: PackedStream): Array<{ start: number; length: number }> {
  const r = new ByteReader(stream.bytes);
  const out: Array<{ start: number; length: number }> = [];
  while (r.remaining > 0) {
    const n = r.u32('Nppm');
    const start = r.position;
    r.skip(n, 'Ippm');
    out.push({ start, length: n });
  }
  return out;
}
