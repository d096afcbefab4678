// Crash simulation (docs/architecture.md "Storage model"): blobs written, process dies before the
// commit; at the next start sweepOrphans removes the unreferenced version folder and stale tmp
// files, and keeps every committed version.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore } from '../../../src/store';
import { instanceWrite } from '../../contract/store-fixtures';

describe('sweepOrphans', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-sweep-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('removes blobs of a version that was never committed, keeps committed ones', async () => {
    const first = openStore({ dataDir: dir });
    const committed = instanceWrite({ study: '1.2', series: '1.2.1', sop: '1.2.1.1' });
    await first.blobs.put(`${committed.versionKey}/dataset.dcm`, [new Uint8Array(10)]);
    await first.blobs.put(`${committed.versionKey}/frames.bin`, [new Uint8Array(1000)]);
    first.instances.commitInstance(committed);
    // "Crash": a second version's blobs are in place (journalled first, as ingest does) but its
    // commit never happens.
    first.instances.reserveVersion('00/1.2.1.1/v2');
    await first.blobs.put('00/1.2.1.1/v2/dataset.dcm', [new Uint8Array(10)]);
    first.instances.reserveVersion('7f/1.2.1.9/v1');
    await first.blobs.put('7f/1.2.1.9/v1/frames.bin', [new Uint8Array(10)]);
    fs.writeFileSync(path.join(dir, 'tmp', 'stow-part-1'), 'partial');
    first.close();

    const second = openStore({ dataDir: dir });
    // A sweep with the default age threshold keeps fresh files (a concurrent writer may own them).
    expect(await second.sweepOrphans()).toEqual({ removedVersions: [], removedTmp: 0 });
    const report = await second.sweepOrphans({ minAgeMs: 0, now: Date.now() + 1000 });
    expect(report.removedVersions.sort()).toEqual(['00/1.2.1.1/v2', '7f/1.2.1.9/v1']);
    expect(report.removedTmp).toBe(1);
    expect(fs.existsSync(path.join(dir, 'objects', '7f'))).toBe(false);
    expect(fs.readdirSync(path.join(dir, 'objects', '00', '1.2.1.1'))).toEqual(['v1']);
    expect(await second.blobs.size(`${committed.versionKey}/frames.bin`)).toBe(1000);
    expect(second.instances.getInstance('1.2.1.1')?.versionKey).toBe(committed.versionKey);
    // The journal is empty afterwards: the next start visits nothing.
    expect(second.instances.pendingVersions(Date.now() + 1000)).toEqual([]);
    second.close();
  });

  test('a replaced version whose deletion never ran is journalled by the commit and swept', async () => {
    const store = openStore({ dataDir: dir });
    const v1 = instanceWrite({ study: '1.2', series: '1.2.1', sop: '1.2.1.1' });
    store.instances.reserveVersion(v1.versionKey);
    await store.blobs.put(`${v1.versionKey}/dataset.dcm`, [new Uint8Array(10)]);
    expect(store.instances.commitInstance(v1).outcome).toBe('stored');
    expect(store.instances.pendingVersions(Date.now() + 1000)).toEqual([]);
    const v2 = { ...v1, versionKey: '00/1.2.1.1/v2', contentSha256: 'f'.repeat(64) };
    store.instances.reserveVersion(v2.versionKey);
    await store.blobs.put(`${v2.versionKey}/dataset.dcm`, [new Uint8Array(12)]);
    const r = store.instances.commitInstance(v2, { overwrite: 'always' });
    expect(r).toEqual({ outcome: 'replaced', obsoleteVersionKey: v1.versionKey });
    // "Crash" before the old files were deleted: only the obsolete version is journalled.
    expect(store.instances.pendingVersions(Date.now() + 1000)).toEqual([v1.versionKey]);
    const report = await store.sweepOrphans({ minAgeMs: 0, now: Date.now() + 1000 });
    expect(report.removedVersions).toEqual([v1.versionKey]);
    expect(await store.blobs.size(`${v2.versionKey}/dataset.dcm`)).toBe(12);
    await expect(store.blobs.size(`${v1.versionKey}/dataset.dcm`)).rejects.toMatchObject({ code: expect.any(String) });
    store.close();
  });
});
