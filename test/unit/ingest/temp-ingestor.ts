// An ingestor over a fresh store in a temporary data folder (real SQLite, real blob files, the real
// codecs), for the ingest unit suites; close() closes the store and removes the folder.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCodecs } from '../../../src/codec';
import { createIngestor, type Ingestor } from '../../../src/ingest';
import { createLogger } from '../../../src/log';
import { openStore, type OpenedStore } from '../../../src/store';

export interface TempIngestor {
  dir: string;
  store: OpenedStore;
  ingestor: Ingestor;
  close(): void;
}

export async function openTempIngestor(prefix: string): Promise<TempIngestor> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const store = openStore({ dataDir: dir });
  const ingestor = createIngestor({
    store,
    codecs: await loadCodecs(),
    publicUrl: 'http://127.0.0.1:1',
    logger: createLogger('silent'),
    maxObjectBytes: 1 << 30,
  });
  return {
    dir,
    store,
    ingestor,
    close: () => {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
