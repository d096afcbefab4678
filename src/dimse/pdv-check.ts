// Checks the inside of P-DATA-TF PDUs as they stream past (PS3.8 §9.3.5, Annex E): the PDV items
// must tile the PDU exactly (4-byte length >= 2, odd presentation context ID, message control header
// with only bits 0-1 used), and each complete command set must be Implicit VR Little Endian group
// 0000 elements (PS3.7 §6.3.1, §E.1) that start with Command Group Length (0000,0000) = the rest,
// and carry a DIMSE-C Command Field (0000,0100) dcmjs-dimse can act on. dcmjs-dimse silently
// ignores a command it cannot read (the association then hangs open); here it is a typed error,
// and the association is aborted. Data set fragments are not looked into (the library streams them).

import { LimitExceededError, MalformedError } from '../bytes';

/** PS3.7 Table E.1-1 command fields of the C-services and C-CANCEL (requests and responses). */
const COMMAND_FIELDS = new Set([
  0x0001, 0x8001, 0x0010, 0x8010, 0x0020, 0x8020, 0x0021, 0x8021, 0x0030, 0x8030, 0x0fff,
]);
/** A command set is a few hundred bytes; this bounds what is buffered to check it. */
const MAX_COMMAND_BYTES = 64 * 1024;
const PDV_HEADER = 6;

export class PdvCheck {
  private header = new Uint8Array(PDV_HEADER);
  private headerFill = 0;
  private valueLeft = 0;
  private isCommand = false;
  private isLast = false;
  private command: Uint8Array[] = [];
  private commandBytes = 0;

  /** Bytes of one P-DATA-TF PDU body, in order. */
  feed(body: Uint8Array): void {
    let pos = 0;
    while (pos < body.length) {
      if (this.valueLeft > 0) {
        const n = Math.min(this.valueLeft, body.length - pos);
        if (this.isCommand) this.keep(body.subarray(pos, pos + n));
        this.valueLeft -= n;
        pos += n;
        if (this.valueLeft === 0) this.pdvDone();
        continue;
      }
      const n = Math.min(PDV_HEADER - this.headerFill, body.length - pos);
      this.header.set(body.subarray(pos, pos + n), this.headerFill);
      this.headerFill += n;
      pos += n;
      if (this.headerFill === PDV_HEADER) this.startPdv();
    }
  }

  /** At the end of each P-DATA-TF PDU: no PDV item may continue past it. */
  endPdu(): void {
    if (this.headerFill !== 0 || this.valueLeft !== 0)
      throw new MalformedError('DIMSE_BAD_PDV', 'PDV item runs past the end of its P-DATA-TF PDU');
  }

  private startPdv(): void {
    this.headerFill = 0;
    const view = new DataView(this.header.buffer);
    const length = view.getUint32(0);
    const contextId = this.header[4] ?? 0;
    const control = this.header[5] ?? 0;
    if (length < 2 || contextId % 2 === 0 || (control & 0xfc) !== 0)
      throw new MalformedError(
        'DIMSE_BAD_PDV',
        `bad PDV item (length ${length}, context ${contextId}, control 0x${control.toString(16)})`,
      );
    this.isCommand = (control & 1) === 1;
    this.isLast = (control & 2) === 2;
    this.valueLeft = length - 2;
    if (this.valueLeft === 0) this.pdvDone();
  }

  private keep(bytes: Uint8Array): void {
    this.commandBytes += bytes.length;
    if (this.commandBytes > MAX_COMMAND_BYTES)
      throw new LimitExceededError('DIMSE_COMMAND_TOO_LONG', `command set over ${MAX_COMMAND_BYTES} bytes`);
    this.command.push(bytes.slice());
  }

  private pdvDone(): void {
    if (!this.isCommand || !this.isLast) return;
    const set = new Uint8Array(this.commandBytes);
    let at = 0;
    for (const part of this.command) {
      set.set(part, at);
      at += part.length;
    }
    this.command = [];
    this.commandBytes = 0;
    checkCommandSet(set);
  }
}

/** PS3.7 §6.3.1 / §E.1: group 0000 elements, Implicit VR LE, group length first, a known Command Field. */
export function checkCommandSet(set: Uint8Array): void {
  const bad = (why: string): MalformedError => new MalformedError('DIMSE_BAD_COMMAND', `command set: ${why}`);
  const view = new DataView(set.buffer, set.byteOffset, set.byteLength);
  let pos = 0;
  let field: number | undefined;
  while (pos < set.length) {
    if (pos + 8 > set.length) throw bad('truncated element header');
    const group = view.getUint16(pos, true);
    const element = view.getUint16(pos + 2, true);
    const length = view.getUint32(pos + 4, true);
    const value = pos + 8;
    if (group !== 0) throw bad(`element (${group.toString(16)},${element.toString(16)}) outside group 0000`);
    if (length > set.length - value) throw bad('element value runs past the end');
    if (pos === 0 && (element !== 0 || length !== 4 || view.getUint32(value, true) !== set.length - 12))
      throw bad('Command Group Length (0000,0000) missing or wrong');
    if (element === 0x0100 && length === 2) field = view.getUint16(value, true);
    pos = value + length;
  }
  if (pos === 0) throw bad('empty');
  if (field === undefined || !COMMAND_FIELDS.has(field))
    throw bad(`Command Field (0000,0100) ${field === undefined ? 'missing' : `0x${field.toString(16)} not supported`}`);
}
