// The overwrite policy (issue #10, FOVEA_OVERWRITE): a different object under a stored SOP
// Instance UID — the tampering case, same UIDs and another PatientName — is refused by default
// with Failure Reason 0x0111 (Duplicate SOP Instance), leaves the stored version byte-identical
// and no blob or journal entry behind, and is logged with UIDs only; 'always' replaces. Two
// writers with their own queues and database connections (two processes) racing on one UID:
// the store's commit transaction lets exactly one win.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bufferSource } from '../../../src/bytes';
import { loadCodecs, type Codecs } from '../../../src/codec';
import { encodePart10, parseDicom } from '../../../src/dicom';
import { createIngestor, FailureReason, type IngestOutcome, type Ingestor } from '../../../src/ingest';
import { createLogger } from '../../../src/log';
import { openStore, type OpenedStore, type OverwritePolicy } from '../../../src/store';
import { fixturePath } from '../../corpus';

const CT_SMALL = fixturePath('dicom', 'CT_small.dcm');
const AS_RECEIVED = path.join(__dirname, '..', '..', 'fixtures', 'as-received', 'liver_1frame.dcm');

let codecs: Codecs;
let dir: string;
let stores: OpenedStore[];
let logLines: string[];

beforeAll(async () => {
  codecs = await loadCodecs();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-overwrite-'));
  stores = [];
  logLines = [];
});
afterEach(() => {
  for (const s of stores) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An ingestor with its own store connection and queue, as one `fovea` process has. */
function writer(overwrite?: OverwritePolicy): { store: OpenedStore; ingestor: Ingestor } {
  const store = openStore({ dataDir: dir });
  stores.push(store);
  const logger = createLogger('warn', (l) => logLines.push(l));
  const deps = { store, codecs, publicUrl: 'http://127.0.0.1:1', logger, maxObjectBytes: 1 << 30 };
  return { store, ingestor: createIngestor(overwrite === undefined ? deps : { ...deps, overwrite }) };
}

/** The file with another PatientName: same SOP Instance UID, different content. */
function tampered(file: string, name = 'Evil^Mallory'): Uint8Array {
  const parsed = parseDicom(bufferSource(new Uint8Array(fs.readFileSync(file))));
  const ds = parsed.dataset.clone();
  ds.setString(0x00100010, 'PN', name); // (0010,0010) Patient's Name
  return encodePart10(ds, parsed.transferSyntaxUid, { source: parsed.source });
}

/** Every file under objects/ with its SHA-256: the stored blobs, byte for byte. */
function blobsOnDisk(): Record<string, string> {
  const root = path.join(dir, 'objects');
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(root, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(root);
  return out;
}

function sopOf(o: IngestOutcome): string {
  if (o.sopInstanceUid === null) throw new Error('no SOP Instance UID');
  return o.sopInstanceUid;
}

test.each([
  ['CT_small (transcoded to JPEG 2000)', CT_SMALL],
  ['liver_1frame (kept as received)', AS_RECEIVED],
])("default 'never': the tampered %s is refused with 0x0111 and the original stays byte-identical", async (_, file) => {
  const { store, ingestor } = writer();
  const first = await ingestor.ingestFile(file);
  expect(first.status).toBe('stored');
  const sop = sopOf(first);
  const before = store.instances.getInstance(sop);
  const study = before?.studyInstanceUid ?? '';
  const metaBefore = store.instances.metadataJson({ studyInstanceUid: study });
  const blobsBefore = blobsOnDisk();

  const r = await ingestor.ingestBytes(tampered(file));
  expect(r.status).toBe('failed');
  if (r.status !== 'failed') return;
  expect([r.sopInstanceUid, r.failureReason, r.error.code, r.refusedOverwrite]).toEqual([
    sop,
    FailureReason.DuplicateSopInstance,
    'STORE_DUPLICATE_SOP_INSTANCE',
    true,
  ]);
  expect(FailureReason.DuplicateSopInstance).toBe(0x0111);
  expect(store.instances.getInstance(sop)).toEqual(before);
  expect(store.instances.metadataJson({ studyInstanceUid: study })).toBe(metaBefore);
  expect(metaBefore).not.toContain('Mallory');
  expect(blobsOnDisk()).toEqual(blobsBefore);
  expect(store.instances.pendingVersions(Date.now() + 1000)).toEqual([]);
  // The refusal is logged as a warning with UIDs only: no patient name, neither old nor new.
  const refused = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(refused).toEqual([
    expect.objectContaining({ level: 'warn', event: 'ingest.overwrite_refused', sopInstanceUid: sop }),
  ]);
  expect(logLines.join('\n')).not.toMatch(/Mallory|Evil/);
  // Identical content is still a no-op.
  expect((await ingestor.ingestFile(file)).status).toBe('unchanged');
});

test("'always': the tampered object replaces the stored one and the old version's blobs are deleted", async () => {
  const { store, ingestor } = writer('always');
  const first = await ingestor.ingestFile(CT_SMALL);
  const sop = sopOf(first);
  const oldVersion = store.instances.getInstance(sop)?.versionKey ?? '';
  const r = await ingestor.ingestBytes(tampered(CT_SMALL));
  expect(r.status).toBe('replaced');
  const rec = store.instances.getInstance(sop);
  expect(rec?.versionKey).not.toBe(oldVersion);
  expect(store.instances.metadataJson({ studyInstanceUid: rec?.studyInstanceUid ?? '' })).toContain('Evil^Mallory');
  expect(Object.keys(blobsOnDisk()).every((k) => k.startsWith(`${rec?.versionKey ?? '-'}/`))).toBe(true);
  expect(store.instances.pendingVersions(Date.now() + 1000)).toEqual([]);
  expect(logLines).toEqual([]);
});

test('two writers (own queue, own connection) race on a new UID: one is stored, the other refused and cleaned up', async () => {
  const a = writer();
  const b = writer();
  // Both pass the early "already stored?" check before either has committed.
  const [ra, rb] = await Promise.all([
    a.ingestor.ingestBytes(tampered(CT_SMALL, 'Doe^Alice')),
    b.ingestor.ingestBytes(tampered(CT_SMALL, 'Doe^Bob')),
  ]);
  const outcomes = [ra, rb].map((o) => (o.status === 'failed' ? o.error.code : o.status)).sort();
  expect(outcomes).toEqual(['STORE_DUPLICATE_SOP_INSTANCE', 'stored']);
  const sop = sopOf(ra);
  const winner = ra.status === 'stored' ? 'Doe^Alice' : 'Doe^Bob';
  const rec = a.store.instances.getInstance(sop);
  expect(a.store.instances.metadataJson({ studyInstanceUid: rec?.studyInstanceUid ?? '' })).toContain(winner);
  // The loser's blobs are gone and nothing is left journalled.
  expect(Object.keys(blobsOnDisk()).every((k) => k.startsWith(`${rec?.versionKey ?? '-'}/`))).toBe(true);
  expect(a.store.instances.pendingVersions(Date.now() + 1000)).toEqual([]);
});

test("the same race under 'always': both commit, the later replaces", async () => {
  const a = writer('always');
  const b = writer('always');
  const [ra, rb] = await Promise.all([
    a.ingestor.ingestBytes(tampered(CT_SMALL, 'Doe^Alice')),
    b.ingestor.ingestBytes(tampered(CT_SMALL, 'Doe^Bob')),
  ]);
  expect([ra.status, rb.status].sort()).toEqual(['replaced', 'stored']);
  const rec = a.store.instances.getInstance(sopOf(ra));
  expect(Object.keys(blobsOnDisk()).every((k) => k.startsWith(`${rec?.versionKey ?? '-'}/`))).toBe(true);
  expect(a.store.instances.pendingVersions(Date.now() + 1000)).toEqual([]);
});
