// The SCU side of C-MOVE (PS3.4 C.4.2.3): Fovea opens an association to the move destination and
// proposes, per SOP class of the instances to move, the stored syntax and the uncompressed ones
// (PS3.7 D.3.3.2 presentation contexts). dcmjs-dimse does not export its Network class and its
// Client proposes contexts from requests that must all exist before connecting, so the connection
// is a Scp instance driven as requester (sendAssociationRequest / sendRequests / release).

import * as net from 'node:net';
import type { Socket } from 'node:net';
import * as tls from 'node:tls';
import { EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN } from '../dicom';
import { UnavailableError } from '../errors';
import { dimseLibrary, Scp, type DimseAssociation } from './dcmjs-dimse';
import type { StoreChannel } from './sub-operations';
import { clientConnectOptions, type TlsClientOptions } from './tls';

export type { TlsClientOptions } from './tls';

export interface Peer {
  aeTitle: string;
  host: string;
  port: number;
  /** Connect with DICOM TLS (PS3.15 B.9, see tls.ts), with the listener's key and certificate. */
  tls?: boolean | undefined;
  tlsOptions?: TlsClientOptions | undefined;
}

export interface OpenedStoreAssociation extends StoreChannel {
  release(): Promise<void>;
  abort(): void;
}

/** PS3.8 9.3.2: presentation context IDs are odd numbers 1..255, so at most 128 contexts. */
const MAX_CONTEXTS = 128;

class ScuConnection extends Scp {
  private readonly tcp: Socket;
  constructor(socket: Socket, timeoutMs: number) {
    super(socket, { connectTimeout: timeoutMs, associationTimeout: timeoutMs, pduTimeout: timeoutMs });
    this.tcp = socket;
  }
  /** A-ABORT from the peer: drop the connection (PS3.8 7.3.3.2). */
  override abort(): void {
    this.tcp.destroy();
  }
}

/** Opens an association to `peer` proposing `syntaxesBySopClass`; rejects on reject, refusal or timeout. */
export async function openStoreAssociation(
  peer: Peer,
  callingAeTitle: string,
  syntaxesBySopClass: ReadonlyMap<string, readonly string[]>,
  timeoutMs: number,
): Promise<OpenedStoreAssociation> {
  const association: DimseAssociation = new dimseLibrary.association.Association(callingAeTitle, peer.aeTitle);
  let contexts = 0;
  for (const [sopClass, syntaxes] of syntaxesBySopClass) {
    const uncompressed: readonly string[] = [EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN];
    for (const ts of syntaxes.filter((t) => !uncompressed.includes(t))) {
      if (contexts >= MAX_CONTEXTS) break;
      const id = association.addPresentationContext(sopClass);
      association.addTransferSyntaxToPresentationContext(id, ts);
      contexts += 1;
    }
    if (contexts >= MAX_CONTEXTS) break;
    const id = association.addPresentationContext(sopClass);
    for (const ts of uncompressed) association.addTransferSyntaxToPresentationContext(id, ts);
    contexts += 1;
  }

  const fail = (code: string, message: string): UnavailableError =>
    new UnavailableError(code, message, { context: `${peer.aeTitle}@${peer.host}:${peer.port}` });
  if (peer.tls === true && peer.tlsOptions === undefined) throw fail('DIMSE_PEER_TLS', 'no DICOM TLS key/certificate');
  const socket =
    peer.tls === true && peer.tlsOptions !== undefined
      ? tls.connect(clientConnectOptions(peer.tlsOptions, peer.host, peer.port))
      : net.connect({ host: peer.host, port: peer.port });
  const connection = new ScuConnection(socket, timeoutMs);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(fail('DIMSE_PEER_TIMEOUT', 'move destination did not answer in time'));
    }, timeoutMs);
    const done = (err?: Error): void => {
      clearTimeout(timer);
      if (err !== undefined) {
        socket.destroy();
        reject(err);
      } else resolve();
    };
    // A TLS socket is usable after the handshake (peer certificate verified), not at TCP connect.
    socket.once(peer.tls === true ? 'secureConnect' : 'connect', () => connection.sendAssociationRequest(association));
    connection.once('associationAccepted', () => done());
    connection.once('associationRejected', () =>
      done(fail('DIMSE_PEER_REJECTED', 'move destination rejected the association')),
    );
    connection.once('networkError', (e: unknown) =>
      done(fail('DIMSE_PEER_UNREACHABLE', e instanceof Error ? e.message : 'network error')),
    );
    void closed.then(() => done(fail('DIMSE_PEER_CLOSED', 'move destination closed the connection')));
  });

  return {
    // The library reads the A-ASSOCIATE-AC into the same Association object (accepted syntaxes).
    association,
    sendRequests: (request) => connection.sendRequests(request),
    closed,
    release: async () => {
      const timer = setTimeout(() => socket.destroy(), timeoutMs);
      connection.once('associationReleaseResponse', () => socket.end());
      connection.sendAssociationReleaseRequest();
      await closed;
      clearTimeout(timer);
    },
    abort: () => {
      connection.sendAbort();
      socket.destroy();
    },
  };
}
