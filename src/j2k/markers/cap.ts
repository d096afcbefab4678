// CAP marker segment (ISO/IEC 15444-1:2019 A.5.2 Table A.12, 15444-15 A.3): Pcap bit field and one
// Ccap word per set bit. Bit 15 of Pcap (value 0x00020000) announces Part 15 (HTJ2K).

import { type ByteReader, MalformedError } from '../../bytes';

export interface Cap {
  Pcap: number;
  Ccap: number[];
  /** Pcap^15 set: HTJ2K codestream. */
  htj2k: boolean;
}

function popcount(v: number): number {
  let n = 0;
  for (let x = v >>> 0; x !== 0; x >>>= 1) n += x & 1;
  return n;
}

// ISO/IEC 15444-1 A.5.2 Table A.12
export function parseCap(seg: ByteReader): Cap {
  const Pcap = seg.u32('Pcap');
  const n = popcount(Pcap);
  if (seg.remaining !== 2 * n) {
    throw new MalformedError('J2K_CAP_LENGTH', `CAP: ${n} Ccap words announced, ${seg.remaining} bytes left`, {
      offset: seg.offset,
      context: 'CAP',
    });
  }
  const Ccap: number[] = [];
  for (let i = 0; i < n; i++) Ccap.push(seg.u16('Ccap'));
  return { Pcap, Ccap, htj2k: (Pcap & 0x00020000) !== 0 };
}
