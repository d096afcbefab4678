// The JPIP service (ISO/IEC 15444-9): takes a parsed request and the target named by its path,
// checks what Fovea implements (501-type UnsupportedError, D.1), resolves the target (SOP Instance
// UID; stream n = DICOM frame n, PS3.5 §8.4.1) and the session (Annex B: cid lookup, cnew over
// "http" only, C.3.3), holds the session's lock for the whole response, and returns plain data:
// headers, a body source and a finish callback. The cache model is saved only once the whole
// body was delivered (B.2). No HTTP here: the adapter in http/jpip.ts writes the response.

import { BadRequestError, NotFoundError } from '../errors';
import { targetId, type FrameModelCache } from '../frames';
import { assertImplemented, CacheModel, refusedPreferences, type JpipRequest, type NewChannel } from '../jpip';
import type { BlobStore, InstanceStore, JpipSessionRecord, JpipSessionStore } from '../store';
import { JpipPrefRefusedError } from './errors';
import { prepareResponse, type PreparedResponse, type ResolvedRequest, type ResponseDeps } from './response';
import { JpipSessions, type JpipSessionOptions } from './sessions';
import { parseTargetName } from './target-name';

export interface JpipServiceDeps {
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

/** A parsed request and the target its path names (already checked against a target= field). */
export interface JpipCall {
  request: JpipRequest;
  target: string | undefined;
  /** Principal.id of the caller (default "anonymous"): JPIP channels belong to whoever opened them. */
  owner?: string;
}

/** A successful response, as plain data. */
export interface JpipResponse {
  /** image/jpp-stream, image/jpt-stream, or for type=raw image/jp2 or image/jph. */
  mediaType: string;
  /** JPIP response headers (15444-9 D.2: JPIP-tid, JPIP-cnew, JPIP-fsiz ...). */
  headers: Record<string, string>;
  /**
   * Body length in bytes, known before any byte is sent (every response Fovea makes is planned
   * first); undefined only for a body whose size cannot be known in advance (none today).
   */
  length: number | undefined;
  /** True when the request belongs to a JPIP session (cid given or a channel granted, Annex B). */
  inSession: boolean;
  body: AsyncIterable<Uint8Array>;
  /**
   * Call exactly once when the body is over (also after a failure or an aborted transfer):
   * `delivered` = every byte went out. Only then is the session's cache model saved (B.2); any
   * cclose is applied and the session's lock released either way. Later calls do nothing.
   */
  finish(delivered: boolean): void;
}

export class JpipService {
  readonly sessions: JpipSessions;
  private readonly responseDeps: ResponseDeps;

  constructor(private readonly deps: JpipServiceDeps) {
    this.sessions = new JpipSessions(deps.sessions, deps.sessionOptions ?? {});
    this.responseDeps = {
      blobs: deps.blobs,
      frames: deps.frames,
      cacheModel: deps.maxModelEntries === undefined ? {} : { maxEntries: deps.maxModelEntries },
      ...(deps.maxPrecincts === undefined ? {} : { maxPrecincts: deps.maxPrecincts }),
    };
  }

  /** Answers one request. Throws typed errors (JpipPrefRefusedError carries JPIP-pref) before any byte is produced. */
  async respond(call: JpipCall): Promise<JpipResponse> {
    const { request, target } = call;
    const owner = call.owner ?? 'anonymous';
    assertImplemented(request);
    const refused = refusedPreferences(request);
    if (refused.length > 0) throw new JpipPrefRefusedError(refused);
    let session: JpipSessionRecord | undefined;
    if (request.cid !== undefined) {
      session = this.sessions.lookup(request.cid, owner);
      if (target !== undefined && target !== session.target)
        throw new BadRequestError('JPIP_TARGET_CONFLICT', 'cid belongs to another target', { context: 'target' });
    }
    const name = session?.target ?? target;
    if (name === undefined)
      throw new BadRequestError('JPIP_NO_TARGET', 'no target: give target=<SOP Instance UID> or /jpip/<uid>', {
        context: 'target',
      });
    const targetName = parseTargetName(name); // <uid> (raw codestreams) or <uid>.jp2 (JP2 view)
    const uid = targetName.sopInstanceUid;
    const rec = this.deps.store.getInstance(uid);
    if (rec === undefined) throw new NotFoundError('JPIP_UNKNOWN_TARGET', `no instance ${uid}`, { context: 'target' });
    if (rec.asReceivedReason !== null)
      throw new NotFoundError(
        'JPIP_TARGET_STORED_AS_RECEIVED',
        `instance ${uid} is kept as received in ${rec.storedTransferSyntaxUid} (Fovea cannot transcode it: ${rec.asReceivedReason}); it has no JPEG 2000 codestream to serve over JPIP`,
        { context: 'target' },
      );
    const frames = this.deps.store.listFrames(uid);
    if (frames.length === 0)
      throw new NotFoundError('JPIP_NO_CODESTREAM', `instance ${uid} has no JPEG 2000 frames`, { context: 'target' });
    const tid = targetId(name, frames); // the JP2 view is another logical target: another tid
    let newChannel: NewChannel | undefined;
    if (request.cnew?.includes('http') === true) {
      // C.3.3: grant only a transport the client offered; Fovea offers "http" (no http-tcp/udp).
      let cid: string;
      if (session !== undefined) cid = this.sessions.addChannel(session.sessionId, 'http');
      else ({ session, cid } = this.sessions.open(name, tid, new CacheModel().encode(), 'http', owner));
      newChannel = { cid, path: 'jpip', transport: 'http' };
    }
    const ctx: ResolvedRequest = { request, frames, tid, view: targetName.view, session, newChannel };
    if (session === undefined) return this.stateless(await prepareResponse(ctx, this.responseDeps));
    return this.withinSession(ctx, session.sessionId, owner);
  }

  private stateless(p: PreparedResponse): JpipResponse {
    return {
      mediaType: p.mediaType,
      headers: p.headers,
      length: p.length,
      inSession: false,
      body: p.body,
      finish: () => undefined,
    };
  }

  /** Holds the session's lock from before the cache model is read until finish() is called. */
  private async withinSession(ctx: ResolvedRequest, sessionId: string, owner: string): Promise<JpipResponse> {
    const release = await this.sessions.acquire(sessionId);
    const { request } = ctx;
    const closeChannels = (): void => {
      if (request.cclose !== undefined) this.sessions.close(sessionId, request.cclose);
    };
    let prepared: PreparedResponse;
    try {
      if (request.cid !== undefined) ctx.session = this.sessions.lookup(request.cid, owner); // the latest saved cache model
    } catch (e) {
      release();
      throw e;
    }
    try {
      prepared = await prepareResponse(ctx, this.responseDeps);
    } catch (e) {
      try {
        closeChannels();
      } finally {
        release();
      }
      throw e;
    }
    const cache = prepared.cache;
    let finished = false;
    return {
      mediaType: prepared.mediaType,
      headers: prepared.headers,
      length: prepared.length,
      inSession: true,
      body: prepared.body,
      finish: (delivered: boolean): void => {
        if (finished) return;
        finished = true;
        try {
          // The cache model counts bytes as delivered only when the whole response went out (B.2).
          if (delivered && cache !== undefined) this.sessions.save(sessionId, ctx.tid, cache.encode());
        } finally {
          try {
            closeChannels();
          } finally {
            release();
          }
        }
      },
    };
  }
}
