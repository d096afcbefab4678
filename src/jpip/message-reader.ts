// Incremental jpp-stream / jpt-stream reader (ISO/IEC 15444-9 Annex A.2, EOR from D.3).
// push() accepts chunks split anywhere (HTTP chunked bodies), returns the complete messages and
// EOR events seen so far, and keeps the header-compression state within a response. After an
// EOR the state is dropped: the next response must start with a fully specified header (A.2.2).
// Bodies are copied into a buffer sized from Msg-Length after checking it against a cap.

import { ByteReader, LimitExceededError, MalformedError, TruncatedError } from '../bytes';
import { accumulate, readVbas, MAX_VBAS_BYTES } from './vbas';
import { hasAux, isBinClassId, isEorReason, type EorReasonCode, type HeaderState, type JpipMessage } from './messages';

export type JpipStreamEvent =
  { kind: 'message'; message: JpipMessage } | { kind: 'eor'; reason: EorReasonCode; body: Uint8Array };

export interface JpipStreamReaderOptions {
  /** Largest Msg-Length accepted (default 64 MiB). */
  maxMessageLength?: number;
  /** Largest EOR body accepted (default 4096). */
  maxEorBodyLength?: number;
  /** State assumed when a stream or response starts with a compressed header (default: refuse). */
  initialState?: HeaderState;
}

interface PendingBody {
  header: Omit<JpipMessage, 'data'>;
  data: Uint8Array;
  filled: number;
}

export class JpipStreamReader {
  private readonly maxMessageLength: number;
  private readonly maxEorBodyLength: number;
  private readonly initialState: HeaderState | null;
  private state: HeaderState | null;
  private pending: Uint8Array = new Uint8Array(0);
  private body: PendingBody | null = null;
  /** Bytes consumed so far (absolute offsets in errors). */
  private consumed = 0;

  constructor(options: JpipStreamReaderOptions = {}) {
    this.maxMessageLength = options.maxMessageLength ?? 64 * 1024 * 1024;
    this.maxEorBodyLength = options.maxEorBodyLength ?? 4096;
    this.initialState = options.initialState ?? null;
    this.state = this.initialState;
  }

  /** True when no message is partly read (a clean place for the input to end). */
  get idle(): boolean {
    return this.body === null && this.pending.length === 0;
  }

  /** Drops all state, e.g. to reuse the reader after an error or for a new connection. */
  reset(): void {
    this.state = this.initialState;
    this.pending = new Uint8Array(0);
    this.body = null;
    this.consumed = 0;
  }

  /** Throws TruncatedError if the input ended inside a message. */
  end(): void {
    if (!this.idle) {
      throw new TruncatedError('JPIP_STREAM_TRUNCATED', 'stream ended inside a message', { offset: this.consumed });
    }
  }

  push(rawChunk: Uint8Array): JpipStreamEvent[] {
    const events: JpipStreamEvent[] = [];
    // Views of a subclass (e.g. Node's Buffer) are re-viewed as plain Uint8Array so every body
    // handed out has one type, whatever the transport delivered.
    const chunk =
      Object.getPrototypeOf(rawChunk) === Uint8Array.prototype
        ? rawChunk
        : new Uint8Array(rawChunk.buffer, rawChunk.byteOffset, rawChunk.byteLength);
    let input = chunk;
    if (this.pending.length > 0) {
      const joined = new Uint8Array(this.pending.length + chunk.length);
      joined.set(this.pending);
      joined.set(chunk, this.pending.length);
      input = joined;
      this.pending = new Uint8Array(0);
    }
    const base = this.consumed - (input.length - chunk.length);
    let pos = 0;
    while (pos < input.length) {
      if (this.body !== null) {
        pos += this.fillBody(input.subarray(pos), events);
        continue;
      }
      const r = new ByteReader(input.subarray(pos), { baseOffset: base + pos });
      try {
        const ev = this.readHeader(r);
        pos += r.position;
        if (ev !== null) events.push(ev);
      } catch (e) {
        if (e instanceof TruncatedError) {
          this.pending = input.slice(pos);
          break;
        }
        throw e;
      }
    }
    this.consumed = base + input.length;
    return events;
  }

  private fillBody(bytes: Uint8Array, events: JpipStreamEvent[]): number {
    const b = this.body;
    if (b === null) return 0;
    const n = Math.min(bytes.length, b.data.length - b.filled);
    b.data.set(bytes.subarray(0, n), b.filled);
    b.filled += n;
    if (b.filled === b.data.length) {
      events.push({ kind: 'message', message: { ...b.header, data: b.data } });
      this.body = null;
    }
    return n;
  }

  /** Reads an EOR or a message header; a message body starts this.body. // 15444-9 A.2.2, D.3 */
  private readHeader(r: ByteReader): JpipStreamEvent | null {
    const start = r.offset;
    const b0 = r.u8('Bin-ID');
    if (b0 === 0x00) return this.readEor(r, start);
    const bb = (b0 >> 5) & 3;
    if (bb === 0) {
      throw new MalformedError('JPIP_MSG_BAD_BB', `Bin-ID indicator bb=0 is prohibited (byte 0x${b0.toString(16)})`, {
        offset: start,
      });
    }
    const last = (b0 & 0x10) !== 0;
    let binId = b0 & 0x0f;
    let more = (b0 & 0x80) !== 0;
    for (let i = 1; more; i++) {
      if (i >= MAX_VBAS_BYTES)
        throw new MalformedError('JPIP_VBAS_TOO_LONG', 'Bin-ID VBAS too long', { offset: start });
      const b = r.u8('Bin-ID');
      binId = accumulate(binId, b & 0x7f, start, 'Bin-ID');
      more = (b & 0x80) !== 0;
    }
    let classId: number;
    let csn: number;
    if (bb >= 2) {
      classId = readVbas(r, 'Class');
      csn = bb === 3 ? readVbas(r, 'CSn') : this.stateOrThrow(start).csn;
    } else {
      const s = this.stateOrThrow(start);
      classId = s.classId;
      csn = s.csn;
    }
    if (!isBinClassId(classId)) {
      throw new MalformedError('JPIP_MSG_BAD_CLASS', `reserved data-bin class ${classId}`, {
        offset: start,
        context: 'Class',
      });
    }
    const offset = readVbas(r, 'Msg-Offset');
    const length = readVbas(r, 'Msg-Length');
    const aux = hasAux(classId) ? readVbas(r, 'Aux') : undefined;
    if (length > this.maxMessageLength) {
      throw new LimitExceededError('JPIP_MSG_TOO_LONG', `Msg-Length ${length} over cap ${this.maxMessageLength}`, {
        offset: start,
      });
    }
    if (offset + length > Number.MAX_SAFE_INTEGER) {
      throw new MalformedError('JPIP_MSG_BAD_RANGE', 'Msg-Offset + Msg-Length overflows', { offset: start });
    }
    this.state = { classId, csn };
    const header: Omit<JpipMessage, 'data'> =
      aux === undefined ? { classId, csn, binId, offset, last } : { classId, csn, binId, offset, last, aux };
    this.body = { header, data: new Uint8Array(length), filled: 0 };
    if (length === 0) {
      this.body = null;
      return { kind: 'message', message: { ...header, data: new Uint8Array(0) } };
    }
    return null;
  }

  private readEor(r: ByteReader, start: number): JpipStreamEvent {
    const reason = r.u8('EOR reason');
    if (!isEorReason(reason)) {
      throw new MalformedError('JPIP_EOR_BAD_REASON', `unknown EOR reason code ${reason}`, {
        offset: start,
        context: 'EOR',
      });
    }
    const n = readVbas(r, 'EOR body length');
    if (n > this.maxEorBodyLength) {
      throw new LimitExceededError('JPIP_EOR_TOO_LONG', `EOR body ${n} over cap ${this.maxEorBodyLength}`, {
        offset: start,
      });
    }
    const body = r.bytes(n, 'EOR body').slice();
    this.state = this.initialState;
    return { kind: 'eor', reason, body };
  }

  private stateOrThrow(offset: number): HeaderState {
    if (this.state === null) {
      throw new MalformedError('JPIP_MSG_NO_STATE', 'compressed message header at the start of a response', { offset });
    }
    return this.state;
  }
}

/** Parses a complete stream held in memory; throws TruncatedError if it ends inside a message. */
export function readJpipStream(bytes: Uint8Array, options?: JpipStreamReaderOptions): JpipStreamEvent[] {
  const reader = new JpipStreamReader(options);
  const events = reader.push(bytes);
  reader.end();
  return events;
}
