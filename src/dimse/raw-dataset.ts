// Sending stored objects byte for byte over DIMSE (C-STORE sub-operations of C-GET / C-MOVE).
// dcmjs-dimse re-encodes every outgoing Dataset through dcmjs (and transcodes through its own
// codecs when the accepted syntax differs), which can alter private or unusual elements. A
// RawDataset carries the already-encoded data set: Fovea's retrieve service produces the object
// in the syntax the peer accepted, and the library only fragments the bytes into P-DATA PDVs.

import { ByteReader, MalformedError } from '../bytes';
import { Dataset } from './dcmjs-dimse';

/** An encoded data set (no File Meta) that dcmjs-dimse sends as is. */
export class RawDataset extends Dataset {
  private readonly encoded: Buffer;
  constructor(sopClassUid: string, sopInstanceUid: string, transferSyntaxUid: string, encoded: Buffer) {
    super({ SOPClassUID: sopClassUid, SOPInstanceUID: sopInstanceUid }, transferSyntaxUid);
    this.encoded = encoded;
  }
  override getDenaturalizedDataset(): Buffer {
    return this.encoded;
  }
}

/**
 * Offset of the data set in a Part 10 file (PS3.10 §7.1): 128-byte preamble, "DICM", then the
 * File Meta group whose length (0002,0000) UL comes first, in Explicit VR Little Endian.
 */
export function part10DatasetOffset(file: Uint8Array): number {
  const r = new ByteReader(file, { littleEndian: true });
  r.skip(128, 'preamble');
  const magic = r.bytes(4, 'DICM');
  if (magic[0] !== 0x44 || magic[1] !== 0x49 || magic[2] !== 0x43 || magic[3] !== 0x4d) {
    throw new MalformedError('DIMSE_NO_PART10_PREFIX', 'stored object is not a Part 10 file', { offset: 128 });
  }
  const group = r.u16('group');
  const element = r.u16('element');
  const vr = String.fromCharCode(r.u8('vr'), r.u8('vr'));
  const length = r.u16('length');
  if (group !== 0x0002 || element !== 0x0000 || vr !== 'UL' || length !== 4) {
    throw new MalformedError('DIMSE_NO_META_GROUP_LENGTH', 'File Meta Information Group Length (0002,0000) missing', {
      offset: 132,
    });
  }
  const groupLength = r.u32('group length');
  if (groupLength > r.remaining) {
    throw new MalformedError('DIMSE_META_LENGTH', 'File Meta group length exceeds the file', { offset: 140 });
  }
  return r.offset + groupLength;
}
