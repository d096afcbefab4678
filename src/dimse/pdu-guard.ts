// Checks the framing of incoming PDUs before dcmjs-dimse buffers them (PS3.8 §9.3: 1-byte type,
// 1 reserved byte, 4-byte big-endian length). dcmjs-dimse accepts any declared length and keeps
// concatenating until it arrives, so a peer declaring a 4 GB PDU, or sending bytes that are not a
// PDU at all, is stopped here with a typed error and the association is aborted (PS3.8 §9.3.8).

import { ByteReader, LimitExceededError, MalformedError } from '../bytes';

const PDU_TYPES = new Set([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);
const HEADER = 6;

/** Incremental PDU header checker: feed every received chunk in order; throws on a violation. */
export class PduGuard {
  private header = new Uint8Array(HEADER);
  private headerFill = 0;
  private bodyLeft = 0;
  private consumed = 0;
  constructor(private readonly maxPduBytes: number) {}

  feed(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, chunk.length - pos);
        this.bodyLeft -= n;
        pos += n;
        continue;
      }
      const n = Math.min(HEADER - this.headerFill, chunk.length - pos);
      this.header.set(chunk.subarray(pos, pos + n), this.headerFill);
      this.headerFill += n;
      pos += n;
      if (this.headerFill < HEADER) break;
      this.checkHeader();
      this.headerFill = 0;
    }
    this.consumed += chunk.length;
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
    this.bodyLeft = length;
  }
}

/** A-ABORT PDU (PS3.8 §9.3.8): source 2 = service provider, reason 1 = unrecognized PDU, 6 = invalid parameter. */
export function abortPdu(reason: 1 | 2 | 6): Uint8Array {
  return new Uint8Array([0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x02, reason]);
}
