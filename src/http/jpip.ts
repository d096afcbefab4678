// JPIP over HTTP (ISO/IEC 15444-9 Annex F), the thin adapter: GET/POST /jpip and /jpip/<target>
// (target = SOP Instance UID; stream n = DICOM frame n, PS3.5 §8.4.1). It parses the request with
// jpip/, resolves the target and session with store/, plans the response with jpip/server and
// streams it chunked as image/jpp-stream or image/jpt-stream (or, for type=raw, the whole frame
// as a JP2/JPH file). Statuses come from error-map.ts only (conformance/jpip.md lists them).

import { Router, type Request, type Response } from 'express';
import { UnsupportedError } from '../bytes';
import { BadRequestError, NotFoundError } from '../errors';
import { targetId, type FrameModelCache } from '../frames';
import {
  CacheModel, assertImplemented, chooseReturnType, emitResponse, modelContext, planResponse, rawWrapper, refusedPreferences,
  resolveStreams, responseHeaders, type CodestreamReader, type FrameModel, type JpipRequest, type NewChannel, type ServedFrame,
} from '../jpip';
import type { BlobStore, FrameRecord, InstanceStore, JpipSessionRecord, JpipSessionStore } from '../store/types';
import { useNotImplementedForUnsupported } from './error-map';
import { MethodNotAllowedError } from './http-errors';
import { readJpipRequest } from './jpip-request';
import { JpipSessions, type JpipSessionOptions } from './jpip-sessions';

export interface JpipRouterDeps {
  store: InstanceStore;
  blobs: BlobStore;
  sessions: JpipSessionStore;
  /** The shared frame-model cache (also used by the renderer). */
  frames: FrameModelCache;
  sessionOptions?: JpipSessionOptions;
  /** Most precincts one view may touch (default 1,000,000). */
  maxPrecincts?: number;
  /** Most bins one cache model tracks (default 1,000,000). */
  maxModelEntries?: number;
}

interface Context {
  request: JpipRequest;
  uid: string;
  frames: FrameRecord[];
  tid: string;
  session: JpipSessionRecord | undefined;
  newChannel: NewChannel | undefined;
}

async function write(res: Response, chunk: Uint8Array): Promise<void> {
  if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
}

function finished(res: Response): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.writableFinished) resolve(true);
    res.once('finish', () => resolve(true));
    res.once('close', () => resolve(res.writableFinished));
  });
}

export function createJpipRouter(deps: JpipRouterDeps): Router {
  const frames = deps.frames;
  const sessions = new JpipSessions(deps.sessions, deps.sessionOptions ?? {});
  const cacheOptions = deps.maxModelEntries === undefined ? {} : { maxEntries: deps.maxModelEntries };

  async function handle(req: Request, res: Response): Promise<void> {
    const { request, target } = await readJpipRequest(req);
    useNotImplementedForUnsupported(res); // from here on an UnsupportedError is 501 (15444-9 D.1)
    assertImplemented(request);
    const refused = refusedPreferences(request);
    if (refused.length > 0) {
      res.setHeader('JPIP-pref', refused.join(','));
      throw new UnsupportedError('JPIP_PREF_REFUSED', `required preference not supported: ${refused.join(',')}`, { context: 'pref' });
    }
    let session: JpipSessionRecord | undefined;
    if (request.cid !== undefined) {
      session = sessions.lookup(request.cid);
      if (target !== undefined && target !== session.target) throw new BadRequestError('JPIP_TARGET_CONFLICT', 'cid belongs to another target', { context: 'target' });
    }
    const uid = session?.target ?? target;
    if (uid === undefined) throw new BadRequestError('JPIP_NO_TARGET', 'no target: give target=<SOP Instance UID> or /jpip/<uid>', { context: 'target' });
    if (deps.store.getInstance(uid) === undefined) throw new NotFoundError('JPIP_UNKNOWN_TARGET', `no instance ${uid}`, { context: 'target' });
    const frameRows = deps.store.listFrames(uid);
    if (frameRows.length === 0) throw new NotFoundError('JPIP_NO_CODESTREAM', `instance ${uid} has no JPEG 2000 frames`, { context: 'target' });
    const tid = targetId(uid, frameRows);
    let newChannel: NewChannel | undefined;
    if (request.cnew?.includes('http') === true) {
      // C.3.3: grant only a transport the client offered; Fovea offers "http" (no http-tcp/udp).
      const cid = session !== undefined
        ? sessions.addChannel(session.sessionId, 'http')
        : ((r) => { session = r.session; return r.cid; })(sessions.open(uid, tid, new CacheModel().encode(), 'http'));
      newChannel = { cid, path: 'jpip', transport: 'http' };
    }
    const ctx: Context = { request, uid, frames: frameRows, tid, session, newChannel };
    if (session === undefined) return serve(ctx, res);
    const id = session.sessionId;
    await sessions.exclusive(id, async () => {
      if (request.cid !== undefined) ctx.session = sessions.lookup(request.cid); // the latest saved cache model
      try {
        await serve(ctx, res);
      } finally {
        if (request.cclose !== undefined) sessions.close(id, request.cclose);
      }
    });
  }

  async function serve(ctx: Context, res: Response): Promise<void> {
    const { request, session } = ctx;
    const base: Record<string, string> = { 'Cache-Control': 'no-cache' };
    if (request.cclose !== undefined && request.fsiz === undefined && request.roff === undefined && request.rsiz === undefined) {
      // A channel-close request without a view-window asks for no image data (15444-9 C.3.4).
      const headers = responseHeaders(request, { tid: ctx.tid, ...(ctx.newChannel === undefined ? {} : { newChannel: ctx.newChannel }) });
      res.status(200).set({ ...base, ...headers, 'Content-Type': 'image/jpp-stream' });
      res.end(Buffer.from([0x00, 0x02, 0x00])); // EOR window done
      return;
    }
    const streams = resolveStreams(request.stream, ctx.frames.length);
    const choice = chooseReturnType(request);
    const loaded = new Map<number, { model: FrameModel; reader: CodestreamReader; row: FrameRecord }>();
    for (const csn of choice.kind === 'raw' ? streams.streams.slice(0, 1) : streams.streams) {
      const row = ctx.frames[csn - 1];
      if (row === undefined) throw new NotFoundError('JPIP_NO_STREAM', `no frame ${csn}`, { context: 'stream' });
      loaded.set(csn, { ...(await frames.load(row)), row });
    }
    if (choice.kind === 'raw') return serveRaw(ctx, res, loaded, streams.streams.length > 1 || streams.changed);
    const cache = session === undefined ? new CacheModel(cacheOptions) : CacheModel.decode(session.cacheModel, cacheOptions);
    if (session !== undefined && session.tid !== ctx.tid) cache.clear(); // the target changed: the client's bins are stale
    const tidMismatch = request.tid !== undefined && request.tid !== '0' && request.tid !== ctx.tid;
    if (request.model !== undefined && !tidMismatch) {
      const models = new Map([...loaded].map(([csn, l]) => [csn, l.model] as const));
      cache.apply(request.model, modelContext(models, streams.streams, ctx.frames.length)); // D.2.2: ignored on a tid change
    }
    const served: ServedFrame[] = [...loaded].map(([csn, l]) => ({ csn, model: l.model }));
    const plan = planResponse(request, served, cache, {
      returnType: choice.kind,
      extended: choice.kind === 'jpp-stream' && choice.extended,
      ...(deps.maxPrecincts === undefined ? {} : { maxPrecincts: deps.maxPrecincts }),
    });
    const headers = responseHeaders(request, {
      tid: ctx.tid,
      ...(ctx.newChannel === undefined ? {} : { newChannel: ctx.newChannel }),
      view: plan.view,
      layers: plan.layers,
      components: plan.components,
      componentsChanged: plan.componentsChanged,
      streams: streams.streams,
      streamsChanged: streams.changed,
      ...(plan.suggestedLen === undefined ? {} : { suggestedLen: plan.suggestedLen }),
      quality: -1,
    });
    res.status(200).set({ ...base, ...headers, 'Content-Type': choice.kind === 'jpt-stream' ? 'image/jpt-stream' : 'image/jpp-stream' });
    const done = finished(res);
    const readers = new Map([...loaded].map(([csn, l]) => [csn, l.reader] as const));
    for await (const chunk of emitResponse(plan, readers)) {
      if (res.destroyed) break;
      await write(res, chunk);
    }
    res.end();
    // The cache model counts bytes as delivered only when the whole response went out (B.2).
    if (session !== undefined && (await done)) sessions.save(session.sessionId, ctx.tid, cache.encode());
  }

  async function serveRaw(ctx: Context, res: Response, loaded: Map<number, { model: FrameModel; row: FrameRecord }>, streamChanged: boolean): Promise<void> {
    const [csn, frame] = [...loaded][0] ?? [];
    if (csn === undefined || frame === undefined) throw new NotFoundError('JPIP_NO_STREAM', 'no frame to send');
    const length = frame.model.index.codestreamLength;
    const wrapper = rawWrapper(frame.model.main, frame.model.htj2k, length);
    const headers = responseHeaders(ctx.request, { tid: ctx.tid, streams: [csn], streamsChanged: streamChanged, ...(ctx.newChannel === undefined ? {} : { newChannel: ctx.newChannel }) });
    res.status(200).set({ 'Cache-Control': 'no-cache', ...headers, 'Content-Type': wrapper.mediaType, 'Content-Length': String(wrapper.prefix.length + length) });
    await write(res, wrapper.prefix);
    for await (const chunk of deps.blobs.stream(frame.row.framesKey, frame.row.offset + frame.row.codestreamOffset, length)) {
      if (res.destroyed) break;
      await write(res, chunk);
    }
    res.end();
  }

  const router = Router();
  for (const path of ['/', '/:target']) {
    router.get(path, handle);
    router.post(path, handle);
    router.all(path, (req) => {
      throw new MethodNotAllowedError('JPIP_METHOD', `${req.method} is not allowed on /jpip`, ['GET', 'HEAD', 'POST', 'OPTIONS']);
    });
  }
  return router;
}
