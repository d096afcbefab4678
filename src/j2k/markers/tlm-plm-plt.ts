// TLM, PLM and PLT marker segments: tile-part and packet lengths, ISO/IEC 15444-1 A.7.1 Table
// A.33 (TLM), A.7.2 Table A.34 (PLM), A.7.3 Table A.35 (PLT). Packet lengths use the 7-bit
// continuation code of Table A.35 (bit 7 set on every byte but the last of a value).

import { ByteReader, MalformedError } from '../../bytes';

export interface TlmEntry {
  Ttlm: number | null;
  Ptlm: number;
}

export interface Tlm {
  Ztlm: number;
  entries: TlmEntry[];
}

// ISO/IEC 15444-1 A.7.1 Table A.33-A.34
export function parseTlm(seg: ByteReader): Tlm {
  const Ztlm = seg.u8('Ztlm');
  const Stlm = seg.u8('Stlm');
  const st = (Stlm >> 4) & 3;
  const sp = (Stlm >> 6) & 1;
  if (st === 3 || (Stlm & 0x8f) !== 0) {
    throw new MalformedError('J2K_TLM_VALUE', `TLM: Stlm 0x${Stlm.toString(16)}`, {
      offset: seg.offset - 1,
      context: 'TLM',
    });
  }
  const size = st + (sp ? 4 : 2);
  if (seg.remaining % size !== 0) {
    throw new MalformedError('J2K_TLM_LENGTH', `TLM: ${seg.remaining} bytes not a multiple of ${size}`, {
      offset: seg.offset,
      context: 'TLM',
    });
  }
  const entries: TlmEntry[] = [];
  while (seg.remaining > 0) {
    const Ttlm = st === 0 ? null : st === 1 ? seg.u8('Ttlm') : seg.u16('Ttlm');
    const Ptlm = sp ? seg.u32('Ptlm') : seg.u16('Ptlm');
    entries.push({ Ttlm, Ptlm });
  }
  return { Ztlm, entries };
}

/** Reads one Iplt/Iplm value (Table A.35): 7 bits per byte, bit 7 = more bytes follow. */
export function readPacketLength(seg: ByteReader, name: string): number {
  let v = 0;
  for (let i = 0; i < 5; i++) {
    const b = seg.u8(name);
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) return v;
  }
  throw new MalformedError(`J2K_${name}_VALUE`, `${name}: packet length longer than 5 bytes`, {
    offset: seg.offset,
    context: name,
  });
}

export interface Plt {
  Zplt: number;
  lengths: number[];
}

// ISO/IEC 15444-1 A.7.3 Table A.35
export function parsePlt(seg: ByteReader): Plt {
  const Zplt = seg.u8('Zplt');
  const lengths: number[] = [];
  while (seg.remaining > 0) lengths.push(readPacketLength(seg, 'PLT'));
  return { Zplt, lengths };
}

export interface Plm {
  Zplm: number;
  /** Raw payload after Zplm: (Nplm, Iplm...) pairs that may straddle segments. */
  payload: Uint8Array;
}

// ISO/IEC 15444-1 A.7.2 Table A.34
export function parsePlm(seg: ByteReader): Plm {
  const Zplm = seg.u8('Zplm');
  return { Zplm, payload: seg.bytes(seg.remaining, 'Iplm') };
}

/** Packet lengths per tile-part (codestream order) from the concatenated PLM payloads. */
export function plmTileParts(plms: Plm[]): number[][] {
  const sorted = [...plms].sort((a, b) => a.Zplm - b.Zplm);
  let total = 0;
  for (const p of sorted) total += p.payload.length;
  const all = new Uint8Array(total);
  let pos = 0;
  for (const p of sorted) {
    all.set(p.payload, pos);
    pos += p.payload.length;
  }
  const r = new ByteReader(all);
  const out: number[][] = [];
  while (r.remaining > 0) {
    const n = r.u8('Nplm');
    const part = r.sub(n, 'Iplm');
    const lengths: number[] = [];
    while (part.remaining > 0) lengths.push(readPacketLength(part, 'PLM'));
    out.push(lengths);
  }
  return out;
}
