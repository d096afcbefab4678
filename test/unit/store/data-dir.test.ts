// A data folder that cannot be used (src/store/data-dir.ts): a path that exists as a file, a path
// under a file, or objects/ or tmp/ existing as files inside it is STORE_DATA_DIR_NOT_A_FOLDER,
// never a raw EEXIST/ENOTDIR; the CLI prints it as one line naming the path with a hint, and exits
// with its configuration code 2 (src/cli/exit-codes.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, StoreSetupError } from '../../../src/store';
import { EXIT, errorLine, exitCodeFor } from '../../../src/cli/exit-codes';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('a data folder that is not a folder', () => {
  let work: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-data-dir-'));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it.each([
    ['the data path is a file', (file: string) => file],
    ['the data path is under a file', (file: string) => path.join(file, 'data')],
  ])('%s: STORE_DATA_DIR_NOT_A_FOLDER, exit 2', (_name, dataDirOf) => {
    const file = path.join(work, 'data.txt');
    fs.writeFileSync(file, 'not a folder');
    const dataDir = dataDirOf(file);
    const err = thrownBy(() => openStore({ dataDir }));
    expect(err).toBeInstanceOf(StoreSetupError);
    expect((err as StoreSetupError).code).toBe('STORE_DATA_DIR_NOT_A_FOLDER');
    expect(exitCodeFor(err)).toBe(EXIT.usage);
    expect(errorLine(err)).toBe(
      `fovea: the data folder ${dataDir} (or one of its parents) exists and is not a folder ` +
        '(STORE_DATA_DIR_NOT_A_FOLDER); choose the data folder with --data or FOVEA_DATA',
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it.each(['objects', 'tmp'])('%s/ existing as a file inside it: STORE_DATA_DIR_NOT_A_FOLDER', (sub) => {
    fs.writeFileSync(path.join(work, sub), '');
    const err = thrownBy(() => openStore({ dataDir: work }));
    expect((err as StoreSetupError).code).toBe('STORE_DATA_DIR_NOT_A_FOLDER');
    expect((err as StoreSetupError).message).toContain(path.join(work, sub));
  });

  it('a usable folder opens (and a missing one is created)', () => {
    const store = openStore({ dataDir: path.join(work, 'new', 'data') });
    store.close();
    expect(fs.statSync(path.join(work, 'new', 'data', 'objects')).isDirectory()).toBe(true);
  });

  it('other errors keep the internal exit code 3', () => {
    expect(exitCodeFor(new Error('boom'))).toBe(EXIT.internal);
    expect(exitCodeFor(Object.assign(new Error('x'), { code: 'STORE_SCHEMA_TOO_NEW' }))).toBe(EXIT.internal);
    expect(exitCodeFor(Object.assign(new Error('x'), { code: 'CONFIG_NOT_INTEGER' }))).toBe(EXIT.usage);
  });
});
