// The DICOMweb route table (PS3.18 §10): STOW-RS, QIDO-RS and WADO-RS resources, mounted by
// app.ts under /dicomweb. One line per resource, each stating the permission it needs (needs(),
// src/http/auth.ts; docs/security.md); the handlers live one file per service.

import { Router } from 'express';
import type { FrameRenderer } from '../../frames';
import type { Ingestor } from '../../ingest';
import type { Logger } from '../../log';
import type { RetrieveService } from '../../retrieve';
import type { InstanceStore } from '../../store';
import { needs } from '../auth';
import { DEFAULT_MULTIPART_LIMITS, type MultipartLimits } from '../multipart-reader';
import { qidoHandler } from './qido-rs';
import { renderedHandler } from './rendered';
import { DEFAULT_MEMORY_PART_BYTES, stowHandler } from './stow-rs';
import { dicomwebUrls } from './urls';
import { bulkdataHandler, framesHandler, instancesHandler, metadataHandler } from './wado-rs';

export interface DicomwebLimits {
  maxBodyBytes: number;
  maxPartBytes: number;
  maxParts: number;
  maxHeaderBytes?: number;
  /** Longest multipart boundary accepted (default 256; RFC 2046's 70 is always accepted). */
  maxBoundaryLength?: number;
  /** STOW-RS parts up to this size are ingested from memory, larger ones from a temp file (default 16 MiB). */
  memoryPartBytes?: number;
}

export interface DicomwebDeps {
  ingestor: Ingestor;
  store: InstanceStore;
  retrieve: RetrieveService;
  /** Base of every URL handed out, e.g. "https://gw.example" (no trailing slash needed). */
  publicUrl: string;
  /** Folder for STOW-RS temporary part files. */
  tmpDir: string;
  limits: DicomwebLimits;
  logger: Logger;
  /** Where app.ts mounts the router; default "/dicomweb". */
  mountPath?: string;
  /** Renders /rendered and /thumbnail (PS3.18 §10.4.1.1.4, §10.4.3); without it those
   *  resources are not routed. */
  renderer?: FrameRenderer;
}

export function createDicomwebRouter(deps: DicomwebDeps): Router {
  const urls = dicomwebUrls(deps.publicUrl, deps.mountPath ?? '/dicomweb');
  const limits: MultipartLimits = {
    maxBodyBytes: deps.limits.maxBodyBytes,
    maxPartBytes: deps.limits.maxPartBytes,
    maxParts: deps.limits.maxParts,
    maxHeaderBytes: deps.limits.maxHeaderBytes ?? DEFAULT_MULTIPART_LIMITS.maxHeaderBytes,
    maxBoundaryLength: deps.limits.maxBoundaryLength ?? DEFAULT_MULTIPART_LIMITS.maxBoundaryLength,
  };
  const wado = { store: deps.store, retrieve: deps.retrieve, urls };
  const qido = {
    store: deps.store,
    urls,
    transferSyntaxesFor: (sop: string) => deps.retrieve.transferSyntaxesFor(sop),
  };
  const stow = stowHandler({
    ingestor: deps.ingestor,
    tmpDir: deps.tmpDir,
    limits,
    urls,
    logger: deps.logger,
    memoryPartBytes: deps.limits.memoryPartBytes ?? DEFAULT_MEMORY_PART_BYTES,
  });
  const s = '/studies/:study';
  const se = `${s}/series/:series`;
  const i = `${se}/instances/:instance`;
  const r = Router({ caseSensitive: true, strict: false });
  // STOW-RS §10.5
  r.post('/studies', needs('write'), stow);
  r.post(s, needs('write'), stow);
  // QIDO-RS §10.6
  r.get('/studies', needs('read'), qidoHandler(qido, 'study'));
  r.get('/series', needs('read'), qidoHandler(qido, 'series'));
  r.get('/instances', needs('read'), qidoHandler(qido, 'instance'));
  r.get(`${s}/series`, needs('read'), qidoHandler(qido, 'series'));
  r.get(`${s}/instances`, needs('read'), qidoHandler(qido, 'instance'));
  r.get(`${se}/instances`, needs('read'), qidoHandler(qido, 'instance'));
  // WADO-RS §10.4
  r.get(s, needs('read'), instancesHandler(wado));
  r.get(se, needs('read'), instancesHandler(wado));
  r.get(i, needs('read'), instancesHandler(wado));
  r.get(`${s}/metadata`, needs('read'), metadataHandler(wado));
  r.get(`${se}/metadata`, needs('read'), metadataHandler(wado));
  r.get(`${i}/metadata`, needs('read'), metadataHandler(wado));
  r.get(`${i}/frames/:frames`, needs('read'), framesHandler(wado));
  r.get(`${i}/bulkdata/*tagpath`, needs('read'), bulkdataHandler(wado));
  // Rendered §10.4.1.1.4 and thumbnail §10.4.3 resources
  const renderer = deps.renderer;
  if (renderer !== undefined) {
    for (const base of [s, se, i, `${i}/frames/:frames`]) {
      r.get(`${base}/rendered`, needs('read'), renderedHandler(renderer, 'rendered'));
      r.get(`${base}/thumbnail`, needs('read'), renderedHandler(renderer, 'thumbnail'));
    }
  }
  return r;
}
