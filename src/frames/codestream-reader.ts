// Byte-range reader over one stored frame's JPEG 2000 / HTJ2K codestream (ISO/IEC 15444-1 Annex A)
// inside its version's frames file: offset 0 is the SOC marker, reads past the codestream's end are
// refused (MalformedError JPIP_READ_OUT_OF_RANGE). Used by the JPIP service and the renderer alike;
// no caching here (the blob store keeps its file handles).

import { MalformedError } from '../bytes';
import type { CodestreamReader } from '../jpip';
import type { BlobStore, FrameRecord } from '../store';

/** Reads bytes of one frame's codestream (offset 0 = SOC), never past its end. */
export function codestreamReader(blobs: BlobStore, f: FrameRecord, codestreamLength: number): CodestreamReader {
  const base = f.offset + f.codestreamOffset;
  return {
    read: async (offset: number, length: number): Promise<Uint8Array> => {
      if (
        !Number.isSafeInteger(offset) ||
        !Number.isSafeInteger(length) ||
        offset < 0 ||
        length < 0 ||
        offset + length > codestreamLength
      ) {
        throw new MalformedError(
          'JPIP_READ_OUT_OF_RANGE',
          `bytes ${offset}+${length} outside the ${codestreamLength}-byte codestream`,
        );
      }
      if (length === 0) return new Uint8Array(0);
      return blobs.read(f.framesKey, base + offset, length);
    },
  };
}
