// `fovea index FILE [--frame N] [--json]` (src/cli/index-command.ts), run as a child process from
// a private build (tsconfig.build.json into node_modules/.cache, so a concurrently used dist/ is
// never touched). Summary lines and --json rows are checked against buildPacketIndex of the same
// codestream; exit codes: 0 indexed, 1 damaged input (typed error), 2 usage.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bufferSource } from '../../../src/bytes';
import { frameLocations, parseDicom, pixelDescription, readExtendedOffsetTable, readFrame } from '../../../src/dicom';
import { buildPacketIndex, encodePacketIndex, findCodestream, type PacketIndex } from '../../../src/j2k';
import { FIXTURE_DIR } from '../../corpus';

const REPO_ROOT = path.resolve(__dirname, '../../..');
/** Small copies of corpus files (test/fixtures/corpus). */
const DATA = FIXTURE_DIR;
const OUT = path.join(REPO_ROOT, 'node_modules', '.cache', 'fovea-index-cli');
const MAIN = path.join(OUT, 'cli', 'main.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], timeout = 120_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({
        code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1,
        stdout: String(stdout),
        stderr: String(stderr),
      });
    });
  });
}

const fovea = (...args: string[]): Promise<Result> => run(process.execPath, [MAIN, 'index', ...args]);

interface Row {
  tile: number;
  component: number;
  resolution: number;
  precinct: number;
  layer: number;
  offset: number;
  headerLength: number;
  bodyOffset: number;
  bodyLength: number;
  length: number;
  dataBinId: number;
}

/** The rows --json must print, from the library. */
function expectedRows(idx: PacketIndex): Row[] {
  return idx.precincts.flatMap((p) =>
    p.packets.map((k, layer) => ({
      tile: p.tile,
      component: p.component,
      resolution: p.resolution,
      precinct: p.precinct,
      layer,
      offset: k.headerOffset,
      headerLength: k.headerLength,
      bodyOffset: k.bodyOffset,
      bodyLength: k.bodyLength,
      length: k.headerLength + k.bodyLength,
      dataBinId: p.binId,
    })),
  );
}

function codestreamOf(bytes: Uint8Array): Uint8Array {
  const loc = findCodestream(bytes);
  return bytes.subarray(loc.offset, loc.offset + loc.length);
}

let work: string;
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
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-index-cli-'));
}, 300_000);
afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('fovea index', () => {
  it('prints a summary of a raw codestream', async () => {
    const file = path.join(DATA, 'j2k', 'issue142.j2k');
    const cs = new Uint8Array(fs.readFileSync(file));
    const idx = buildPacketIndex(cs);
    const r = await fovea(file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`codestream     ${cs.length} bytes at offset 0\n`);
    expect(r.stdout).toContain('image          1920x1080, 3 component(s), 10-bit unsigned');
    expect(r.stdout).toContain('coding         5 levels, 1 layer(s), CPRL');
    expect(r.stdout).toContain(`precincts      ${idx.precincts.length} data-bins`);
    expect(r.stdout).toContain(`packets        ${idx.packetCount}\n`);
    const enc = encodePacketIndex(idx).length;
    expect(r.stdout).toContain(
      `index          ${enc} bytes encoded (${((100 * enc) / cs.length).toFixed(2)} % of the codestream)`,
    );
  });

  it('finds the codestream inside a JP2 file and says so', async () => {
    const file = path.join(DATA, 'j2k', 'tnsot_zero.jp2');
    const loc = findCodestream(new Uint8Array(fs.readFileSync(file)));
    const r = await fovea(file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`codestream     ${loc.length} bytes at offset ${loc.offset} (inside a JP2/JPH file)`);
  });

  it.each(['c1_mono.j2c', 'p1_06.j2k', 'a5_mono.j2c'])('--json rows of %s equal the library index', async (name) => {
    const file = path.join(DATA, 'j2k', name);
    const idx = buildPacketIndex(codestreamOf(new Uint8Array(fs.readFileSync(file))));
    const r = await fovea(file, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      numTiles: number;
      numComponents: number;
      layers: number;
      packetCount: number;
      mainHeader: unknown;
      packets: Row[];
    };
    expect([doc.numTiles, doc.numComponents, doc.layers, doc.packetCount]).toEqual([
      idx.numTiles,
      idx.numComponents,
      idx.layers,
      idx.packetCount,
    ]);
    expect(doc.mainHeader).toEqual(idx.mainHeader);
    expect(doc.packets).toHaveLength(idx.packetCount);
    expect(doc.packets).toEqual(expectedRows(idx));
  });

  it('--frame N indexes that frame of a multi-frame DICOM object', async () => {
    const file = path.join(DATA, 'dicom', 'emri_small_jpeg_2k_lossless.dcm');
    const parsed = parseDicom(bufferSource(new Uint8Array(fs.readFileSync(file))));
    if (parsed.pixelData?.kind !== 'encapsulated') throw new Error('expected encapsulated pixel data');
    const locs = frameLocations(
      parsed.pixelData,
      pixelDescription(parsed.dataset).numberOfFrames,
      parsed.source,
      readExtendedOffsetTable(parsed.dataset),
    );
    const loc3 = locs[2];
    if (loc3 === undefined) throw new Error('expected 10 frames');
    const idx = buildPacketIndex(codestreamOf(readFrame(parsed.source, loc3)));
    const r = await fovea(file, '--frame', '3', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { packets: Row[] };
    expect(doc.packets).toEqual(expectedRows(idx));
    // Frames differ: frame 3's rows are not frame 1's.
    const r1 = await fovea(file, '--json');
    expect((JSON.parse(r1.stdout) as { packets: Row[] }).packets).not.toEqual(doc.packets);
  });

  it.each([
    ['no file', [], /exactly one FILE/],
    ['two files', ['a.j2k', 'b.j2k'], /exactly one FILE/],
    ['--frame 0', ['X', '--frame', '0'], /--frame must be a positive whole number/],
    ['--frame abc', ['X', '--frame', 'abc'], /--frame must be a positive whole number/],
    ['an unknown flag', ['X', '--frames', '2'], /./],
    ['a missing file', ['/nonexistent/file.j2k'], /cannot read/],
  ])('usage error (%s): exit 2', async (_what, args, message) => {
    const file = path.join(DATA, 'j2k', 'c1_mono.j2c');
    const r = await fovea(...args.map((a) => (a === 'X' ? file : a)));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('a frame number beyond the object, or a DICOM file that is not JPEG 2000: exit 2', async () => {
    const multi = await fovea(path.join(DATA, 'dicom', 'emri_small_jpeg_2k_lossless.dcm'), '--frame', '11');
    expect(multi.code).toBe(2);
    expect(multi.stderr).toContain('frame 11 does not exist (the object has 10)');
    const native = await fovea(path.join(DATA, 'dicom', 'CT_small.dcm'));
    expect(native.code).toBe(2);
    expect(native.stderr).toContain('not JPEG 2000 / HTJ2K');
  });

  it('a truncated codestream: exit 1 with the typed error', async () => {
    const cs = new Uint8Array(fs.readFileSync(path.join(DATA, 'j2k', 'c1_mono.j2c')));
    const file = path.join(work, 'cut.j2k');
    fs.writeFileSync(file, cs.subarray(0, 60));
    const r = await fovea(file);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cut\.j2k: .* \((J2K|BYTES)_[A-Z_]+ at offset \d+\)/);
  });
});
