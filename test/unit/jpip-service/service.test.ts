// The JPIP service without HTTP (15444-9 Annex B/C/D) over a real SQLite store and real ingested
// JPEG 2000 frames: session open and limit (UnavailableError), idle expiry (JPIP_UNKNOWN_CID),
// extra channels, cclose, one response at a time per session, the cache model saved only when a
// body was delivered (B.2), cleared on a tid change, and a channel never sent the same bytes twice.

import { UnsupportedError } from '../../../src/bytes';
import { NotFoundError, UnavailableError } from '../../../src/errors';
import { FrameModelCache } from '../../../src/frames';
import { parseJpipQuery, readJpipStream, type JpipStreamEvent } from '../../../src/jpip';
import {
  JpipPrefRefusedError,
  JpipService,
  type JpipResponse,
  type JpipSessionOptions,
} from '../../../src/jpip-service';
import { collect, ingestedStore, MULTI_FRAME, SINGLE_FRAME, uidOf, type IngestedStore } from '../frames/ingested-store';

let s: IngestedStore;
let uid: string;
let now = 1_000_000;

beforeAll(async () => {
  s = await ingestedStore([SINGLE_FRAME, MULTI_FRAME]);
  uid = uidOf(s, SINGLE_FRAME);
});
afterAll(() => s.close());
beforeEach(() => {
  now += 24 * 3600 * 1000; // every earlier session is long idle
  s.store.jpipSessions.deleteIdle(now);
});

function service(options: JpipSessionOptions = {}): JpipService {
  return new JpipService({
    store: s.store.instances,
    blobs: s.store.blobs,
    sessions: s.store.jpipSessions,
    frames: new FrameModelCache(s.store.blobs),
    sessionOptions: { now: () => now, ...options },
  });
}

/** `target` is the target the path names; null = none (a request on a channel). */
function ask(svc: JpipService, query: string, target: string | null = uid): Promise<JpipResponse> {
  return svc.respond({ request: parseJpipQuery(query), target: target ?? undefined });
}

/** Sends the whole body (delivered unless told otherwise) and returns its messages. */
async function take(r: JpipResponse, delivered = true): Promise<{ bytes: Buffer; events: JpipStreamEvent[] }> {
  const bytes = await collect(r.body);
  r.finish(delivered);
  return { bytes, events: readJpipStream(bytes) };
}

function cidOf(r: JpipResponse): string {
  const m = /cid=([^,]+)/.exec(r.headers['JPIP-cnew'] ?? '');
  if (m?.[1] === undefined) throw new Error('no JPIP-cnew');
  return m[1];
}

const dataMessages = (events: JpipStreamEvent[]): number => events.filter((e) => e.kind === 'message').length;

test('a stateless request: jpp-stream with JPIP-tid, no session, every bin each time', async () => {
  const svc = service();
  const a = await ask(svc, 'fsiz=64,64');
  expect(a.mediaType).toBe('image/jpp-stream');
  expect(a.headers['JPIP-tid']).toMatch(/^T[0-9a-f]{32}$/);
  expect(a.headers['JPIP-cnew']).toBeUndefined();
  const first = await take(a);
  expect(dataMessages(first.events)).toBeGreaterThan(1);
  expect(first.events.at(-1)).toMatchObject({ kind: 'eor', reason: 1 }); // image done
  const again = await take(await ask(svc, 'fsiz=64,64'));
  expect(again.bytes.equals(first.bytes)).toBe(true);
  expect(s.store.jpipSessions.count()).toBe(0);
});

test('cnew=http opens a session; the second request on the channel gets no byte twice', async () => {
  const svc = service();
  const opened = await ask(svc, 'fsiz=64,64&cnew=http');
  expect(opened.headers['JPIP-cnew']).toMatch(/^cid=C[0-9a-f]{24},path=jpip,transport=http$/);
  const cid = cidOf(opened);
  expect(dataMessages((await take(opened)).events)).toBeGreaterThan(1);
  const second = await take(await ask(svc, `cid=${cid}&fsiz=64,64`, null));
  expect(dataMessages(second.events)).toBe(0);
  expect(second.events).toEqual([expect.objectContaining({ kind: 'eor', reason: 1 })]);
});

test('the cache model is saved only when the body was delivered (B.2)', async () => {
  const svc = service();
  const opened = await ask(svc, 'fsiz=16,16&cnew=http');
  const cid = cidOf(opened);
  const small = await take(opened, false); // the client went away
  const retry = await take(await ask(svc, `cid=${cid}&fsiz=16,16`, null));
  expect(retry.bytes.equals(small.bytes)).toBe(true);
  const more = await take(await ask(svc, `cid=${cid}&fsiz=16,16`, null));
  expect(dataMessages(more.events)).toBe(0);
});

test('a tid change clears the session cache model', async () => {
  const svc = service();
  const opened = await ask(svc, 'fsiz=64,64&cnew=http');
  const cid = cidOf(opened);
  const tid = opened.headers['JPIP-tid'];
  const full = await take(opened);
  const record = s.store.jpipSessions.byChannel(cid);
  if (record === undefined) throw new Error('no session');
  s.store.jpipSessions.save(record.sessionId, 'Tstale', record.cacheModel, now); // as if the instance had been replaced since
  const resent = await take(await ask(svc, `cid=${cid}&fsiz=64,64`, null));
  expect(resent.bytes.equals(full.bytes)).toBe(true);
  expect(s.store.jpipSessions.byChannel(cid)?.tid).toBe(tid);
});

test('the session limit is an UnavailableError; an idle session expires (JPIP_UNKNOWN_CID) and frees its slot', async () => {
  const svc = service({ maxSessions: 1, idleMs: 1000 });
  const cid = cidOf(await ask(svc, 'fsiz=8,8&cnew=http').then(async (r) => (await take(r), r)));
  await expect(ask(svc, 'fsiz=8,8&cnew=http')).rejects.toBeInstanceOf(UnavailableError);
  await expect(ask(svc, 'fsiz=8,8&cnew=http')).rejects.toMatchObject({ code: 'JPIP_SESSION_LIMIT' });
  now += 1001;
  await expect(ask(svc, `cid=${cid}&fsiz=8,8`, null)).rejects.toMatchObject({ code: 'JPIP_UNKNOWN_CID' });
  await take(await ask(svc, 'fsiz=8,8&cnew=http'));
  expect(s.store.jpipSessions.count()).toBe(1);
});

test('cnew on a channel adds a channel to the same session (shared cache model); cclose closes one or all', async () => {
  const svc = service();
  const opened = await ask(svc, 'fsiz=64,64&cnew=http');
  const first = cidOf(opened);
  await take(opened);
  const added = await ask(svc, `cid=${first}&cnew=http&fsiz=64,64`, null);
  const second = cidOf(added);
  expect(second).not.toBe(first);
  expect(dataMessages((await take(added)).events)).toBe(0); // same session, same cache model
  const closing = await ask(svc, `cid=${first}&cclose=${first}`, null);
  expect(closing.length).toBe(3);
  expect((await take(closing)).events).toEqual([expect.objectContaining({ kind: 'eor', reason: 2 })]);
  await expect(ask(svc, `cid=${first}&fsiz=8,8`, null)).rejects.toBeInstanceOf(NotFoundError);
  await take(await ask(svc, `cid=${second}&fsiz=8,8`, null));
  await take(await ask(svc, `cid=${second}&cclose=*`, null));
  await expect(ask(svc, `cid=${second}&fsiz=8,8`, null)).rejects.toMatchObject({ code: 'JPIP_UNKNOWN_CID' });
  expect(s.store.jpipSessions.count()).toBe(0);
});

test('one response at a time per session: the next waits for finish() and sees the saved model', async () => {
  const svc = service();
  const opened = await ask(svc, 'fsiz=8,8&cnew=http');
  const cid = cidOf(opened);
  await take(opened);
  const a = await ask(svc, `cid=${cid}&fsiz=64,64`, null);
  let bSettled = false;
  const b = ask(svc, `cid=${cid}&fsiz=64,64`, null).finally(() => {
    bSettled = true;
  });
  await new Promise((r) => setTimeout(r, 20));
  expect(bSettled).toBe(false);
  const aBody = await take(a);
  expect(dataMessages(aBody.events)).toBeGreaterThan(0);
  expect(dataMessages((await take(await b)).events)).toBe(0);
});

test('a failure inside a session releases its lock; refused and unimplemented requests are typed', async () => {
  const svc = service();
  const opened = await ask(svc, 'fsiz=8,8&cnew=http', uidOf(s, MULTI_FRAME));
  const cid = cidOf(opened);
  await take(opened);
  await expect(ask(svc, `cid=${cid}&fsiz=8,8&stream=11`, null)).rejects.toMatchObject({ code: 'JPIP_NO_STREAM' });
  await take(await ask(svc, `cid=${cid}&fsiz=8,8&stream=10`, null)); // not deadlocked
  const refused = await ask(svc, 'fsiz=8,8&pref=mbw:1M/r').catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(JpipPrefRefusedError);
  expect(refused).toBeInstanceOf(UnsupportedError);
  expect((refused as JpipPrefRefusedError).headers).toEqual({ 'JPIP-pref': 'mbw:1M/r' });
  await expect(ask(svc, 'fsiz=8,8&subtarget=0-100')).rejects.toBeInstanceOf(UnsupportedError);
  await expect(ask(svc, 'fsiz=8,8', null)).rejects.toMatchObject({ code: 'JPIP_NO_TARGET' });
  await expect(ask(svc, 'fsiz=8,8', '1.2.3.4')).rejects.toMatchObject({ code: 'JPIP_UNKNOWN_TARGET' });
  await expect(ask(svc, `cid=${cid}&fsiz=8,8`, uid)).rejects.toMatchObject({ code: 'JPIP_TARGET_CONFLICT' });
});

test('type=raw: the whole frame as a JP2 file of known length', async () => {
  const r = await ask(service(), 'type=raw');
  expect(r.mediaType).toBe('image/jp2');
  const bytes = await collect(r.body);
  r.finish(true);
  expect(bytes.length).toBe(r.length);
  expect(bytes.subarray(4, 8).toString('latin1')).toBe('jP  ');
});
