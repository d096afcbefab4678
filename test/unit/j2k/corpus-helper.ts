// Shared loading of the J2K corpus (../shared/data/j2k, described in its MANIFEST.md).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findCodestream } from '../../../src/j2k';
import { corpusPath } from '../../corpus';

export const J2K_DIR = corpusPath('j2k');

export function corpusFiles(): string[] {
  return fs
    .readdirSync(J2K_DIR)
    .filter((f) => /\.(j2k|j2c|jp2|jph|jhc)$/.test(f))
    .sort();
}

export function loadCodestream(name: string): Uint8Array {
  const bytes = new Uint8Array(fs.readFileSync(path.join(J2K_DIR, name)));
  const loc = findCodestream(bytes);
  return bytes.subarray(loc.offset, loc.offset + loc.length);
}

export function loadFile(name: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(J2K_DIR, name)));
}
