import fc from 'fast-check';
import { FoveaError } from '../../../src/errors';
import { LimitExceededError, UnsupportedError } from '../../../src/bytes';
import { KNOWN_FIELDS, parseJpipBody, parseJpipQuery } from '../../../src/jpip';

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof FoveaError ? e.code : `untyped:${String(e)}`;
  }
  return 'no error';
};

describe('JPIP request parser (15444-9 Annex C)', () => {
  it('parses a typical session-opening request', () => {
    const q = parseJpipQuery(
      'target=1.2.3&type=jpp-stream&tid=0&cnew=http-tcp,http&stream=1&len=1000&fsiz=512,512,closest&roff=10,20&rsiz=100,200&qid=7',
    );
    expect(q.target).toBe('1.2.3');
    expect(q.type?.[0]).toMatchObject({ kind: 'jpp-stream', mediaType: 'image/jpp-stream', extended: false });
    expect(q.tid).toBe('0');
    expect(q.cnew).toEqual(['http-tcp', 'http']);
    expect(q.stream).toEqual([{ from: 1, to: 1, step: 1 }]);
    expect(q.len).toBe(1000);
    expect(q.fsiz).toEqual({ fx: 512, fy: 512, round: 'closest' });
    expect(q.roff).toEqual({ x: 10, y: 20 });
    expect(q.rsiz).toEqual({ x: 100, y: 200 });
    expect(q.qid).toBe(7);
    expect(q.fields.get('fsiz')).toBe('512,512,closest');
  });

  it('decodes each value separately and accepts POST form bodies', () => {
    const q = parseJpipQuery('model=%5B1%5D%2CHm%2CP12%3A40&metareq=%5Bjp2h%5D');
    expect(q.model?.[0]).toMatchObject({ streams: [{ from: 1, to: 1, step: 1 }], bin: { kind: 'main-header' } });
    expect(q.model?.[1]?.limit).toEqual({ kind: 'bytes', bytes: 40 });
    const b = parseJpipBody(Buffer.from('target=a%2Bb&cid=C1&cclose=*'));
    expect(b.target).toBe('a+b');
    expect(b.cclose).toBe('*');
    expect(code(() => parseJpipBody(Buffer.from('target=a+b')))).toBe('JPIP_BAD_TARGET'); // '+' is a space in form bodies
  });

  it('POST: query fields keep a literal +, body fields read + as space; one request, one field set (F.2)', () => {
    const q = parseJpipBody(Buffer.from('cid=C1&roi=a%2Bb\r\n'), { query: 'target=x+y' });
    expect([q.target, q.roi, q.cid]).toEqual(['x+y', 'a+b', 'C1']);
    expect(code(() => parseJpipBody(Buffer.from('roi=a+b'), { query: 'target=x' }))).toBe('JPIP_BAD_ROI'); // a space
    expect(code(() => parseJpipBody(Buffer.from('target=b'), { query: 'target=a' }))).toBe('JPIP_DUPLICATE_FIELD');
    expect(code(() => parseJpipBody(Buffer.from('target=a\tb')))).toBe('JPIP_BAD_ENCODING'); // control characters other than CR/LF
    expect(code(() => parseJpipBody('target=\u00e9'))).toBe('JPIP_BAD_ENCODING');
    expect(parseJpipBody(Buffer.from('  \r\n')).fields.size).toBe(0);
    expect(code(() => parseJpipBody(Buffer.from('tid=1'), { query: 'target=aaaa', maxQueryLength: 15 }))).toBe(
      'JPIP_QUERY_TOO_LONG',
    ); // 11 + '&' + 5
    expect(parseJpipBody(Buffer.from('tid=1'), { query: 'target=aaa', maxQueryLength: 16 }).tid).toBe('1');
  });

  it.each([
    ['fsiz=100,200', { fx: 100, fy: 200, round: 'round-down' }],
    ['fsiz=100,200,round-up', { fx: 100, fy: 200, round: 'round-up' }],
  ])('fsiz %s', (qs, fsiz) => {
    expect(parseJpipQuery(qs).fsiz).toEqual(fsiz);
  });

  it('stream: sampled ranges, open ranges, DICOM numbering kept as sent', () => {
    expect(parseJpipQuery('stream=1-10:3,20-').stream).toEqual([
      { from: 1, to: 10, step: 3 },
      { from: 20, to: null, step: 1 },
    ]);
  });

  it('comps, layers, quality, align, wait, srate, drate, mset', () => {
    const q = parseJpipQuery('comps=0,2-3&layers=4&quality=-1&align=yes&wait=no&srate=2.5&drate=1&mset=1-3');
    expect(q.comps).toEqual([
      { from: 0, to: 0 },
      { from: 2, to: 3 },
    ]);
    expect(q.layers).toBe(4);
    expect(q.quality).toBe(-1);
    expect(q.align).toBe(true);
    expect(q.wait).toBe(false);
    expect(q.srate).toBe(2.5);
    expect(q.drate).toBe(1);
    expect(q.mset).toEqual([{ from: 1, to: 3 }]);
  });

  it('type: lists, media-type forms and ptype/ttype=ext', () => {
    const q = parseJpipQuery('type=jpt-stream;ttype=ext,image/jpp-stream;ptype=ext,raw,image/jp2');
    expect(q.type?.map((t) => [t.kind, t.extended, t.mediaType])).toEqual([
      ['jpt-stream', true, 'image/jpt-stream'],
      ['jpp-stream', true, 'image/jpp-stream'],
      ['raw', false, 'raw'],
      ['media-type', false, 'image/jp2'],
    ]);
    expect(code(() => parseJpipQuery('type=jpp-stream;ttype=ext'))).toBe('JPIP_BAD_TYPE');
    expect(code(() => parseJpipQuery('type=jpp-stream;ptype=foo'))).toBe('JPIP_BAD_TYPE');
    expect(code(() => parseJpipQuery('type=nonsense'))).toBe('JPIP_BAD_TYPE');
  });

  it('pref with /r and csf rows', () => {
    const q = parseJpipQuery('pref=fullwindow,mbw:10M/r,csf:density:2;1;0.5,density:4;1/r');
    expect(q.pref?.map((p) => [p.name, p.value, p.required])).toEqual([
      ['fullwindow', null, false],
      ['mbw', '10M', true],
      ['csf', 'density:2;1;0.5,density:4;1', true],
    ]);
  });

  it('metareq', () => {
    const q = parseJpipQuery('metareq=[jp2h/w;xml%20:20!]R0D2,[*]!!');
    expect(q.metareq).toEqual({
      metadataOnly: true,
      items: [
        {
          props: [
            { boxType: 'jp2h', limit: null, qualifier: 'w', priority: false },
            { boxType: 'xml ', limit: 20, qualifier: '', priority: true },
          ],
          rootBin: 0,
          maxDepth: 2,
        },
        { props: [{ boxType: '*', limit: null, qualifier: '', priority: false }], rootBin: null, maxDepth: null },
      ],
    });
  });

  it('session and misc fields', () => {
    const q = parseJpipQuery(
      'cid=JPH_3&cclose=JPH_3,JPH_4&subtarget=0-99&context=jpxl<0-3>&tpmodel=0.0-3.1&upload=jpp-stream&cap=config=1&handled=1&xpath-box=a',
    );
    expect(q.cclose).toEqual(['JPH_3', 'JPH_4']);
    expect(q.subtarget).toEqual({ kind: 'bytes', from: 0, to: 99 });
    expect(q.context).toEqual(['jpxl<0-3>']);
    expect(q.tpmodel?.[0]).toMatchObject({ from: { tile: 0, part: 0 }, to: { tile: 3, part: 1 } });
    expect(q.upload).toBe('jpp-stream');
    expect(q.xpathBox).toBe('a');
  });

  it.each([
    ['fsiz=100', 'JPIP_BAD_FSIZ'],
    ['fsiz=0,10', 'JPIP_BAD_FSIZ'],
    ['fsiz=10,10,round-sideways', 'JPIP_BAD_FSIZ'],
    ['fsiz=1e3,10', 'JPIP_BAD_FSIZ'],
    ['fsiz=-1,10', 'JPIP_BAD_FSIZ'],
    ['fsiz=4294967296,1', 'JPIP_BAD_FSIZ'],
    ['roff=1,2,3', 'JPIP_BAD_ROFF'],
    ['rsiz=a,b', 'JPIP_BAD_RSIZ'],
    ['len=', 'JPIP_BAD_LEN'],
    ['len=12x', 'JPIP_BAD_LEN'],
    ['len= 12', 'JPIP_BAD_LEN'],
    ['qid=0x10', 'JPIP_BAD_QID'],
    ['layers=-1', 'JPIP_BAD_LAYERS'],
    ['quality=101', 'JPIP_BAD_QUALITY'],
    ['comps=3-1', 'JPIP_BAD_COMPS'],
    ['comps=1,,2', 'JPIP_BAD_COMPS'],
    ['stream=1:0', 'JPIP_BAD_STREAM'],
    ['align=true', 'JPIP_BAD_ALIGN'],
    ['wait=1', 'JPIP_BAD_WAIT'],
    ['srate=1.', 'JPIP_BAD_SRATE'],
    ['cnew=ht tp', 'JPIP_BAD_CNEW'],
    ['cclose=x', 'JPIP_BAD_CCLOSE'],
    ['target=' + 'a'.repeat(256), 'JPIP_BAD_TARGET'],
    ['tid=' + 'a'.repeat(256), 'JPIP_BAD_TID'],
    ['target=%zz', 'JPIP_BAD_ENCODING'],
    ['model=P1:L', 'JPIP_BAD_MODEL'],
    ['model=[1,Hm', 'JPIP_BAD_MODEL'],
    ['need=-P1', 'JPIP_BAD_NEED'],
    ['metareq=jp2h', 'JPIP_BAD_METAREQ'],
    ['pref=/r', 'JPIP_BAD_PREF'],
    ['subtarget=9-1', 'JPIP_BAD_SUBTARGET'],
    ['context=jpxl', 'JPIP_BAD_CONTEXT'],
    ['tpmodel=1', 'JPIP_BAD_TPMODEL'],
    ['fsiz=1,1&fsiz=2,2', 'JPIP_DUPLICATE_FIELD'],
    ['fsiz', 'JPIP_BAD_QUERY'],
    ['FSIZ=1,1', 'JPIP_BAD_FIELD_NAME'],
    ['__proto__=1', 'JPIP_BAD_FIELD_NAME'],
  ])('%s -> %s', (qs, expected) => {
    expect(code(() => parseJpipQuery(qs))).toBe(expected);
  });

  it('rejects unknown fields by default, ignores them on request', () => {
    expect(code(() => parseJpipQuery('target=a&foo=1'))).toBe('JPIP_UNKNOWN_FIELD');
    let err: unknown;
    try {
      parseJpipQuery('constructor=1');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedError);
    const q = parseJpipQuery('target=a&foo=1&constructor=2', { unknownFields: 'ignore' });
    expect(q.ignored).toEqual(['foo', 'constructor']);
    expect(q.fields.has('constructor')).toBe(false);
    expect(Object.getPrototypeOf(q)).toBe(Object.prototype);
  });

  it('caps query length and field count', () => {
    expect(() => parseJpipQuery('target=' + 'a'.repeat(100), { maxQueryLength: 50 })).toThrow(LimitExceededError);
    expect(
      code(() =>
        parseJpipQuery(['target', 'tid', 'cid', 'qid', 'len'].map((f) => `${f}=1`).join('&'), { maxFields: 3 }),
      ),
    ).toBe('JPIP_TOO_MANY_FIELDS');
    expect(code(() => parseJpipQuery('comps=' + Array.from({ length: 5000 }, () => '1').join(',')))).toBe(
      'JPIP_LIST_TOO_LONG',
    );
  });

  it('fuzz: random and mutated queries give only typed errors', () => {
    const valid = [
      'target=1.2.840.1&fsiz=1024,1024,closest&roff=0,0&rsiz=512,512&type=jpp-stream&cnew=http&tid=0&stream=1-3:2&comps=0-2&layers=3&len=20000',
      'cid=abc&model=[1-2;4],Hm,H*,-P17:300,P18:L2,t0c1r2p3:L1,M0&need=P1&metareq=[jp2h/w;*:r]R0D1!!&pref=fullwindow/r&qid=3&wait=yes&align=no',
      'target=x&tpmodel=[0],1.0-2.3,-4.1&subtarget=[1-2:2]&context=jpxl<0-3>[s0i1]=1&quality=50&srate=1.5&roi=dynamic&cap=a,b',
    ];
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789,;:-=&%[]<>*!/.+_ \u0000\uffff'.split('');
    const mutated = fc
      .tuple(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(400), fc.nat(4), fc.constantFrom(...chars)), { maxLength: 6 }),
      )
      .map(([s, edits]) => {
        let t = s;
        for (const [pos, len, ch] of edits) {
          const p = pos % (t.length + 1);
          t = t.slice(0, p) + ch + t.slice(p + len);
        }
        return t;
      });
    const arb = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...chars), maxLength: 200 }),
      mutated,
    );
    fc.assert(
      fc.property(arb, fc.boolean(), (s, ignore) => {
        try {
          parseJpipQuery(s, ignore ? { unknownFields: 'ignore' } : {});
        } catch (e) {
          if (!(e instanceof FoveaError)) throw e;
        }
        try {
          parseJpipBody(Buffer.from(s, 'latin1'));
        } catch (e) {
          if (!(e instanceof FoveaError)) throw e;
        }
      }),
      { numRuns: 6000 },
    );
    for (const v of valid) expect(() => parseJpipQuery(v)).not.toThrow();
    expect(KNOWN_FIELDS).toContain('model');
  });
});
