// Row 5: JPEG 2000 packet index (issue #3 Proof). For every codestream of ../shared/data/j2k and
// every J2K/HTJ2K frame of ../shared/data/dicom: buildPacketIndex throughput (MB of codestream
// per second), index time vs a full decode with codec/ (OpenJPEG for Part 1, OpenJPH for HTJ2K;
// goal ≥ 20× faster), and encodePacketIndex size as a fraction of the codestream (goal < 2 %).
// Each operation is repeated until it has run for at least j2kMinMs; the median run is used.

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { bufferSource } from '../src/bytes';
import { loadCodecs, type Codecs } from '../src/codec';
import { frameLocations, parseDicom, pixelDescription, readFrame, transferSyntax } from '../src/dicom';
import { buildPacketIndex, codestreamSummary, encodePacketIndex, findCodestream } from '../src/j2k';
import { SHARED } from './processes';
import { MB, percentile } from './stats';
import type { BenchContext, BenchRow } from './types';

interface Codestream {
  name: string;
  bytes: Uint8Array;
}

interface Measured {
  name: string;
  size: number;
  indexMs: number;
  decodeMs: number;
  indexBytes: number;
}

/** Frames per DICOM file measured (multi-frame files repeat the same kind of codestream). */
const MAX_FRAMES_PER_FILE = 4;

function median(run: () => void, minMs: number): number {
  const times: number[] = [];
  const start = performance.now();
  do {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  } while (performance.now() - start < minMs || times.length < 3);
  return percentile(times, 50);
}

/** The error's code and the start of its message (codec messages carry whole decoder logs). */
function describe(e: unknown): string {
  const code = e instanceof Error && 'code' in e ? `${String(e.code)}: ` : '';
  const text = `${code}${e instanceof Error ? e.message : String(e)}`;
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

function collect(ctx: BenchContext): Codestream[] {
  const out: Codestream[] = [];
  const j2kDir = path.join(SHARED, 'data/j2k');
  for (const name of readdirSync(j2kDir).sort()) {
    const bytes = new Uint8Array(readFileSync(path.join(j2kDir, name)));
    try {
      const loc = findCodestream(bytes);
      out.push({ name, bytes: bytes.subarray(loc.offset, loc.offset + loc.length) });
    } catch (e) {
      ctx.log(`  j2k: ${name}: no codestream (${describe(e)})`);
    }
  }
  const dicomDir = path.join(SHARED, 'data/dicom');
  for (const name of readdirSync(dicomDir)
    .filter((n) => n.endsWith('.dcm'))
    .sort()) {
    try {
      const source = bufferSource(new Uint8Array(readFileSync(path.join(dicomDir, name))));
      const parsed = parseDicom(source);
      const family = transferSyntax(parsed.transferSyntaxUid)?.family;
      if ((family !== 'j2k' && family !== 'htj2k') || parsed.pixelData === null) continue;
      const frames = frameLocations(parsed.pixelData, pixelDescription(parsed.dataset).numberOfFrames, source);
      frames.slice(0, MAX_FRAMES_PER_FILE).forEach((loc, i) => {
        const frame = readFrame(source, loc);
        const cs = findCodestream(frame);
        out.push({ name: `${name}#${i + 1}`, bytes: frame.subarray(cs.offset, cs.offset + cs.length) });
      });
    } catch (e) {
      ctx.log(`  j2k: ${name}: frames not readable (${describe(e)})`);
    }
  }
  return out;
}

function measure(cs: Codestream, codecs: Codecs, minMs: number): Measured {
  const index = buildPacketIndex(cs.bytes);
  const indexBytes = encodePacketIndex(index).length;
  const htj2k = codestreamSummary(cs.bytes).htj2k;
  const decode = htj2k ? () => codecs.decodeHtj2k(cs.bytes) : () => codecs.decodeJ2k(cs.bytes);
  decode(); // fails here (and is reported) if the codec cannot decode it
  return {
    name: cs.name,
    size: cs.bytes.length,
    indexMs: median(() => buildPacketIndex(cs.bytes), minMs),
    decodeMs: median(decode, minMs),
    indexBytes,
  };
}

export async function runJ2kBench(ctx: BenchContext): Promise<BenchRow[]> {
  const codecs = await loadCodecs();
  const results: Measured[] = [];
  for (const cs of collect(ctx)) {
    try {
      results.push(measure(cs, codecs, ctx.sizes.j2kMinMs));
    } catch (e) {
      ctx.log(`  j2k: ${cs.name}: left out (${describe(e)})`);
    }
  }
  if (results.length === 0) return [];
  const sum = (f: (m: Measured) => number): number => results.reduce((a, m) => a + f(m), 0);
  const bytes = sum((m) => m.size);
  const indexMs = sum((m) => m.indexMs);
  const decodeMs = sum((m) => m.decodeMs);
  const fraction = (m: Measured): number => m.indexBytes / m.size;
  const speedup = (m: Measured): number => m.decodeMs / m.indexMs;
  const bySpeed = [...results].sort((a, b) => speedup(a) - speedup(b));
  const bySize = [...results].sort((a, b) => fraction(b) - fraction(a));
  const below = results.filter((m) => speedup(m) < 20).length;
  const over = results.filter((m) => fraction(m) >= 0.02).length;
  ctx.log(
    `  j2k: ${results.length} codestreams, ${(bytes / MB).toFixed(1)} MB; index ${indexMs.toFixed(0)} ms, decode ${decodeMs.toFixed(0)} ms; ${below} below 20×, ${over} with index ≥ 2 %`,
  );
  ctx.log(
    `  j2k: slowest vs decode: ${bySpeed
      .slice(0, 3)
      .map((m) => `${m.name} ${speedup(m).toFixed(1)}× (${(m.size / 1024).toFixed(0)} KB)`)
      .join(', ')}`,
  );
  ctx.log(
    `  j2k: largest index: ${bySize
      .slice(0, 3)
      .map(
        (m) => `${m.name} ${(100 * fraction(m)).toFixed(2)} % (${m.indexBytes} B of ${(m.size / 1024).toFixed(0)} KB)`,
      )
      .join(', ')}`,
  );
  const row = (metric: string, unit: string, value: number, goal: string, pass: boolean | null): BenchRow => ({
    bench: 'j2k',
    metric,
    unit,
    fovea: value,
    peer: null,
    ratio: null,
    goal,
    pass,
  });
  const worstSpeed = bySpeed[0];
  const worstSize = bySize[0];
  const rows: BenchRow[] = [
    row(`J2K index throughput, ${results.length} codestreams`, 'MB/s', bytes / MB / (indexMs / 1000), '-', null),
    row('J2K decode time / index time, all', '×', decodeMs / indexMs, '≥ 20×', decodeMs / indexMs >= 20),
  ];
  if (worstSpeed !== undefined)
    rows.push(row(`  worst: ${worstSpeed.name}`, '×', speedup(worstSpeed), '≥ 20×', speedup(worstSpeed) >= 20));
  rows.push(
    row(
      'J2K encoded index / codestream, all',
      '%',
      (100 * sum((m) => m.indexBytes)) / bytes,
      '< 2 %',
      sum((m) => m.indexBytes) / bytes < 0.02,
    ),
  );
  if (worstSize !== undefined)
    rows.push(row(`  worst: ${worstSize.name}`, '%', 100 * fraction(worstSize), '< 2 %', fraction(worstSize) < 0.02));
  return rows;
}
