// Helpers of the rendered-resource integration tests: UIDs and native pixel values of the shared
// DICOM files read independently of the gateway, PNG decoding, and the PS3.3 C.11.2.1.2 window
// written out again (not imported from src/render) so the tests check the gateway against it.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { bufferSource } from '../../src/bytes';
import { parseDicom, type DicomDataset } from '../../src/dicom';
import { DICOM_DIR } from './harness';

export interface FileInfo {
  bytes: Buffer;
  ds: DicomDataset;
  study: string;
  series: string;
  sop: string;
  nativeOffset: number | null;
}

export function fileInfo(name: string): FileInfo {
  const bytes = readFileSync(path.join(DICOM_DIR, name));
  const p = parseDicom(bufferSource(new Uint8Array(bytes)));
  const uid = (tag: number): string => {
    const v = p.dataset.uid(tag);
    if (v === undefined) throw new Error(`${name}: no UID ${tag.toString(16)}`);
    return v;
  };
  return {
    bytes,
    ds: p.dataset,
    study: uid(0x0020000d),
    series: uid(0x0020000e),
    sop: uid(0x00080018),
    nativeOffset: p.pixelData?.kind === 'native' ? p.pixelData.offset : null,
  };
}

/** 16-bit native samples of frame `frame` (1-based). */
export function native16(info: FileInfo, rows: number, columns: number, signed: boolean, frame = 1): number[] {
  if (info.nativeOffset === null) throw new Error('not native');
  const n = rows * columns;
  const base = info.nativeOffset + (frame - 1) * n * 2;
  const out: number[] = [];
  for (let i = 0; i < n; i++)
    out.push(signed ? info.bytes.readInt16LE(base + i * 2) : info.bytes.readUInt16LE(base + i * 2));
  return out;
}

export interface Rgba {
  width: number;
  height: number;
  data: Buffer;
}

export function decodePng(body: Buffer): Rgba {
  const png = PNG.sync.read(body);
  return { width: png.width, height: png.height, data: png.data };
}

export function gray(img: Rgba, x: number, y: number): number {
  return img.data[(y * img.width + x) * 4] as number;
}

/** PS3.3 C.11.2.1.2.1 LINEAR to 0..255, rounded. */
export function linear(x: number, c: number, w: number): number {
  if (x <= c - 0.5 - (w - 1) / 2) return 0;
  if (x > c - 0.5 + (w - 1) / 2) return 255;
  return Math.round(((x - (c - 0.5)) / (w - 1) + 0.5) * 255);
}

/** PS3.3 C.11.2.1.3.2 LINEAR_EXACT to 0..255, rounded. */
export function linearExact(x: number, c: number, w: number): number {
  if (x <= c - w / 2) return 0;
  if (x > c + w / 2) return 255;
  return Math.round(((x - c) / w + 0.5) * 255);
}

/** PS3.3 C.11.2.1.3.1 SIGMOID to 0..255, rounded. */
export function sigmoid(x: number, c: number, w: number): number {
  return Math.round(255 / (1 + Math.exp((-4 * (x - c)) / w)));
}
