// C-STORE SCP, after the object has been received to a temp file (PS3.4 B.2): ingest it, choose
// the response status (status.ts), log without PHI (UIDs and the peer only), and remove the temp
// file whatever happened. What it returns is also the audit record's outcome (audit-events.ts).

import * as fs from 'node:fs';
import type { Ingestor } from '../ingest';
import type { Logger } from '../log';
import * as audit from './audit-events';
import type { ReceivedObject } from './received-object';
import { DimseStatus, storeStatusFor } from './status';

export async function storeReceived(
  ctx: { ingestor: Ingestor; logger: Logger },
  peerName: string,
  sop: string,
  receiver: ReceivedObject | undefined,
): Promise<audit.StoreResult> {
  if (receiver === undefined) return { status: DimseStatus.ProcessingFailure, comment: 'DIMSE_RECEIVE_FAILED' };
  try {
    const file = await receiver.done;
    if (file.overflow) return { status: DimseStatus.OutOfResources, comment: 'DIMSE_OBJECT_TOO_LARGE' };
    const outcome = await ctx.ingestor.ingestFile(file.path);
    const status = storeStatusFor(outcome);
    if (outcome.status === 'failed')
      ctx.logger.warn('dimse.store_failed', {
        peer: peerName,
        sop,
        status: status.status,
        error: outcome.error,
      });
    else ctx.logger.info('dimse.stored', { peer: peerName, sop, outcome: outcome.status });
    if (outcome.status !== 'failed' && outcome.sopInstanceUid !== sop) {
      // PS3.4 B.2.3 lets the SCP store it; the data set's own UID is what was stored.
      ctx.logger.warn('dimse.affected_uid_mismatch', {
        peer: peerName,
        command: sop,
        dataset: outcome.sopInstanceUid,
      });
    }
    return outcome.status === 'failed' ? { ...status, sop } : { ...status, uids: audit.uidsOf([outcome]) };
  } catch (err) {
    ctx.logger.error('dimse.store_error', { peer: peerName, sop, error: err });
    return { status: DimseStatus.OutOfResources, comment: 'DIMSE_RECEIVE_IO' };
  } finally {
    await fs.promises.rm(receiver.path, { force: true });
  }
}
