// Builds one JPIP response for a resolved request (ISO/IEC 15444-9 Annex C/D): loads the served
// frames from the shared frame-model cache, applies the session's cache model and the request's
// model= statements (C.9.2, ignored on a tid change, D.2.2), plans under len (C.6.1) and returns
// the response headers and a lazily emitted jpp-stream / jpt-stream body (Annex A), or the whole
// frame as a JP2/JPH file for type=raw. A `<uid>.jp2` target gets the JP2 header boxes of frame 1
// as metadata-bin 0 (A.3.6). Plain data and async iterables only: no HTTP, no SQL.

import { NotFoundError } from '../errors';
import type { FrameModelCache } from '../frames';
import {
  CacheModel,
  chooseReturnType,
  emitResponse,
  jp2MetadataBin,
  modelContext,
  planLength,
  planResponse,
  rawWrapper,
  resolveStreams,
  responseHeaders,
  type CacheModelOptions,
  type CodestreamReader,
  type FrameModel,
  type JpipRequest,
  type MetadataBin,
  type NewChannel,
  type ServedFrame,
} from '../jpip';
import type { BlobStore, FrameRecord, JpipSessionRecord } from '../store';
import type { TargetView } from './target-name';

/** A request whose target, frames and session are known. */
export interface ResolvedRequest {
  request: JpipRequest;
  frames: readonly FrameRecord[];
  tid: string;
  /** How the target was named: raw codestreams, or the JP2 view of frame 1 (target-name.ts). */
  view: TargetView;
  session: JpipSessionRecord | undefined;
  newChannel: NewChannel | undefined;
}

export interface ResponseDeps {
  blobs: BlobStore;
  frames: FrameModelCache;
  cacheModel: CacheModelOptions;
  maxPrecincts?: number;
}

/** The response before it is sent; `cache` is the session's extended cache model to save once delivered. */
export interface PreparedResponse {
  mediaType: string;
  headers: Record<string, string>;
  length: number | undefined;
  body: AsyncIterable<Uint8Array>;
  cache: CacheModel | undefined;
}

/** EOR "window done" with an empty body (15444-9 D.3, Table D.2 reason 2). */
const EOR_WINDOW_DONE = new Uint8Array([0x00, 0x02, 0x00]);

/** A body made of chunks already in memory. */
function chunks(...parts: Uint8Array[]): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]: (): AsyncIterator<Uint8Array> => {
      const it = parts[Symbol.iterator]();
      return { next: () => Promise.resolve(it.next()) };
    },
  };
}

async function* rawBody(prefix: Uint8Array, rest: () => AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  yield prefix;
  yield* rest();
}

interface Loaded {
  model: FrameModel;
  reader: CodestreamReader;
  row: FrameRecord;
}

export async function prepareResponse(ctx: ResolvedRequest, deps: ResponseDeps): Promise<PreparedResponse> {
  const { request, session } = ctx;
  const channel = ctx.newChannel === undefined ? {} : { newChannel: ctx.newChannel };
  if (
    request.cclose !== undefined &&
    request.fsiz === undefined &&
    request.roff === undefined &&
    request.rsiz === undefined
  ) {
    // A channel-close request without a view-window asks for no image data (15444-9 C.3.4).
    const headers = responseHeaders(request, { tid: ctx.tid, ...channel });
    return {
      mediaType: 'image/jpp-stream',
      headers,
      length: EOR_WINDOW_DONE.length,
      body: chunks(EOR_WINDOW_DONE),
      cache: undefined,
    };
  }
  const streams = resolveStreams(request.stream, ctx.frames.length);
  const choice = chooseReturnType(request);
  const loaded = new Map<number, Loaded>();
  for (const csn of choice.kind === 'raw' ? streams.streams.slice(0, 1) : streams.streams) {
    const row = ctx.frames[csn - 1];
    if (row === undefined) throw new NotFoundError('JPIP_NO_STREAM', `no frame ${csn}`, { context: 'stream' });
    loaded.set(csn, { ...(await deps.frames.load(row)), row });
  }
  if (choice.kind === 'raw') return prepareRaw(ctx, deps, loaded, streams.streams.length > 1 || streams.changed);
  const metadata = ctx.view === 'jp2' ? await jp2Metadata(ctx, deps, loaded) : undefined;
  const cache =
    session === undefined ? new CacheModel(deps.cacheModel) : CacheModel.decode(session.cacheModel, deps.cacheModel);
  if (session !== undefined && session.tid !== ctx.tid) cache.clear(); // the target changed: the client's bins are stale
  const tidMismatch = request.tid !== undefined && request.tid !== '0' && request.tid !== ctx.tid;
  if (request.model !== undefined && !tidMismatch) {
    const models = new Map([...loaded].map(([csn, l]) => [csn, l.model] as const));
    const context = modelContext(models, streams.streams, ctx.frames.length, metadata?.bin.length ?? 0);
    cache.apply(request.model, context); // D.2.2: ignored on a tid change
  }
  const served: ServedFrame[] = [...loaded].map(([csn, l]) => ({ csn, model: l.model }));
  const plan = planResponse(request, served, cache, {
    returnType: choice.kind,
    extended: choice.kind === 'jpp-stream' && choice.extended,
    ...(deps.maxPrecincts === undefined ? {} : { maxPrecincts: deps.maxPrecincts }),
    ...(metadata === undefined ? {} : { metadata }),
  });
  const headers = responseHeaders(request, {
    tid: ctx.tid,
    ...channel,
    view: plan.view,
    layers: plan.layers,
    components: plan.components,
    componentsChanged: plan.componentsChanged,
    streams: streams.streams,
    streamsChanged: streams.changed,
    ...(plan.suggestedLen === undefined ? {} : { suggestedLen: plan.suggestedLen }),
    quality: -1,
  });
  const readers = new Map([...loaded].map(([csn, l]) => [csn, l.reader] as const));
  return {
    mediaType: choice.kind === 'jpt-stream' ? 'image/jpt-stream' : 'image/jpp-stream',
    headers,
    length: planLength(plan), // planned before any byte is sent: the body is exactly this long
    body: emitResponse(plan, readers),
    cache: session === undefined ? undefined : cache,
  };
}

/** Metadata-bin 0 of the JP2 view: frame 1 as a JP2 file; its messages carry CSn 1 (15444-9 A.3.6). */
async function jp2Metadata(
  ctx: ResolvedRequest,
  deps: ResponseDeps,
  loaded: Map<number, Loaded>,
): Promise<{ bin: MetadataBin; csn: number }> {
  const row = ctx.frames[0];
  if (row === undefined) throw new NotFoundError('JPIP_NO_STREAM', 'no frame 1');
  const model = loaded.get(1)?.model ?? (await deps.frames.load(row)).model;
  return { bin: jp2MetadataBin(model.main, model.htj2k, 1, model.index.codestreamLength), csn: 1 };
}

/** type=raw: the first served frame as a JP2 (or JPH) file, streamed from the store. // C.7.3 */
function prepareRaw(
  ctx: ResolvedRequest,
  deps: ResponseDeps,
  loaded: Map<number, Loaded>,
  streamChanged: boolean,
): PreparedResponse {
  const [csn, frame] = [...loaded][0] ?? [];
  if (csn === undefined || frame === undefined) throw new NotFoundError('JPIP_NO_STREAM', 'no frame to send');
  const length = frame.model.index.codestreamLength;
  const wrapper = rawWrapper(frame.model.main, frame.model.htj2k, length);
  const headers = responseHeaders(ctx.request, {
    tid: ctx.tid,
    streams: [csn],
    streamsChanged: streamChanged,
    ...(ctx.newChannel === undefined ? {} : { newChannel: ctx.newChannel }),
  });
  const rest = (): AsyncIterable<Uint8Array> =>
    deps.blobs.stream(frame.row.framesKey, frame.row.offset + frame.row.codestreamOffset, length);
  return {
    mediaType: wrapper.mediaType,
    headers,
    length: wrapper.prefix.length + length,
    body: rawBody(wrapper.prefix, rest),
    cache: undefined,
  };
}
