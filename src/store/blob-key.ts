// Blob keys are relative paths inside <dataDir>/objects ("ab/1.2.3/v1/frames.bin"): segments of
// [A-Za-z0-9._-], never "." or "..", no leading slash, no backslash, bounded length. Anything
// else is a caller bug and throws InvalidBlobKeyError (STORE_BLOB_KEY_INVALID) before any fs call.
// Layout of a version folder (docs/architecture.md "Storage model"): <hash2>/<sop>/<version>/.

import { createHash, randomBytes } from 'node:crypto';
import { InvalidBlobKeyError } from './errors';

const SEGMENT = /^[A-Za-z0-9._-]{1,128}$/;
const MAX_KEY_LENGTH = 512;
const MAX_SEGMENTS = 8;

export function assertBlobKey(key: string): void {
  const fail = (why: string): never => {
    throw new InvalidBlobKeyError('STORE_BLOB_KEY_INVALID', `blob key ${JSON.stringify(key)}: ${why}`, { context: String(key).slice(0, 100) });
  };
  if (typeof key !== 'string' || key.length === 0) fail('empty');
  if (key.length > MAX_KEY_LENGTH) fail('too long');
  const segments = key.split('/');
  if (segments.length > MAX_SEGMENTS) fail('too many segments');
  for (const s of segments) {
    if (!SEGMENT.test(s)) fail('segment with a forbidden character or empty (absolute path, "//", "\\")');
    if (s === '.' || s === '..') fail('"." or ".." segment');
  }
}

/** First folder level of an instance's blobs: two hex digits of SHA-256(SOP Instance UID), to spread folders. */
export function sopFolder(sopInstanceUid: string): string {
  return createHash('sha256').update(sopInstanceUid).digest('hex').slice(0, 2);
}

/** A fresh version key "<hash2>/<sop>/<time36>-<random>" for the blobs of one received version. */
export function newVersionKey(sopInstanceUid: string): string {
  const key = `${sopFolder(sopInstanceUid)}/${sopInstanceUid}/${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
  assertBlobKey(key);
  return key;
}
