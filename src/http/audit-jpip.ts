// What a JPIP request adds to its audit record (src/http/audit.ts): the channel (the cid used or
// granted, ISO/IEC 15444-9 C.3.2 / D.2.3, or "stateless:<target>" outside a session), the SOP
// Instance UID of the target (C.2.2; "<uid>.jp2" names the JP2 view of the same instance), the
// frames (codestreams, C.4.6 stream=) and the bytes of the response.

import type { Response } from 'express';
import type { JpipRequest } from '../jpip';
import type { JpipService } from '../jpip-service';
import { noteAudit } from './audit';

/** The target of the session a cid belongs to, read before the request may close the channel. */
export function sessionTarget(service: JpipService, cid: string | undefined, owner: string): string | undefined {
  if (cid === undefined) return undefined;
  try {
    return service.sessions.lookup(cid, owner).target;
  } catch {
    return undefined; // unknown channel: the service answers it
  }
}

/** Frames named by stream= (default frame 1), bounded: an open range counts its first frame. */
function framesOf(request: JpipRequest): number[] {
  if (request.stream === undefined) return [1];
  const out = new Set<number>();
  for (const r of request.stream) {
    const to = r.to ?? r.from;
    for (let f = r.from; f <= to && out.size < 4096; f += Math.max(1, r.step)) out.add(f);
  }
  return [...out];
}

export function noteJpipView(
  res: Response,
  request: JpipRequest,
  target: string | undefined,
  cnew: string | undefined,
  bytes: number,
): void {
  const granted = cnew === undefined ? undefined : /(?:^|,)cid=([^,]+)/.exec(cnew)?.[1];
  const sop = target?.replace(/\.jp[2h]$/, '');
  noteAudit(res, {
    jpip: {
      channel: request.cid ?? granted ?? `stateless:${sop ?? '-'}`,
      sopInstanceUid: sop,
      frames: framesOf(request),
      bytes,
    },
  });
}
