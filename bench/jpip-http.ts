// JPIP over HTTP for the benchmark (15444-9 Annex F, loopback only): a keep-alive client that
// sends the query string as given (raw ',' and '[]': opj_server does no %-decoding), and a load
// runner that keeps N requests in flight until a request count or a time budget runs out.

import * as http from 'node:http';

export interface JpipReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Body bytes (HTTP framing and headers excluded). */
  bytes: number;
  body: Buffer | null;
}

export class JpipClient {
  private readonly agent: http.Agent;

  /**
   * `port` on 127.0.0.1; `target` is the value of target= for stateless and cnew requests.
   * `closeWithCid`: send cclose with cid= (Fovea needs the channel; opj_server 2.5 crashes on it).
   */
  constructor(
    readonly name: string,
    private readonly port: number,
    readonly target: string,
    private readonly closeWithCid: boolean,
    sockets = 8,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  get(query: string, keepBody = false): Promise<JpipReply> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: this.port, path: `/jpip?${query}`, method: 'GET', agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          let bytes = 0;
          res.on('data', (c: Buffer) => {
            bytes += c.length;
            if (keepBody) chunks.push(c);
          });
          res.once('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              bytes,
              body: keepBody ? Buffer.concat(chunks) : null,
            }),
          );
          res.once('error', reject);
        },
      );
      req.once('error', reject);
      req.end();
    });
  }

  /** A stateless request for the view (`view` holds fsiz/roff/rsiz/layers fields). */
  stateless(view: string, keepBody = false): Promise<JpipReply> {
    return this.get(`target=${this.target}&${view}&type=jpp-stream`, keepBody);
  }

  /** Opens a channel with a first view (cnew=http); returns the reply and the channel id. */
  async open(view: string, keepBody = false): Promise<{ reply: JpipReply; cid: string }> {
    const reply = await this.get(`target=${this.target}&${view}&type=jpp-stream&cnew=http`, keepBody);
    const cnew = reply.headers['jpip-cnew'];
    const cid = /cid=([^,\s]+)/.exec(typeof cnew === 'string' ? cnew : '')?.[1];
    if (reply.status !== 200 || cid === undefined)
      throw new Error(`${this.name}: cnew=http gave status ${reply.status} and no JPIP-cnew cid`);
    return { reply, cid };
  }

  onChannel(cid: string, view: string, keepBody = false): Promise<JpipReply> {
    return this.get(`cid=${cid}&${view}&type=jpp-stream`, keepBody);
  }

  async close(cid: string): Promise<void> {
    await this.get(this.closeWithCid ? `cid=${cid}&cclose=${cid}` : `cclose=${cid}`);
  }

  destroy(): void {
    this.agent.destroy();
  }
}

export interface LoadLimits {
  concurrency: number;
  maxRequests: number;
  maxMs: number;
}

export interface LoadResult {
  requests: number;
  failures: number;
  seconds: number;
  perSecond: number;
  bytes: number;
  firstFailure: string | null;
}

/**
 * Runs `send(i, worker)` with `concurrency` requests in flight until `maxRequests` were started or
 * `maxMs` elapsed (the requests in flight then finish). Non-200 answers count as failures.
 */
export async function runLoad(
  limits: LoadLimits,
  send: (i: number, worker: number) => Promise<JpipReply>,
): Promise<LoadResult> {
  let next = 0;
  let failures = 0;
  let bytes = 0;
  let firstFailure: string | null = null;
  const start = performance.now();
  const worker = async (w: number): Promise<void> => {
    while (next < limits.maxRequests && performance.now() - start < limits.maxMs) {
      const i = next++;
      try {
        const r = await send(i, w);
        bytes += r.bytes;
        if (r.status !== 200) {
          failures++;
          firstFailure ??= `status ${r.status}`;
        }
      } catch (e) {
        failures++;
        firstFailure ??= e instanceof Error ? e.message : String(e);
      }
    }
  };
  await Promise.all(Array.from({ length: limits.concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - start) / 1000;
  return { requests: next, failures, seconds, perSecond: (next - failures) / seconds, bytes, firstFailure };
}
