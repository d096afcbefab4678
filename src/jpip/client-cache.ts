// Client-side data-bin cache (ISO/IEC 15444-9 A.3, B.2): merges jpp-stream / jpt-stream messages
// that arrive out of order, overlapping or partial, and tracks per bin the received ranges, the
// total length (known from the message with the completed-bin flag), the usable contiguous prefix
// and completeness. Overlapping bytes must agree (bins never change for one tid). Exports bins per
// codestream for a codestream rebuild and a model= string for stateless requests.

import { LimitExceededError, MalformedError } from '../bytes';
import { baseClass, type BinClassId, type JpipMessage } from './messages';
import type { JpipStreamEvent } from './message-reader';

export interface ClientBinView {
  csn: number;
  classId: BinClassId;
  binId: number;
  /** The contiguous prefix [0, P): the only part usable for decoding. */
  prefix: Uint8Array;
  /** Total bin length, once a message with the completed-bin flag has arrived. */
  length: number | null;
  complete: boolean;
  /** Bytes held, prefix or not. */
  received: number;
  /** Largest Aux seen (extended precinct messages: complete layers in the prefix). */
  aux: number | null;
}

export interface ClientCacheOptions {
  maxBinLength?: number;
  maxTotalBytes?: number;
}

interface Bin {
  csn: number;
  classId: BinClassId;
  binId: number;
  data: Uint8Array;
  /** Sorted, disjoint, non-adjacent [start, end) ranges held. */
  ranges: [number, number][];
  length: number | null;
  aux: number | null;
}

export class ClientCache {
  private readonly bins = new Map<string, Bin>();
  private readonly maxBinLength: number;
  private readonly maxTotalBytes: number;
  private total = 0;

  constructor(options: ClientCacheOptions = {}) {
    this.maxBinLength = options.maxBinLength ?? 256 * 1024 * 1024;
    this.maxTotalBytes = options.maxTotalBytes ?? 1024 * 1024 * 1024;
  }

  /** Bytes stored over all bins. */
  get totalBytes(): number {
    return this.total;
  }

  addEvents(events: readonly JpipStreamEvent[]): void {
    for (const e of events) if (e.kind === 'message') this.add(e.message);
  }

  /** Merges one message into its bin. // 15444-9 A.2, A.3 */
  add(m: JpipMessage): void {
    const classId = baseClass(m.classId);
    const k = `${m.csn}/${classId}/${m.binId}`;
    const end = m.offset + m.data.length;
    if (end > this.maxBinLength)
      throw new LimitExceededError('JPIP_CLIENT_BIN_TOO_LONG', `bin end ${end} over ${this.maxBinLength}`);
    let bin = this.bins.get(k);
    if (bin === undefined) {
      bin = { csn: m.csn, classId, binId: m.binId, data: new Uint8Array(0), ranges: [], length: null, aux: null };
      this.bins.set(k, bin);
    }
    if (m.last) {
      if (bin.length !== null && bin.length !== end) {
        throw new MalformedError('JPIP_CLIENT_LENGTH_CONFLICT', `bin ${k} ends at ${bin.length} and at ${end}`, {
          context: k,
        });
      }
      bin.length = end;
    }
    const lastEnd = bin.ranges[bin.ranges.length - 1]?.[1] ?? 0;
    if (bin.length !== null && (end > bin.length || lastEnd > bin.length)) {
      throw new MalformedError('JPIP_CLIENT_BEYOND_END', `bin ${k} has data past its end ${bin.length}`, {
        context: k,
      });
    }
    if (m.aux !== undefined) bin.aux = Math.max(bin.aux ?? 0, m.aux);
    if (m.data.length === 0) return;
    this.checkOverlap(bin, m.offset, m.data, k);
    const added = m.data.length - this.overlapBytes(bin, m.offset, end);
    if (this.total + added > this.maxTotalBytes)
      throw new LimitExceededError('JPIP_CLIENT_CACHE_FULL', `client cache over ${this.maxTotalBytes} bytes`);
    if (end > bin.data.length) {
      const grown = new Uint8Array(Math.min(this.maxBinLength, Math.max(end, bin.data.length * 2)));
      grown.set(bin.data);
      bin.data = grown;
    }
    bin.data.set(m.data, m.offset);
    bin.ranges = mergeRange(bin.ranges, m.offset, end);
    this.total += added;
  }

  private checkOverlap(bin: Bin, offset: number, data: Uint8Array, k: string): void {
    const end = offset + data.length;
    for (const [s, e] of bin.ranges) {
      const lo = Math.max(s, offset);
      const hi = Math.min(e, end);
      for (let i = lo; i < hi; i++) {
        if (bin.data[i] !== data[i - offset]) {
          throw new MalformedError('JPIP_CLIENT_DATA_CONFLICT', `bin ${k} byte ${i} differs from earlier data`, {
            context: k,
          });
        }
      }
    }
  }

  private overlapBytes(bin: Bin, offset: number, end: number): number {
    let n = 0;
    for (const [s, e] of bin.ranges) n += Math.max(0, Math.min(e, end) - Math.max(s, offset));
    return n;
  }

  get(csn: number, classId: BinClassId, binId: number): ClientBinView | undefined {
    const bin = this.bins.get(`${csn}/${baseClass(classId)}/${binId}`);
    return bin === undefined ? undefined : view(bin);
  }

  /** All bins, optionally of one codestream and class, sorted by (csn, class, id). */
  list(csn?: number, classId?: BinClassId): ClientBinView[] {
    const out: ClientBinView[] = [];
    for (const b of this.bins.values()) {
      if ((csn === undefined || b.csn === csn) && (classId === undefined || b.classId === baseClass(classId)))
        out.push(view(b));
    }
    return out.sort((a, b) => a.csn - b.csn || a.classId - b.classId || a.binId - b.binId);
  }

  /** Bins of one codestream keyed by in-class id, for a codestream rebuild. */
  export(csn: number): {
    mainHeader: ClientBinView | undefined;
    tileHeaders: Map<number, ClientBinView>;
    precincts: Map<number, ClientBinView>;
    tiles: Map<number, ClientBinView>;
  } {
    const byClass = (c: BinClassId) => new Map(this.list(csn, c).map((b) => [b.binId, b] as const));
    return { mainHeader: this.get(csn, 6, 0), tileHeaders: byClass(2), precincts: byClass(0), tiles: byClass(4) };
  }

  /** A model= value describing the usable prefixes held (for stateless requests). // 15444-9 C.9.2 */
  modelString(): string {
    const items: string[] = [];
    let lastCsn: number | null = null;
    for (const b of this.list()) {
      if (b.prefix.length === 0 && !b.complete) continue;
      if (b.csn !== lastCsn) {
        items.push(`[${b.csn}]`);
        lastCsn = b.csn;
      }
      const name =
        b.classId === 6
          ? 'Hm'
          : `${b.classId === 2 ? 'H' : b.classId === 0 ? 'P' : b.classId === 8 ? 'M' : 'T'}${b.binId}`;
      items.push(b.complete ? name : `${name}:${b.prefix.length}`);
    }
    return items.join(',');
  }
}

function view(b: Bin): ClientBinView {
  const first = b.ranges[0];
  const prefixLength = first !== undefined && first[0] === 0 ? first[1] : 0;
  const received = b.ranges.reduce((n, [s, e]) => n + e - s, 0);
  return {
    csn: b.csn,
    classId: b.classId,
    binId: b.binId,
    prefix: b.data.subarray(0, prefixLength),
    length: b.length,
    complete: b.length !== null && prefixLength === b.length,
    received,
    aux: b.aux,
  };
}

/** Inserts [s, e) into sorted disjoint ranges, merging overlaps and adjacency. */
function mergeRange(ranges: [number, number][], s: number, e: number): [number, number][] {
  const out: [number, number][] = [];
  let ns = s;
  let ne = e;
  let placed = false;
  for (const [a, b] of ranges) {
    if (b < ns) out.push([a, b]);
    else if (a > ne) {
      if (!placed) {
        out.push([ns, ne]);
        placed = true;
      }
      out.push([a, b]);
    } else {
      ns = Math.min(ns, a);
      ne = Math.max(ne, b);
    }
  }
  if (!placed) out.push([ns, ne]);
  return out;
}
