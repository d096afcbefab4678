// Ingest refuses what it cannot store whole (issue #2 "Errors": never a lost instance): pixel data
// in an unknown transfer syntax, a missing Study Instance UID, a truncated file — each
// a typed failure with its DICOM Failure Reason, and nothing left in the store or on disk.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { bufferSource } from '../../../src/bytes';
import { parseDicom, encodePart10, Tags } from '../../../src/dicom';
import { FailureReason, type IngestFailure, type Ingestor } from '../../../src/ingest';
import type { OpenedStore } from '../../../src/store';
import { fixturePath } from '../../corpus';
import { openTempIngestor } from './temp-ingestor';

const CT_SMALL = fixturePath('dicom', 'CT_small.dcm');

let dir: string;
let store: OpenedStore;
let ingestor: Ingestor;

let close: () => void;

beforeAll(async () => {
  ({ dir, store, ingestor, close } = await openTempIngestor('fovea-ingest-'));
});
afterAll(() => close());

function variant(edit: (ds: ReturnType<typeof parseDicom>['dataset']) => void, ts?: string): Uint8Array {
  const parsed = parseDicom(bufferSource(new Uint8Array(fs.readFileSync(CT_SMALL))));
  const ds = parsed.dataset.clone();
  edit(ds);
  return encodePart10(ds, ts ?? parsed.transferSyntaxUid, { source: parsed.source });
}

function expectNothingStored(): void {
  expect(
    store.instances.query({
      level: 'instance',
      matches: [],
      includeFields: [],
      fuzzyMatching: false,
      limit: 10,
      offset: 0,
    }).items,
  ).toEqual([]);
  expect(fs.readdirSync(path.join(dir, 'objects'))).toEqual([]);
}

test('pixel data in an unknown transfer syntax is refused, not stored without its pixels', async () => {
  // Written as Explicit VR LE but labelled with a syntax nobody defines.
  const bytes = variant(() => undefined, '1.2.840.10008.1.2.1');
  const meta = Buffer.from(bytes);
  const at = meta.indexOf('1.2.840.10008.1.2.1\0');
  expect(at).toBeGreaterThan(0);
  meta.write('1.2.840.99999.9.9.9', at, 'latin1');
  const r = (await ingestor.ingestBytes(meta)) as IngestFailure;
  expect(r.status).toBe('failed');
  expect(r.error.code).toBe('INGEST_TRANSFER_SYNTAX_UNSUPPORTED');
  expect(r.failureReason).toBe(FailureReason.TransferSyntaxNotSupported);
  expectNothingStored();
});

test('a missing Study Instance UID is 0xA900 and a truncated file 0xC000; nothing is stored', async () => {
  const noStudy = (await ingestor.ingestBytes(variant((ds) => ds.delete(Tags.StudyInstanceUID)))) as IngestFailure;
  expect([noStudy.status, noStudy.error.code, noStudy.failureReason]).toEqual([
    'failed',
    'INGEST_MISSING_UID',
    FailureReason.DataSetDoesNotMatchSopClass,
  ]);
  const whole = fs.readFileSync(CT_SMALL);
  const cut = (await ingestor.ingestBytes(whole.subarray(0, Math.floor(whole.length / 2)))) as IngestFailure;
  expect(cut.status).toBe('failed');
  expect(cut.failureReason).toBe(FailureReason.CannotUnderstand);
  expectNothingStored();
});
