// POC marker segment: progression order changes, ISO/IEC 15444-1 A.6.6 Table A.32. Each entry
// is RSpoc, CSpoc, LYEpoc, REpoc, CEpoc, Ppoc; CSpoc/CEpoc are 2 bytes when Csiz >= 257.
// CEpoc = 0 with 1-byte fields means 256 (Table A.32 note).

import { type ByteReader, MalformedError } from '../../bytes';

export interface PocEntry {
  RSpoc: number;
  CSpoc: number;
  LYEpoc: number;
  REpoc: number;
  CEpoc: number;
  Ppoc: number;
}

// ISO/IEC 15444-1 A.6.6 Table A.32
export function parsePoc(seg: ByteReader, Csiz: number): PocEntry[] {
  const entrySize = Csiz < 257 ? 7 : 9;
  if (seg.remaining === 0 || seg.remaining % entrySize !== 0) {
    throw new MalformedError('J2K_POC_LENGTH', `POC: length ${seg.remaining} not a multiple of ${entrySize}`, {
      offset: seg.offset,
      context: 'POC',
    });
  }
  const out: PocEntry[] = [];
  while (seg.remaining > 0) {
    const at = seg.offset;
    const RSpoc = seg.u8('RSpoc');
    const CSpoc = entrySize === 7 ? seg.u8('CSpoc') : seg.u16('CSpoc');
    const LYEpoc = seg.u16('LYEpoc');
    const REpoc = seg.u8('REpoc');
    let CEpoc = entrySize === 7 ? seg.u8('CEpoc') : seg.u16('CEpoc');
    if (entrySize === 7 && CEpoc === 0) CEpoc = 256;
    const Ppoc = seg.u8('Ppoc');
    if (Ppoc > 4) throw new MalformedError('J2K_POC_VALUE', `POC: progression ${Ppoc}`, { offset: at, context: 'POC' });
    out.push({ RSpoc, CSpoc, LYEpoc, REpoc, CEpoc, Ppoc });
  }
  return out;
}
