// Objects Fovea cannot transcode are kept as received (issue 9 defect 3), through the one ingest
// pipeline `fovea import`, STOW-RS and DIMSE share: the outcome is a success naming the codec
// limit, object.dcm holds the received bytes exactly, there are no frame rows, and the refusals
// that are not codec limits (a truncated object, pixels in an unknown syntax) stay refusals.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IngestOutcome, Ingestor } from '../../../src/ingest';
import { objectBlobKey, type OpenedStore } from '../../../src/store';
import { edgeObjects } from '../../fixtures/make/edge-objects';
import { openTempIngestor } from './temp-ingestor';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const fixture = (...p: string[]): string => path.join(FIXTURES, ...p);

let dir: string;
let store: OpenedStore;
let ingestor: Ingestor;

let close: () => void;

beforeAll(async () => {
  ({ dir, store, ingestor, close } = await openTempIngestor('fovea-as-received-'));
});
afterAll(() => close());

async function expectKept(outcome: IngestOutcome, reason: string, sent: Uint8Array): Promise<void> {
  if (outcome.status === 'failed') throw new Error(`refused: ${outcome.error.code}`);
  expect(outcome.status).toBe('stored');
  expect(outcome.asReceivedReason).toBe(reason);
  const rec = store.instances.getInstance(outcome.sopInstanceUid);
  expect(rec?.asReceivedReason).toBe(reason);
  expect(store.instances.listFrames(outcome.sopInstanceUid)).toEqual([]);
  const key = objectBlobKey(rec?.versionKey ?? '');
  const stored = await store.blobs.read(key, 0, await store.blobs.size(key));
  expect(Buffer.from(stored).equals(Buffer.from(sent))).toBe(true);
}

test.each([
  ['liver_1frame.dcm', 'CODEC_ENCODE_BITS_ALLOCATED'], // SEG, Bits Allocated 1
  ['SC_rgb_rle_16bit.dcm', 'CODEC_ENCODE_16BIT_COLOUR'],
  ['rtdose_expb_1frame.dcm', 'CODEC_UNSUPPORTED_BITS_ALLOCATED'], // 32-bit, Big Endian
  ['JPGExtended.dcm', 'CODEC_JPEG_12BIT'],
  ['JPEG2000-embedded-sequence-delimiter.dcm', 'J2K_LIMIT_TILES'], // a J2K the indexer cannot take
])('%s (refused with %s before) is stored as received, byte for byte', async (name, reason) => {
  const file = fixture('as-received', name);
  await expectKept(await ingestor.ingestFile(file), reason, fs.readFileSync(file));
});

test('12-bit extended JPEG made by DCMTK (codec fixture) is kept as received', async () => {
  const file = fixture('codec', 'emri_small_jpeg_ext12.dcm');
  await expectKept(await ingestor.ingestFile(file), 'CODEC_JPEG_12BIT', fs.readFileSync(file));
});

test('generated edge objects: float, double float, 1-bit odd lengths, 32-bit, MPEG-2, JPEG XL', async () => {
  const reasons = new Map<string, string>([
    ['float pixel data', 'INGEST_FLOAT_PIXEL_DATA'],
    ['double float pixel data', 'INGEST_FLOAT_PIXEL_DATA'],
    ['1-bit 3x5 (odd length)', 'CODEC_ENCODE_BITS_ALLOCATED'],
    ['1-bit 2 frames of 3x3', 'CODEC_ENCODE_BITS_ALLOCATED'],
    ['bits allocated 32', 'CODEC_UNSUPPORTED_BITS_ALLOCATED'],
    ['MPEG-2 video', 'INGEST_TRANSFER_SYNTAX_UNSUPPORTED'],
    ['JPEG XL', 'INGEST_TRANSFER_SYNTAX_UNSUPPORTED'],
  ]);
  const { asReceived, transcoded } = edgeObjects();
  for (const o of asReceived) await expectKept(await ingestor.ingestBytes(o.bytes), reasons.get(o.name) ?? '', o.bytes);
  // Odd rows x columns at 8 bits is within the codecs: transcoded to J2K as usual.
  for (const o of transcoded) {
    const r = await ingestor.ingestBytes(o.bytes);
    expect(r.status === 'failed' ? r.error.code : r.asReceivedReason).toBeNull();
    expect(store.instances.listFrames(o.sop)).toHaveLength(1);
  }
});

test('a re-sent object kept as received is unchanged and still reports its reason', async () => {
  const file = fixture('as-received', 'liver_1frame.dcm');
  const again = await ingestor.ingestFile(file);
  expect(again.status === 'failed' ? again.error.code : [again.status, again.asReceivedReason]).toEqual([
    'unchanged',
    'CODEC_ENCODE_BITS_ALLOCATED',
  ]);
});

test('a truncated object is still refused, not kept: truncation is not a codec limit', async () => {
  const whole = fs.readFileSync(fixture('as-received', 'SC_rgb_rle_16bit.dcm'));
  const cut = await ingestor.ingestBytes(whole.subarray(0, whole.length - 100));
  expect(cut.status).toBe('failed');
});

test('ingestBytes of a Node Buffer: the Big Endian object is stored byte for byte and the buffer left as sent', async () => {
  // Buffer#slice is a view: the parser's Big Endian value swap once rewrote the caller's bytes.
  const file = fixture('as-received', 'rtdose_expb_1frame.dcm');
  const sent = fs.readFileSync(file);
  const before = Buffer.from(sent);
  const r = await ingestor.ingestBytes(sent);
  expect(sent.equals(before)).toBe(true);
  expect(r.status === 'failed' ? r.error.code : r.status).toBe('unchanged');
});

test('the discarded transcode attempts leave no temp file and no journalled version', () => {
  const tmp = path.join(dir, 'tmp');
  expect(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []).toEqual([]);
  expect(store.instances.pendingVersions(Date.now() + 1000)).toEqual([]);
});
