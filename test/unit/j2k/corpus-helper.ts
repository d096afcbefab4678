// Shared loading of J2K codestreams: named small files from their copies in
// test/fixtures/corpus/j2k (loadCodestream, loadFile), and the whole corpus
// (../shared/data/j2k, described in its MANIFEST.md) for sweeps and large files (corpusFiles,
// loadCorpusCodestream, loadCorpusFile).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findCodestream } from '../../../src/j2k';
import { corpusPath, fixturePath } from '../../corpus';

export const J2K_DIR = corpusPath('j2k');
export const FIXTURE_J2K_DIR = fixturePath('j2k');

export function corpusFiles(): string[] {
  return fs
    .readdirSync(J2K_DIR)
    .filter((f) => /\.(j2k|j2c|jp2|jph|jhc)$/.test(f))
    .sort();
}

function codestreamOf(bytes: Uint8Array): Uint8Array {
  const loc = findCodestream(bytes);
  return bytes.subarray(loc.offset, loc.offset + loc.length);
}

/** The codestream of a small file (inside its JP2 box if it has one), from test/fixtures/corpus/j2k. */
export function loadCodestream(name: string): Uint8Array {
  return codestreamOf(loadFile(name));
}

/** The bytes of a small file, from test/fixtures/corpus/j2k. */
export function loadFile(name: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(FIXTURE_J2K_DIR, name)));
}

/** The codestream of a corpus file (needs FOVEA_TEST_DATA). */
export function loadCorpusCodestream(name: string): Uint8Array {
  return codestreamOf(loadCorpusFile(name));
}

/** The bytes of a corpus file (needs FOVEA_TEST_DATA). */
export function loadCorpusFile(name: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(J2K_DIR, name)));
}
