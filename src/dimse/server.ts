// The DIMSE listener: a node:net server (node:tls under DICOM TLS, see tls.ts) bound to the
// configured host and port (dcmjs-dimse's own Server, TLS-capable too, binds every interface and
// cannot report an ephemeral port), one FoveaScp per connection, a PDU framing guard in front of
// the library, the ARTIM and idle timers and the orderly close (connection.ts), caps on concurrent
// TCP connections, global and per address (connection-slots.ts), the acceptance policy (access.ts),
// and a close that ends every association. Temporary files of received data sets live in `tmpDir`.

import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { BadRequestError } from '../errors';
import type { Ingestor } from '../ingest';
import type { Logger } from '../log';
import type { InstanceStore } from '../store';
import type { RetrieveService } from '../retrieve';
import { AeAccessList, type AeGrants } from './access';
import { abortPdu } from './pdu-guard';
import {
  closeOrderly,
  isClosing,
  refuseOverLimit,
  startArtim,
  watchAssociation,
  type ConnectionTimers,
} from './connection';
import { ConnectionSlots, slotAddress } from './connection-slots';
import type { AuditSink } from '../audit';
import { FoveaScp, type ScpContext } from './scp';
import type { Peer } from './store-scu';
import { loadTls, refusedClient, type DimseTlsFiles } from './tls';

export interface DimseDeps {
  ingestor: Ingestor;
  store: InstanceStore;
  retrieve: RetrieveService;
  logger: Logger;
  /** Called AE title of this SCP (PS3.8 §7.1.1.4); associations to another title are rejected. */
  aeTitle: string;
  /** TCP port; 0 picks a free port (the bound one is returned). */
  port: number;
  host: string;
  /** Calling AEs that may associate, optionally bound to an address or network (PS3.8 9.3.4). */
  acceptedCallingAeTitles: AeGrants;
  /** Of the accepted ones, those whose C-STORE is served (default 'any' = all accepted). */
  storeAeTitles?: AeGrants | undefined;
  /** Of the accepted ones, those whose C-FIND/C-MOVE/C-GET is served (default 'any'). */
  queryAeTitles?: AeGrants | undefined;
  /** DICOM TLS only on this port (PS3.15 B.9); the CA makes client certificates mandatory. */
  tls?: DimseTlsFiles | null | undefined;
  /** Known C-MOVE destinations. */
  peers: Peer[];
  /** Folder for received data sets in flight (default: a fresh folder under the OS temp dir). */
  tmpDir?: string;
  /** Largest data set accepted by C-STORE (default 2 GiB); larger ones get 0xA700. */
  maxObjectBytes?: number;
  /** Sub-operation response timeout and outgoing association timeouts (default 60 s). */
  timeoutMs?: number;
  /** ARTIM (PS3.8 §9.1.5): TCP accept to A-ASSOCIATE-RQ (TLS handshake included), close linger (default 10 s). */
  artimMs?: number | undefined;
  /** An association with no traffic either way for this long is aborted (default 60 s). */
  idleMs?: number | undefined;
  /** Concurrent TCP connections, associated or not (default 32); more get A-ASSOCIATE-RJ local-limit-exceeded. */
  maxAssociations?: number | undefined;
  /** Of those, from one remote address (default 8). */
  maxAssociationsPerAddress?: number | undefined;
  /** Most C-FIND matches returned, and most studies/series/images a C-MOVE/C-GET resolves (default 10000). */
  maxFindResults?: number;
  /** The audit trail (docs/security.md): a record per C-STORE, C-FIND, C-MOVE, C-GET. */
  audit?: AuditSink;
}

export interface RunningDimse {
  port: number;
  close(): Promise<void>;
}

const AE_TITLE = /^[\x20-\x5b\x5d-\x7e]{1,16}$/; // PS3.5 Table 6.2-1 AE: 16 chars, no backslash or controls
/** Largest incoming PDU accepted (the library negotiates its own receive length, which is smaller). */
const MAX_INCOMING_PDU = 1 << 20;

export async function startDimse(deps: DimseDeps): Promise<RunningDimse> {
  for (const p of deps.peers)
    if (p.tls === true && (deps.tls ?? null) === null)
      throw new BadRequestError('CONFIG_DIMSE_TLS', `peer ${p.aeTitle} uses TLS but no key/certificate is set`);
  for (const title of [deps.aeTitle, ...deps.peers.map((p) => p.aeTitle)]) {
    if (!AE_TITLE.test(title) || title.trim() === '')
      throw new BadRequestError('DIMSE_BAD_AE_TITLE', `invalid AE title "${title}"`, { context: title });
  }
  const artimMs = deps.artimMs ?? 10_000;
  // The handshake is part of what must happen within ARTIM.
  const secure = deps.tls === undefined || deps.tls === null ? null : loadTls(deps.tls, artimMs);
  const ownTmp = deps.tmpDir === undefined;
  const tmpDir = deps.tmpDir ?? (await fs.promises.mkdtemp(path.join(os.tmpdir(), 'fovea-dimse-')));
  await fs.promises.mkdir(tmpDir, { recursive: true });
  const ctx: ScpContext = {
    ingestor: deps.ingestor,
    store: deps.store,
    retrieve: deps.retrieve,
    logger: deps.logger,
    aeTitle: deps.aeTitle.trim(),
    access: {
      calling: new AeAccessList(deps.acceptedCallingAeTitles),
      store: new AeAccessList(deps.storeAeTitles ?? 'any'),
      query: new AeAccessList(deps.queryAeTitles ?? 'any'),
    },
    peers: deps.peers.map((p) => ({
      ...p,
      aeTitle: p.aeTitle.trim(),
      tlsOptions: p.tls === true ? secure?.client : undefined,
    })),
    tmpDir,
    maxObjectBytes: deps.maxObjectBytes ?? 2 * 1024 ** 3,
    maxFindResults: deps.maxFindResults ?? 10_000,
    timeoutMs: deps.timeoutMs ?? 60_000,
    idleMs: deps.idleMs ?? 60_000,
    artimMs,
    ...(deps.audit === undefined ? {} : { audit: deps.audit }),
  };
  const maxAssociations = deps.maxAssociations ?? 32;
  const slots = new ConnectionSlots(maxAssociations, deps.maxAssociationsPerAddress ?? 8);
  const timers: ConnectionTimers = { artimMs, idleMs: deps.idleMs ?? 60_000, maxPduBytes: MAX_INCOMING_PDU };
  const sockets = new Set<net.Socket>();
  const refusing = new Set<net.Socket>();
  // Under TLS the association runs on the TLSSocket; its TCP connection's ARTIM is found by address:port.
  const artimOf = new Map<string, { clear(): void }>();
  const key = (s: net.Socket): string => `${s.remoteAddress ?? ''}|${s.remotePort ?? 0}`;

  const startAssociation = (socket: net.Socket, artim: { clear(): void }): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    watchAssociation(socket, timers, deps.logger, artim); // before the library's listeners
    const scp = new FoveaScp(socket, ctx);
    // dcmjs-dimse 'connected' is set by the socket 'connect' event, which a server socket never emits.
    Object.assign(scp, { connected: true, connectedTime: Date.now() });
    // Socket errors and timeouts are handled in watchAssociation; what is left is a PDU or DIMSE
    // message the library cannot read: A-ABORT invalid-PDU-parameter value (PS3.8 §9.2 AA-8), close.
    scp.on('networkError', (err: unknown) => {
      if (isClosing(socket)) return;
      deps.logger.warn('dimse.protocol_violation', { remote: socket.remoteAddress, error: err });
      closeOrderly(socket, artimMs, abortPdu(6));
    });
  };

  // Every accepted TCP connection takes a slot at once (before TLS or A-ASSOCIATE-RQ) and starts ARTIM.
  const onTcpConnection = (raw: net.Socket): void => {
    const remote = slotAddress(raw.remoteAddress);
    const artim = startArtim(raw, artimMs, deps.logger, remote);
    const refusal = slots.acquire(remote);
    if (refusal !== null) {
      deps.logger.warn('dimse.association_limit', { remote, limit: refusal, inUse: slots.inUse });
      // Under TLS no PDU can be sent before the handshake; and refusals are bounded too.
      if (secure !== null || refusing.size >= maxAssociations) {
        raw.destroy();
        return;
      }
      refusing.add(raw);
      raw.once('close', () => refusing.delete(raw));
      refuseOverLimit(raw, timers, artim);
      return;
    }
    raw.once('close', () => slots.release(remote));
    if (secure === null) return startAssociation(raw, artim);
    const k = key(raw);
    artimOf.set(k, artim);
    raw.once('close', () => artimOf.delete(k));
  };
  const onSecureConnection = (socket: tls.TLSSocket): void => {
    const artim = artimOf.get(key(socket));
    const refused = secure === null ? null : refusedClient(socket, secure.mutual);
    if (artim === undefined || refused !== null) {
      deps.logger.warn('dimse.tls_refused', { remote: socket.remoteAddress, reason: refused ?? 'connection gone' });
      socket.destroy();
      return;
    }
    startAssociation(socket, artim);
  };
  // Under TLS the handler runs after a completed handshake; plain TCP or a bad certificate never reaches it.
  const server = secure === null ? net.createServer() : tls.createServer(secure.server, onSecureConnection);
  if (secure !== null)
    server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: tls.TLSSocket) =>
      deps.logger.warn('dimse.tls_refused', { remote: socket.remoteAddress, reason: err.code ?? err.message }),
    );
  // Slots + bounded refusals; beyond that the kernel-accepted connection is closed by Node at once.
  server.maxConnections = maxAssociations * 2;
  // Every TCP connection, TLS handshakes in progress included, so that close() ends them all.
  const connections = new Set<net.Socket>();
  server.on('connection', (raw: net.Socket) => {
    connections.add(raw);
    raw.once('close', () => connections.delete(raw));
    onTcpConnection(raw);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => deps.logger.error('dimse.server_error', { error: err }));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : deps.port;
  deps.logger.info('dimse.listening', {
    host: deps.host,
    port,
    aeTitle: ctx.aeTitle,
    tls: secure === null ? 'off' : secure.mutual ? 'mutual' : 'server-only',
  });
  return {
    port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of [...sockets, ...connections]) s.destroy();
      await closed;
      if (ownTmp) await fs.promises.rm(tmpDir, { recursive: true, force: true });
    },
  };
}
