// A real SQLite store on a temp folder with real JPEG 2000 DICOM files ingested through the real
// pipeline (packet index built at ingest), for the frames/ and jpip-service/ unit tests: no HTTP.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCodecs, type Codecs } from '../../../src/codec';
import { createIngestor } from '../../../src/ingest';
import { createLogger } from '../../../src/log';
import { openStore, type OpenedStore } from '../../../src/store';
import { fixturePath } from '../../corpus';

/** The small copies of corpus files (test/fixtures/corpus/dicom) both picks below come from. */
export const DICOM_DIR = fixturePath('dicom');
/** 64x64 MONOCHROME2, one JPEG 2000 Lossless frame. */
export const SINGLE_FRAME = 'MR_small_jp2klossless.dcm';
/** 64x64 MONOCHROME2, ten JPEG 2000 Lossless frames. */
export const MULTI_FRAME = 'emri_small_jpeg_2k_lossless.dcm';

export interface IngestedStore {
  dir: string;
  store: OpenedStore;
  codecs: Codecs;
  /** SOP Instance UID by file name. */
  sop: Map<string, string>;
  close(): void;
}

export async function ingestedStore(files: readonly string[]): Promise<IngestedStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-unit-frames-'));
  const store = openStore({ dataDir: dir });
  const codecs = await loadCodecs();
  const ingestor = createIngestor({
    store,
    codecs,
    publicUrl: 'http://127.0.0.1:1',
    logger: createLogger('silent'),
    maxObjectBytes: 1 << 30,
  });
  const sop = new Map<string, string>();
  for (const name of files) {
    const r = await ingestor.ingestFile(path.join(DICOM_DIR, name));
    if (r.status === 'failed') throw new Error(`${name}: ${r.error.code}`);
    sop.set(name, r.sopInstanceUid);
  }
  return {
    dir,
    store,
    codecs,
    sop,
    close: () => {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function uidOf(s: IngestedStore, name: string): string {
  const uid = s.sop.get(name);
  if (uid === undefined) throw new Error(`${name} was not ingested`);
  return uid;
}

export async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}
