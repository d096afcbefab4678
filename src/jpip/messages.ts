// jpp-stream / jpt-stream message writer (ISO/IEC 15444-9 Annex A.2) and EOR messages (Annex D.3).
// Header: Bin-ID VBAS (bb class/CSn indicator, c = completes the bin, in-class id) [Class]
// [CSn] Msg-Offset Msg-Length [Aux]. Header compression (bb=1/2) is used within a response; the
// first message after beginResponse() is always fully specified (bb=3, A.2.2). Class ids are the
// wire values of Table A.2 (0,1,2,4,5,6,8); 3, 7 and >8 are refused.

import { MalformedError } from '../bytes';
import { vbasLength, writeVbas } from './vbas';

/** Data-bin class identifiers on the wire. // 15444-9 A.2.2 Table A.2 */
export const BinClass = {
  precinct: 0,
  extendedPrecinct: 1,
  tileHeader: 2,
  tile: 4,
  extendedTile: 5,
  mainHeader: 6,
  metadata: 8,
} as const;
export type BinClassId = (typeof BinClass)[keyof typeof BinClass];

const VALID_CLASSES: ReadonlySet<number> = new Set<number>([0, 1, 2, 4, 5, 6, 8]);

export function isBinClassId(n: number): n is BinClassId {
  return VALID_CLASSES.has(n);
}

/** Extended classes (odd ids) carry an Aux VBAS. // 15444-9 A.2.2 */
export function hasAux(classId: BinClassId): boolean {
  return classId % 2 === 1;
}

/** The data-bin a class id addresses: extended precinct/tile messages address the plain bins. */
export function baseClass(classId: BinClassId): BinClassId {
  if (classId === BinClass.extendedPrecinct) return BinClass.precinct;
  if (classId === BinClass.extendedTile) return BinClass.tile;
  return classId;
}

export interface JpipMessage {
  classId: BinClassId;
  /** Codestream identifier (CSn). For DICOM this is the 1-based frame number. */
  csn: number;
  /** In-class data-bin identifier. */
  binId: number;
  /** Msg-Offset: position of `data` in the data-bin. */
  offset: number;
  /** True when this message holds the last byte of the data-bin (the "c" bit). */
  last: boolean;
  /** Aux value; required for odd class ids, forbidden otherwise. */
  aux?: number;
  data: Uint8Array;
}

/** EOR reason codes. // 15444-9 D.3 Table D.2 */
export const EorReason = {
  imageDone: 1,
  windowDone: 2,
  windowChange: 3,
  byteLimit: 4,
  qualityLimit: 5,
  sessionLimit: 6,
  responseLimit: 7,
  nonSpecified: 0xff,
} as const;
export type EorReasonCode = (typeof EorReason)[keyof typeof EorReason];

const VALID_EOR: ReadonlySet<number> = new Set<number>([1, 2, 3, 4, 5, 6, 7, 0xff]);
export function isEorReason(n: number): n is EorReasonCode {
  return VALID_EOR.has(n);
}

/** EOR message: 0x00, reason byte, VBAS body length, body. // 15444-9 D.3 */
export function encodeEor(reason: EorReasonCode, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (!isEorReason(reason)) {
    throw new MalformedError('JPIP_EOR_BAD_REASON', `invalid EOR reason ${String(reason)}`, { context: 'EOR' });
  }
  const out = new Uint8Array(2 + vbasLength(body.length) + body.length);
  out[0] = 0x00;
  out[1] = reason;
  const pos = writeVbas(out, 2, body.length);
  out.set(body, pos);
  return out;
}

/** Header compression state shared by writer and reader. // 15444-9 A.2.2 */
export interface HeaderState {
  classId: BinClassId;
  csn: number;
}

/** Bytes of the Bin-ID VBAS for an in-class id: k bytes carry 7k-3 bits. // 15444-9 A.2.2 */
export function binIdLength(binId: number): number {
  checkUint(binId, 'Bin-ID');
  let k = 1;
  let t = Math.floor(binId / 16);
  while (t > 0) {
    k++;
    t = Math.floor(t / 128);
  }
  return k;
}

function writeBinId(out: Uint8Array, pos: number, binId: number, bb: number, last: boolean): number {
  const k = binIdLength(binId);
  let v = binId;
  for (let i = k - 1; i >= 1; i--) {
    out[pos + i] = (v % 128) | (i === k - 1 ? 0 : 0x80);
    v = Math.floor(v / 128);
  }
  out[pos] = (k > 1 ? 0x80 : 0) | (bb << 5) | (last ? 0x10 : 0) | v;
  return pos + k;
}

function checkUint(v: number, what: string): void {
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new MalformedError('JPIP_MSG_BAD_FIELD', `${what} must be a non-negative safe integer, got ${v}`, {
      context: what,
    });
  }
}

function checkMessage(m: JpipMessage): void {
  if (!isBinClassId(m.classId)) {
    throw new MalformedError('JPIP_MSG_BAD_CLASS', `invalid data-bin class ${String(m.classId)}`, { context: 'Class' });
  }
  checkUint(m.csn, 'CSn');
  checkUint(m.offset, 'Msg-Offset');
  checkUint(m.offset + m.data.length, 'Msg-Offset + Msg-Length');
  if (hasAux(m.classId)) {
    if (m.aux === undefined)
      throw new MalformedError('JPIP_MSG_AUX_MISSING', `class ${m.classId} needs Aux`, { context: 'Aux' });
    checkUint(m.aux, 'Aux');
  } else if (m.aux !== undefined) {
    throw new MalformedError('JPIP_MSG_AUX_UNEXPECTED', `class ${m.classId} has no Aux`, { context: 'Aux' });
  }
}

/** The bb indicator to use for `m` given the previous message's state (null = none). */
function indicator(m: JpipMessage, prev: HeaderState | null): 1 | 2 | 3 {
  if (prev === null || prev.csn !== m.csn) return 3;
  return prev.classId === m.classId ? 1 : 2;
}

/** Header length of `m` after a message with state `prev` (null: start of a response). */
export function messageHeaderLength(m: JpipMessage, prev: HeaderState | null): number {
  checkMessage(m);
  const bb = indicator(m, prev);
  return (
    binIdLength(m.binId) +
    (bb >= 2 ? vbasLength(m.classId) : 0) +
    (bb === 3 ? vbasLength(m.csn) : 0) +
    vbasLength(m.offset) +
    vbasLength(m.data.length) +
    (m.aux !== undefined ? vbasLength(m.aux) : 0)
  );
}

/** Encodes header + body of `m`. // 15444-9 A.2 */
export function encodeMessage(m: JpipMessage, prev: HeaderState | null): Uint8Array {
  const headerLength = messageHeaderLength(m, prev);
  const out = new Uint8Array(headerLength + m.data.length);
  const bb = indicator(m, prev);
  let pos = writeBinId(out, 0, m.binId, bb, m.last);
  if (bb >= 2) pos = writeVbas(out, pos, m.classId);
  if (bb === 3) pos = writeVbas(out, pos, m.csn);
  pos = writeVbas(out, pos, m.offset);
  pos = writeVbas(out, pos, m.data.length);
  if (m.aux !== undefined) pos = writeVbas(out, pos, m.aux);
  out.set(m.data, pos);
  return out;
}

/** Stateful writer: compresses headers within a response, decouples at each response start. */
export class JpipStreamWriter {
  private state: HeaderState | null = null;

  /** Forgets the header state so the next message is fully specified (bb=3). */
  beginResponse(): void {
    this.state = null;
  }

  /** Length the next message would take (header + body) without writing it. */
  sizeOf(m: JpipMessage): number {
    return messageHeaderLength(m, this.state) + m.data.length;
  }

  message(m: JpipMessage): Uint8Array {
    const bytes = encodeMessage(m, this.state);
    this.state = { classId: m.classId, csn: m.csn };
    return bytes;
  }

  /** EOR; it does not change the header state (D.3), but the next response decouples anyway. */
  eor(reason: EorReasonCode, body?: Uint8Array): Uint8Array {
    const bytes = encodeEor(reason, body);
    this.state = null;
    return bytes;
  }
}
