// Frame access for the JPIP adapter: a byte-range reader over a stored codestream (inside the
// version's frames file) and a byte-bounded LRU of prepared frame models (decoded packet index,
// parsed headers, geometry), so each frame's index is decoded once. A frame stored without a
// packet index (ingest could not build one) is indexed here from its bytes, once, and cached.
// The target id (15444-9 C.2.2, D.2.2) is a digest of the instance's frame digests.

import { createHash } from 'node:crypto';
import { MalformedError } from '../bytes';
import { buildPacketIndex, decodePacketIndex, findCodestream, type PacketIndex } from '../j2k';
import { prepareFrame, type CodestreamReader, type FrameModel } from '../jpip';
import type { BlobStore, FrameRecord } from '../store/types';

export interface JpipFrameCacheOptions {
  /** Memory bound of the cached frame models (default 64 MiB). */
  maxBytes?: number;
}

/** Stable target id: changes whenever any frame's bytes change (DICOM-JPIP.md §2.1). */
export function targetId(sopInstanceUid: string, frames: readonly FrameRecord[]): string {
  const h = createHash('sha256').update(`fovea-jpip-tid-1\n${sopInstanceUid}\n`);
  for (const f of frames) h.update(`${f.frameNumber}:${f.sha256}\n`);
  return `T${h.digest('hex').slice(0, 32)}`;
}

function frameKey(f: FrameRecord): string {
  return `${f.framesKey}@${f.offset}+${f.length}#${f.sha256}`;
}

/** Reads bytes of one frame's codestream (offset 0 = SOC), never past its end. */
export function codestreamReader(blobs: BlobStore, f: FrameRecord, codestreamLength: number): CodestreamReader {
  const base = f.offset + f.codestreamOffset;
  return {
    read: async (offset: number, length: number): Promise<Uint8Array> => {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > codestreamLength) {
        throw new MalformedError('JPIP_READ_OUT_OF_RANGE', `bytes ${offset}+${length} outside the ${codestreamLength}-byte codestream`);
      }
      if (length === 0) return new Uint8Array(0);
      return blobs.read(f.framesKey, base + offset, length);
    },
  };
}

export interface LoadedFrame {
  model: FrameModel;
  reader: CodestreamReader;
}

export class JpipFrameCache {
  private readonly entries = new Map<string, FrameModel>();
  private readonly pending = new Map<string, Promise<FrameModel>>();
  private total = 0;
  private readonly maxBytes: number;

  constructor(private readonly blobs: BlobStore, options: JpipFrameCacheOptions = {}) {
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  get cachedBytes(): number {
    return this.total;
  }

  async load(f: FrameRecord): Promise<LoadedFrame> {
    const key = frameKey(f);
    let model = this.entries.get(key);
    if (model !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, model); // most recently used last
    } else {
      let p = this.pending.get(key);
      if (p === undefined) {
        p = this.prepare(f).finally(() => this.pending.delete(key));
        this.pending.set(key, p);
      }
      model = await p;
      if (!this.entries.has(key)) this.insert(key, model);
    }
    return { model, reader: codestreamReader(this.blobs, f, model.index.codestreamLength) };
  }

  private insert(key: string, model: FrameModel): void {
    this.entries.set(key, model);
    this.total += model.approxBytes;
    for (const [k, m] of this.entries) {
      if (this.total <= this.maxBytes || k === key) break;
      this.entries.delete(k);
      this.total -= m.approxBytes;
    }
  }

  private async prepare(f: FrameRecord): Promise<FrameModel> {
    let index: PacketIndex;
    if (f.packetIndex !== null) {
      index = decodePacketIndex(f.packetIndex);
    } else {
      const bytes = await this.blobs.read(f.framesKey, f.offset, f.length);
      const loc = findCodestream(bytes);
      index = buildPacketIndex(bytes.subarray(loc.offset, loc.offset + loc.length));
    }
    if (index.codestreamLength > f.length - f.codestreamOffset) {
      throw new MalformedError('JPIP_INDEX_MISMATCH', `packet index of frame ${f.frameNumber} is longer than the stored frame`);
    }
    return prepareFrame(index, codestreamReader(this.blobs, f, index.codestreamLength));
  }
}
