// Loading the query corpus: synthetic small JPEG 2000 instances (clones of
// MR_small_jp2klossless.dcm with new UIDs, patients, dates) sent by STOW-RS in batches to every
// server, or — for the 100 000-instance Fovea measurement — ingested directly with the ingest
// pipeline on the gateway's data folder while the gateway is stopped.

import * as path from 'node:path';
import { loadCodecs } from '../src/codec';
import { createIngestor } from '../src/ingest';
import { createLogger } from '../src/log';
import { openStore } from '../src/store';
import { stow } from './http-client';
import { SHARED, type Peer } from './processes';
import {
  cloneInstance,
  corpusBatches,
  loadTemplate,
  newUid,
  type CorpusLayout,
  type CorpusStudy,
  type Template,
} from './synth';

export const CORPUS_LAYOUT: CorpusLayout = { instancesPerSeries: 10, seriesPerStudy: 1, studiesPerPatient: 2 };
const BATCH = 100;

export function corpusTemplate(): Template {
  return loadTemplate(path.join(SHARED, 'data/dicom/MR_small_jp2klossless.dcm'));
}

export interface LoadReport {
  /** Seconds spent in requests (or ingest calls) per server name. */
  seconds: Map<string, number>;
  instances: number;
  failed: Map<string, number>;
}

async function sendBatch(peers: readonly Peer[], batch: Uint8Array[], report: LoadReport): Promise<void> {
  for (const peer of peers) {
    const r = await stow(
      peer.dicomweb,
      batch.map((bytes) => ({ bytes })),
    );
    report.seconds.set(peer.name, (report.seconds.get(peer.name) ?? 0) + r.ms / 1000);
    const failed = r.stored === batch.length ? 0 : batch.length - r.stored;
    if (failed > 0) report.failed.set(peer.name, (report.failed.get(peer.name) ?? 0) + failed);
  }
  report.instances += batch.length;
}

function emptyReport(): LoadReport {
  return { seconds: new Map(), instances: 0, failed: new Map() };
}

/** One study with one series of `count` instances, sent to every peer. Returns its UIDs. */
export async function loadBigSeries(
  t: Template,
  peers: readonly Peer[],
  count: number,
): Promise<{ study: string; series: string; report: LoadReport }> {
  const study = newUid();
  const series = newUid();
  const report = emptyReport();
  let batch: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    batch.push(
      cloneInstance(t, {
        study,
        series,
        sop: newUid(),
        patientName: 'BENCH^BIGSERIES',
        patientId: 'BIGSERIES',
        studyDate: '20240101',
        instanceNumber: i + 1,
      }),
    );
    if (batch.length === BATCH || i === count - 1) {
      await sendBatch(peers, batch, report);
      batch = [];
    }
  }
  return { study, series, report };
}

/** `studies` corpus studies numbered from `first`, sent by STOW-RS to every peer. */
export async function loadCorpus(
  t: Template,
  peers: readonly Peer[],
  first: number,
  studies: number,
  out: CorpusStudy[],
): Promise<LoadReport> {
  const report = emptyReport();
  for (const batch of corpusBatches(t, first, studies, CORPUS_LAYOUT, BATCH, out))
    await sendBatch(peers, batch, report);
  return report;
}

/**
 * `studies` corpus studies ingested straight into the data folder with the ingest pipeline (the
 * gateway must be stopped). Same code path as STOW-RS after the multipart parsing.
 */
export async function ingestCorpus(
  t: Template,
  dataDir: string,
  first: number,
  studies: number,
  out: CorpusStudy[],
  progress: (done: number) => void,
): Promise<LoadReport> {
  const report = emptyReport();
  const store = openStore({ dataDir });
  try {
    const ingestor = createIngestor({
      store,
      codecs: await loadCodecs(),
      publicUrl: 'http://127.0.0.1',
      logger: createLogger('error'),
      maxObjectBytes: 1 << 30,
    });
    const start = process.hrtime.bigint();
    let failed = 0;
    for (const batch of corpusBatches(t, first, studies, CORPUS_LAYOUT, 1000, out)) {
      for (const bytes of batch) {
        const o = await ingestor.ingestBytes(bytes);
        if (o.status === 'failed') failed++;
      }
      report.instances += batch.length;
      progress(report.instances);
    }
    report.seconds.set('Fovea', Number(process.hrtime.bigint() - start) / 1e9);
    if (failed > 0) report.failed.set('Fovea', failed);
  } finally {
    store.close();
  }
  return report;
}
