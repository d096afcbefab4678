// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// The JP2-view target alias (15444-9 C.2.1 target, D.2.2 tid, A.3.6 metadata-bins; target-name.ts):
// `<uid>.jp2` names the same instance as `<uid>` but is another logical target (another tid) whose
// metadata-bin 0 holds jP, ftyp, jp2h and a codestream placeholder, sent once per channel; the
// plain name keeps the empty bin 0; a session opened on the alias stays on it.

import { NotFoundError } from '../../../src/errors';
import { FrameModelCache } from '../../../src/frames';
import { parseJpipQuery, readJpipStream, type JpipMessage } from '../../../src/jpip';
import { JpipService, parseTargetName, type JpipResponse } from '../../../src/jpip-service';
import { collect, ingestedStore, MULTI_FRAME, SINGLE_FRAME, uidOf, type IngestedStore } from '../frames/ingested-store';

let s: IngestedStore;
let svc: JpipService;

beforeAll(async () => {
  s = await ingestedStore([SINGLE_FRAME, MULTI_FRAME]);
  svc = new JpipService({
    store: s.store.instances,
    blobs: s.store.blobs,
    sessions: s.store.jpipSessions,
    frames: new FrameModelCache(s.store.blobs),
  });
});
afterAll(() => s.close());

async function ask(query: string, target: string | undefined): Promise<{ r: JpipResponse; messages: JpipMessage[] }> {
  const r = await svc.respond({ request: parseJpipQuery(query), target });
  const bytes = await collect(r.body);
  r.finish(true);
  expect(bytes.length).toBe(r.length);
  return { r, messages: readJpipStream(bytes).flatMap((e) => (e.kind === 'message' ? [e.message] : [])) };
}

const metadata = (ms: JpipMessage[]): JpipMessage[] => ms.filter((m) => m.classId === 8);
const boxType = (m: JpipMessage): string => Buffer.from(m.data.subarray(4, 8)).toString('latin1');

test('parseTargetName: <uid>.jp2 is the JP2 view of <uid>; anything else a raw-codestream name', () => {
  expect(parseTargetName('1.2.3.jp2')).toEqual({ name: '1.2.3.jp2', sopInstanceUid: '1.2.3', view: 'jp2' });
  expect(parseTargetName('1.2.3')).toEqual({ name: '1.2.3', sopInstanceUid: '1.2.3', view: 'codestream' });
  expect(parseTargetName('.jp2').view).toBe('codestream');
  expect(parseTargetName('1.2.3.JP2').view).toBe('codestream');
});

test('<uid>.jp2: another tid, bin 0 with the JP2 header boxes; <uid>: bin 0 empty', async () => {
  const uid = uidOf(s, SINGLE_FRAME);
  const plain = await ask('fsiz=64,64&metareq=[jp2h]', uid);
  const jp2 = await ask('fsiz=64,64&metareq=[jp2h]', `${uid}.jp2`);
  expect(jp2.r.headers['JPIP-tid']).toMatch(/^T[0-9a-f]{32}$/);
  expect(jp2.r.headers['JPIP-tid']).not.toBe(plain.r.headers['JPIP-tid']);
  expect(metadata(plain.messages).map((m) => [m.data.length, m.last])).toEqual([[0, true]]);
  expect(metadata(jp2.messages).map(boxType)).toEqual(['jP  ', 'ftyp', 'jp2h', 'phld']);
  expect(jp2.messages[0]?.classId).toBe(8); // metadata first
  // the image data is the same
  const image = (ms: JpipMessage[]) => Buffer.concat(ms.filter((m) => m.classId !== 8).map((m) => m.data));
  expect(image(jp2.messages).equals(image(plain.messages))).toBe(true);
});

test('a session on <uid>.jp2 gets bin 0 once; the cid stays on the alias target', async () => {
  const uid = uidOf(s, MULTI_FRAME);
  const opened = await ask('fsiz=32,32&cnew=http&stream=2', `${uid}.jp2`);
  const cid = /cid=([^,]+)/.exec(opened.r.headers['JPIP-cnew'] ?? '')?.[1] ?? '';
  expect(metadata(opened.messages).map((m) => m.csn)).toEqual([1, 1, 1, 1]); // the JP2 view is frame 1
  const next = await ask(`cid=${cid}&fsiz=64,64&stream=1-2&metareq=[jp2h]`, undefined);
  expect(metadata(next.messages)).toEqual([]);
  expect(next.messages.length).toBeGreaterThan(0);
  await expect(svc.respond({ request: parseJpipQuery(`cid=${cid}&fsiz=8,8`), target: uid })).rejects.toMatchObject({
    code: 'JPIP_TARGET_CONFLICT',
  });
});

test('an unknown <x>.jp2 is JPIP_UNKNOWN_TARGET (404)', async () => {
  const e: unknown = await svc
    .respond({ request: parseJpipQuery('fsiz=8,8'), target: '1.2.3.4.jp2' })
    .catch((x: unknown) => x);
  expect(e).toBeInstanceOf(NotFoundError);
  expect((e as NotFoundError).code).toBe('JPIP_UNKNOWN_TARGET');
});
