// The pure JPIP client: responses in any chunking merged into the cache over several responses,
// codestreams rebuilt from partial bins and decoded (OpenJPEG wasm) to exactly the pixels of the
// original at the same layers; JPT-stream tile bins; OpenJPEG's tile-header form; decode plans.
import { loadCodecs, type DecodedImage } from '../../../src/codec';
import { parseMainHeader } from '../../../src/j2k';
import {
  EorReason,
  JpipClientSession,
  clientGeometry,
  normaliseTileHeaderBin,
  parseModel,
  planDecode,
  type JpipMessage,
} from '../../../src/jpip';
import { chunks, corpus, encodeResponse, headers, jppMessages } from './client-helpers';

const JPP = headers({ 'Content-Type': 'image/jpp-stream', 'JPIP-tid': 'T1' });

function feed(s: JpipClientSession, body: Uint8Array, seed: number, maxPiece?: number, h = JPP) {
  s.beginResponse(200, h);
  for (const c of chunks(body, seed, maxPiece)) s.push(c);
  return s.endResponse();
}

async function decode(cs: Uint8Array, layers = 0, reduce = 0): Promise<DecodedImage> {
  const codecs = await loadCodecs();
  return codecs.decodeJ2k(cs, { reduce, ...(layers > 0 ? { layers } : {}) });
}

function same(a: DecodedImage, b: DecodedImage): boolean {
  return (
    a.width === b.width &&
    a.height === b.height &&
    Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(
      Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength),
    )
  );
}

describe('JpipClientSession: merging responses (15444-9 A.2, A.3, D.3)', () => {
  const c = corpus('a5_mono.j2c'); // 4 tiles, 3 layers, SOP + EPH

  it('two responses in random chunks: first layer, then the rest; each rebuild decodes exactly', async () => {
    const first = jppMessages(c, 1, (p) => [0, p.layerEnds[0] ?? 0]);
    const rest = jppMessages(c, 1, (p) => [p.layerEnds[0] ?? 0, p.bytes.length], false);
    const r1 = encodeResponse(first);
    const r2 = encodeResponse([...rest].reverse(), EorReason.imageDone);
    const s = new JpipClientSession('http://h/jpip?target=x');
    const sum1 = feed(s, r1, 7);
    expect(sum1).toMatchObject({ bytes: r1.length, messages: first.length, eor: EorReason.windowDone });
    expect(s.codestreams()).toEqual([1]);
    expect(same(await decode(c.cs, 1), await decode(c.cs))).toBe(false); // the layer subset is visible
    expect(same(await decode(s.rebuild(1).codestream), await decode(c.cs, 1))).toBe(true);
    // Stateless continuation: tid + a model naming the bins held (prefix lengths for partial bins).
    const q = new URLSearchParams(s.query({}));
    expect(q.get('tid')).toBe('T1');
    const model = parseModel('model', q.get('model') ?? '');
    const p0 = c.precincts[0];
    expect(model).toContainEqual(
      expect.objectContaining({
        bin: { kind: 'precinct', id: p0?.binId },
        limit: { kind: 'bytes', bytes: p0?.layerEnds[0] },
      }),
    );
    expect(model).toContainEqual(expect.objectContaining({ bin: { kind: 'main-header' }, limit: { kind: 'whole' } }));
    const sum2 = feed(s, r2, 11, 5);
    expect(sum2).toMatchObject({ bytes: r2.length, messages: rest.length, eor: EorReason.imageDone });
    const full = s.rebuild(1).codestream;
    expect(same(await decode(full), await decode(c.cs))).toBe(true);
  });

  it('any chunking (1 byte up to whole) gives the same cache', () => {
    const body = encodeResponse(jppMessages(c, 3, (p) => [0, p.bytes.length]));
    const reference = new JpipClientSession('http://h/x');
    feed(reference, body, 1, body.length + 1);
    const want = reference.cache
      .list()
      .map((b) => [b.classId, b.binId, Buffer.from(b.prefix).toString('base64'), b.complete]);
    for (const [seed, max] of [
      [1, 1],
      [2, 2],
      [3, 13],
      [4, 1000],
    ] as const) {
      const s = new JpipClientSession('http://h/x');
      feed(s, body, seed, max);
      expect(
        s.cache.list().map((b) => [b.classId, b.binId, Buffer.from(b.prefix).toString('base64'), b.complete]),
      ).toEqual(want);
    }
  });

  it('packets cut mid-way are dropped: the rebuild decodes as the complete layers', async () => {
    const k = corpus('c1_mono.j2c'); // 10 layers
    const cut = (p: (typeof k.precincts)[number]): [number, number] => {
      const a = p.layerEnds[2] ?? 0;
      const b = p.layerEnds[3] ?? a;
      return [0, a + Math.floor((b - a) / 2)];
    };
    const s = new JpipClientSession('http://h/x');
    feed(s, encodeResponse(jppMessages(k, 1, cut), EorReason.byteLimit), 5);
    expect(s.lastResponse?.eor).toBe(EorReason.byteLimit);
    expect(same(await decode(k.cs, 3), await decode(k.cs, 4))).toBe(false);
    expect(same(await decode(s.rebuild(1).codestream), await decode(k.cs, 3))).toBe(true);
    // maxLayers keeps fewer layers than held.
    expect(same(await decode(s.rebuild(1, { maxLayers: 2 }).codestream), await decode(k.cs, 2))).toBe(true);
  });

  it("accepts OpenJPEG's tile-header bins (SOT body + SOD) and decodes exactly", async () => {
    const msgs: JpipMessage[] = jppMessages(c, 0, (p) => [0, p.bytes.length]).map((m) => {
      if (m.classId !== 2) return m;
      const sot = Buffer.alloc(10);
      sot.writeUInt16BE(10, 0);
      sot.writeUInt16BE(m.binId, 2);
      return { ...m, data: Buffer.concat([sot, m.data, Buffer.from([0xff, 0x93])]) };
    });
    const s = new JpipClientSession('http://h/x');
    feed(s, encodeResponse(msgs, null), 3);
    const rebuilt = s.rebuild(0);
    expect(rebuilt.warnings.filter((w) => w.includes('OpenJPEG'))).toHaveLength(4);
    expect(same(await decode(rebuilt.codestream), await decode(c.cs))).toBe(true);
    expect(normaliseTileHeaderBin(c.tileHeaders[0] ?? new Uint8Array(0))).toBe(c.tileHeaders[0]);
  });

  it('JPT-stream: complete tile-parts of each tile bin, partial ones left out', async () => {
    const e = corpus('e1_colr.j2c'); // 8 tiles, 9 tile-parts, POC in tile-part headers
    const tileBin = (t: number) =>
      Buffer.concat((e.index.tiles[t]?.parts ?? []).map((p) => e.cs.subarray(p.offset, p.offset + p.length)));
    const multi = e.index.tiles.findIndex((t) => t.parts.length > 1);
    expect(multi).toBeGreaterThanOrEqual(0);
    const msgs: JpipMessage[] = [{ classId: 6, csn: 0, binId: 0, offset: 0, last: true, data: e.main }];
    for (let t = 0; t < e.index.numTiles; t++)
      msgs.push({ classId: 5, csn: 0, binId: t, offset: 0, last: true, aux: 1, data: tileBin(t) });
    const s = new JpipClientSession('http://h/x');
    feed(s, encodeResponse(msgs), 9, 64, headers({ 'Content-Type': 'image/jpt-stream' }));
    const whole = s.rebuild(0);
    expect(whole.kind).toBe('jpt');
    expect(same(await decode(whole.codestream), await decode(e.cs))).toBe(true);
    // A new session holding only the first part and half of the second of the multi-part tile.
    const parts = e.index.tiles[multi]?.parts ?? [];
    const firstLen = parts[0]?.length ?? 0;
    const half = firstLen + Math.floor((parts[1]?.length ?? 0) / 2);
    const s2 = new JpipClientSession('http://h/x');
    feed(
      s2,
      encodeResponse([
        msgs[0] as JpipMessage,
        { classId: 4, csn: 0, binId: multi, offset: 0, last: false, data: tileBin(multi).subarray(0, half) },
      ]),
      2,
    );
    const partial = s2.rebuild(0);
    expect(partial.codestream.length).toBe(e.main.length + firstLen + 2);
    expect(partial.warnings.join()).toContain(`${half - firstLen} bytes of incomplete tile-parts`);
  });

  it('typed errors: truncated body, message after EOR, missing main header; the session stays usable', () => {
    const body = encodeResponse(jppMessages(c, 1, (p) => [0, p.bytes.length]));
    const s = new JpipClientSession('http://h/x');
    s.beginResponse(200, JPP);
    s.push(body.subarray(0, 40));
    expect(() => s.endResponse()).toThrow(expect.objectContaining({ code: 'JPIP_STREAM_TRUNCATED' }));
    expect(() => s.rebuild(2)).toThrow(expect.objectContaining({ code: 'JPIP_CLIENT_NO_MAIN_HEADER' }));
    s.beginResponse(200, JPP);
    expect(() => s.push(Buffer.concat([encodeResponse([]), body]))).toThrow(
      expect.objectContaining({ code: 'JPIP_CLIENT_AFTER_EOR' }),
    );
    expect(feed(s, body, 4).eor).toBe(EorReason.windowDone);
    expect(s.codestreams()).toEqual([1]);
  });

  it('a different JPIP-tid drops the cache (bins belong to one target, B.2)', () => {
    const s = new JpipClientSession('http://h/x');
    feed(s, encodeResponse(jppMessages(c, 1, (p) => [0, p.bytes.length])), 1);
    expect(s.cache.totalBytes).toBeGreaterThan(0);
    feed(s, encodeResponse([]), 1, 9, headers({ 'Content-Type': 'image/jpp-stream', 'JPIP-tid': 'T2' }));
    expect(s.cache.totalBytes).toBe(0);
    expect(s.tid).toBe('T2');
  });
});

describe('decode plan (15444-9 C.4.2-C.4.4, D.2.4-D.2.6)', () => {
  const c = corpus('a1_mono.j2c'); // 303x179, 5 levels
  const g = clientGeometry(parseMainHeader(c.cs));

  it('resolves fsiz/roff/rsiz like the server', () => {
    expect(planDecode(g, {})).toEqual({
      r: 0,
      frame: { fx: 303, fy: 179 },
      offset: { x: 0, y: 0 },
      size: { x: 303, y: 179 },
    });
    expect(planDecode(g, { fsiz: { fx: 200, fy: 200 } })).toMatchObject({ r: 1, frame: { fx: 152, fy: 90 } });
    expect(planDecode(g, { fsiz: { fx: 152, fy: 90 }, roff: { x: 100, y: 80 }, rsiz: { x: 100, y: 100 } })).toEqual({
      r: 1,
      frame: { fx: 152, fy: 90 },
      offset: { x: 100, y: 80 },
      size: { x: 52, y: 10 },
    });
  });

  it("follows the server's JPIP-fsiz/roff/rsiz and rejects a frame size the image does not have", () => {
    const served = {
      tid: null,
      channel: null,
      fsiz: { x: 76, y: 45 },
      roff: null,
      rsiz: null,
      layers: null,
      comps: null,
      stream: null,
      streamType: null,
      contentType: null,
    };
    expect(
      planDecode(g, { fsiz: { fx: 303, fy: 179 }, roff: { x: 101, y: 0 }, rsiz: { x: 101, y: 179 } }, served),
    ).toEqual({
      r: 2,
      frame: { fx: 76, fy: 45 },
      offset: { x: 25, y: 0 },
      size: { x: 26, y: 45 },
    });
    expect(planDecode(g, {}, { ...served, fsiz: null, roff: { x: 3, y: 4 }, rsiz: { x: 500, y: 5 } })).toMatchObject({
      offset: { x: 3, y: 4 },
      size: { x: 300, y: 5 },
    });
    expect(() => planDecode(g, {}, { ...served, fsiz: { x: 77, y: 45 } })).toThrow(
      expect.objectContaining({ code: 'JPIP_CLIENT_BAD_FSIZ' }),
    );
  });
});
