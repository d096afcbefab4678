// Store glue of the rendered resources (PS3.18 §10.4.1.1.4 rendered, §10.4.3 thumbnail, §8.2 WADO-URI
// images): picks the instance a rendered path addresses (study/series level: a representative
// image), loads its stored data set, and gives render/ a byte-range reader over the frame's
// codestream with the frame's prepared model from the shared FrameModelCache. A frame whose index
// cannot be built is rendered from a full read (render/ falls back when `index` is null).
// Not here: query parameters, media types and HTTP (http/dicomweb/rendered.ts, wado-uri.ts).

import { bufferSource, ParseError } from '../bytes';
import type { Codecs } from '../codec';
import { parseDicom, type DicomDataset } from '../dicom';
import { NotAcceptableError, NotFoundError } from '../errors';
import { renderFrame, type RenderOptions, type RenderResult, type StoredCodestream } from '../render';
import { datasetBlobKey, type BlobStore, type FrameRecord, type InstanceRecord, type InstanceStore } from '../store';
import { codestreamReader } from './codestream-reader';
import type { FrameModelCache } from './frame-model-cache';

export interface RenderDeps {
  blobs: BlobStore;
  codecs: Codecs;
  /** The shared frame-model cache (the same instance the JPIP service uses). */
  frames: FrameModelCache;
}

export interface RenderScope {
  study: string;
  series?: string;
  sop?: string;
}

export class FrameRenderer {
  constructor(
    private readonly store: InstanceStore,
    private readonly deps: RenderDeps,
  ) {}

  /** The instance a path names; for study/series paths the middle image of the largest series. */
  instanceFor(scope: RenderScope): InstanceRecord {
    if (scope.sop !== undefined) {
      const rec = this.store.getInstance(scope.sop);
      if (
        rec === undefined ||
        rec.studyInstanceUid !== scope.study ||
        (scope.series !== undefined && rec.seriesInstanceUid !== scope.series)
      ) {
        throw new NotFoundError('DICOMWEB_INSTANCE_NOT_FOUND', 'no such instance in this study/series');
      }
      return rec;
    }
    const all = this.store.listInstances(
      scope.series === undefined
        ? { studyInstanceUid: scope.study }
        : { studyInstanceUid: scope.study, seriesInstanceUid: scope.series },
    );
    if (all.length === 0)
      throw new NotFoundError(
        scope.series === undefined ? 'DICOMWEB_STUDY_NOT_FOUND' : 'DICOMWEB_SERIES_NOT_FOUND',
        `no such ${scope.series === undefined ? 'study' : 'series'}`,
      );
    // Objects kept as received have no stored codestream to render from.
    const images = all.filter((r) => r.numberOfFrames > 0 && r.asReceivedReason === null);
    if (images.length === 0)
      throw new NotAcceptableError(
        'RENDER_NOT_AN_IMAGE',
        `the ${scope.series === undefined ? 'study' : 'series'} has no image to render`,
      );
    const bySeries = new Map<string, InstanceRecord[]>();
    for (const r of images) {
      const list = bySeries.get(r.seriesInstanceUid) ?? [];
      list.push(r);
      bySeries.set(r.seriesInstanceUid, list);
    }
    let best: InstanceRecord[] = [];
    for (const list of bySeries.values()) if (list.length > best.length) best = list;
    best.sort(
      (a, b) => (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0) || (a.sopInstanceUid < b.sopInstanceUid ? -1 : 1),
    );
    return best[Math.floor((best.length - 1) / 2)] as InstanceRecord;
  }

  async dataset(rec: InstanceRecord): Promise<DicomDataset> {
    const key = datasetBlobKey(rec.versionKey);
    const bytes = await this.deps.blobs.read(key, 0, await this.deps.blobs.size(key));
    return parseDicom(bufferSource(bytes), { bulkThreshold: Number.MAX_SAFE_INTEGER }).dataset;
  }

  private async codestream(f: FrameRecord): Promise<StoredCodestream> {
    const length = f.length - f.codestreamOffset;
    try {
      const { model, reader } = await this.deps.frames.load(f);
      return { length: model.index.codestreamLength, reader, index: model.index, htj2k: f.summary.htj2k, model };
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      return { length, reader: codestreamReader(this.deps.blobs, f, length), index: null, htj2k: f.summary.htj2k };
    }
  }

  /** Renders frame `frameNumber` of `rec`; NotAcceptableError for objects without pixels. */
  async render(rec: InstanceRecord, frameNumber: number, options: RenderOptions): Promise<RenderResult> {
    if (rec.asReceivedReason !== null)
      throw new NotAcceptableError(
        'RENDER_STORED_AS_RECEIVED',
        `instance ${rec.sopInstanceUid} is kept as received in ${rec.storedTransferSyntaxUid} (Fovea cannot transcode it: ${rec.asReceivedReason}), so it cannot be rendered; retrieve it as stored`,
      );
    if (rec.numberOfFrames === 0)
      throw new NotAcceptableError('RENDER_NOT_AN_IMAGE', `instance ${rec.sopInstanceUid} has no pixel data to render`);
    const f = this.store.getFrame(rec.sopInstanceUid, frameNumber);
    if (f === undefined)
      throw new NotFoundError(
        'FRAME_NOT_FOUND',
        `instance ${rec.sopInstanceUid} has no frame ${frameNumber} (it has ${rec.numberOfFrames})`,
      );
    const ds = await this.dataset(rec);
    return renderFrame(this.deps.codecs, ds, frameNumber, await this.codestream(f), options);
  }
}
