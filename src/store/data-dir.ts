// Creates the data folder (and its objects/, tmp/ subfolders) or finds it usable, turning the raw
// file-system failures (EEXIST, ENOTDIR, EACCES...) into a typed StoreSetupError that names the
// path: STORE_DATA_DIR_NOT_A_FOLDER (it, or a parent, exists as a file) or
// STORE_DATA_DIR_NOT_WRITABLE (no permission, read-only file system). The CLI maps both to its
// configuration exit code (src/cli/exit-codes.ts).

import * as fs from 'node:fs';
import { StoreSetupError } from './errors';
import { isErrno } from './fs-errors';

const NOT_A_FOLDER = ['EEXIST', 'ENOTDIR'];
const NOT_WRITABLE = ['EACCES', 'EPERM', 'EROFS'];

function notAFolder(dir: string, cause: unknown): StoreSetupError {
  return new StoreSetupError(
    'STORE_DATA_DIR_NOT_A_FOLDER',
    `the data folder ${dir} (or one of its parents) exists and is not a folder`,
    { cause, context: dir },
  );
}

function notWritable(dir: string, cause: unknown): StoreSetupError {
  return new StoreSetupError('STORE_DATA_DIR_NOT_WRITABLE', `the data folder ${dir} is not writable`, {
    cause,
    context: dir,
  });
}

/** mkdir -p `dir`, then checks that it is a folder this process can write to. */
export function ensureDataFolder(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    if (NOT_A_FOLDER.some((c) => isErrno(err, c))) throw notAFolder(dir, err);
    if (NOT_WRITABLE.some((c) => isErrno(err, c))) throw notWritable(dir, err);
    throw err;
  }
  // mkdirSync with recursive: true does not fail on an existing non-folder on every platform.
  if (!fs.statSync(dir).isDirectory()) throw notAFolder(dir, undefined);
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw notWritable(dir, err);
  }
}
