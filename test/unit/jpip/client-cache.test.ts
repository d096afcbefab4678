import fc from 'fast-check';
import { ClientCache, JpipStreamReader, JpipStreamWriter, EorReason } from '../../../src/jpip';

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 13 + 5) & 0xff);

describe('client data-bin cache (15444-9 A.3)', () => {
  it('merges out-of-order, overlapping and partial messages', () => {
    const c = new ClientCache();
    const full = bytes(100);
    c.add({ classId: 0, csn: 1, binId: 9, offset: 50, last: true, data: full.subarray(50) });
    expect(c.get(1, 0, 9)).toMatchObject({ length: 100, complete: false, received: 50 });
    expect(c.get(1, 0, 9)?.prefix.length).toBe(0);
    c.add({ classId: 1, csn: 1, binId: 9, offset: 0, last: false, aux: 1, data: full.subarray(0, 30) });
    expect(c.get(1, 0, 9)?.prefix.length).toBe(30);
    c.add({ classId: 0, csn: 1, binId: 9, offset: 20, last: false, data: full.subarray(20, 60) });
    const b = c.get(1, 0, 9);
    expect(b?.complete).toBe(true);
    expect(Buffer.from(b?.prefix ?? []).equals(Buffer.from(full))).toBe(true);
    expect(b?.aux).toBe(1);
    expect(c.totalBytes).toBe(100);
  });

  it('detects conflicting data and lengths', () => {
    const c = new ClientCache();
    c.add({ classId: 0, csn: 1, binId: 1, offset: 0, last: true, data: Uint8Array.of(1, 2, 3) });
    expect(() => c.add({ classId: 0, csn: 1, binId: 1, offset: 1, last: false, data: Uint8Array.of(9) })).toThrow(
      expect.objectContaining({ code: 'JPIP_CLIENT_DATA_CONFLICT' }),
    );
    expect(() => c.add({ classId: 0, csn: 1, binId: 1, offset: 0, last: true, data: Uint8Array.of(1, 2) })).toThrow(
      expect.objectContaining({ code: 'JPIP_CLIENT_LENGTH_CONFLICT' }),
    );
    expect(() => c.add({ classId: 0, csn: 1, binId: 1, offset: 3, last: false, data: Uint8Array.of(1) })).toThrow(
      expect.objectContaining({ code: 'JPIP_CLIENT_BEYOND_END' }),
    );
    const small = new ClientCache({ maxTotalBytes: 4 });
    expect(() => small.add({ classId: 0, csn: 1, binId: 1, offset: 0, last: false, data: bytes(5) })).toThrow(
      expect.objectContaining({ code: 'JPIP_CLIENT_CACHE_FULL' }),
    );
  });

  it('property: any split/shuffle of bins reassembles exactly; model string and export', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(300), { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(4), fc.nat(299), fc.nat(80)), { maxLength: 30 }),
        fc.integer(),
        (lengths, pieces, seed) => {
          const c = new ClientCache();
          const msgs = pieces.map(([b, off, len]) => {
            const L = lengths[b % lengths.length] ?? 0;
            const o = Math.min(off, L);
            const e = Math.min(L, o + len);
            return {
              classId: 0 as const,
              csn: 2,
              binId: b % lengths.length,
              offset: o,
              last: e === L,
              data: bytes(L).subarray(o, e),
            };
          });
          lengths.forEach((L, b) => msgs.push({ classId: 0, csn: 2, binId: b, offset: 0, last: true, data: bytes(L) }));
          let s = seed;
          msgs.sort(() => ((s = (s * 1103515245 + 12345) | 0) & 1 ? 1 : -1));
          const w = new JpipStreamWriter();
          const r = new JpipStreamReader();
          const stream = Buffer.concat([...msgs.map((m) => w.message(m)), w.eor(EorReason.windowDone)]);
          c.addEvents(r.push(stream));
          lengths.forEach((L, b) => {
            const bin = c.get(2, 0, b);
            expect(bin?.complete).toBe(true);
            expect(Buffer.from(bin?.prefix ?? []).equals(Buffer.from(bytes(L)))).toBe(true);
          });
          expect(c.export(2).precincts.size).toBe(lengths.length);
          expect(c.modelString()).toBe(['[2]', ...lengths.map((_, b) => `P${b}`)].join(','));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('model string lists partial prefixes with byte counts', () => {
    const c = new ClientCache();
    c.add({ classId: 6, csn: 1, binId: 0, offset: 0, last: true, data: bytes(10) });
    c.add({ classId: 0, csn: 1, binId: 7, offset: 0, last: false, data: bytes(4) });
    c.add({ classId: 2, csn: 3, binId: 1, offset: 0, last: true, data: new Uint8Array(0) });
    expect(c.modelString()).toBe('[1],P7:4,Hm,[3],H1');
  });
});
