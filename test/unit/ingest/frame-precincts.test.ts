// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Transcoded frames get 128x128 precincts (issue #2: JPIP regions need precincts; the OpenJPEG
// wrapper writes none, so ingest re-partitions with j2k repartitionPrecincts): the stored frame's
// COD, summary and packet index show the grid, and it decodes to the source samples.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bufferSource } from '../../../src/bytes';
import { loadCodecs } from '../../../src/codec';
import { parseDicom, transferSyntax } from '../../../src/dicom';
import { buildPacketIndex, parseMainHeader } from '../../../src/j2k';
import { planFrames } from '../../../src/ingest/frame-producer';
import { corpusPath } from '../../corpus';

const DICOM = corpusPath('dicom');

test.each([
  ['US1_UNCR.dcm', 640, 480],
  ['MR2_UNCR.dcm', 1024, 1024],
])('%s: transcoded frames carry 128x128 precincts and decode to the source', async (file, w, h) => {
  const codecs = await loadCodecs();
  const parsed = parseDicom(bufferSource(new Uint8Array(readFileSync(path.join(DICOM, file)))));
  const ts = transferSyntax(parsed.transferSyntaxUid);
  if (ts === undefined) throw new Error('unknown transfer syntax');
  const plan = planFrames(parsed, ts, codecs);
  if (plan === null) throw new Error('no pixel data');
  const frames = [...plan.produce()];
  expect(frames).toHaveLength(1);
  const cs = frames[0] as Uint8Array;
  const cod = parseMainHeader(cs).cod;
  expect(cod.userPrecincts).toBe(true);
  expect(new Set([...cod.PPx, ...cod.PPy])).toEqual(new Set([7]));
  expect(plan.frames[0]?.summary.precincts).toBe(Array.from({ length: cod.levels + 1 }, () => '128x128').join(','));
  expect(plan.warnings).toEqual([]);
  const finest = buildPacketIndex(cs).precincts.filter((p) => p.component === 0 && p.resolution === cod.levels);
  expect(finest).toHaveLength(Math.ceil(w / 128) * Math.ceil(h / 128));
  const decoded = codecs.decodeJ2k(cs);
  expect([decoded.width, decoded.height]).toEqual([w, h]);
});
