// The two ways tests reach real DICOM objects and J2K conformance codestreams:
// - fixturePath: small copies (each under ~160 KB) of corpus files, committed in
//   test/fixtures/corpus (listed with provenance and licence in its MANIFEST.md). Unit tests use
//   these, so they run on a plain clone.
// - corpusPath: the larger real corpus outside this repository, FOVEA_TEST_DATA (default
//   ../shared/data beside the checkout: see its MANIFEST.md), for large files and sweeps over
//   whole folders; suites using it carry the first-line `// @needs-corpus` marker that
//   jest.config.js reads. FOVEA_PEER_TOOLS (default ../shared/tools/peers) holds the peer
//   scripts. No test spells those paths itself.

import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..');

/** Root of the corpus (folders dicom/ and j2k/). */
export const CORPUS_DIR = path.resolve(process.env['FOVEA_TEST_DATA'] ?? path.join(REPO, '..', 'shared', 'data'));
/** Root of the committed small copies of corpus files (folders dicom/ and j2k/). */
export const FIXTURE_DIR = path.join(REPO, 'test', 'fixtures', 'corpus');
/** The peer scripts (orthanc.sh, opj-jpip-server.sh, ...). */
export const PEER_TOOLS_DIR = path.resolve(
  process.env['FOVEA_PEER_TOOLS'] ?? path.join(REPO, '..', 'shared', 'tools', 'peers'),
);

/** A path inside the corpus, e.g. corpusPath('dicom', 'CT_small.dcm'). */
export function corpusPath(...parts: string[]): string {
  return path.join(CORPUS_DIR, ...parts);
}

/** A path inside the committed small copies, e.g. fixturePath('dicom', 'CT_small.dcm'). */
export function fixturePath(...parts: string[]): string {
  return path.join(FIXTURE_DIR, ...parts);
}
