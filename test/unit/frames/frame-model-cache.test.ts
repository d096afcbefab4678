// The one frame-model cache (frames/): prepared once per frame however many users ask (JPIP service
// and renderer share it), concurrent loads share one preparation, the byte bound holds under
// eviction, and the codestream reader refuses reads outside the codestream.

import { FrameModelCache, FrameRenderer } from '../../../src/frames';
import { JpipService } from '../../../src/jpip-service';
import { parseJpipQuery } from '../../../src/jpip';
import type { FrameRecord } from '../../../src/store';
import { collect, ingestedStore, MULTI_FRAME, SINGLE_FRAME, uidOf, type IngestedStore } from './ingested-store';

let s: IngestedStore;
let frames: FrameRecord[];

beforeAll(async () => {
  s = await ingestedStore([SINGLE_FRAME, MULTI_FRAME]);
  frames = s.store.instances.listFrames(uidOf(s, MULTI_FRAME));
  expect(frames).toHaveLength(10);
});
afterAll(() => s.close());

test('concurrent and repeated loads of a frame prepare it once', async () => {
  const cache = new FrameModelCache(s.store.blobs);
  const f = frames[0] as FrameRecord;
  const [a, b] = await Promise.all([cache.load(f), cache.load(f)]);
  expect(a.model).toBe(b.model);
  await cache.load(f);
  expect(cache.loads).toBe(1);
  expect(cache.cachedBytes).toBe(a.model.approxBytes);
  const main = await a.reader.read(0, 2);
  expect([...main]).toEqual([0xff, 0x4f]); // SOC
  await expect(a.reader.read(a.model.index.codestreamLength - 1, 2)).rejects.toMatchObject({
    code: 'JPIP_READ_OUT_OF_RANGE',
  });
});

test('the byte bound holds: least recently used models are evicted, and prepared again when asked for', async () => {
  const probe = new FrameModelCache(s.store.blobs);
  const one = (await probe.load(frames[0] as FrameRecord)).model.approxBytes;
  const cache = new FrameModelCache(s.store.blobs, { maxBytes: Math.floor(one * 3.5) });
  for (const f of frames) {
    await cache.load(f);
    expect(cache.cachedBytes).toBeLessThanOrEqual(cache.maxBytes);
  }
  expect(cache.loads).toBe(10);
  await cache.load(frames[9] as FrameRecord); // most recent: still cached
  expect(cache.loads).toBe(10);
  await cache.load(frames[0] as FrameRecord); // evicted long ago
  expect(cache.loads).toBe(11);
  expect(cache.cachedBytes).toBeLessThanOrEqual(cache.maxBytes);
});

test('one cache shared by the JPIP service and the renderer: one preparation per frame', async () => {
  const cache = new FrameModelCache(s.store.blobs);
  const uid = uidOf(s, SINGLE_FRAME);
  const jpip = new JpipService({
    store: s.store.instances,
    blobs: s.store.blobs,
    sessions: s.store.jpipSessions,
    frames: cache,
  });
  const renderer = new FrameRenderer(s.store.instances, { blobs: s.store.blobs, codecs: s.codecs, frames: cache });
  const r = await jpip.respond({ request: parseJpipQuery('fsiz=64,64'), target: uid });
  expect((await collect(r.body)).length).toBeGreaterThan(100);
  r.finish(true);
  expect(cache.loads).toBe(1);
  const rec = s.store.instances.getInstance(uid);
  if (rec === undefined) throw new Error('not stored');
  const png = await renderer.render(rec, 1, { mediaType: 'image/png' });
  expect(png.mediaType).toBe('image/png');
  expect(cache.loads).toBe(1);
  const again = await jpip.respond({ request: parseJpipQuery('fsiz=32,32'), target: uid });
  await collect(again.body);
  expect(cache.loads).toBe(1);
});
