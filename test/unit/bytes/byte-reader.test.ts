import fc from 'fast-check';
import { ByteReader, MalformedError, ParseError, TruncatedError } from '../../../src/bytes';

describe('ByteReader', () => {
  it('reads big-endian by default and little-endian on request', () => {
    const d = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const r = new ByteReader(d);
    expect(r.u16()).toBe(0x0102);
    expect(r.u32()).toBe(0x03040506);
    expect(r.remaining).toBe(2);
    const le = new ByteReader(d, { littleEndian: true });
    expect(le.u16()).toBe(0x0201);
  });

  it('sub() is bounded and keeps absolute offsets', () => {
    const r = new ByteReader(new Uint8Array(10), { baseOffset: 50 });
    r.skip(3);
    const s = r.sub(4);
    expect(s.offset).toBe(53);
    s.u32();
    expect(() => s.u8()).toThrow(TruncatedError);
    expect(r.position).toBe(7);
  });

  it('rejects negative or fractional lengths with MalformedError', () => {
    const r = new ByteReader(new Uint8Array(4));
    expect(() => r.bytes(-1)).toThrow(MalformedError);
    expect(() => r.skip(1.5)).toThrow(MalformedError);
    expect(() => r.seek(5)).toThrow(TruncatedError);
  });

  it('reports the offset of a truncated read', () => {
    const r = new ByteReader(new Uint8Array(3), { baseOffset: 10 });
    r.u16();
    try {
      r.u16('Lsiz');
    } catch (e) {
      expect((e as TruncatedError).code).toBe('BYTES_TRUNCATED');
      expect((e as TruncatedError).offset).toBe(12);
    }
  });

  it('u64 above MAX_SAFE_INTEGER is MalformedError', () => {
    const r = new ByteReader(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect(() => r.u64()).toThrow(MalformedError);
  });

  it('property: random operation sequences give values or typed errors only', () => {
    const op = fc.oneof(
      fc.constant<['u8']>(['u8']),
      fc.constant<['u16']>(['u16']),
      fc.constant<['u32']>(['u32']),
      fc.constant<['u64']>(['u64']),
      fc.tuple(fc.constant('bytes' as const), fc.integer({ min: -2, max: 40 })),
      fc.tuple(fc.constant('sub' as const), fc.integer({ min: -2, max: 40 })),
      fc.tuple(fc.constant('seek' as const), fc.integer({ min: -2, max: 40 })),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), fc.array(op, { maxLength: 12 }), (data, ops) => {
        let r = new ByteReader(data);
        for (const o of ops) {
          try {
            if (o[0] === 'bytes') r.bytes(o[1]);
            else if (o[0] === 'sub') r = r.sub(o[1]);
            else if (o[0] === 'seek') r.seek(o[1]);
            else r[o[0]]();
          } catch (e) {
            expect(e).toBeInstanceOf(ParseError);
          }
          expect(r.remaining).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});
