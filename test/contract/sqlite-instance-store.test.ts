// Runs the InstanceStore contract suite against the SQLite implementation on a temp folder.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore } from '../../src/store';
import { runInstanceStoreContract } from './instance-store.case';

runInstanceStoreContract('SQLite', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-store-'));
  const opened = openStore({ dataDir });
  const others: { close(): void }[] = [];
  return {
    store: opened.instances,
    otherWriter: () => {
      // A second connection to the same SQLite file, as another `fovea` process would open.
      const other = openStore({ dataDir });
      others.push(other);
      return other.instances;
    },
    cleanup: () => {
      for (const o of others) o.close();
      opened.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
