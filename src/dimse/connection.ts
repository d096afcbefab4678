// The transport side of one DIMSE connection (PS3.8 §9.1 state machine, the parts dcmjs-dimse
// leaves out): the ARTIM timer of an accepted TCP connection that has not sent its A-ASSOCIATE-RQ
// (§9.1.5, Sta2), the idle timer of an association, the PDU framing guard (pdu-guard.ts), and the
// orderly close after A-ASSOCIATE-RJ, A-RELEASE-RP or A-ABORT: the socket is half-closed, whatever
// the peer still sends is ignored (Sta13) and it is destroyed when the peer closes or ARTIM expires.
// Also the refusal of a connection over the association limits (A-ASSOCIATE-RJ local-limit-exceeded).

import type { Socket } from 'node:net';
import type { Logger } from '../log';
import { abortPdu, localLimitRejectPdu, PduGuard, PDU_ABORT, PDU_ASSOCIATE_RQ } from './pdu-guard';

export interface ConnectionTimers {
  /** ARTIM (PS3.8 §9.1.5): from TCP accept to a complete A-ASSOCIATE-RQ, and the close linger. */
  artimMs: number;
  /** An association with no traffic either way for this long is aborted. */
  idleMs: number;
  /** Largest incoming PDU accepted. */
  maxPduBytes: number;
}

const closing = new WeakSet<Socket>();

/** True once the socket is being closed by us (later errors of the library are then noise). */
export function isClosing(socket: Socket): boolean {
  return closing.has(socket) || socket.destroyed;
}

/** Half-closes the socket, ignores further input (PS3.8 Sta13) and destroys it when the peer closes
 *  or after `lingerMs`. Any PDU to send last (A-ABORT) is written first. */
export function closeOrderly(socket: Socket, lingerMs: number, last?: Uint8Array): void {
  if (isClosing(socket)) return;
  closing.add(socket);
  socket.removeAllListeners('data'); // nothing more reaches dcmjs-dimse
  socket.on('data', () => undefined);
  socket.resume();
  if (last !== undefined) socket.write(last);
  socket.end();
  const timer = setTimeout(() => socket.destroy(), lingerMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/** Starts ARTIM on an accepted TCP connection (before any TLS handshake): unless `clear()` is
 *  called (A-ASSOCIATE-RQ received) within `artimMs`, the connection is closed (no PDU, §9.2 AA-2). */
export function startArtim(raw: Socket, artimMs: number, logger: Logger, remote: string): { clear(): void } {
  const timer = setTimeout(() => {
    logger.warn('dimse.artim_expired', { remote, seconds: artimMs / 1000 });
    raw.destroy();
  }, artimMs);
  timer.unref();
  raw.once('close', () => clearTimeout(timer));
  return { clear: () => clearTimeout(timer) };
}

/**
 * Watches the socket an association runs on, before dcmjs-dimse gets it (its listeners come later,
 * so a bad PDU header is caught before the library buffers it): framing violations abort (A-ABORT
 * service-provider, unrecognized PDU); a first PDU other than A-ASSOCIATE-RQ aborts (§9.2 Sta2
 * AA-1); the first complete A-ASSOCIATE-RQ stops ARTIM; no traffic for `idleMs` aborts.
 */
export function watchAssociation(
  socket: Socket,
  timers: ConnectionTimers,
  logger: Logger,
  artim: { clear(): void },
): void {
  const remote = socket.remoteAddress;
  const guard = new PduGuard(timers.maxPduBytes);
  let requested = false;
  socket.on('data', (chunk: Buffer) => {
    if (isClosing(socket)) return;
    let types: number[];
    try {
      types = guard.feed(chunk);
    } catch (err) {
      logger.warn('dimse.protocol_violation', { remote, error: err });
      const code = (err as { code?: unknown }).code;
      const framing = code === 'DIMSE_UNKNOWN_PDU' || code === 'DIMSE_PDU_TOO_LONG';
      // Table 9-26: 1 = unrecognized PDU; 6 = invalid PDU parameter value (PDV item, command set).
      closeOrderly(socket, timers.artimMs, abortPdu(framing ? 1 : 6));
      return;
    }
    const first = types[0];
    if (requested || first === undefined) return;
    if (first === PDU_ASSOCIATE_RQ) {
      requested = true;
      artim.clear();
    } else if (first === PDU_ABORT) {
      socket.destroy();
    } else {
      logger.warn('dimse.protocol_violation', { remote, error: `PDU type ${first} before A-ASSOCIATE-RQ` });
      closeOrderly(socket, timers.artimMs, abortPdu(2, 0));
    }
  });
  socket.setTimeout(timers.idleMs);
  socket.on('timeout', () => {
    if (isClosing(socket)) return;
    logger.warn('dimse.idle_timeout', { remote, seconds: timers.idleMs / 1000 });
    closeOrderly(socket, timers.artimMs, abortPdu(0));
  });
  socket.on('error', (err: NodeJS.ErrnoException) => {
    if (!isClosing(socket)) logger.warn('dimse.network_error', { remote, error: err.code ?? err.message });
    closing.add(socket);
    socket.destroy();
  });
}

/**
 * A plain-TCP connection over the association limits: its A-ASSOCIATE-RQ is read (within ARTIM)
 * and answered with A-ASSOCIATE-RJ rejected-transient / service-provider (presentation) /
 * local-limit-exceeded, then the connection is closed orderly. Anything else is closed at once.
 */
export function refuseOverLimit(raw: Socket, timers: ConnectionTimers, artim: { clear(): void }): void {
  const guard = new PduGuard(timers.maxPduBytes);
  raw.on('data', (chunk: Buffer) => {
    if (isClosing(raw)) return;
    let first: number | undefined;
    try {
      first = guard.feed(chunk)[0];
    } catch {
      raw.destroy();
      return;
    }
    if (first === undefined) return;
    artim.clear();
    if (first === PDU_ASSOCIATE_RQ) closeOrderly(raw, timers.artimMs, localLimitRejectPdu());
    else raw.destroy();
  });
  raw.on('error', () => raw.destroy());
}
