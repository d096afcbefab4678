import fc from 'fast-check';
import { LimitExceededError, MalformedError, ParseError, TruncatedError } from '../../../src/bytes';
import {
  EorReason,
  JpipStreamReader,
  JpipStreamWriter,
  encodeEor,
  encodeMessage,
  readJpipStream,
  type BinClassId,
  type JpipMessage,
  type JpipStreamEvent,
} from '../../../src/jpip';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fill = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

/** JPIP.md §3.5 worked example. */
function workedExample() {
  const main = fill(300, 1);
  const p1 = fill(50, 2);
  const p2 = fill(20, 3);
  const w = new JpipStreamWriter();
  w.beginResponse();
  const m1 = w.message({ classId: 6, csn: 0, binId: 0, offset: 0, last: true, data: main });
  const m2 = w.message({ classId: 0, csn: 0, binId: 1234, offset: 0, last: false, data: p1 });
  const m3 = w.message({ classId: 0, csn: 0, binId: 1234, offset: 50, last: true, data: p2 });
  const eor = w.eor(EorReason.windowDone);
  return { main, p1, p2, m1, m2, m3, eor };
}

describe('jpp-stream messages (15444-9 A.2)', () => {
  it('writes the JPIP.md §3.5 worked example byte for byte', () => {
    const { m1, m2, m3, eor, main, p1, p2 } = workedExample();
    expect(hex(m1.subarray(0, 6))).toBe('70060000822c');
    expect(hex(m1.subarray(6))).toBe(hex(main));
    expect(hex(m2.subarray(0, 5))).toBe('c952000032');
    expect(hex(m2.subarray(5))).toBe(hex(p1));
    expect(hex(m3.subarray(0, 4))).toBe('b9523214');
    expect(hex(m3.subarray(4))).toBe(hex(p2));
    expect(hex(eor)).toBe('000200');
  });

  it('reads the worked example back', () => {
    const { m1, m2, m3, eor, main, p1, p2 } = workedExample();
    const events = readJpipStream(Buffer.concat([m1, m2, m3, eor]));
    expect(events).toEqual([
      { kind: 'message', message: { classId: 6, csn: 0, binId: 0, offset: 0, last: true, data: main } },
      { kind: 'message', message: { classId: 0, csn: 0, binId: 1234, offset: 0, last: false, data: p1 } },
      { kind: 'message', message: { classId: 0, csn: 0, binId: 1234, offset: 50, last: true, data: p2 } },
      { kind: 'eor', reason: 2, body: new Uint8Array(0) },
    ]);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 0xff] as const)('encodes EOR reason %d as 00 <reason> 00', (reason) => {
    expect(hex(encodeEor(reason))).toBe(`00${reason.toString(16).padStart(2, '0')}00`);
  });

  it('encodes an EOR body with its VBAS length', () => {
    expect(hex(encodeEor(EorReason.byteLimit, Uint8Array.of(9, 8)))).toBe('0004020908');
  });

  it('refuses invalid EOR reasons', () => {
    expect(() => encodeEor(0 as 1)).toThrow(expect.objectContaining({ code: 'JPIP_EOR_BAD_REASON' }));
    expect(() => readJpipStream(Uint8Array.of(0, 8, 0))).toThrow(
      expect.objectContaining({ code: 'JPIP_EOR_BAD_REASON' }),
    );
  });

  it('compresses headers: bb=3 first, bb=2 on class change, bb=3 on CSn change, bb=1 when both repeat', () => {
    const w = new JpipStreamWriter();
    const bb = (m: Uint8Array) => ((m[0] ?? 0) >> 5) & 3;
    const d = new Uint8Array(1);
    expect(bb(w.message({ classId: 6, csn: 3, binId: 0, offset: 0, last: true, data: d }))).toBe(3);
    expect(bb(w.message({ classId: 2, csn: 3, binId: 0, offset: 0, last: true, data: d }))).toBe(2);
    expect(bb(w.message({ classId: 2, csn: 3, binId: 1, offset: 0, last: true, data: d }))).toBe(1);
    expect(bb(w.message({ classId: 2, csn: 4, binId: 1, offset: 0, last: true, data: d }))).toBe(3);
    w.beginResponse();
    expect(bb(w.message({ classId: 2, csn: 4, binId: 1, offset: 0, last: true, data: d }))).toBe(3);
    w.eor(EorReason.windowDone);
    expect(bb(w.message({ classId: 2, csn: 4, binId: 1, offset: 0, last: true, data: d }))).toBe(3);
  });

  it('chooses the Bin-ID length 7k-3 bits (16 needs 2 bytes, 15 one)', () => {
    expect(
      hex(encodeMessage({ classId: 0, csn: 0, binId: 15, offset: 0, last: false, data: new Uint8Array(0) }, null)),
    ).toBe('6f00000000');
    expect(
      hex(encodeMessage({ classId: 0, csn: 0, binId: 16, offset: 0, last: false, data: new Uint8Array(0) }, null)),
    ).toBe('e0100000000000'.slice(0, 12));
  });

  it('writes Aux for odd classes only', () => {
    const m = encodeMessage(
      { classId: 1, csn: 0, binId: 2, offset: 0, last: true, aux: 3, data: Uint8Array.of(0xaa) },
      null,
    );
    expect(hex(m)).toBe('72010000' + '01' + '03' + 'aa');
    expect(readJpipStream(m)[0]).toEqual({
      kind: 'message',
      message: { classId: 1, csn: 0, binId: 2, offset: 0, last: true, aux: 3, data: Uint8Array.of(0xaa) },
    });
    expect(() =>
      encodeMessage({ classId: 5, csn: 0, binId: 0, offset: 0, last: true, data: new Uint8Array(0) }, null),
    ).toThrow(expect.objectContaining({ code: 'JPIP_MSG_AUX_MISSING' }));
    expect(() =>
      encodeMessage({ classId: 0, csn: 0, binId: 0, offset: 0, last: true, aux: 1, data: new Uint8Array(0) }, null),
    ).toThrow(expect.objectContaining({ code: 'JPIP_MSG_AUX_UNEXPECTED' }));
  });

  it('refuses reserved classes, bb=0 and compressed first headers', () => {
    expect(() => readJpipStream(Uint8Array.of(0x60, 0x03, 0x00, 0x00, 0x00))).toThrow(
      expect.objectContaining({ code: 'JPIP_MSG_BAD_CLASS' }),
    );
    expect(() => readJpipStream(Uint8Array.of(0x05, 0x00, 0x00))).toThrow(
      expect.objectContaining({ code: 'JPIP_MSG_BAD_BB' }),
    );
    expect(() => readJpipStream(Uint8Array.of(0x20, 0x00, 0x00))).toThrow(
      expect.objectContaining({ code: 'JPIP_MSG_NO_STATE' }),
    );
    // after an EOR the state is gone again
    const ok = Buffer.concat([
      encodeMessage({ classId: 6, csn: 1, binId: 0, offset: 0, last: true, data: new Uint8Array(0) }, null),
      encodeEor(2),
    ]);
    expect(() => readJpipStream(Buffer.concat([ok, Uint8Array.of(0x20, 0x00, 0x00)]))).toThrow(
      expect.objectContaining({ code: 'JPIP_MSG_NO_STATE' }),
    );
  });

  it('accepts a compressed first header when the caller supplies the initial state', () => {
    const ev = readJpipStream(Uint8Array.of(0x20, 0x00, 0x00), { initialState: { classId: 0, csn: 0 } });
    expect(ev[0]).toEqual({
      kind: 'message',
      message: { classId: 0, csn: 0, binId: 0, offset: 0, last: false, data: new Uint8Array(0) },
    });
  });

  it('caps Msg-Length before allocating', () => {
    const m = Uint8Array.of(0x70, 0x06, 0x00, 0x00, 0x8f, 0xff, 0xff, 0xff, 0x7f);
    expect(() => readJpipStream(m, { maxMessageLength: 1000 })).toThrow(LimitExceededError);
  });

  it('reports truncation at every cut point, and recovers when the rest arrives', () => {
    const { m1, m2, m3, eor } = workedExample();
    const all = Buffer.concat([m1, m2, m3, eor]);
    const whole = readJpipStream(all);
    const boundaries = new Set([m1.length, m1.length + m2.length, m1.length + m2.length + m3.length]);
    for (let cut = 1; cut < all.length; cut++) {
      if (boundaries.has(cut)) expect(readJpipStream(all.subarray(0, cut)).length).toBeGreaterThan(0);
      else expect(() => readJpipStream(all.subarray(0, cut))).toThrow(TruncatedError);
      const r = new JpipStreamReader();
      const ev = [...r.push(all.subarray(0, cut)), ...r.push(all.subarray(cut))];
      r.end();
      expect(ev).toEqual(whole);
    }
  });

  it('parses several responses in a row fed in random chunks', () => {
    const arbMsg = fc.record({
      classId: fc.constantFrom<BinClassId>(0, 2, 4, 6, 8, 1, 5),
      csn: fc.nat(300),
      binId: fc.oneof(fc.nat(20), fc.nat(2 ** 40)),
      offset: fc.nat(100000),
      last: fc.boolean(),
      aux: fc.nat(70),
      data: fc.uint8Array({ maxLength: 40 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(arbMsg, { maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(50), { maxLength: 20 }),
        (responses, cuts) => {
          const w = new JpipStreamWriter();
          const parts: Uint8Array[] = [];
          const expected: JpipStreamEvent[] = [];
          for (const resp of responses) {
            w.beginResponse();
            for (const raw of resp) {
              const m: JpipMessage =
                raw.classId % 2 === 1
                  ? raw
                  : {
                      classId: raw.classId,
                      csn: raw.csn,
                      binId: raw.binId,
                      offset: raw.offset,
                      last: raw.last,
                      data: raw.data,
                    };
              parts.push(w.message(m));
              expected.push({ kind: 'message', message: m });
            }
            parts.push(w.eor(EorReason.windowDone));
            expected.push({ kind: 'eor', reason: 2, body: new Uint8Array(0) });
          }
          const all = Buffer.concat(parts);
          const r = new JpipStreamReader();
          const got: JpipStreamEvent[] = [];
          let pos = 0;
          for (const c of cuts) {
            got.push(...r.push(all.subarray(pos, Math.min(all.length, pos + c))));
            pos = Math.min(all.length, pos + c);
          }
          got.push(...r.push(all.subarray(pos)));
          r.end();
          expect(
            got.map((e) => (e.kind === 'message' ? { ...e, message: { ...e.message, data: hex(e.message.data) } } : e)),
          ).toEqual(
            expected.map((e) =>
              e.kind === 'message' ? { ...e, message: { ...e.message, data: hex(e.message.data) } } : e,
            ),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random bytes give only typed errors, and the reader is reusable after reset()', () => {
    const r = new JpipStreamReader({ maxMessageLength: 1 << 16 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        r.reset();
        try {
          r.push(bytes);
          r.end();
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 3000 },
    );
    r.reset();
    expect(r.push(encodeEor(1))).toEqual([{ kind: 'eor', reason: 1, body: new Uint8Array(0) }]);
    expect(MalformedError).toBeDefined();
  });
});
