// The JPIP benchmark image: a deterministic 16-bit PGM (smooth gradient + noise), encoded once by
// opj_compress (RPCL, precincts, several layers, -PLT) and given the JPIP index opj_server needs by
// ../shared/tools/peers/jp2-jpip-index.py (which strips the PLTs). Cached under
// os.tmpdir()/fovea-bench-cache keyed by the parameters. The same codestream is wrapped as a JPEG
// 2000 Lossless DICOM object (PS3.5 A.4 encapsulation) for Fovea, so both servers serve identical bytes.

import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DicomDataset,
  encapsulatedPixelDataPrefix,
  encodePart10,
  fragmentItemHeader,
  SEQUENCE_DELIMITER,
  Tags,
} from '../src/dicom';
import { findCodestream } from '../src/j2k';
import { SHARED } from './processes';
import { newUid } from './synth';

const INDEXER = path.join(SHARED, 'tools/peers/jp2-jpip-index.py');
const CACHE_VERSION = 'v2';

export interface BenchImageSpec {
  size: number;
  /** opj_compress -n (resolutions = decomposition levels + 1). */
  resolutions: number;
  /** Precinct size at every resolution (given once per resolution: with one record opj_compress
   *  halves it level by level, down to 8×8 precincts whose message headers cost 3-8 % of a view). */
  precinct: number;
  /** opj_compress -r rates, one layer each; 1 = lossless last layer. */
  rates: readonly number[];
}

export interface BenchImage {
  spec: BenchImageSpec;
  /** Indexed JP2 for opj_server. */
  jp2File: string;
  /** The codestream inside it (bytes Fovea serves too). */
  codestream: Uint8Array;
  encodeSeconds: number;
  cached: boolean;
}

function opjArgs(spec: BenchImageSpec): string[] {
  const precincts = Array.from({ length: spec.resolutions }, () => `[${spec.precinct},${spec.precinct}]`).join(',');
  return ['-p', 'RPCL', '-c', precincts, '-n', String(spec.resolutions), '-r', spec.rates.join(','), '-PLT'];
}

/** Writes a size×size 16-bit binary PGM (big-endian samples, Netpbm P5) row by row. */
function writePgm(file: string, size: number): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, Buffer.from(`P5\n${size} ${size}\n65535\n`, 'ascii'));
    const row = Buffer.alloc(size * 2);
    let seed = 0x9e3779b9;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        seed >>>= 0;
        const u = x / size;
        const v = y / size;
        const smooth = 30000 + 12000 * u + 9000 * v + 8000 * Math.sin(6.3 * u + 2.1 * v) * Math.cos(4.7 * v - 1.3 * u);
        const value = Math.round(smooth) + (seed % 65) - 32;
        row.writeUInt16BE(Math.min(65535, Math.max(0, value)), x * 2);
      }
      writeSync(fd, row);
    }
  } finally {
    closeSync(fd);
  }
}

function cacheKey(spec: BenchImageSpec): string {
  return `jpip-${CACHE_VERSION}-${spec.size}-n${spec.resolutions}-c${spec.precinct}-r${spec.rates.join('_')}`;
}

/** The indexed JP2 for `spec`, from the cache or encoded now (opj_compress of 8192² takes minutes). */
export function benchImage(spec: BenchImageSpec, log: (line: string) => void): BenchImage {
  const dir = path.join(os.tmpdir(), 'fovea-bench-cache', cacheKey(spec));
  const jp2File = path.join(dir, 'image.jp2');
  let encodeSeconds = 0;
  const cached = existsSync(jp2File);
  if (!cached) {
    mkdirSync(dir, { recursive: true });
    const work = path.join(dir, `work-${process.pid}`);
    mkdirSync(work, { recursive: true });
    try {
      const t = Date.now();
      log(`  jpip: generating ${spec.size}² 16-bit image and encoding it (opj_compress ${opjArgs(spec).join(' ')})`);
      writePgm(path.join(work, 'in.pgm'), spec.size);
      execFileSync(
        'opj_compress',
        ['-i', path.join(work, 'in.pgm'), '-o', path.join(work, 'plt.jp2'), ...opjArgs(spec)],
        { stdio: 'ignore' },
      );
      execFileSync(INDEXER, [path.join(work, 'plt.jp2'), path.join(work, 'image.jp2')], { stdio: 'ignore' });
      renameSync(path.join(work, 'image.jp2'), jp2File);
      encodeSeconds = (Date.now() - t) / 1000;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const file = new Uint8Array(readFileSync(jp2File));
  const loc = findCodestream(file);
  return { spec, jp2File, codestream: file.subarray(loc.offset, loc.offset + loc.length), encodeSeconds, cached };
}

/** Writes a JPEG 2000 Lossless (1.2.840.10008.1.2.4.90) Secondary Capture holding `codestream`. */
export function writeJ2kDicom(file: string, codestream: Uint8Array, size: number): string {
  const sop = newUid();
  const ds = new DicomDataset();
  ds.setString(Tags.SOPClassUID, 'UI', '1.2.840.10008.5.1.4.1.1.7');
  ds.setString(Tags.SOPInstanceUID, 'UI', sop);
  ds.setString(Tags.StudyInstanceUID, 'UI', newUid());
  ds.setString(Tags.SeriesInstanceUID, 'UI', newUid());
  ds.setString(0x00080060, 'CS', 'OT');
  ds.setString(0x00100010, 'PN', 'BENCH^JPIP');
  ds.setString(0x00100020, 'LO', 'BENCHJPIP');
  ds.setNumber(Tags.SamplesPerPixel, 'US', 1);
  ds.setString(Tags.PhotometricInterpretation, 'CS', 'MONOCHROME2');
  ds.setNumber(Tags.NumberOfFrames, 'IS', 1);
  ds.setNumber(Tags.Rows, 'US', size);
  ds.setNumber(Tags.Columns, 'US', size);
  ds.setNumber(Tags.BitsAllocated, 'US', 16);
  ds.setNumber(Tags.BitsStored, 'US', 16);
  ds.setNumber(Tags.HighBit, 'US', 15);
  ds.setNumber(Tags.PixelRepresentation, 'US', 0);
  const parts: Uint8Array[] = [
    encodePart10(ds, '1.2.840.10008.1.2.4.90'),
    encapsulatedPixelDataPrefix([codestream.length]),
    fragmentItemHeader(codestream.length),
    codestream,
  ];
  if (codestream.length % 2 === 1) parts.push(new Uint8Array(1));
  parts.push(SEQUENCE_DELIMITER);
  writeFileSync(file, Buffer.concat(parts));
  return sop;
}
