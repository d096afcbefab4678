// FileBlobStore: atomic put, range reads and streams, key validation, deletePrefix; fileSource.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FoveaError } from '../../../src/errors';
import { FileBlobStore } from '../../../src/store/file-blob-store';
import { assertBlobKey, fileSource, versionKeyFor } from '../../../src/store';

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    if (typeof p === 'function') p();
    else await p;
  } catch (err) {
    if (err instanceof FoveaError) return err.code;
    throw err;
  }
  throw new Error('expected a FoveaError');
}

function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe('FileBlobStore', () => {
  let dir: string;
  let blobs: FileBlobStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-blob-'));
    blobs = new FileBlobStore(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('put writes chunks in order and returns size and sha256; reads return exact ranges', async () => {
    const a = bytes(3000, 1);
    const b = bytes(5000, 2);
    const all = Buffer.concat([a, b]);
    const res = await blobs.put('ab/1.2.3/v1/frames.bin', [a, b]);
    expect(res).toEqual({ size: 8000, sha256: createHash('sha256').update(all).digest('hex') });
    expect(await blobs.size('ab/1.2.3/v1/frames.bin')).toBe(8000);
    expect(Buffer.from(await blobs.read('ab/1.2.3/v1/frames.bin', 2990, 20))).toEqual(all.subarray(2990, 3010));
    expect(Buffer.from(await blobs.read('ab/1.2.3/v1/frames.bin', 8000, 0))).toEqual(Buffer.alloc(0));
    expect(await collect(blobs.stream('ab/1.2.3/v1/frames.bin', 100, 7000))).toEqual(all.subarray(100, 7100));
    expect(blobs.localPath('ab/1.2.3/v1/frames.bin')).toBe(
      path.join(dir, 'objects', 'ab', '1.2.3', 'v1', 'frames.bin'),
    );
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  test('streams large ranges in bounded chunks', async () => {
    const big = bytes(3 * 1024 * 1024 + 7);
    await blobs.put(
      'ab/1/v/x',
      (async function* () {
        yield big.subarray(0, 1000);
        yield big.subarray(1000);
      })(),
    );
    let chunks = 0;
    let total = 0;
    for await (const c of blobs.stream('ab/1/v/x', 5, big.byteLength - 5)) {
      chunks++;
      total += c.byteLength;
      expect(c.byteLength).toBeLessThanOrEqual(1 << 20);
    }
    expect(total).toBe(big.byteLength - 5);
    expect(chunks).toBe(4);
  });

  test('a put that throws mid-iteration leaves no file at the key and nothing in tmp', async () => {
    async function* failing(): AsyncIterable<Uint8Array> {
      yield bytes(1000);
      throw new Error('sender went away');
    }
    await expect(blobs.put('ab/9/v1/frames.bin', failing())).rejects.toThrow('sender went away');
    expect(fs.existsSync(path.join(dir, 'objects', 'ab', '9', 'v1', 'frames.bin'))).toBe(false);
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
    // A previous version at the same key survives a failed overwrite intact.
    await blobs.put('ab/9/v1/frames.bin', [bytes(10, 7)]);
    await expect(blobs.put('ab/9/v1/frames.bin', failing())).rejects.toThrow('sender went away');
    expect(Buffer.from(await blobs.read('ab/9/v1/frames.bin', 0, 10))).toEqual(Buffer.from(bytes(10, 7)));
    expect(await codeOf(blobs.put('ab/9/v2/x', ['text' as unknown as Uint8Array]))).toBe('STORE_BAD_CHUNK');
  });

  test('putMany: all blobs land together, later entries may be produced after earlier ones; a failure in any leaves none', async () => {
    let firstConsumed = false;
    function* first(): Generator<Uint8Array> {
      yield bytes(300, 1);
      firstConsumed = true;
    }
    function* second(): Generator<Uint8Array> {
      expect(firstConsumed).toBe(true);
      yield bytes(20, 2);
    }
    const r = await blobs.putMany([
      { key: 'cd/7/v1/frames.bin', chunks: first() },
      { key: 'cd/7/v1/dataset.dcm', chunks: second() },
    ]);
    expect(r.map((x) => x.size)).toEqual([300, 20]);
    expect(Buffer.from(await blobs.read('cd/7/v1/dataset.dcm', 0, 20))).toEqual(Buffer.from(bytes(20, 2)));
    function* broken(): Generator<Uint8Array> {
      yield bytes(5);
      throw new Error('encoder failed');
    }
    await expect(
      blobs.putMany([
        { key: 'cd/8/v1/frames.bin', chunks: [bytes(50)] },
        { key: 'cd/8/v1/dataset.dcm', chunks: broken() },
      ]),
    ).rejects.toThrow('encoder failed');
    expect(fs.existsSync(path.join(dir, 'objects', 'cd', '8'))).toBe(false);
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  test('keys are validated before touching the file system', async () => {
    for (const key of [
      '',
      '../etc/passwd',
      'ab/../../x',
      '/abs/path',
      'ab//x',
      'ab\\x',
      'ab/./x',
      'a b',
      'ab/x/',
      'x'.repeat(600),
    ]) {
      expect(await codeOf(blobs.put(key, [bytes(1)]))).toBe('STORE_BLOB_KEY_INVALID');
      expect(await codeOf(blobs.read(key, 0, 1))).toBe('STORE_BLOB_KEY_INVALID');
      expect(await codeOf(blobs.deletePrefix(key))).toBe('STORE_BLOB_KEY_INVALID');
      expect(await codeOf(() => blobs.localPath(key))).toBe('STORE_BLOB_KEY_INVALID');
    }
    expect(fs.readdirSync(path.join(dir, 'objects'))).toEqual([]);
  });

  test('missing blobs, short blobs and bad ranges are typed errors', async () => {
    await blobs.put('ab/1/v/x', [bytes(100)]);
    expect(await codeOf(blobs.read('ab/1/v/missing', 0, 1))).toBe('STORE_BLOB_NOT_FOUND');
    expect(await codeOf(blobs.size('ab/1/v/missing'))).toBe('STORE_BLOB_NOT_FOUND');
    expect(await codeOf(blobs.read('ab/1/v/x', 90, 11))).toBe('STORE_BLOB_SHORT');
    expect(await codeOf(collect(blobs.stream('ab/1/v/x', 0, 101)))).toBe('STORE_BLOB_SHORT');
    expect(await codeOf(blobs.read('ab/1/v/x', -1, 1))).toBe('STORE_BAD_RANGE');
    expect(await codeOf(blobs.read('ab/1/v/x', 0, 1.5))).toBe('STORE_BAD_RANGE');
  });

  test('deletePrefix removes a version folder and the parents it leaves empty', async () => {
    await blobs.put('ab/1.2/v1/dataset.dcm', [bytes(10)]);
    await blobs.put('ab/1.2/v1/frames.bin', [bytes(10)]);
    await blobs.put('ab/1.2/v2/dataset.dcm', [bytes(10)]);
    await blobs.deletePrefix('ab/1.2/v1');
    expect(fs.readdirSync(path.join(dir, 'objects', 'ab', '1.2'))).toEqual(['v2']);
    await blobs.deletePrefix('ab/1.2/v2');
    expect(fs.readdirSync(path.join(dir, 'objects'))).toEqual([]);
    await blobs.deletePrefix('ab/1.2/v3');
  });

  test('versionKeyFor builds valid keys in the <hash2>/<sop>/<version> layout, one per content', () => {
    const sha = (c: string): string => c.repeat(64);
    const a = versionKeyFor('1.2.840.1', sha('a'));
    expect(a).toMatch(/^[0-9a-f]{2}\/1\.2\.840\.1\/a{24}$/);
    expect(versionKeyFor('1.2.840.1', sha('a'))).toBe(a);
    expect(versionKeyFor('1.2.840.1', sha('b'))).not.toBe(a);
    expect(() => assertBlobKey(`${a}/dataset.dcm`)).not.toThrow();
  });
});

describe('fileSource', () => {
  test('reads exact ranges with positional reads and rejects out-of-range reads', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-src-'));
    try {
      const data = bytes(10000, 3);
      const file = path.join(dir, 'f.bin');
      fs.writeFileSync(file, data);
      const src = fileSource(file);
      expect(src.size).toBe(10000);
      expect(Buffer.from(src.read(9990, 10))).toEqual(Buffer.from(data.subarray(9990)));
      expect(Buffer.from(src.read(0, 3))).toEqual(Buffer.from(data.subarray(0, 3)));
      expect(await codeOf(() => src.read(9991, 10))).toBe('BYTES_SOURCE_RANGE');
      expect(await codeOf(() => src.read(-1, 1))).toBe('BYTES_SOURCE_RANGE');
      expect(await codeOf(() => src.read(0, Number.MAX_SAFE_INTEGER))).toBe('BYTES_SOURCE_RANGE');
      src.close();
      src.close();
      expect(await codeOf(() => src.read(0, 1))).toBe('STORE_SOURCE_CLOSED');
      expect(await codeOf(() => fileSource(path.join(dir, 'nope')))).toBe('STORE_FILE_NOT_FOUND');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
