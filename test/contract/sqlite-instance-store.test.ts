// Runs the InstanceStore contract suite against the SQLite implementation on a temp folder.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore } from '../../src/store';
import { runInstanceStoreContract } from './instance-store.case';

runInstanceStoreContract('SQLite', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-store-'));
  const opened = openStore({ dataDir });
  return {
    store: opened.instances,
    cleanup: () => {
      opened.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
