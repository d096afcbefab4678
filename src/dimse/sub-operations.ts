// C-STORE sub-operations (PS3.4 C.4.2.3 C-MOVE, C.4.3.3 C-GET): send stored instances one at a
// time over an established association, in a transfer syntax the peer accepted for the SOP class,
// and count completed / failed / warning results. Used by C-GET (on the requester's own
// association, where it took the SCP role) and by C-MOVE (on a new association to the destination).

import { FoveaError } from '../errors';
import type { RetrieveService } from '../retrieve';
import type { InstanceRecord } from '../store';
import { CStoreRequest, PresentationContextResult, type DimseAssociation, type DimseResponse } from './dcmjs-dimse';
import { RawDataset, part10DatasetOffset } from './raw-dataset';
import { subOperationResult } from './status';

/** What sub-operations need from a dcmjs-dimse connection (an Scp, or our SCU connection). */
export interface StoreChannel {
  association: DimseAssociation | undefined;
  sendRequests(request: InstanceType<typeof CStoreRequest>): void;
  /** Resolves when the connection closes or fails; sub-operations stop then. */
  closed: Promise<void>;
}

export interface SubOperationCounts {
  remaining: number;
  completed: number;
  failed: number;
  warning: number;
  failedSopInstanceUids: string[];
}

/** Transfer syntaxes the peer accepted for a SOP class on this association. */
export function acceptedSyntaxes(association: DimseAssociation, sopClassUid: string): string[] {
  const out: string[] = [];
  for (const { context } of association.getPresentationContexts()) {
    const ts = context.getAcceptedTransferSyntaxUid();
    if (
      context.getAbstractSyntaxUid() === sopClassUid &&
      context.getResult() === PresentationContextResult.Accept &&
      ts !== undefined &&
      ts !== ''
    )
      out.push(ts);
  }
  return out;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  return Buffer.concat(parts);
}

class SubOperationError extends FoveaError {}

async function storeOne(
  channel: StoreChannel,
  retrieve: RetrieveService,
  instance: InstanceRecord,
  responseTimeoutMs: number,
): Promise<number> {
  const association = channel.association;
  if (association === undefined) throw new SubOperationError('DIMSE_NO_ASSOCIATION', 'no association');
  const accepted = acceptedSyntaxes(association, instance.sopClassUid);
  const producible = retrieve.transferSyntaxesFor(instance.sopInstanceUid);
  const ts = producible.find((t) => accepted.includes(t));
  if (ts === undefined) {
    throw new SubOperationError(
      'DIMSE_NO_PRESENTATION_CONTEXT',
      `peer accepted no syntax Fovea can produce for ${instance.sopClassUid}`,
    );
  }
  const object = await retrieve.instance(instance.sopInstanceUid, ts);
  const file = await collect(object.chunks);
  const dataset = file.subarray(part10DatasetOffset(file));
  const request = new CStoreRequest(
    new RawDataset(instance.sopClassUid, instance.sopInstanceUid, object.transferSyntaxUid, dataset),
  );
  return await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new SubOperationError('DIMSE_SUBOP_TIMEOUT', 'no C-STORE response in time')),
      responseTimeoutMs,
    );
    request.on('response', (response: DimseResponse) => {
      clearTimeout(timer);
      resolve(response.getStatus());
    });
    void channel.closed.then(() => {
      clearTimeout(timer);
      reject(new SubOperationError('DIMSE_ASSOCIATION_CLOSED', 'association closed during sub-operations'));
    });
    channel.sendRequests(request);
  });
}

/**
 * Sends each instance by C-STORE and reports progress after each one (for the Pending
 * responses). Stops early when `cancelled()` turns true (C-CANCEL) or the association closes;
 * what was not attempted stays in `remaining`.
 */
export async function runSubOperations(
  channel: StoreChannel,
  retrieve: RetrieveService,
  instances: readonly InstanceRecord[],
  options: {
    responseTimeoutMs: number;
    cancelled(): boolean;
    onProgress(counts: SubOperationCounts): void;
    onError(instance: InstanceRecord, err: unknown): void;
  },
): Promise<SubOperationCounts> {
  const counts: SubOperationCounts = {
    remaining: instances.length,
    completed: 0,
    failed: 0,
    warning: 0,
    failedSopInstanceUids: [],
  };
  let closed = false;
  void channel.closed.then(() => {
    closed = true;
  });
  for (const instance of instances) {
    if (closed || options.cancelled()) break;
    let result: 'completed' | 'warning' | 'failed';
    try {
      result = subOperationResult(await storeOne(channel, retrieve, instance, options.responseTimeoutMs));
    } catch (err) {
      options.onError(instance, err);
      result = 'failed';
    }
    counts.remaining -= 1;
    if (result === 'completed') counts.completed += 1;
    else if (result === 'warning') counts.warning += 1;
    else {
      counts.failed += 1;
      counts.failedSopInstanceUids.push(instance.sopInstanceUid);
    }
    if (counts.remaining > 0) options.onProgress(counts);
  }
  return counts;
}
