// One association handled as SCP (PS3.7 / PS3.8): A-ASSOCIATE negotiation (called/calling AE
// titles, SOP classes, transfer syntaxes, SCP/SCU role selection for C-GET), C-ECHO, C-STORE
// through the ingest pipeline (SUCCESS only after the commit), C-FIND, C-MOVE and C-GET.
// The bytes of a received data set go to a temporary Part 10 file; nothing is ingested unless the
// whole data set arrived, so a dropped association leaves the store unchanged.

import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { EXPLICIT_VR_LITTLE_ENDIAN, IMPLICIT_VR_LITTLE_ENDIAN } from '../dicom';
import type { Ingestor } from '../ingest';
import type { Logger } from '../log';
import type { InstanceStore } from '../store';
import type { RetrieveService } from '../retrieve';
import {
  CEchoResponse,
  CFindResponse,
  CGetResponse,
  CMoveResponse,
  CStoreResponse,
  Dataset,
  PresentationContextResult,
  RejectReason,
  RejectResult,
  RejectSource,
  Scp,
  type DimseAssociation,
  type DimseCEchoRequest,
  type DimseCFindRequest,
  type DimseCGetRequest,
  type DimseCMoveRequest,
  type DimseCStoreRequest,
  type DimsePresentationContext,
} from './dcmjs-dimse';
import { closeOrderly } from './connection';
import { rightsOf, type AssociationRights, type DimseAccessPolicy } from './access';
import * as audit from './audit-events';
import { identifierToQuery, matchToIdentifier, type Naturalized } from './identifier';
import { instancesFor, runQuery } from './find-matches';
import { ReceivedObject } from './received-object';
import { storeReceived } from './store-received';
import { negotiateContext } from './sop-classes';
import { DimseStatus, queryFailureStatusFor, retrieveFinalStatus } from './status';
import { openStoreAssociation, type Peer } from './store-scu';
import { runSubOperations, type StoreChannel, type SubOperationCounts } from './sub-operations';

export interface ScpContext {
  ingestor: Ingestor;
  store: InstanceStore;
  retrieve: RetrieveService;
  logger: Logger;
  aeTitle: string;
  access: DimseAccessPolicy;
  peers: readonly Peer[];
  tmpDir: string;
  maxObjectBytes: number;
  maxFindResults: number;
  timeoutMs: number;
  /** No traffic either way for this long aborts the association (connection.ts). */
  idleMs: number;
  /** ARTIM: how long a closing association waits for the peer to close the connection. */
  artimMs: number;
  audit?: audit.AuditSink; // one record per C-STORE, C-FIND, C-MOVE, C-GET (audit-events.ts)
}

const LIBRARY_TIMER_OFF = 2 ** 31 - 1;

type MessageCallback<R> = (responses: R[]) => void;
type RetrieveRequest = DimseCMoveRequest | DimseCGetRequest;

export class FoveaScp extends Scp {
  private readonly tcp: Socket;
  private readonly ctx: ScpContext;
  private readonly receivers = new Map<DimseCStoreRequest, ReceivedObject>();
  private readonly cancelled = new Set<number>();
  private association: DimseAssociation | undefined;
  private rights: AssociationRights = { store: false, query: false };
  private readonly closed: Promise<void>;
  private readonly peerName: string;

  constructor(socket: Socket, ctx: ScpContext) {
    // The library's socket timeout is the idle timer (handled first by connection.ts); its own
    // association/PDU timers are off: ARTIM and idle are connection.ts's, and a peer that waits
    // silently for a long C-MOVE is not idle while Pending responses go out.
    super(socket, { connectTimeout: ctx.idleMs, associationTimeout: LIBRARY_TIMER_OFF, pduTimeout: LIBRARY_TIMER_OFF });
    this.tcp = socket;
    this.ctx = ctx;
    this.peerName = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => this.discardPartialReceives());
  }

  // PS3.8 7.1.1 / PS3.7 D.3.3: AE titles, then each presentation context on its own.
  override associationRequested(association: DimseAssociation): void {
    this.association = association;
    const called = association.getCalledAeTitle().trim();
    const calling = association.getCallingAeTitle().trim();
    const log = { peer: this.peerName, calling, called };
    if (called !== this.ctx.aeTitle) {
      this.ctx.logger.warn('dimse.association_rejected', { ...log, reason: 'called AE title not recognized' });
      this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeNotRecognized);
      closeOrderly(this.tcp, this.ctx.artimMs); // PS3.8 §9.2 AE-8: ARTIM, then close (Sta13)
      return;
    }
    // PS3.8 9.3.4: an unlisted AE title, or a listed one from another address (access.ts).
    if (!this.ctx.access.calling.allows(calling, this.tcp.remoteAddress)) {
      this.ctx.logger.warn('dimse.association_rejected', { ...log, reason: 'calling AE title not recognized' });
      this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CallingAeNotRecognized);
      closeOrderly(this.tcp, this.ctx.artimMs);
      return;
    }
    this.rights = rightsOf(this.ctx.access, calling, this.tcp.remoteAddress);
    let accepted = 0;
    for (const { context } of association.getPresentationContexts()) {
      const decision = negotiateContext(context.getAbstractSyntaxUid(), context.getTransferSyntaxUids());
      if (decision === 'abstract') context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
      else if (decision === 'transfer') context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      else context.setResult(PresentationContextResult.Accept, decision.accept);
      if (typeof decision === 'object') accepted += 1;
    }
    this.ctx.logger.info('dimse.association_accepted', { ...log, contexts: accepted, ...this.rights });
    this.sendAssociationAccept();
  }

  override associationReleaseRequested(): void {
    this.sendAssociationReleaseResponse();
    closeOrderly(this.tcp, this.ctx.artimMs); // PS3.8 §9.2 AR-4: ARTIM, the requestor closes
  }

  override abort(): void {
    this.ctx.logger.warn('dimse.association_aborted_by_peer', { peer: this.peerName });
    this.tcp.destroy();
  }

  override cEchoRequest(
    request: DimseCEchoRequest,
    callback: (response: InstanceType<typeof CEchoResponse>) => void,
  ): void {
    const response = CEchoResponse.fromRequest(request);
    response.setStatus(DimseStatus.Success);
    callback(response);
  }

  override cCancelRequest(request: { getMessageIdBeingRespondedTo(): number }): void {
    this.cancelled.add(request.getMessageIdBeingRespondedTo());
  }

  // C-STORE data set → temporary Part 10 file (see received-object.ts).
  override createStoreWritableStream(context: DimsePresentationContext, request: DimseCStoreRequest): Writable {
    if (!this.rights.store) return new Writable({ write: (_c, _e, cb) => cb() }); // refused in cStoreRequest
    try {
      const receiver = new ReceivedObject({
        tmpDir: this.ctx.tmpDir,
        sopClassUid: request.getAffectedSopClassUid(),
        sopInstanceUid: request.getAffectedSopInstanceUid(),
        transferSyntaxUid: context.getAcceptedTransferSyntaxUid() ?? IMPLICIT_VR_LITTLE_ENDIAN,
        callingAeTitle: this.association?.getCallingAeTitle().trim() ?? '',
        maxBytes: this.ctx.maxObjectBytes,
      });
      this.receivers.set(request, receiver);
      return receiver.writable;
    } catch (err) {
      this.ctx.logger.error('dimse.receive_failed', { peer: this.peerName, error: err });
      return new Writable({ write: (_c, _e, cb) => cb() });
    }
  }

  override createDatasetFromStoreWritableStream(
    _w: Writable,
    context: DimsePresentationContext,
    callback: (dataset: InstanceType<typeof Dataset>) => void,
  ): void {
    // The data set is ingested from the file; dcmjs-dimse gets an empty placeholder (no parsing).
    callback(new Dataset({}, context.getAcceptedTransferSyntaxUid() ?? IMPLICIT_VR_LITTLE_ENDIAN));
  }

  override cStoreRequest(
    request: DimseCStoreRequest,
    callback: (response: InstanceType<typeof CStoreResponse>) => void,
  ): void {
    if (!this.rights.store) return callback(this.refuse('store', CStoreResponse.fromRequest(request)));
    void this.handleStore(request).then((r) => {
      audit.record(this.ctx.audit, 'C-STORE', this.association, this.tcp, r.status, r.uids ?? { instances: [r.sop] });
      const response = CStoreResponse.fromRequest(request);
      response.setStatus(r.status);
      if (r.comment !== '') response.setErrorComment(r.comment);
      callback(response);
    });
  }

  private async handleStore(request: DimseCStoreRequest): Promise<audit.StoreResult> {
    const receiver = this.receivers.get(request);
    this.receivers.delete(request);
    return storeReceived(this.ctx, this.peerName, request.getAffectedSopInstanceUid(), receiver);
  }

  /** 0124H Refused: Not authorized (PS3.7 Annex C.5): outside the peer's rights (access.ts). */
  private refuse<R extends { setStatus(s: number): void; setErrorComment(c: string): void }>(op: string, r: R): R {
    this.ctx.logger.warn('dimse.operation_refused', { peer: this.peerName, operation: op });
    r.setStatus(DimseStatus.NotAuthorized);
    r.setErrorComment('DIMSE_NOT_AUTHORIZED');
    return r;
  }

  private discardPartialReceives(): void {
    for (const receiver of this.receivers.values()) void receiver.discard();
    this.receivers.clear();
  }

  private identifierOf(request: DimseCFindRequest | RetrieveRequest): { elements: Naturalized; ts: string } {
    const dataset = request.getDataset();
    return { elements: dataset?.getElements() ?? {}, ts: dataset?.getTransferSyntaxUid() ?? EXPLICIT_VR_LITTLE_ENDIAN };
  }

  // PS3.4 C.4.1.3: one Pending response per match, with the requested keys, then Success.
  override cFindRequest(
    request: DimseCFindRequest,
    callback: MessageCallback<InstanceType<typeof CFindResponse>>,
  ): void {
    if (!this.rights.query) return callback([this.refuse('find', CFindResponse.fromRequest(request))]);
    const { elements, ts } = this.identifierOf(request);
    const responses: InstanceType<typeof CFindResponse>[] = [];
    const final = CFindResponse.fromRequest(request);
    let matched: audit.Uids = {};
    try {
      const mapped = identifierToQuery(elements, { limit: this.ctx.maxFindResults });
      const { result, dropped } = runQuery(this.ctx.store, mapped.query);
      matched = audit.matchUids(result.items);
      for (const item of result.items) {
        if (this.cancelled.has(request.getMessageId())) break;
        const pending = CFindResponse.fromRequest(request);
        pending.setStatus(DimseStatus.Pending);
        pending.setDataset(new Dataset(matchToIdentifier(item, mapped.requestedTags, mapped.level), ts));
        responses.push(pending);
      }
      final.setStatus(this.cancelled.has(request.getMessageId()) ? DimseStatus.Cancel : DimseStatus.Success);
      this.ctx.logger.info('dimse.find', {
        peer: this.peerName,
        queryLevel: mapped.level,
        matches: result.items.length,
        ignored: [...mapped.ignored, ...dropped],
      });
    } catch (err) {
      const failure = queryFailureStatusFor(err);
      final.setStatus(failure.status);
      final.setErrorComment(failure.comment);
      this.ctx.logger.warn('dimse.find_failed', { peer: this.peerName, status: failure.status, error: err });
    }
    responses.push(final);
    audit.record(this.ctx.audit, 'C-FIND', this.association, this.tcp, final.getStatus(), matched);
    callback(responses);
  }

  override cMoveRequest(
    request: DimseCMoveRequest,
    callback: MessageCallback<InstanceType<typeof CMoveResponse>>,
  ): void {
    if (!this.rights.query) return callback([this.refuse('move', CMoveResponse.fromRequest(request))]);
    const destination = String(request.getCommandDataset().getElement('MoveDestination') ?? '').trim();
    const peer = this.ctx.peers.find((p) => p.aeTitle === destination);
    if (peer === undefined) {
      const response = CMoveResponse.fromRequest(request);
      response.setStatus(DimseStatus.MoveDestinationUnknown);
      response.setErrorComment('DIMSE_UNKNOWN_DESTINATION');
      this.ctx.logger.warn('dimse.move_refused', { peer: this.peerName, destination });
      callback([response]);
      return;
    }
    void this.handleRetrieve(
      'C-MOVE',
      request,
      callback,
      () => CMoveResponse.fromRequest(request),
      async (instances) => {
        const syntaxes = new Map<string, string[]>();
        for (const i of instances)
          syntaxes.set(i.sopClassUid, [
            ...new Set([...(syntaxes.get(i.sopClassUid) ?? []), i.storedTransferSyntaxUid]),
          ]);
        const channel = await openStoreAssociation(peer, this.ctx.aeTitle, syntaxes, this.ctx.timeoutMs);
        return { channel, finish: () => channel.release() };
      },
    );
  }

  override cGetRequest(request: DimseCGetRequest, callback: MessageCallback<InstanceType<typeof CGetResponse>>): void {
    if (!this.rights.query) return callback([this.refuse('get', CGetResponse.fromRequest(request))]);
    const channel: StoreChannel = {
      association: this.association,
      sendRequests: (r) => this.sendRequests(r),
      closed: this.closed,
    };
    void this.handleRetrieve(
      'C-GET',
      request,
      callback,
      () => CGetResponse.fromRequest(request),
      () => Promise.resolve({ channel, finish: () => Promise.resolve() }),
    );
  }

  // PS3.4 C.4.2.3 / C.4.3.3: Pending responses with sub-operation counts, then the final status.
  private async handleRetrieve<R extends InstanceType<typeof CMoveResponse> | InstanceType<typeof CGetResponse>>(
    op: 'C-MOVE' | 'C-GET',
    request: RetrieveRequest,
    callback: MessageCallback<R>,
    makeResponse: () => R,
    open: (instances: ReturnType<typeof instancesFor>) => Promise<{ channel: StoreChannel; finish(): Promise<void> }>,
  ): Promise<void> {
    const respond = (status: number, counts: SubOperationCounts | null, comment = ''): void => {
      const response = makeResponse();
      response.setStatus(status);
      if (comment !== '') response.setErrorComment(comment);
      if (counts !== null) {
        if (status === DimseStatus.Pending) response.setRemaining(counts.remaining);
        response.setCompleted(counts.completed);
        response.setFailures(counts.failed);
        response.setWarnings(counts.warning);
        if (status !== DimseStatus.Pending && counts.failedSopInstanceUids.length > 0) {
          response.setDataset(
            new Dataset({ FailedSOPInstanceUIDList: counts.failedSopInstanceUids }, this.identifierOf(request).ts),
          );
        }
      }
      // The library's callback may be called once: Pending responses go out directly.
      if (status === DimseStatus.Pending) this.sendResponse(request, response);
      else callback([response]);
      if (status !== DimseStatus.Pending)
        audit.record(this.ctx.audit, op, this.association, this.tcp, status, audit.uidsOf(instances ?? []));
    };
    let instances: ReturnType<typeof instancesFor> | undefined;
    try {
      instances = instancesFor(
        this.ctx.store,
        identifierToQuery(this.identifierOf(request).elements, { limit: this.ctx.maxFindResults }),
      );
    } catch (err) {
      const failure = queryFailureStatusFor(err);
      this.ctx.logger.warn('dimse.retrieve_failed', { peer: this.peerName, status: failure.status, error: err });
      respond(failure.status, null, failure.comment);
      return;
    }
    const empty: SubOperationCounts = {
      remaining: instances.length,
      completed: 0,
      failed: 0,
      warning: 0,
      failedSopInstanceUids: [],
    };
    if (instances.length === 0) {
      respond(DimseStatus.Success, empty);
      return;
    }
    let opened: { channel: StoreChannel; finish(): Promise<void> };
    try {
      opened = await open(instances);
    } catch (err) {
      this.ctx.logger.warn('dimse.move_destination_failed', { peer: this.peerName, error: err });
      respond(
        DimseStatus.OutOfResourcesSubOperations,
        {
          ...empty,
          remaining: 0,
          failed: instances.length,
          failedSopInstanceUids: instances.map((i) => i.sopInstanceUid),
        },
        'DIMSE_DESTINATION_UNAVAILABLE',
      );
      return;
    }
    const messageId = request.getMessageId();
    respond(DimseStatus.Pending, empty);
    const counts = await runSubOperations(opened.channel, this.ctx.retrieve, instances, {
      responseTimeoutMs: this.ctx.timeoutMs,
      cancelled: () => this.cancelled.has(messageId),
      onProgress: (c) => respond(DimseStatus.Pending, c),
      onError: (instance, err) =>
        this.ctx.logger.warn('dimse.suboperation_failed', {
          peer: this.peerName,
          sop: instance.sopInstanceUid,
          error: err,
        }),
    });
    await opened.finish().catch((err: unknown) => this.ctx.logger.warn('dimse.release_failed', { error: err }));
    const status = this.cancelled.has(messageId) ? DimseStatus.Cancel : retrieveFinalStatus(counts);
    this.ctx.logger.info('dimse.retrieve_done', {
      peer: this.peerName,
      status,
      completed: counts.completed,
      failed: counts.failed,
    });
    respond(status, counts);
  }
}
