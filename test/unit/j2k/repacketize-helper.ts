// Test-only helpers for the precinct re-partitioning tests: deterministic synthetic images,
// decoded-sample comparison with the OpenJPEG WASM codec, independent precinct counts (B.6
// Eq. B-16 for an image anchored at 0), the native OpenJPEG tools on temp files, and the checks
// shared by a test file and its -corpus sibling (codeOf, expectRepartitionsLosslessly,
// expectTranscodeRepartitions).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Codecs, DecodedImage, PixelImage } from '../../../src/codec';
import { FoveaError } from '../../../src/errors';
import type { TestFile } from '../codec/dicom-frames';
import {
  buildPacketIndex,
  codestreamSummary,
  parseMainHeader,
  repartitionPrecincts,
  type PacketIndex,
  type PrecinctSize,
} from '../../../src/j2k';

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

/** The stable code of a FoveaError thrown by fn, or 'ok'. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof FoveaError) return e.code;
    throw e;
  }
  return 'ok';
}

/** The codestream's own precinct sizes (one value for all levels when uniform). */
export function ownSizes(cs: Uint8Array): PrecinctSize[] {
  const cod = parseMainHeader(cs).cod;
  const all = cod.PPx.map((PPx, r) => ({ PPx, PPy: cod.PPy[r] as number }));
  // One value for all levels when uniform (COCs may have other level counts, e.g. p0_08).
  return all.every((p) => p.PPx === all[0]?.PPx && p.PPy === all[0]?.PPy) ? all.slice(0, 1) : all;
}

/** Same packet bodies in the same data-bins, layer by layer. */
export function expectIdenticalBodies(a: Uint8Array, b: Uint8Array): void {
  const ba = packetBodies(a);
  const bb = packetBodies(b);
  expect([...bb.keys()]).toEqual([...ba.keys()]);
  for (const [id, bodies] of ba) {
    const other = bb.get(id) ?? [];
    expect(other.length).toBe(bodies.length);
    bodies.forEach((body, l) => expect(body.equals(other[l] as Buffer)).toBe(true));
  }
}

/** Re-partitions src to PP (0: its own sizes): back to its own sizes gives the same packet bodies,
 *  and opj_decompress decodes the result to the samples of src. */
export function expectRepartitionsLosslessly(src: Uint8Array, pp: number): void {
  const out = repartitionPrecincts(src, { precincts: pp === 0 ? ownSizes(src) : [{ PPx: pp, PPy: pp }] });
  expectIdenticalBodies(
    repartitionPrecincts(out, { precincts: ownSizes(src) }),
    repartitionPrecincts(src, { precincts: ownSizes(src) }),
  );
  withTempDir((dir) => expect(opjDecompress(dir, 'out', out).equals(opjDecompress(dir, 'orig', src))).toBe(true));
}

/** Frame 0 of dcm transcoded to J2K and re-partitioned to 128x128 precincts: fast, bit-exact
 *  (full decode, WASM and opj_decompress), with the precinct grid of B.6 Eq. B-16. */
export function expectTranscodeRepartitions(codecs: Codecs, dcm: TestFile): void {
  const { codestream, image } = codecs.transcodeToJ2k('native', dcm.frame(0), dcm.desc);
  const t0 = process.hrtime.bigint();
  const out = repartitionPrecincts(codestream, { precincts: [{ PPx: 7, PPy: 7 }] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  expect(ms).toBeLessThan(200 * Math.max(1, codestream.length / 1e6) + 200);
  const decoded = codecs.decodeJ2k(out);
  expect(decoded.width).toBe(image.columns);
  expect(samples(decoded).equals(samples(codecs.decodeJ2k(codestream)))).toBe(true);
  const { levels } = codestreamSummary(out);
  expect(precinctsPerResolution(buildPacketIndex(out))).toEqual(
    expectedPrecincts(image.columns, image.rows, levels, [7]),
  );
  withTempDir((dir) =>
    expect(opjDecompress(dir, 'out', out).equals(opjDecompress(dir, 'orig', codestream))).toBe(true),
  );
}
