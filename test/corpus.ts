// The one way tests reach the larger real corpus and the peer scripts outside this repository:
// FOVEA_TEST_DATA (default ../shared/data beside the checkout: DICOM objects and J2K conformance
// codestreams, see its MANIFEST.md) and FOVEA_PEER_TOOLS (default ../shared/tools/peers). No test
// spells those paths itself. The small fixtures unit tests own live in test/fixtures/.

import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..');

/** Root of the corpus (folders dicom/ and j2k/). */
export const CORPUS_DIR = path.resolve(process.env['FOVEA_TEST_DATA'] ?? path.join(REPO, '..', 'shared', 'data'));
/** The peer scripts (orthanc.sh, opj-jpip-server.sh, ...). */
export const PEER_TOOLS_DIR = path.resolve(
  process.env['FOVEA_PEER_TOOLS'] ?? path.join(REPO, '..', 'shared', 'tools', 'peers'),
);

/** A path inside the corpus, e.g. corpusPath('dicom', 'CT_small.dcm'). */
export function corpusPath(...parts: string[]): string {
  return path.join(CORPUS_DIR, ...parts);
}
