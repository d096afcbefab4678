// JP2 / JPH file box walk (ISO/IEC 15444-1 Annex I.4, 15444-15 Annex D): finds the contiguous
// codestream box `jp2c`. LBox = 1 means an 8-byte XLBox follows; LBox = 0 means "to end of file".
// A raw codestream (starting FF4F) is returned as is; a jp2c box running past the end is clamped. Fragment tables (ftbl) are unsupported.

import { ByteReader, MalformedError, UnsupportedError } from '../../bytes';

export interface CodestreamLocation {
  offset: number;
  length: number;
}

const JP2_SIGNATURE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];

function isSignature(bytes: Uint8Array): boolean {
  if (bytes.length < JP2_SIGNATURE.length) return false;
  for (let i = 0; i < JP2_SIGNATURE.length; i++) if (bytes[i] !== JP2_SIGNATURE[i]) return false;
  return true;
}

/** `{offset, length}` of the JPEG 2000 codestream in a raw codestream or a JP2/JPH file. */
// ISO/IEC 15444-1 I.4 (box structure), I.5.4 (contiguous codestream box)
export function findCodestream(bytes: Uint8Array): CodestreamLocation {
  const r = new ByteReader(bytes);
  if (r.remaining >= 2 && r.peekU16() === 0xff4f) return { offset: 0, length: bytes.length };
  if (!isSignature(bytes)) {
    throw new MalformedError('J2K_NOT_JPEG2000', 'neither a codestream (FF4F) nor a JP2 signature box', { offset: 0 });
  }
  while (r.remaining > 0) {
    const start = r.position;
    const LBox = r.u32('LBox');
    const TBox = r.u32('TBox');
    let headerLength = 8;
    let length: number;
    if (LBox === 1) {
      length = r.u64('XLBox');
      headerLength = 16;
    } else if (LBox === 0) {
      length = bytes.length - start;
    } else {
      length = LBox;
    }
    if (length < headerLength) {
      throw new MalformedError('J2K_BOX_LENGTH', `box length ${length} shorter than its header`, { offset: start });
    }
    const bodyLength = length - headerLength;
    if (TBox === 0x6a703263 /* jp2c */) {
      // A jp2c box longer than the file (seen in the wild) is clamped: the codestream parser then
      // reports its own truncation, if any, with a codestream-level error code.
      return { offset: r.position, length: Math.min(bodyLength, r.remaining) };
    }
    if (TBox === 0x6674626c /* ftbl */) {
      throw new UnsupportedError('J2K_FRAGMENTED_CODESTREAM', 'fragment table (ftbl) codestreams are not supported', {
        offset: start,
      });
    }
    r.skip(bodyLength, 'box body');
  }
  throw new MalformedError('J2K_NO_CODESTREAM_BOX', 'no jp2c box in the file', { offset: bytes.length });
}
