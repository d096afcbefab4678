// Request checks the server makes before planning (ISO/IEC 15444-9 C.7.3 type, C.10.2 pref,
// C.2.3 subtarget, C.9.4/C.9.5 need/tpneed, Annex E upload and the amendment fields): choose the
// return type from the client's preference list, refuse what Fovea does not implement
// (UnsupportedError: the adapter maps it to 501), and list the required preferences refused.

import { UnsupportedMediaTypeError } from '../../errors';
import { UnsupportedError } from '../../bytes';
import type { JpipRequest } from '../request';

export type ReturnChoice = { kind: 'jpp-stream'; extended: boolean } | { kind: 'jpt-stream' } | { kind: 'raw' };

/** First producible entry of `type` (default jpp-stream); none → 415. // 15444-9 C.7.3 */
export function chooseReturnType(request: JpipRequest): ReturnChoice {
  const types = request.type;
  if (types === undefined) return { kind: 'jpp-stream', extended: false };
  for (const t of types) {
    if (t.kind === 'jpp-stream') return { kind: 'jpp-stream', extended: t.extended };
    if (t.kind === 'jpt-stream' && !t.extended) return { kind: 'jpt-stream' };
    if (t.kind === 'raw') return { kind: 'raw' };
  }
  throw new UnsupportedMediaTypeError(
    'JPIP_NO_RETURN_TYPE',
    `none of the requested types (${request.fields.get('type') ?? ''}) can be produced; offered: jpp-stream, jpp-stream;ptype=ext, jpt-stream, raw`,
    { context: 'type' },
  );
}

/** Preferences Fovea always satisfies (it sends the whole window, progressively, exactly). */
const SATISFIED_PREFS: ReadonlySet<string> = new Set(['fullwindow', 'progressive', 'concise', 'loose']);

/** Required (/r) preference sets Fovea does not honour, exactly as sent (for JPIP-pref, D.2.18). */
export function refusedPreferences(request: JpipRequest): string[] {
  return (request.pref ?? []).filter((p) => p.required && !SATISFIED_PREFS.has(p.name)).map((p) => p.raw);
}

/** Fields that change the meaning of a request and are not implemented: UnsupportedError (501). */
export function assertImplemented(request: JpipRequest): void {
  const refuse = (field: string, why: string): never => {
    throw new UnsupportedError('JPIP_FIELD_NOT_IMPLEMENTED', `${field} is not supported: ${why}`, { context: field });
  };
  if (request.subtarget !== undefined) refuse('subtarget', 'targets are whole DICOM instances');
  if (request.upload !== undefined) refuse('upload', 'Fovea does not accept JPIP uploads (Annex E)');
  if (request.need !== undefined) refuse('need', 'use a view-window');
  if (request.tpneed !== undefined) refuse('tpneed', 'use a view-window');
  if (request.handled !== undefined) refuse('handled', 'not implemented');
  if (request.xpathBox !== undefined || request.xpathBin !== undefined || request.xpathQuery !== undefined)
    refuse('xpath', 'no XML boxes');
}
