// Checks the framing of incoming PDUs before dcmjs-dimse buffers them (PS3.8 §9.3: 1-byte type,
// 1 reserved byte, 4-byte big-endian length). dcmjs-dimse accepts any declared length and keeps
// concatenating until it arrives, so a peer declaring a 4 GB PDU, or sending bytes that are not a
// PDU at all, is stopped here with a typed error and the association is aborted (PS3.8 §9.3.8).
// P-DATA-TF bodies are checked as they pass (pdv-check.ts).

import { ByteReader, LimitExceededError, MalformedError } from '../bytes';
import { PdvCheck } from './pdv-check';

const PDU_TYPES = new Set([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);
const HEADER = 6;

/** Incremental PDU header checker: feed every received chunk in order; throws on a violation. */
export class PduGuard {
  private type = 0;
  private readonly pdv = new PdvCheck();
  private header = new Uint8Array(HEADER);
  private headerFill = 0;
  private bodyLeft = 0;
  private consumed = 0;
  constructor(private readonly maxPduBytes: number) {}

  /** Returns the types of the PDUs whose last byte is in this chunk, in order (usually none or one). */
  feed(chunk: Uint8Array): number[] {
    const completed: number[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, chunk.length - pos);
        if (this.type === PDU_P_DATA) this.pdv.feed(chunk.subarray(pos, pos + n));
        this.bodyLeft -= n;
        pos += n;
        if (this.bodyLeft === 0) this.complete(completed);
        continue;
      }
      const n = Math.min(HEADER - this.headerFill, chunk.length - pos);
      this.header.set(chunk.subarray(pos, pos + n), this.headerFill);
      this.headerFill += n;
      pos += n;
      if (this.headerFill < HEADER) break;
      this.checkHeader();
      this.headerFill = 0;
      if (this.bodyLeft === 0) this.complete(completed);
    }
    this.consumed += chunk.length;
    return completed;
  }

  private complete(completed: number[]): void {
    if (this.type === PDU_P_DATA) this.pdv.endPdu();
    completed.push(this.type);
  }

  private checkHeader(): void {
    const r = new ByteReader(this.header);
    const type = r.u8('PDU-type');
    r.skip(1, 'reserved');
    const length = r.u32('PDU-length');
    if (!PDU_TYPES.has(type))
      throw new MalformedError('DIMSE_UNKNOWN_PDU', `unrecognized PDU type 0x${type.toString(16)}`, {
        offset: this.consumed,
      });
    if (length > this.maxPduBytes) {
      throw new LimitExceededError('DIMSE_PDU_TOO_LONG', `PDU of ${length} bytes exceeds ${this.maxPduBytes}`, {
        offset: this.consumed,
      });
    }
    this.type = type;
    this.bodyLeft = length;
  }
}

export const PDU_ASSOCIATE_RQ = 0x01;
export const PDU_P_DATA = 0x04;
export const PDU_ABORT = 0x07;

/** A-ABORT PDU (PS3.8 §9.3.8, Table 9-26): source 0 = service user (reason then not significant),
 *  2 = service provider; reason 0 = not specified, 1 = unrecognized PDU, 2 = unexpected PDU,
 *  6 = invalid PDU parameter value. */
export function abortPdu(reason: 0 | 1 | 2 | 6, source: 0 | 2 = 2): Uint8Array {
  return new Uint8Array([0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, source, source === 0 ? 0 : reason]);
}

/** A-ASSOCIATE-RJ PDU (PS3.8 §9.3.4, Table 9-21) "rejected-transient (2), DICOM UL service-provider
 *  (presentation related function) (3), local-limit-exceeded (2)": the answer to an association
 *  over the configured limits (the same DCMTK's dcmqrscp sends when its association limit is hit). */
export function localLimitRejectPdu(): Uint8Array {
  return new Uint8Array([0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x02, 0x03, 0x02]);
}
