// The retrieve transfer-syntax rules (PS3.18 §8.7.3 negotiation, §8.7.3.5.2 "*" = as stored):
// which syntaxes a stored object can be produced in, and how each is produced. Frames stored as
// JPEG 2000 / HTJ2K are sent as stored in their own syntax or a lossy-capable superset whose
// encapsulated bytes are the same (PS3.5 A.4.4, A.4.7), decoded to Explicit VR Little Endian, or
// (whole instances only) as a JPIP Referenced object (PS3.5 A.6, A.7, A.11, A.12). An object without
// frames is available only in its stored syntax. Anything else is NotAcceptableError. Pure.

import {
  EXPLICIT_VR_LITTLE_ENDIAN,
  HTJ2K,
  JPEG_2000,
  JPEG_2000_LOSSLESS,
  JPIP_HTJ2K_REFERENCED,
  JPIP_HTJ2K_REFERENCED_DEFLATE,
  JPIP_REFERENCED,
  JPIP_REFERENCED_DEFLATE,
  transferSyntax,
} from '../dicom';
import { NotAcceptableError } from '../errors';
import type { TransferSyntaxChoice } from './types';

/** How a retrieve is produced: the stored bytes, frames decoded to native pixels, or a JPIP Referenced object. */
export type Delivery = 'stored' | 'decoded' | 'jpip-referenced';

/** What is retrieved: a whole instance (Part 10) or a single frame. */
export type RetrieveTarget = 'instance' | 'frame';

/** The facts of a stored instance the rules depend on. */
export interface StoredSyntaxFacts {
  sopInstanceUid: string;
  storedTransferSyntaxUid: string;
  numberOfFrames: number;
}

export interface TransferSyntaxDecision {
  /** The syntax produced (never '*'). */
  transferSyntaxUid: string;
  delivery: Delivery;
}

const JPIP = [JPIP_REFERENCED, JPIP_REFERENCED_DEFLATE];
const JPIP_HTJ2K = [JPIP_HTJ2K_REFERENCED, JPIP_HTJ2K_REFERENCED_DEFLATE];

/** Syntaxes whose encapsulated bytes are exactly the stored frames (PS3.5 A.4.4, A.4.7). */
export function sameBytesSyntaxes(stored: string): string[] {
  const fam = transferSyntax(stored)?.family;
  if (fam === 'j2k') return stored === JPEG_2000_LOSSLESS ? [stored, JPEG_2000] : [stored];
  if (fam === 'htj2k') return stored === HTJ2K ? [stored] : [stored, HTJ2K];
  return [stored];
}

/** Syntaxes an instance can be produced in, the stored one first. */
export function availableSyntaxes(rec: StoredSyntaxFacts): string[] {
  if (rec.numberOfFrames === 0) return [rec.storedTransferSyntaxUid];
  const fam = transferSyntax(rec.storedTransferSyntaxUid)?.family;
  return [
    ...sameBytesSyntaxes(rec.storedTransferSyntaxUid),
    EXPLICIT_VR_LITTLE_ENDIAN,
    ...(fam === 'htj2k' ? JPIP_HTJ2K : JPIP),
  ];
}

/** The syntax and delivery for a requested choice; NotAcceptableError TRANSFER_SYNTAX_NOT_AVAILABLE if impossible. */
export function decideTransferSyntax(
  rec: StoredSyntaxFacts,
  choice: TransferSyntaxChoice,
  target: RetrieveTarget,
): TransferSyntaxDecision {
  const list = availableSyntaxes(rec);
  const ts = choice === '*' ? rec.storedTransferSyntaxUid : choice;
  if (!list.includes(ts)) {
    throw new NotAcceptableError(
      'TRANSFER_SYNTAX_NOT_AVAILABLE',
      `instance ${rec.sopInstanceUid} cannot be provided in ${ts}; available: ${list.join(', ')}`,
    );
  }
  if (rec.numberOfFrames === 0 || sameBytesSyntaxes(rec.storedTransferSyntaxUid).includes(ts))
    return { transferSyntaxUid: ts, delivery: 'stored' };
  if (ts === EXPLICIT_VR_LITTLE_ENDIAN) return { transferSyntaxUid: ts, delivery: 'decoded' };
  if (target === 'frame')
    throw new NotAcceptableError('TRANSFER_SYNTAX_NOT_AVAILABLE', `frames cannot be provided in ${ts}`);
  return { transferSyntaxUid: ts, delivery: 'jpip-referenced' };
}
