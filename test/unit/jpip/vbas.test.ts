import fc from 'fast-check';
import { ByteReader, MalformedError, TruncatedError } from '../../../src/bytes';
import { encodeVbas, readVbas, vbasLength } from '../../../src/jpip';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('VBAS (15444-9 A.2.1)', () => {
  it.each([
    [0, '00'],
    [127, '7f'],
    [128, '8100'],
    [300, '822c'],
    [16384, '818000'],
    [2 ** 53 - 1, '8fffffffffffff7f'],
  ])('encodes %d minimally as %s (JPIP.md §3.1)', (v, h) => {
    expect(hex(encodeVbas(v))).toBe(h);
    expect(vbasLength(v)).toBe(h.length / 2);
    expect(readVbas(new ByteReader(Buffer.from(h, 'hex')))).toBe(v);
  });

  it('accepts redundant leading 0x80 bytes', () => {
    expect(readVbas(new ByteReader(Uint8Array.of(0x80, 0x80, 0x82, 0x2c)))).toBe(300);
  });

  it('caps the length of a run of 0x80 bytes', () => {
    const r = new ByteReader(new Uint8Array(100).fill(0x80));
    expect(() => readVbas(r)).toThrow(expect.objectContaining({ code: 'JPIP_VBAS_TOO_LONG' }));
  });

  it('refuses values above 2^53-1', () => {
    const r = new ByteReader(Buffer.from('9fffffffffffffff7f', 'hex'));
    let err: unknown;
    try {
      readVbas(r);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MalformedError);
    expect((err as MalformedError).code).toBe('JPIP_VBAS_OVERFLOW');
  });

  it('signals truncation with TruncatedError', () => {
    expect(() => readVbas(new ByteReader(Uint8Array.of(0x81, 0x80)))).toThrow(TruncatedError);
  });

  it('refuses negative or fractional values when encoding', () => {
    expect(() => encodeVbas(-1)).toThrow(expect.objectContaining({ code: 'JPIP_VBAS_BAD_VALUE' }));
    expect(() => encodeVbas(1.5)).toThrow(MalformedError);
  });

  it('round-trips random safe integers', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (v) => {
        const b = encodeVbas(v);
        const r = new ByteReader(b);
        expect(readVbas(r)).toBe(v);
        expect(r.atEnd).toBe(true);
        // minimal: the first byte is never a redundant 0x80
        expect(b.length === 1 || b[0] !== 0x80).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
