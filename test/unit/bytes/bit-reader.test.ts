import fc from 'fast-check';
import { BitReader, ParseError, TruncatedError } from '../../../src/bytes';

describe('BitReader (ISO/IEC 15444-1 B.10.1 bit stuffing)', () => {
  it('reads MSB first', () => {
    const br = new BitReader(new Uint8Array([0b1010_0000, 0x0f]));
    expect([br.bit(), br.bit(), br.bit(), br.bit()]).toEqual([1, 0, 1, 0]);
    expect(br.bits(4)).toBe(0);
    expect(br.bits(8)).toBe(0x0f);
  });

  it('uses only 7 bits of the byte after 0xFF', () => {
    const br = new BitReader(new Uint8Array([0xff, 0x7f, 0x80]));
    expect(br.bits(8)).toBe(0xff);
    expect(br.bits(7)).toBe(0x7f); // MSB of 0x7f skipped
    expect(br.bit()).toBe(1);
  });

  it('align() after a trailing 0xFF skips the stuffed byte', () => {
    const br = new BitReader(new Uint8Array([0xff, 0x00, 0xaa]));
    expect(br.bits(3)).toBe(7);
    br.align();
    expect(br.position).toBe(2);
    const br2 = new BitReader(new Uint8Array([0x80, 0xaa]));
    br2.bit();
    br2.align();
    expect(br2.position).toBe(1);
  });

  it('throws TruncatedError past the end, with offset', () => {
    const br = new BitReader(new Uint8Array([1, 2, 3]), 1, 2, 100);
    br.bits(8);
    try {
      br.bit();
      throw new Error('no throw');
    } catch (e) {
      expect(e).toBeInstanceOf(TruncatedError);
      expect((e as TruncatedError).code).toBe('BITS_TRUNCATED');
      expect((e as TruncatedError).offset).toBe(102);
    }
    expect(() => new BitReader(new Uint8Array(2), 0, 3)).toThrow(TruncatedError);
  });

  it('property: any bytes and read pattern give values or typed errors only', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 32 }),
        fc.array(fc.integer({ min: 0, max: 32 }), { maxLength: 20 }),
        (data, reads) => {
          const br = new BitReader(data);
          try {
            for (const n of reads) {
              const v = br.bits(n);
              expect(v).toBeGreaterThanOrEqual(0);
              expect(v).toBeLessThan(2 ** n);
              if (n % 5 === 0) br.align();
            }
          } catch (e) {
            expect(e).toBeInstanceOf(ParseError);
          }
        },
      ),
    );
  });

  it('property: bits consumed never exceed 8 per byte, 7 after 0xFF', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 16 }), (data) => {
        const br = new BitReader(data);
        let bits = 0;
        try {
          for (;;) {
            br.bit();
            bits++;
          }
        } catch (e) {
          expect(e).toBeInstanceOf(TruncatedError);
        }
        let expected = 0;
        for (let i = 0; i < data.length; i++) expected += i > 0 && data[i - 1] === 0xff ? 7 : 8;
        expect(bits).toBe(expected);
      }),
    );
  });
});
