// Deflated data sets (PS3.5 A.5, used by 1.2.840.10008.1.2.1.99 and the JPIP Deflate syntaxes
// .95/.205): everything after the File Meta Information is raw deflate (RFC 1951, no zlib
// header). Inflation is bounded by a maximum output length.

import { inflateRawSync, deflateRawSync } from 'node:zlib';
import { LimitExceededError, MalformedError, TruncatedError } from '../bytes';

/** Inflates a raw-deflate data set; output over `maxOutputLength` is a LimitExceededError. */
export function inflateDeflatedDataset(bytes: Uint8Array, maxOutputLength = 512 * 1024 * 1024): Uint8Array {
  try {
    const out = inflateRawSync(bytes, { maxOutputLength });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (cause) {
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : '';
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new LimitExceededError('DICOM_INFLATE_TOO_LARGE', `inflated data set exceeds ${maxOutputLength} bytes`, {
        cause,
      });
    }
    if (code === 'Z_BUF_ERROR') throw new TruncatedError('DICOM_TRUNCATED', 'deflated data set ends early', { cause });
    throw new MalformedError('DICOM_BAD_DEFLATE', 'deflated data set cannot be inflated', { cause });
  }
}

/** Raw-deflates an encoded data set (the bytes after the File Meta Information). */
export function deflateDataset(bytes: Uint8Array): Uint8Array {
  const out = deflateRawSync(bytes);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
