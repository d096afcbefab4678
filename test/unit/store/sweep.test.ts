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
    // "Crash": a second version's blobs are in place but its commit never happens.
    await first.blobs.put('00/1.2.1.1/v2/dataset.dcm', [new Uint8Array(10)]);
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
    second.close();
  });
});
