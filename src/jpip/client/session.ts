// A JPIP client session (ISO/IEC 15444-9 Annex B, C, D, F) without I/O: it builds each request
// URL, consumes response bodies chunk by chunk (split anywhere) into a ClientCache, tracks the
// target id (JPIP-tid) and channel (JPIP-cnew), and rebuilds codestreams. Stateful mode offers
// cnew=http once and then sends cid=; stateless mode sends tid + model= describing the cache
// (C.9.2) after the first response. Not supported: http-tcp, several channels, cclose/qid.

import { MalformedError, TruncatedError } from '../../bytes';
import { ClientCache, type ClientCacheOptions } from '../client-cache';
import { JpipStreamReader, type JpipStreamReaderOptions } from '../message-reader';
import type { EorReasonCode } from '../messages';
import {
  cachedMainHeader,
  cachedTileHeaders,
  rebuildFromCache,
  type RebuildOptions,
  type RebuiltCodestream,
} from './codestream';
import { clientGeometry, planDecode, type DecodePlan } from './decode-plan';
import { buildQuery, joinQuery, type JpipSessionFields, type JpipView } from './query';
import { parseServedHeaders, type HeaderLookup, type ServedChannel, type ServedHeaders } from './served-headers';

export interface JpipClientOptions {
  /** true: ask for a channel (cnew=http) and continue on its cid. */
  stateful?: boolean;
  /** Stateless: send model= with the cache contents on later requests (default true). */
  sendModel?: boolean;
  cache?: ClientCacheOptions;
  reader?: JpipStreamReaderOptions;
}

export const EOR_NAMES: Readonly<Record<EorReasonCode, string>> = {
  1: 'image done',
  2: 'window done',
  3: 'window change',
  4: 'byte limit',
  5: 'quality limit',
  6: 'session limit',
  7: 'response limit',
  255: 'non-specified',
};

export interface ResponseSummary {
  /** Body bytes received. */
  bytes: number;
  messages: number;
  /** Reason of the EOR that ended the response; null when the server sent none (opj_server stateless). */
  eor: EorReasonCode | null;
  served: ServedHeaders;
}

interface Pending {
  bytes: number;
  messages: number;
  eor: EorReasonCode | null;
  served: ServedHeaders;
}

export class JpipClientSession {
  private cacheValue: ClientCache;
  private readonly cacheOptions: ClientCacheOptions | undefined;
  private readonly reader: JpipStreamReader;
  private readonly stateful: boolean;
  private readonly sendModel: boolean;
  private tidValue: string | null = null;
  private channelValue: ServedChannel | null = null;
  private pending: Pending | null = null;
  private last: ResponseSummary | null = null;

  constructor(
    readonly baseUrl: string,
    options: JpipClientOptions = {},
  ) {
    this.cacheOptions = options.cache;
    this.cacheValue = new ClientCache(options.cache);
    this.reader = new JpipStreamReader(options.reader);
    this.stateful = options.stateful ?? false;
    this.sendModel = options.sendModel ?? true;
  }

  /** The data-bin cache (replaced when the server reports a different target id). */
  get cache(): ClientCache {
    return this.cacheValue;
  }

  get tid(): string | null {
    return this.tidValue;
  }

  get channel(): ServedChannel | null {
    return this.channelValue;
  }

  get lastResponse(): ResponseSummary | null {
    return this.last;
  }

  /** Session fields for the next request. */
  sessionFields(): JpipSessionFields {
    if (this.channelValue !== null) return { cid: this.channelValue.cid };
    const out: JpipSessionFields = {};
    if (this.stateful) out.cnew = ['http'];
    if (
      !this.stateful &&
      this.sendModel &&
      this.tidValue !== null &&
      this.tidValue !== '0' &&
      this.cache.totalBytes > 0
    ) {
      out.tid = this.tidValue;
      out.model = this.cache.modelString();
    }
    return out;
  }

  /** Query string of the next request for `view`. */
  query(view: JpipView): string {
    return buildQuery(view, this.sessionFields());
  }

  /**
   * Full URL of the next request. On a channel, JPIP-cnew's host/port/path replace the base URL's
   * (the base URL's own query, e.g. target=, is then not repeated, F.2); otherwise the query is
   * joined to the base URL.
   */
  url(view: JpipView): string {
    const ch = this.channelValue;
    if (ch === null || (ch.path === null && ch.host === null && ch.port === null))
      return joinQuery(this.baseUrl, this.query(view));
    const base = new URL(this.baseUrl);
    if (ch.host !== null) base.hostname = ch.host;
    if (ch.port !== null) base.port = String(ch.port);
    if (ch.path !== null) {
      base.pathname = `/${ch.path.replace(/^\/+/, '')}`;
      base.search = '';
    }
    base.hash = '';
    return joinQuery(base.toString(), this.query(view));
  }

  /**
   * Starts a response: HTTP status and headers. A non-2xx status is a protocol error for the
   * caller to report; JPIP-tid changes drop the cache (B.2: bins belong to one target).
   */
  beginResponse(status: number, headers: HeaderLookup): ServedHeaders {
    if (status < 200 || status > 299) {
      throw new MalformedError('JPIP_CLIENT_HTTP_STATUS', `server answered HTTP ${status}${reasonOf(headers)}`, {
        context: 'status',
      });
    }
    const served = parseServedHeaders(headers);
    if (served.contentType !== null && served.streamType === null) {
      throw new MalformedError(
        'JPIP_CLIENT_CONTENT_TYPE',
        `unexpected Content-Type '${served.contentType}' (want image/jpp-stream or image/jpt-stream)`,
        { context: 'Content-Type' },
      );
    }
    if (served.tid !== null && served.tid !== '0') {
      if (this.tidValue !== null && this.tidValue !== served.tid) this.resetCache();
      this.tidValue = served.tid;
    }
    if (served.channel !== null) {
      if (served.channel.transport !== null && served.channel.transport !== 'http') {
        throw new MalformedError(
          'JPIP_CLIENT_BAD_TRANSPORT',
          `server granted transport '${served.channel.transport}', only http was offered`,
          { context: 'JPIP-cnew' },
        );
      }
      this.channelValue = served.channel;
    }
    this.reader.reset(); // each response starts with a fully specified header (A.2.2)
    this.pending = { bytes: 0, messages: 0, eor: null, served };
    return served;
  }

  /** Feeds a piece of the response body (any split). */
  push(chunk: Uint8Array): void {
    const p = this.pendingOrThrow();
    p.bytes += chunk.length;
    for (const e of this.reader.push(chunk)) {
      if (e.kind === 'eor') {
        p.eor = e.reason;
        continue;
      }
      if (p.eor !== null)
        throw new MalformedError('JPIP_CLIENT_AFTER_EOR', 'message after the EOR of a response', { context: 'EOR' });
      this.cache.add(e.message);
      p.messages++;
    }
  }

  /** Ends the response; TruncatedError if the body stopped inside a message. */
  endResponse(): ResponseSummary {
    const p = this.pendingOrThrow();
    this.pending = null;
    this.reader.end();
    if (p.eor === 6) this.channelValue = null; // session limit: the cid must not be used again (D.3)
    this.last = { bytes: p.bytes, messages: p.messages, eor: p.eor, served: p.served };
    return this.last;
  }

  /** Codestream ids with a main header in the cache. */
  codestreams(): number[] {
    return this.cache.list(undefined, 6).map((b) => b.csn);
  }

  /** Resolution and region to decode for `view` on codestream `csn`. */
  plan(csn: number, view: JpipView, served: ServedHeaders | null = this.last?.served ?? null): DecodePlan {
    const { main } = cachedMainHeader(this.cache, csn);
    return planDecode(clientGeometry(main, cachedTileHeaders(this.cache, csn, [])), view, served);
  }

  rebuild(csn: number, options: RebuildOptions = {}): RebuiltCodestream {
    return rebuildFromCache(this.cache, csn, options);
  }

  private resetCache(): void {
    this.cacheValue = new ClientCache(this.cacheOptions);
  }

  private pendingOrThrow(): Pending {
    if (this.pending === null)
      throw new TruncatedError('JPIP_CLIENT_NO_RESPONSE', 'no response started (call beginResponse first)');
    return this.pending;
  }
}

function reasonOf(get: HeaderLookup): string {
  const r = get('Reason'); // opj_server's non-standard header
  return r === null ? '' : `: ${r.slice(0, 200)}`;
}
