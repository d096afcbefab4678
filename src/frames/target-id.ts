// The JPIP target id of a stored instance (ISO/IEC 15444-9 C.2.2, D.2.2): a digest of the SOP
// Instance UID and every frame's content digest, so it changes whenever any frame's bytes change
// (DICOM-JPIP.md §2.1) and a client's cached bins of an older version are never reused.
// Not a content address: it cannot be turned back into a UID.

import { createHash } from 'node:crypto';
import type { FrameRecord } from '../store';

/** Stable target id: changes whenever any frame's bytes change (DICOM-JPIP.md §2.1). */
export function targetId(sopInstanceUid: string, frames: readonly FrameRecord[]): string {
  const h = createHash('sha256').update(`fovea-jpip-tid-1\n${sopInstanceUid}\n`);
  for (const f of frames) h.update(`${f.frameNumber}:${f.sha256}\n`);
  return `T${h.digest('hex').slice(0, 32)}`;
}
