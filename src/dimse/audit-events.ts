// The audit records of DIMSE operations (docs/security.md "Audit trail"): C-STORE, C-FIND,
// C-MOVE and C-GET, with the calling AE title and the peer address as the principal
// ("dimse:<AET>@<address>"), the UIDs touched (C-FIND: the studies matched) and the final DIMSE
// status (PS3.7 Annex C). C-ECHO touches nothing and is not recorded.

import { dimsePrincipal, type AuditAction, type AuditSink } from '../audit';

export type { AuditSink };

export type DimseAuditedOperation = 'C-STORE' | 'C-FIND' | 'C-MOVE' | 'C-GET';

const ACTION: Readonly<Record<DimseAuditedOperation, AuditAction>> = {
  'C-STORE': 'store',
  'C-FIND': 'query',
  'C-MOVE': 'retrieve',
  'C-GET': 'retrieve',
};

export interface Uids {
  studies?: (string | null | undefined)[];
  series?: (string | null | undefined)[];
  instances?: (string | null | undefined)[];
}

/** What FoveaScp.handleStore answers: the status, and what the record names. */
export interface StoreResult {
  status: number;
  comment: string;
  sop?: string;
  uids?: Uids;
}

const present = (l: (string | null | undefined)[] | undefined): string[] =>
  (l ?? []).filter((u): u is string => typeof u === 'string' && u.length > 0);

/** Success (0000) and warnings (Bxxx) are a done operation; anything else failed (PS3.7 C.1). */
export function record(
  sink: AuditSink | undefined,
  op: DimseAuditedOperation,
  association: { getCallingAeTitle(): string } | undefined,
  socket: { remoteAddress?: string | undefined },
  status: number,
  uids: Uids,
): void {
  const peer = { aeTitle: association?.getCallingAeTitle().trim() ?? '', address: socket.remoteAddress ?? '' };
  sink?.record({
    time: Date.now(),
    action: ACTION[op],
    principal: dimsePrincipal(peer.aeTitle, peer.address),
    address: peer.address,
    transport: 'dimse',
    operation: op,
    studies: present(uids.studies),
    series: present(uids.series),
    instances: present(uids.instances),
    outcome: { success: status === 0 || (status & 0xf000) === 0xb000, dimseStatus: status },
  });
}

/** Study / Series / SOP Instance UIDs of DICOM JSON matches or instance records. */
export function uidsOf(
  items: readonly {
    studyInstanceUid?: string | undefined;
    seriesInstanceUid?: string | undefined;
    sopInstanceUid?: string | undefined;
  }[],
): Uids {
  return {
    studies: [...new Set(items.map((i) => i.studyInstanceUid))],
    series: [...new Set(items.map((i) => i.seriesInstanceUid))],
    instances: items.map((i) => i.sopInstanceUid),
  };
}

/** C-FIND: the UIDs of the DICOM JSON matches (PS3.18 F.2). */
export function matchUids(items: readonly Record<string, { Value?: unknown[] } | undefined>[]): Uids {
  const at = (i: Record<string, { Value?: unknown[] } | undefined>, tag: string): string | undefined => {
    const v = i[tag]?.Value?.[0];
    return typeof v === 'string' ? v : undefined;
  };
  return uidsOf(
    items.map((i) => ({
      studyInstanceUid: at(i, '0020000D'),
      seriesInstanceUid: at(i, '0020000E'),
      sopInstanceUid: at(i, '00080018'),
    })),
  );
}
