// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// `fovea import` end to end (issue #2 "Skeleton"): the compiled CLI (built once with
// tsconfig.build.json into a private folder, so a concurrently used dist/ is never touched) run as a
// child process on real files. Exit codes (src/cli/exit-codes.ts): 0 nothing failed, 1 some file
// failed, 2 usage error. Summary line and per-file skipped/failed lines on stdout; files that are
// not DICOM are skipped, not failed; objects Fovea cannot transcode are stored as received and
// listed. The stored result is then served by the gateway (QIDO-RS).
// The same build answers `--help` / `-h` of every command and `--version` / `-V` with exit 0, and a
// data folder that is a file (or that it cannot write) with one STORE_DATA_DIR_* line and exit 2.
// A file refused by the overwrite policy (default never) is a failure (exit 1); --overwrite always replaces.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startServer, type RunningServer } from '../../src/server';
import { DICOM_DIR, REPO_ROOT, run, uidsOf } from './dicomweb-helpers';

const OUT = path.join(REPO_ROOT, 'node_modules', '.cache', 'fovea-conformance-cli');
const MAIN = path.join(OUT, 'cli', 'main.js');

let work: string;

/** `as` runs the CLI as another user (uid and gid), for a permission the root user would bypass. */
function fovea(args: string[], as?: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      {
        timeout: 120_000,
        env: { ...process.env, FOVEA_DIMSE_PORT: '0' },
        ...(as === undefined ? {} : { uid: as, gid: as }),
      },
      (err, stdout, stderr) => {
        resolve({
          code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1,
          stdout: String(stdout),
          stderr: String(stderr),
        });
      },
    );
  });
}

beforeAll(async () => {
  fs.rmSync(OUT, { recursive: true, force: true });
  // tsc emits even when another module being edited has a type error; the CLI entry must exist.
  const tsc = await run(
    process.execPath,
    [
      path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      path.join(REPO_ROOT, 'tsconfig.build.json'),
      '--outDir',
      OUT,
    ],
    240_000,
  );
  if (!fs.existsSync(MAIN)) throw new Error(`build failed (${tsc.code}): ${tsc.stdout}${tsc.stderr}`);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-import-'));
}, 300_000);

afterAll(() => {
  if (work !== undefined) fs.rmSync(work, { recursive: true, force: true });
});

test('good files: exit 0, "stored N" summary; importing again is a no-op ("unchanged")', async () => {
  const data = path.join(work, 'good');
  const files = ['CT_small.dcm', 'JPEG2000.dcm'].map((f) => path.join(DICOM_DIR, f));
  const first = await fovea(['import', '--data', data, ...files]);
  expect(first.code).toBe(0);
  expect(first.stdout).toContain('stored 2, replaced 0, unchanged 0, skipped 0, failed 0 (of 2 files)');
  const again = await fovea(['import', '--data', data, '--quiet', ...files]);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('stored 0, replaced 0, unchanged 2, skipped 0, failed 0 (of 2 files)');

  // The imported data folder is what the gateway then serves.
  let running: RunningServer | undefined;
  try {
    running = await startServer(
      readConfig({ port: '0', host: '127.0.0.1', data: data, logLevel: 'silent' }, { FOVEA_DIMSE_PORT: '0' }),
      createLogger('silent'),
    );
    const res = await fetch(`http://127.0.0.1:${running.port}/dicomweb/instances`);
    const sops = ((await res.json()) as Record<string, { Value?: unknown[] }>[])
      .map((i) => i['00080018']?.Value?.[0])
      .sort();
    expect(sops).toEqual([uidsOf('CT_small.dcm').sop, uidsOf('JPEG2000.dcm').sop].sort());
  } finally {
    await running?.stop();
  }
});

test('a folder walked recursively: non-DICOM files are skipped with a reason, exit 0', async () => {
  const dir = path.join(work, 'tree');
  fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
  fs.copyFileSync(path.join(DICOM_DIR, 'MR_small.dcm'), path.join(dir, 'a', 'b', 'mr.dcm'));
  fs.writeFileSync(path.join(dir, 'a', 'README.txt'), 'not a DICOM file, just text\n'.repeat(20));
  const r = await fovea(['import', '--data', path.join(work, 'tree-data'), '--quiet', dir]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('stored 1, replaced 0, unchanged 0, skipped 1, failed 0 (of 2 files)');
  expect(r.stdout).toMatch(/^skipped .*README\.txt: [A-Z_]+: /m);
});

test('objects Fovea cannot transcode are stored (kept as received), exit 0, each listed with its reason', async () => {
  const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'as-received');
  const files = ['liver_1frame.dcm', 'SC_rgb_rle_16bit.dcm', 'rtdose_1frame.dcm', 'JPGExtended.dcm'];
  const r = await fovea([
    'import',
    '--data',
    path.join(work, 'as-received-data'),
    '--quiet',
    ...files.map((f) => path.join(dir, f)),
  ]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('stored 4, replaced 0, unchanged 0, skipped 0, failed 0 (of 4 files)');
  expect(r.stdout).toMatch(/^kept as received .*liver_1frame\.dcm: CODEC_ENCODE_BITS_ALLOCATED$/m);
  expect(r.stdout).toMatch(/^kept as received .*SC_rgb_rle_16bit\.dcm: CODEC_ENCODE_16BIT_COLOUR$/m);
  expect(r.stdout).toMatch(/^kept as received .*rtdose_1frame\.dcm: CODEC_UNSUPPORTED_BITS_ALLOCATED$/m);
  expect(r.stdout).toMatch(/^kept as received .*JPGExtended\.dcm: CODEC_JPEG_12BIT$/m);
});

test('a broken DICOM file: exit 1 with a "failed" line naming the file and the error code', async () => {
  const broken = path.join(work, 'broken.dcm');
  fs.writeFileSync(broken, fs.readFileSync(path.join(DICOM_DIR, 'CT_small.dcm')).subarray(0, 4000));
  const r = await fovea([
    'import',
    '--data',
    path.join(work, 'broken-data'),
    '--quiet',
    broken,
    path.join(DICOM_DIR, 'dx_image.dcm'),
  ]);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('stored 1, replaced 0, unchanged 0, skipped 0, failed 1 (of 2 files)');
  expect(r.stdout).toMatch(/^failed {2}.*broken\.dcm: [A-Z0-9_]+: /m);
});

test('a tampered file (same SOP Instance UID, another PatientName): refused by default with exit 1, replaces with --overwrite always', async () => {
  const tampered = path.join(work, 'CT_small_tampered.dcm');
  const script =
    'import pydicom,sys\nds=pydicom.dcmread(sys.argv[1])\nds.PatientName="Evil^Mallory"\nds.save_as(sys.argv[2])';
  const py = await run('/usr/bin/python3', ['-c', script, path.join(DICOM_DIR, 'CT_small.dcm'), tampered]);
  expect(py.code).toBe(0);
  const data = path.join(work, 'overwrite-data');
  expect((await fovea(['import', '--data', data, '--quiet', path.join(DICOM_DIR, 'CT_small.dcm')])).code).toBe(0);
  const refused = await fovea(['import', '--data', data, '--quiet', tampered]);
  expect(refused.code).toBe(1);
  expect(refused.stdout).toContain('stored 0, replaced 0, unchanged 0, skipped 0, failed 1 (of 1 files)');
  expect(refused.stdout).toMatch(/^failed {2}.*CT_small_tampered\.dcm: STORE_DUPLICATE_SOP_INSTANCE: /m);
  expect(refused.stdout).not.toContain('Mallory');
  const bogus = await fovea(['import', '--data', data, '--quiet', '--overwrite', 'sometimes', tampered]);
  expect(bogus.code).toBe(2);
  expect(bogus.stderr).toMatch(/overwrite policy must be one of never, always/);
  const replaced = await fovea(['import', '--data', data, '--quiet', '--overwrite', 'always', tampered]);
  expect([replaced.code, replaced.stdout]).toEqual([0, expect.stringContaining('stored 0, replaced 1, unchanged 0')]);
});

test.each([
  ['no path', ['import', '--data', 'x']],
  ['a path that does not exist', ['import', '/nonexistent/fovea/path.dcm']],
  ['an unknown flag', ['import', '--frobnicate', 'x']],
  ['an unknown command', ['frobnicate']],
])('usage error (%s): exit 2 with a message on stderr', async (_label, args) => {
  const r = await fovea(args);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/fovea: /);
  expect(r.stdout).not.toMatch(/stored \d+/);
});

test.each([
  ['serve', '--help'],
  ['import', '-h'],
  ['index', '--help'],
  ['jpip', '-h'],
])("fovea %s %s: that command's usage on stdout, exit 0", async (command, flag) => {
  const r = await fovea([command, flag]);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(r.stdout).toMatch(new RegExp(`^usage: fovea ${command} \\[options\\]\\n`));
});

test.each(['--version', '-V'])('fovea %s: the package.json version, exit 0', async (flag) => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  expect(await fovea([flag])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
});

test.each([
  ['import', (file: string) => ['import', '--data', file, '--quiet', path.join(DICOM_DIR, 'CT_small.dcm')]],
  ['serve', (file: string) => ['serve', '--data', file, '--port', '0', '--dimse-port', '0']],
])('fovea %s with a data folder that is a file: one clear line, exit 2 (no raw EEXIST)', async (_label, argsOf) => {
  const file = path.join(work, 'data-is-a-file');
  fs.writeFileSync(file, 'x');
  const r = await fovea(argsOf(file));
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    `fovea: the data folder ${file} (or one of its parents) exists and is not a folder ` +
      '(STORE_DATA_DIR_NOT_A_FOLDER); choose the data folder with --data or FOVEA_DATA\n',
  );
});

test('fovea import with a data folder it cannot write: STORE_DATA_DIR_NOT_WRITABLE, exit 2 (no raw EACCES)', async () => {
  // A folder of another user, read-only for everyone else. Root bypasses file modes, so as root the
  // CLI runs as the unprivileged user 65534 (nobody); otherwise the mode alone denies the write.
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-ro-'));
  try {
    fs.chmodSync(parent, 0o555);
    const root = process.getuid?.() === 0;
    const data = path.join(parent, 'data');
    const r = await fovea(
      ['import', '--data', data, '--quiet', path.join(DICOM_DIR, 'CT_small.dcm')],
      root ? 65534 : undefined,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `fovea: the data folder ${data} is not writable (STORE_DATA_DIR_NOT_WRITABLE); choose the data folder with --data or FOVEA_DATA\n`,
    );
  } finally {
    fs.chmodSync(parent, 0o755);
    fs.rmSync(parent, { recursive: true, force: true });
  }
});
