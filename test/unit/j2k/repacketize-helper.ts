// Test-only helpers for the precinct re-partitioning tests: deterministic synthetic images,
// decoded-sample comparison with the OpenJPEG WASM codec, independent precinct counts (B.6
// Eq. B-16 for an image anchored at 0), and the native OpenJPEG tools on temp files.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Codecs, DecodedImage, PixelImage } from '../../../src/codec';
import { buildPacketIndex, type PacketIndex } from '../../../src/j2k';

/** Smooth gradient plus LCG noise, so every sub-band has data; `bits` per sample, optional sign. */
export function syntheticImage(
  columns: number,
  rows: number,
  spp: number,
  bits: 8 | 16,
  signed = false,
  bitsStored: number = bits,
): PixelImage {
  const bytesPer = bits / 8;
  const data = new Uint8Array(columns * rows * spp * bytesPer);
  let seed = 12345 + columns * 31 + rows;
  const max = 2 ** bitsStored;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      for (let s = 0; s < spp; s++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const smooth = Math.floor(((x * 3 + y * 5 + s * 40) / (columns + rows + 1)) * (max / 2));
        let v = (smooth + ((seed >>> 16) % Math.max(2, max >> 4))) % max;
        if (signed) v -= max / 2;
        const i = ((y * columns + x) * spp + s) * bytesPer;
        const u = v < 0 ? v + 2 ** bits : v;
        data[i] = u & 0xff;
        if (bytesPer === 2) data[i + 1] = (u >> 8) & 0xff;
      }
    }
  }
  return {
    columns,
    rows,
    samplesPerPixel: spp,
    bitsAllocated: bits,
    bitsStored,
    pixelRepresentation: signed ? 1 : 0,
    photometricInterpretation: spp === 3 ? 'RGB' : 'MONOCHROME2',
    data,
  };
}

export function samples(d: DecodedImage): Buffer {
  return Buffer.from(d.data.buffer, d.data.byteOffset, d.data.byteLength);
}

/** Decodes both codestreams with the same options and asserts equal samples and geometry. */
export function expectSameDecode(
  codecs: Codecs,
  a: Uint8Array,
  b: Uint8Array,
  options: { reduce?: number; layers?: number } = {},
): void {
  const da = codecs.decodeJ2k(a, options);
  const db = codecs.decodeJ2k(b, options);
  expect([db.width, db.height, db.components]).toEqual([da.width, da.height, da.components]);
  expect(samples(db).equals(samples(da))).toBe(true);
}

/** Precincts per resolution, independently of src/j2k: one tile at the origin, all components alike. */
export function expectedPrecincts(width: number, height: number, levels: number, PP: readonly number[]): number[] {
  const out: number[] = [];
  for (let r = 0; r <= levels; r++) {
    const d = 2 ** (levels - r);
    const p = 2 ** (PP[Math.min(r, PP.length - 1)] as number);
    out.push(Math.ceil(Math.ceil(width / d) / p) * Math.ceil(Math.ceil(height / d) / p));
  }
  return out;
}

export function precinctsPerResolution(index: PacketIndex, component = 0): number[] {
  const out: number[] = [];
  for (const p of index.precincts) if (p.component === component) out[p.resolution] = (out[p.resolution] ?? 0) + 1;
  return out;
}

/** Per precinct (by bin id) and layer, the packet body bytes (hex-free Buffers for comparison). */
export function packetBodies(cs: Uint8Array): Map<number, Buffer[]> {
  const index = buildPacketIndex(cs);
  const out = new Map<number, Buffer[]>();
  for (const p of index.precincts)
    out.set(
      p.binId,
      p.packets.map((k) => Buffer.from(cs.subarray(k.bodyOffset, k.bodyOffset + k.bodyLength))),
    );
  return out;
}

/** Runs `fn` with a fresh temp directory, removed afterwards. */
export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'fovea-repack-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** opj_decompress to raw samples (components planar, as the tool writes them). */
export function opjDecompress(dir: string, name: string, cs: Uint8Array): Buffer {
  const input = path.join(dir, `${name}.j2k`);
  const output = path.join(dir, `${name}.raw`);
  writeFileSync(input, cs);
  execFileSync('opj_decompress', ['-i', input, '-o', output], { stdio: 'pipe' });
  return readFileSync(output);
}

/** The "preccintsize (w,h)=..." lines of opj_dump, one per component of the default tile. */
export function opjDumpPrecincts(dir: string, name: string, cs: Uint8Array): string[] {
  const input = path.join(dir, `${name}.j2k`);
  writeFileSync(input, cs);
  const text = execFileSync('opj_dump', ['-i', input], { stdio: ['ignore', 'pipe', 'pipe'] }).toString('latin1');
  return [...text.matchAll(/preccintsize \(w,h\)=([^\n]*)/g)].map((m) => (m[1] ?? '').trim());
}

/** A PGM (P5) file of 8- or 16-bit samples (16-bit big-endian as PGM requires). */
export function writePgm(
  file: string,
  width: number,
  height: number,
  maxval: number,
  values: (x: number, y: number) => number,
): void {
  const bpp = maxval > 255 ? 2 : 1;
  const head = Buffer.from(`P5\n${width} ${height}\n${maxval}\n`, 'latin1');
  const body = Buffer.alloc(width * height * bpp);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = values(x, y);
      if (bpp === 2) body.writeUInt16BE(v, (y * width + x) * 2);
      else body[y * width + x] = v;
    }
  }
  writeFileSync(file, Buffer.concat([head, body]));
}
