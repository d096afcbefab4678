// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Metadata-bin 0 (15444-9 A.3.6) as the server core plans it: for a JP2-view target its boxes
// (signature, ftyp, jp2h from the codestream's SIZ, a phld standing for the jp2c box of CSn 1),
// one message per box, sent once per cache model whatever metareq asks (C.5.2), only it with
// "!!", resumed at the exact byte after a len cut (C.6.1), not sent when the client's model says it
// holds it (C.9.2 M0); for a raw-codestream target one empty final message as before.

import { buildPacketIndex } from '../../../../src/j2k';
import {
  BinClass,
  CacheModel,
  EorReason,
  jp2MetadataBin,
  modelContext,
  parseJpipQuery,
  planResponse,
  prepareFrame,
  type FrameModel,
  type MetadataBin,
  type PlanOptions,
} from '../../../../src/jpip';
import { loadCorpusCodestream } from '../../j2k/corpus-helper';

let frame: FrameModel;
let meta: MetadataBin;

beforeAll(async () => {
  const cs = loadCorpusCodestream('p1_02.j2k'); // 640x480, 3 components, 8 bits
  frame = await prepareFrame(buildPacketIndex(cs), { read: (o, n) => Promise.resolve(cs.subarray(o, o + n)) });
  meta = jp2MetadataBin(frame.main, frame.htj2k, 1, frame.index.codestreamLength);
});

const type = (b: Uint8Array): string => Buffer.from(b.subarray(4, 8)).toString('latin1');
const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at);
const u64 = (b: Uint8Array, at: number): bigint => new DataView(b.buffer, b.byteOffset).getBigUint64(at);

/** Plans for the JP2 view (bin 0 = `meta`), or with `null` for a raw-codestream target. */
function plan(query: string, cache: CacheModel, metadata: PlanOptions['metadata'] | null = { bin: meta, csn: 1 }) {
  return planResponse(parseJpipQuery(query), [{ csn: 1, model: frame }], cache, {
    returnType: 'jpp-stream',
    extended: false,
    ...(metadata === null ? {} : { metadata }),
  });
}

const metaMessages = (p: ReturnType<typeof plan>) => p.messages.filter((m) => m.classId === BinClass.metadata);

test('the JP2-view bin 0: jP, ftyp, jp2h (ihdr from SIZ, colr) and a codestream placeholder (A.3.6.3)', () => {
  expect(meta.boxes.map(type)).toEqual(['jP  ', 'ftyp', 'jp2h', 'phld']);
  expect(meta.length).toBe(meta.boxes.reduce((n, b) => n + u32(b, 0), 0));
  const jp2h = meta.boxes[2] as Uint8Array;
  const ihdr = jp2h.subarray(8);
  expect(type(ihdr)).toBe('ihdr');
  expect([u32(ihdr, 8), u32(ihdr, 12), ihdr[16], ihdr[17], ihdr[18]]).toEqual([480, 640, 0, 3, 7]); // H, W, NC hi/lo, BPC-1
  expect(type(jp2h.subarray(8 + u32(ihdr, 0)))).toBe('colr');
  const phld = meta.boxes[3] as Uint8Array;
  expect(u32(phld, 8)).toBe(4); // Flags: codestream
  expect(u64(phld, 12)).toBe(0n); // OrigID
  expect([u32(phld, 20), type(phld.subarray(20))]).toEqual([1, 'jp2c']); // OrigBH, XLBox form
  expect(u64(phld, 28)).toBe(BigInt(16 + frame.index.codestreamLength));
  expect(u64(phld, 52)).toBe(1n); // CSID
});

test('sent first, one whole box per message, final on the last; never again on the same cache model', () => {
  const cache = new CacheModel();
  const first = metaMessages(plan('fsiz=64,48&metareq=[jp2h]', cache));
  expect(first.map((m) => [m.offset, m.length, m.last, m.csn])).toEqual(
    meta.boxes.map((b, i) => [meta.boxes.slice(0, i).reduce((n, x) => n + x.length, 0), b.length, i === 3, 1]),
  );
  expect(metaMessages(plan('fsiz=640,480&metareq=[jp2h]', cache))).toEqual([]);
  expect(metaMessages(plan('fsiz=640,480&metareq=[*]', cache))).toEqual([]);
  expect(cache.get(1, BinClass.metadata, 0)).toEqual({ bytes: meta.length, complete: true });
});

test('metareq ...!! sends only metadata-bin 0 (EOR window done); a repeat sends nothing', () => {
  const cache = new CacheModel();
  const p = plan('metareq=[jp2h]!!', cache);
  expect(p.messages.every((m) => m.classId === BinClass.metadata)).toBe(true);
  expect(p.messages).toHaveLength(4);
  expect(p.eor).toBe(EorReason.windowDone);
  expect(plan('metareq=[jp2h]!!', cache).messages).toEqual([]);
});

test('a len cut inside bin 0 resumes at the exact byte on the next request (C.6.1)', () => {
  const cache = new CacheModel();
  const cut = plan('fsiz=64,48&len=40', cache);
  expect(cut.eor).toBe(EorReason.byteLimit);
  const held = cache.get(1, BinClass.metadata, 0).bytes;
  expect(held).toBeGreaterThan(0);
  expect(held).toBeLessThan(meta.length);
  const rest = metaMessages(plan('fsiz=64,48', cache));
  expect(rest[0]?.offset).toBe(held);
  expect(rest.at(-1)).toMatchObject({ last: true });
  expect(rest.reduce((n, m) => n + m.length, held)).toBe(meta.length);
});

test('model=M0 (the client holds bin 0) keeps it from being sent (C.9.2)', () => {
  const cache = new CacheModel();
  const models = new Map([[1, frame]]);
  cache.apply(parseJpipQuery('model=M0').model ?? [], modelContext(models, [1], 1, meta.length));
  expect(metaMessages(plan('fsiz=64,48', cache))).toEqual([]);
});

test('a raw-codestream target: one empty final metadata message, whatever metareq asks', () => {
  for (const q of ['fsiz=64,48', 'fsiz=64,48&metareq=[jp2h]', 'metareq=[*]!!']) {
    const m = metaMessages(plan(q, new CacheModel(), null));
    expect(m.map((x) => [x.offset, x.length, x.last])).toEqual([[0, 0, true]]);
  }
});
