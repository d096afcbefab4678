// Turns a ResponsePlan into jpp-stream / jpt-stream bytes (ISO/IEC 15444-9 A.2) ending with the
// EOR message (D.3). Messages are produced in batches: the codestream ranges of a batch are
// sorted and merged (adjacent or nearly adjacent ranges become one read), read through the
// frame's CodestreamReader, and the batch is yielded as one chunk. Only planned bytes are read.
// The body's length is known from the plan before any byte is produced (`planLength`, so the HTTP
// adapter can send Content-Length); the emitter checks every batch against it and throws before
// yielding bytes that would make the body longer or shorter than planned.

import { MalformedError, concatBytes } from '../../bytes';
import { JpipStreamWriter, encodeEor } from '../messages';
import type { CodestreamReader } from './frame-model';
import type { PlannedMessage, ResponsePlan } from './plan';

export interface EmitOptions {
  /** Codestream bytes gathered per batch (default 1 MiB). */
  batchBytes?: number;
  /** Ranges closer than this are read as one (default 256 bytes). */
  mergeGap?: number;
}

interface Span {
  offset: number;
  end: number;
  data?: Uint8Array;
}

/** Reads the file segments of a batch: per reader, sorted merged spans. */
async function readBatch(
  batch: readonly PlannedMessage[],
  readers: ReadonlyMap<number, CodestreamReader>,
  gap: number,
): Promise<Map<number, Span[]>> {
  const byCsn = new Map<number, Span[]>();
  for (const m of batch) {
    for (const s of m.segments) {
      if (s.kind !== 'file') continue;
      let list = byCsn.get(m.csn);
      if (list === undefined) byCsn.set(m.csn, (list = []));
      list.push({ offset: s.offset, end: s.offset + s.length });
    }
  }
  const out = new Map<number, Span[]>();
  for (const [csn, list] of byCsn) {
    const reader = readers.get(csn);
    if (reader === undefined) throw new MalformedError('JPIP_NO_READER', `no reader for codestream ${csn}`);
    list.sort((a, b) => a.offset - b.offset);
    const merged: Span[] = [];
    for (const s of list) {
      const prev = merged[merged.length - 1];
      if (prev !== undefined && s.offset <= prev.end + gap) prev.end = Math.max(prev.end, s.end);
      else merged.push({ ...s });
    }
    await Promise.all(
      merged.map(async (s) => {
        const data = await reader.read(s.offset, s.end - s.offset);
        if (data.length !== s.end - s.offset) {
          throw new MalformedError(
            'JPIP_SHORT_READ',
            `read ${data.length} of ${s.end - s.offset} bytes at ${s.offset}`,
          );
        }
        s.data = data;
      }),
    );
    out.set(csn, merged);
  }
  return out;
}

function find(spans: readonly Span[], offset: number, length: number): Uint8Array {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid] as Span;
    if (offset < s.offset) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else if (s.data !== undefined && offset + length <= s.end)
      return s.data.subarray(offset - s.offset, offset - s.offset + length);
    else break;
  }
  throw new MalformedError('JPIP_SPAN_MISSING', `bytes ${offset}+${length} were not read`);
}

function messageData(m: PlannedMessage, spans: readonly Span[]): Uint8Array {
  const parts = m.segments.map((s) => (s.kind === 'bytes' ? s.bytes : find(spans, s.offset, s.length)));
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(m.length);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** Exact body length of `plan`: message headers + bodies (what `len` counts) + the EOR message. // D.3 */
export function planLength(plan: ResponsePlan): number {
  return plan.bytes + encodeEor(plan.eor).length;
}

function lengthMismatch(produced: number, planned: number): MalformedError {
  return new MalformedError('JPIP_LENGTH_MISMATCH', `emitted ${produced} bytes where the plan has ${planned}`);
}

/** Yields the response body: the planned messages in order, then EOR. // 15444-9 A.2, D.3 */
export async function* emitResponse(
  plan: ResponsePlan,
  readers: ReadonlyMap<number, CodestreamReader>,
  options: EmitOptions = {},
): AsyncGenerator<Uint8Array> {
  const batchBytes = options.batchBytes ?? 1024 * 1024;
  const gap = options.mergeGap ?? 256;
  const writer = new JpipStreamWriter();
  writer.beginResponse();
  const planned = planLength(plan);
  let produced = 0;
  let i = 0;
  while (i < plan.messages.length) {
    const batch: PlannedMessage[] = [];
    let size = 0;
    while (i < plan.messages.length && (batch.length === 0 || size < batchBytes)) {
      const m = plan.messages[i++] as PlannedMessage;
      batch.push(m);
      size += m.length;
    }
    const spans = await readBatch(batch, readers, gap);
    const out: Uint8Array[] = [];
    for (const m of batch) {
      const data = messageData(m, spans.get(m.csn) ?? []);
      out.push(
        writer.message({
          classId: m.classId,
          csn: m.csn,
          binId: m.binId,
          offset: m.offset,
          last: m.last,
          data,
          ...(m.aux === undefined ? {} : { aux: m.aux }),
        }),
      );
    }
    const chunk = concatBytes(out);
    produced += chunk.length;
    if (produced > plan.bytes) throw lengthMismatch(produced, plan.bytes);
    yield chunk;
  }
  if (produced !== plan.bytes) throw lengthMismatch(produced, plan.bytes);
  const eor = writer.eor(plan.eor);
  if (produced + eor.length !== planned) throw lengthMismatch(produced + eor.length, planned);
  yield eor;
}
