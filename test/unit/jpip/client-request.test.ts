// Client request building and response-header handling (ISO/IEC 15444-9 C.2-C.9, D.2, F.2).
import fc from 'fast-check';
import {
  JpipClientSession,
  buildQuery,
  joinQuery,
  parseCnewHeader,
  parseJpipQuery,
  parseServedHeaders,
} from '../../../src/jpip';
import { headers } from './client-helpers';

const JPP = { 'Content-Type': 'image/jpp-stream' };

describe('client request building (15444-9 Annex C)', () => {
  it('writes every view field so that the server-side parser reads back the same values', () => {
    const q = buildQuery(
      {
        fsiz: { fx: 1024, fy: 768, round: 'closest' },
        roff: { x: 5, y: 7 },
        rsiz: { x: 300, y: 200 },
        layers: 3,
        comps: [
          { from: 0, to: 0 },
          { from: 1, to: 2 },
        ],
        stream: [
          { from: 1, to: 4, step: 2 },
          { from: 9, to: null, step: 1 },
        ],
        type: 'jpt-stream',
        len: 5000,
      },
      { tid: 'T1', model: '[1],Hm,P3:20' },
    );
    expect(q).toBe(
      'tid=T1&stream=1-4:2,9-&fsiz=1024,768,closest&roff=5,7&rsiz=300,200&comps=0,1-2&layers=3&type=jpt-stream&len=5000&model=[1],Hm,P3:20',
    );
    const r = parseJpipQuery(q);
    expect(r.fsiz).toEqual({ fx: 1024, fy: 768, round: 'closest' });
    expect(r.roff).toEqual({ x: 5, y: 7 });
    expect(r.rsiz).toEqual({ x: 300, y: 200 });
    expect(r.comps).toEqual([
      { from: 0, to: 0 },
      { from: 1, to: 2 },
    ]);
    expect(r.stream).toEqual([
      { from: 1, to: 4, step: 2 },
      { from: 9, to: null, step: 1 },
    ]);
    expect([r.layers, r.len, r.tid, r.type?.[0]?.kind]).toEqual([3, 5000, 'T1', 'jpt-stream']);
    expect(r.model).toHaveLength(2);
  });

  it('property: any view round-trips through the request parser', () => {
    const nat = fc.nat(1 << 30);
    fc.assert(
      fc.property(
        fc.record({
          fx: fc.integer({ min: 1, max: 1 << 30 }),
          fy: fc.integer({ min: 1, max: 1 << 30 }),
          ox: nat,
          oy: nat,
          sx: nat,
          sy: nat,
          layers: fc.nat(65535),
        }),
        (v) => {
          const r = parseJpipQuery(
            buildQuery({
              fsiz: { fx: v.fx, fy: v.fy },
              roff: { x: v.ox, y: v.oy },
              rsiz: { x: v.sx, y: v.sy },
              layers: v.layers,
            }),
          );
          expect(r.fsiz).toEqual({ fx: v.fx, fy: v.fy, round: 'round-down' });
          expect([r.roff, r.rsiz, r.layers]).toEqual([{ x: v.ox, y: v.oy }, { x: v.sx, y: v.sy }, v.layers]);
        },
      ),
    );
  });

  it('refuses values that cannot be sent', () => {
    expect(() => buildQuery({ layers: -1 })).toThrow(expect.objectContaining({ code: 'JPIP_CLIENT_BAD_VIEW' }));
    expect(() => buildQuery({ fsiz: { fx: 1.5, fy: 2 } })).toThrow(
      expect.objectContaining({ code: 'JPIP_CLIENT_BAD_VIEW' }),
    );
    expect(() => buildQuery({ comps: [{ from: 3, to: 1 }] })).toThrow(
      expect.objectContaining({ code: 'JPIP_CLIENT_BAD_VIEW' }),
    );
    expect(() => buildQuery({}, { cid: 'a&b' })).toThrow(expect.objectContaining({ code: 'JPIP_CLIENT_BAD_TOKEN' }));
  });

  it('joins the query to a Pixel Data Provider URL with & or ? (PS3.5 §8.4.1)', () => {
    expect(joinQuery('http://h/jpip?target=1.2.3', 'fsiz=1,1')).toBe('http://h/jpip?target=1.2.3&fsiz=1,1');
    expect(joinQuery('http://h/img.jp2', 'fsiz=1,1')).toBe('http://h/img.jp2?fsiz=1,1');
    expect(joinQuery('http://h/jpip?', 'a=1')).toBe('http://h/jpip?a=1');
    expect(joinQuery('http://h/jpip?x=1&', 'a=1')).toBe('http://h/jpip?x=1&a=1');
    expect(joinQuery('http://h/jpip?x=1#frag', 'a=1')).toBe('http://h/jpip?x=1&a=1');
  });
});

describe('response headers (15444-9 D.2)', () => {
  it('parses JPIP-cnew, -tid, -fsiz, -roff, -rsiz, -layers and the stream type', () => {
    const s = parseServedHeaders(
      headers({
        ...JPP,
        'JPIP-tid': 'abc',
        'JPIP-cnew': 'cid=JPH_3,path=jpip,transport=http,host=h.example,port=8080',
        'JPIP-fsiz': '512,384',
        'JPIP-roff': '0,0',
        'JPIP-rsiz': '256,128',
        'JPIP-layers': '2',
        'JPIP-comps': '0',
      }),
    );
    expect(s).toMatchObject({
      tid: 'abc',
      channel: { cid: 'JPH_3', path: 'jpip', transport: 'http', host: 'h.example', port: 8080 },
      fsiz: { x: 512, y: 384 },
      roff: { x: 0, y: 0 },
      rsiz: { x: 256, y: 128 },
      layers: 2,
      comps: '0',
      streamType: 'jpp-stream',
    });
    expect(parseCnewHeader('cid=6b053c83327b23c6,transport=http')).toEqual({
      cid: '6b053c83327b23c6',
      transport: 'http',
      path: null,
      host: null,
      port: null,
    });
  });

  it.each([
    ['JPIP-cnew', 'path=jpip'],
    ['JPIP-cnew', 'cid=a,cid=b'],
    ['JPIP-cnew', 'cid=a,port=0'],
    ['JPIP-cnew', 'cid'],
    ['JPIP-fsiz', '12'],
    ['JPIP-fsiz', 'a,b'],
    ['JPIP-rsiz', '1,-2'],
    ['JPIP-layers', '1.5'],
  ])('%s: %s is malformed', (name, value) => {
    expect(() => parseServedHeaders(headers({ [name]: value }))).toThrow(
      expect.objectContaining({ code: 'JPIP_CLIENT_BAD_HEADER' }),
    );
  });
});

describe('client session fields and URLs (Annex B, F.2)', () => {
  it('stateful: cnew=http first, then cid on the path JPIP-cnew gives (original query dropped)', () => {
    const s = new JpipClientSession('http://127.0.0.1:9/jpip?target=1.2.3', { stateful: true });
    expect(s.url({ fsiz: { fx: 64, fy: 64 } })).toBe(
      'http://127.0.0.1:9/jpip?target=1.2.3&cnew=http&fsiz=64,64&type=jpp-stream',
    );
    s.beginResponse(200, headers({ ...JPP, 'JPIP-tid': 'T', 'JPIP-cnew': 'cid=C1,path=jpip/s,transport=http' }));
    s.endResponse();
    expect(s.channel?.cid).toBe('C1');
    expect(s.url({ fsiz: { fx: 64, fy: 64 } })).toBe('http://127.0.0.1:9/jpip/s?cid=C1&fsiz=64,64&type=jpp-stream');
  });

  it('stateful without path: the cid goes to the same URL', () => {
    const s = new JpipClientSession('http://127.0.0.1:9/jpip?target=x.jp2', { stateful: true });
    s.beginResponse(200, headers({ ...JPP, 'JPIP-cnew': 'cid=C2,transport=http' }));
    s.endResponse();
    expect(s.url({})).toBe('http://127.0.0.1:9/jpip?target=x.jp2&cid=C2&type=jpp-stream');
  });

  it('refuses a transport it did not offer, a non-2xx status and a foreign Content-Type', () => {
    const s = new JpipClientSession('http://h/jpip', { stateful: true });
    expect(() => s.beginResponse(200, headers({ 'JPIP-cnew': 'cid=a,transport=http-tcp' }))).toThrow(
      expect.objectContaining({ code: 'JPIP_CLIENT_BAD_TRANSPORT' }),
    );
    expect(() => s.beginResponse(503, headers({ Reason: 'Channel X not found' }))).toThrow(
      expect.objectContaining({ code: 'JPIP_CLIENT_HTTP_STATUS' }),
    );
    expect(() => s.beginResponse(200, headers({ 'Content-Type': 'text/html' }))).toThrow(
      expect.objectContaining({ code: 'JPIP_CLIENT_CONTENT_TYPE' }),
    );
    expect(() => s.push(Uint8Array.of(0))).toThrow(expect.objectContaining({ code: 'JPIP_CLIENT_NO_RESPONSE' }));
  });
});
