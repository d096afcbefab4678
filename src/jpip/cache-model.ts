// Server-side cache model of one session or stateless request (ISO/IEC 15444-9 B.2, C.9): per
// (codestream, data-bin class, in-class id) the length of the byte prefix the client holds and
// whether it holds the whole bin. The server asks missing() what is left to send, calls record()
// when it queues a message, and applies the client's model= statements with apply(). Extended
// classes map onto the plain bins. encode()/decode() give a compact, versioned binary form.

import { ByteReader, LimitExceededError, MalformedError } from '../bytes';
import { baseClass, isBinClassId, type BinClassId } from './messages';
import type { ModelBin, ModelStatement } from './model';
import { expandRanges } from './request-values';
import { readVbas, vbasLength, writeVbas } from './vbas';

export interface BinState {
  /** Length of the contiguous prefix [0, bytes) the client holds. */
  bytes: number;
  /** The client holds the whole bin. */
  complete: boolean;
}

export interface CacheEntry extends BinState {
  csn: number;
  classId: BinClassId;
  binId: number;
}

/** Byte range still to send for a bin; `last` = the range ends the bin. */
export interface SendRange {
  offset: number;
  length: number;
  last: true;
}

/** What apply() needs to know about the target to resolve statements; each part is optional. */
export interface ModelContext {
  /** Codestreams that statements without a "[...]" qualifier address (the request's). */
  defaultStreams: readonly number[];
  /** Highest codestream id (closes open ranges "[3-]"). */
  maxStream?: number;
  binLength?(csn: number, classId: BinClassId, binId: number): number | undefined;
  /** Bytes of the first `layers` packets of a precinct bin (from the packet index). */
  layersToBytes?(csn: number, binId: number, layers: number): number | undefined;
  /** Precinct bin ids named by an implicit t/c/r/p descriptor. */
  implicitBins?(csn: number, bin: Extract<ModelBin, { kind: 'implicit' }>): readonly number[] | undefined;
  /** All in-class ids of a class (for additive "H*" / "P*"). */
  allBins?(csn: number, classId: BinClassId): readonly number[] | undefined;
}

export interface ApplyResult {
  applied: number;
  /** Statements that could not be resolved, with the reason (the model is advisory: C.9). */
  ignored: { statement: ModelStatement; reason: string }[];
}

export interface CacheModelOptions {
  /** Most bins tracked (default 1,000,000). */
  maxEntries?: number;
}

const MAGIC = [0x4a, 0x43, 0x4d, 0x01]; // "JCM" + format version 1
const MAX_STREAMS_PER_STATEMENT = 4096;

function key(csn: number, classId: BinClassId, binId: number): string {
  return `${csn}/${classId}/${binId}`;
}

export class CacheModel {
  private readonly bins = new Map<string, CacheEntry>();
  private readonly maxEntries: number;

  constructor(options: CacheModelOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1_000_000;
  }

  get size(): number {
    return this.bins.size;
  }

  get(csn: number, classId: BinClassId, binId: number): BinState {
    const e = this.bins.get(key(csn, baseClass(classId), binId));
    return e === undefined ? { bytes: 0, complete: false } : { bytes: e.bytes, complete: e.complete };
  }

  /** The suffix [held, binLength) still to send, or null if the client has the bin. */
  missing(csn: number, classId: BinClassId, binId: number, binLength: number): SendRange | null {
    const s = this.get(csn, classId, binId);
    if (s.complete) return null;
    const offset = Math.min(s.bytes, binLength);
    return { offset, length: binLength - offset, last: true };
  }

  /** Records that bytes [offset, offset+length) were queued; `last` = they end the bin. */
  record(csn: number, classId: BinClassId, binId: number, offset: number, length: number, last: boolean): void {
    const s = this.get(csn, classId, binId);
    if (offset > s.bytes) return; // a gap: the contiguous prefix does not grow
    const end = offset + length;
    this.set(csn, baseClass(classId), binId, Math.max(s.bytes, end), s.complete || last);
  }

  /** Forgets bins (all, or one codestream's). */
  clear(csn?: number): void {
    if (csn === undefined) this.bins.clear();
    else for (const [k, e] of this.bins) if (e.csn === csn) this.bins.delete(k);
  }

  entries(): CacheEntry[] {
    return [...this.bins.values()].sort((a, b) => a.csn - b.csn || a.classId - b.classId || a.binId - b.binId);
  }

  /** Applies model= statements (additive raise the prefix, subtractive lower it). // 15444-9 C.9.2 */
  apply(statements: readonly ModelStatement[], ctx: ModelContext): ApplyResult {
    const result: ApplyResult = { applied: 0, ignored: [] };
    for (const st of statements) {
      const reason = this.applyOne(st, ctx);
      if (reason === null) result.applied++;
      else result.ignored.push({ statement: st, reason });
    }
    return result;
  }

  private applyOne(st: ModelStatement, ctx: ModelContext): string | null {
    let streams: readonly number[];
    if (st.streams === null) streams = ctx.defaultStreams;
    else {
      const open = st.streams.some((r) => r.to === null);
      if (open && ctx.maxStream === undefined) return 'open codestream range without a known codestream count';
      const hi = ctx.maxStream ?? Math.max(...st.streams.map((r) => r.to ?? 0));
      streams = expandRanges(st.streams, 0, hi, MAX_STREAMS_PER_STATEMENT);
    }
    for (const csn of streams) {
      const target = this.resolve(st.bin, csn, ctx);
      if (typeof target === 'string') return target;
      const { classId, ids } = target;
      if (ids === '*' && st.subtractive) {
        for (const [k, e] of this.bins) if (e.csn === csn && e.classId === classId) this.bins.delete(k);
        continue;
      }
      if (ids === '*') return 'wildcard without a bin list';
      for (const id of ids) {
        const r = this.applyBin(st, csn, classId, id, ctx);
        if (r !== null) return r;
      }
    }
    return null;
  }

  private resolve(
    bin: ModelBin,
    csn: number,
    ctx: ModelContext,
  ): { classId: BinClassId; ids: readonly number[] | '*' } | string {
    if (bin.kind === 'main-header') return { classId: 6, ids: [0] };
    if (bin.kind === 'implicit') {
      const ids = ctx.implicitBins?.(csn, bin);
      return ids === undefined ? 'implicit descriptor not resolvable' : { classId: 0, ids };
    }
    const classId: BinClassId =
      bin.kind === 'tile-header' ? 2 : bin.kind === 'precinct' ? 0 : bin.kind === 'metadata' ? 8 : 4;
    if (bin.id !== '*') return { classId, ids: [bin.id] };
    const all = ctx.allBins?.(csn, classId);
    return { classId, ids: all ?? '*' };
  }

  private applyBin(st: ModelStatement, csn: number, classId: BinClassId, id: number, ctx: ModelContext): string | null {
    const cur = this.get(csn, classId, id);
    let n: number | undefined;
    if (st.limit.kind === 'whole') n = undefined;
    else if (st.limit.kind === 'bytes') n = st.limit.bytes;
    else {
      n = ctx.layersToBytes?.(csn, id, st.limit.layers);
      if (n === undefined) return 'layer count not resolvable';
    }
    const length = ctx.binLength?.(csn, classId, id);
    if (st.subtractive) {
      if (n === undefined) this.bins.delete(key(csn, classId, id));
      else if (n < cur.bytes || cur.complete) this.set(csn, classId, id, Math.min(cur.bytes, n), false);
      return null;
    }
    if (n === undefined) {
      this.set(csn, classId, id, Math.max(cur.bytes, length ?? 0), true);
    } else {
      const complete = cur.complete || (length !== undefined && n >= length);
      this.set(csn, classId, id, Math.max(cur.bytes, length === undefined ? n : Math.min(n, length)), complete);
    }
    return null;
  }

  private set(csn: number, classId: BinClassId, binId: number, bytes: number, complete: boolean): void {
    const k = key(csn, classId, binId);
    if (!this.bins.has(k) && this.bins.size >= this.maxEntries) {
      throw new LimitExceededError('JPIP_CACHE_MODEL_FULL', `cache model holds more than ${this.maxEntries} bins`);
    }
    this.bins.set(k, { csn, classId, binId, bytes, complete });
  }

  /** Compact binary form: magic, VBAS count, then (csn, class, id, bytes, complete) per bin. */
  encode(): Uint8Array {
    const list = this.entries();
    let n = MAGIC.length + vbasLength(list.length);
    for (const e of list) n += vbasLength(e.csn) + 1 + vbasLength(e.binId) + vbasLength(e.bytes) + 1;
    const out = new Uint8Array(n);
    out.set(MAGIC);
    let pos = writeVbas(out, MAGIC.length, list.length);
    for (const e of list) {
      pos = writeVbas(out, pos, e.csn);
      out[pos++] = e.classId;
      pos = writeVbas(out, pos, e.binId);
      pos = writeVbas(out, pos, e.bytes);
      out[pos++] = e.complete ? 1 : 0;
    }
    return out;
  }

  static decode(bytes: Uint8Array, options: CacheModelOptions = {}): CacheModel {
    const r = new ByteReader(bytes);
    for (const m of MAGIC) {
      if (r.u8('cache model magic') !== m)
        throw new MalformedError('JPIP_CACHE_MODEL_BAD_MAGIC', 'not a cache model blob', { offset: 0 });
    }
    const model = new CacheModel(options);
    const count = readVbas(r, 'entry count');
    if (count > model.maxEntries)
      throw new LimitExceededError('JPIP_CACHE_MODEL_FULL', `${count} entries over cap`, { offset: r.offset });
    for (let i = 0; i < count; i++) {
      const csn = readVbas(r, 'CSn');
      const at = r.offset;
      const classId = r.u8('class');
      if (!isBinClassId(classId) || baseClass(classId) !== classId) {
        throw new MalformedError('JPIP_CACHE_MODEL_BAD_CLASS', `class ${classId}`, { offset: at });
      }
      const binId = readVbas(r, 'bin id');
      const held = readVbas(r, 'bytes');
      const flag = r.u8('complete');
      if (flag > 1) throw new MalformedError('JPIP_CACHE_MODEL_BAD_FLAG', `flag ${flag}`, { offset: r.offset - 1 });
      model.set(csn, classId, binId, held, flag === 1);
    }
    if (!r.atEnd)
      throw new MalformedError('JPIP_CACHE_MODEL_TRAILING', 'bytes after the last entry', { offset: r.offset });
    return model;
  }
}
