// A large JPEG 2000 frame for the rendering bench and tests: a deterministic 16-bit test pattern
// written as PGM, compressed by OpenJPEG's opj_compress (RPCL, 256×256 precincts, given levels and
// rates), and wrapped as a Secondary Capture Part 10 file in JPEG 2000 (.90/.91) so it can be
// ingested like any stored object. Needs opj_compress on PATH (libopenjp2-tools).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DicomDataset,
  encapsulatedPixelDataPrefix,
  encodePart10,
  fragmentItemHeader,
  SEQUENCE_DELIMITER,
  Tags,
} from '../src/dicom';

export interface LargeFrameOptions {
  width: number;
  height: number;
  /** Decomposition levels (-n is levels + 1). */
  levels: number;
  /** Compression ratios of the quality layers (-r); empty = lossless, one layer. */
  rates: readonly number[];
  /** Precinct size (log2-free pixels, e.g. 256). */
  precinct: number;
}

/** Sample value at (x, y): gradients plus rings and a grid, 12 significant bits. */
export function patternValue(x: number, y: number, width: number, height: number): number {
  const cx = x - width / 2;
  const cy = y - height / 2;
  const ring = Math.cos(Math.sqrt(cx * cx + cy * cy) / 24) * 600;
  const grid = (x & 255) < 4 || (y & 255) < 4 ? 800 : 0;
  return Math.max(0, Math.min(4095, Math.round((x / width) * 1500 + (y / height) * 1000 + 1000 + ring + grid)));
}

/** Binary PGM (P5), 16-bit big-endian samples. */
export function patternPgm(width: number, height: number): Buffer {
  const head = Buffer.from(`P5\n${width} ${height}\n65535\n`, 'ascii');
  const body = Buffer.alloc(width * height * 2);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) body.writeUInt16BE(patternValue(x, y, width, height), (y * width + x) * 2);
  return Buffer.concat([head, body]);
}

/** opj_compress the pattern; returns the raw codestream. */
export function compressPattern(o: LargeFrameOptions): Uint8Array {
  const dir = mkdtempSync(path.join(tmpdir(), 'fovea-render-'));
  try {
    const pgm = path.join(dir, 'in.pgm');
    const out = path.join(dir, 'out.j2k');
    writeFileSync(pgm, patternPgm(o.width, o.height));
    const args = [
      '-i',
      pgm,
      '-o',
      out,
      '-p',
      'RPCL',
      '-c',
      `[${o.precinct},${o.precinct}]`,
      '-n',
      String(o.levels + 1),
    ];
    if (o.rates.length > 0) args.push('-r', o.rates.join(','));
    execFileSync('opj_compress', args, { stdio: 'ignore' });
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface WrapIds {
  study: string;
  series: string;
  sop: string;
}

/** A Secondary Capture MONOCHROME2 16/12 object with one encapsulated J2K frame. */
export function wrapCodestream(
  cs: Uint8Array,
  width: number,
  height: number,
  ids: WrapIds,
  lossless: boolean,
): Uint8Array {
  const ts = lossless ? '1.2.840.10008.1.2.4.90' : '1.2.840.10008.1.2.4.91';
  const ds = new DicomDataset();
  ds.setString(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7');
  ds.setString(0x00080018, 'UI', ids.sop);
  ds.setString(0x00080060, 'CS', 'OT');
  ds.setString(0x00100010, 'PN', 'Render^Bench');
  ds.setString(0x00100020, 'LO', 'RENDER-BENCH');
  ds.setString(Tags.StudyInstanceUID, 'UI', ids.study);
  ds.setString(Tags.SeriesInstanceUID, 'UI', ids.series);
  ds.setString(0x00200013, 'IS', '1');
  ds.setNumber(Tags.SamplesPerPixel, 'US', 1);
  ds.setString(Tags.PhotometricInterpretation, 'CS', 'MONOCHROME2');
  ds.setNumber(Tags.Rows, 'US', height);
  ds.setNumber(Tags.Columns, 'US', width);
  ds.setNumber(Tags.BitsAllocated, 'US', 16);
  ds.setNumber(Tags.BitsStored, 'US', 12);
  ds.setNumber(Tags.HighBit, 'US', 11);
  ds.setNumber(Tags.PixelRepresentation, 'US', 0);
  if (!lossless) ds.setString(Tags.LossyImageCompression, 'CS', '01');
  const head = encodePart10(ds, ts, {
    mediaStorageSopClassUid: '1.2.840.10008.5.1.4.1.1.7',
    mediaStorageSopInstanceUid: ids.sop,
  });
  const parts = [head, encapsulatedPixelDataPrefix([cs.length]), fragmentItemHeader(cs.length), cs];
  if (cs.length % 2 === 1) parts.push(new Uint8Array([0]));
  parts.push(SEQUENCE_DELIMITER);
  return Buffer.concat(parts);
}
