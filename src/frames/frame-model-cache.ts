// The one byte-bounded LRU of prepared frame models (decoded packet index, parsed main and tile
// headers, geometry; ISO/IEC 15444-9 Annex A bins over a 15444-1 codestream), shared by the JPIP
// service and the rendered/thumbnail/WADO-URI renderer so that each frame is prepared once. A frame
// stored without a packet index (ingest could not build one) is indexed here from its bytes, once.
// Concurrent loads of one frame share one preparation. Not persisted: the cache starts cold.

import { MalformedError } from '../bytes';
import { buildPacketIndex, decodePacketIndex, findCodestream, type PacketIndex } from '../j2k';
import { prepareFrame, type CodestreamReader, type FrameModel } from '../jpip';
import type { BlobStore, FrameRecord } from '../store';
import { codestreamReader } from './codestream-reader';

export const DEFAULT_FRAME_CACHE_BYTES = 64 * 1024 * 1024;

export interface FrameModelCacheOptions {
  /** Memory bound of the cached frame models (default 64 MiB). */
  maxBytes?: number;
}

export interface LoadedFrame {
  model: FrameModel;
  reader: CodestreamReader;
}

function frameKey(f: FrameRecord): string {
  return `${f.framesKey}@${f.offset}+${f.length}#${f.sha256}`;
}

export class FrameModelCache {
  private readonly entries = new Map<string, FrameModel>();
  private readonly pending = new Map<string, Promise<FrameModel>>();
  private total = 0;
  private prepared = 0;
  readonly maxBytes: number;

  constructor(
    private readonly blobs: BlobStore,
    options: FrameModelCacheOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_FRAME_CACHE_BYTES;
  }

  /** Approximate bytes held (sum of FrameModel.approxBytes); at most maxBytes unless one model alone is larger. */
  get cachedBytes(): number {
    return this.total;
  }

  /** How many frame models were prepared (cache misses) since start. */
  get loads(): number {
    return this.prepared;
  }

  /** The frame's model (prepared once, then from the cache) and a reader over its codestream. */
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
    this.prepared += 1;
    let index: PacketIndex;
    if (f.packetIndex !== null) {
      index = decodePacketIndex(f.packetIndex);
    } else {
      const bytes = await this.blobs.read(f.framesKey, f.offset, f.length);
      const loc = findCodestream(bytes);
      index = buildPacketIndex(bytes.subarray(loc.offset, loc.offset + loc.length));
    }
    if (index.codestreamLength > f.length - f.codestreamOffset) {
      throw new MalformedError(
        'JPIP_INDEX_MISMATCH',
        `packet index of frame ${f.frameNumber} is longer than the stored frame`,
      );
    }
    return prepareFrame(index, codestreamReader(this.blobs, f, index.codestreamLength));
  }
}
