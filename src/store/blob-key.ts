// Blob keys are relative paths inside <dataDir>/objects ("ab/1.2.3/v1/frames.bin"): segments of
// [A-Za-z0-9._-], never "." or "..", no leading slash, no backslash, bounded length. Anything
// else is a caller bug and throws InvalidBlobKeyError (STORE_BLOB_KEY_INVALID) before any fs call.
// Layout of a version folder (docs/architecture.md "Storage model"): <hash2>/<sop>/<version>/
// holding dataset.dcm and frames.bin (object.dcm for an object kept as received); this file is
// the one place that spells it.

import { createHash } from 'node:crypto';
import { InvalidBlobKeyError } from './errors';

const SEGMENT = /^[A-Za-z0-9._-]{1,128}$/;
const MAX_KEY_LENGTH = 512;
const MAX_SEGMENTS = 8;

export function assertBlobKey(key: string): void {
  const fail = (why: string): never => {
    throw new InvalidBlobKeyError('STORE_BLOB_KEY_INVALID', `blob key ${JSON.stringify(key)}: ${why}`, {
      context: String(key).slice(0, 100),
    });
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

/**
 * The version key "<hash2>/<sop>/<content>" of one received version: <content> is the first 24 hex
 * digits of the content SHA-256, so the same object received twice names the same folder.
 */
export function versionKeyFor(sopInstanceUid: string, contentSha256: string): string {
  return `${sopFolder(sopInstanceUid)}/${sopInstanceUid}/${contentSha256.slice(0, 24)}`;
}

/** Blob key of a version's Part 10 data set without Pixel Data. */
export function datasetBlobKey(versionKey: string): string {
  return `${versionKey}/dataset.dcm`;
}

/** Blob key of a version's frames file (the codestreams back to back). */
export function framesBlobKey(versionKey: string): string {
  return `${versionKey}/frames.bin`;
}

/** Blob key of a version's object as received, byte for byte (objects Fovea cannot transcode). */
export function objectBlobKey(versionKey: string): string {
  return `${versionKey}/object.dcm`;
}
