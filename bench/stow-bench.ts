// Row 1: STOW-RS instances/s on the same files (issue #2 Proof). Every file of
// ../shared/data/dicom is copied `stowRounds` times with fresh Study/Series/SOP Instance UIDs
// (pixel data byte for byte), the copies are written to a temp dir, and each server receives them
// in requests of STOW_BATCH parts streamed from disk, one request at a time, on an empty store.

import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stow, type StowPart } from './http-client';
import { SHARED, startFovea, startOrthanc, tempDir, type Peer } from './processes';
import { cloneInstance, loadTemplate, newUid, type Template } from './synth';
import type { BenchContext, BenchRow } from './types';

const STOW_BATCH = 10;

interface StowRun {
  stored: number;
  failed: number;
  seconds: number;
  bytes: number;
}

async function send(peer: Peer, files: readonly string[], sizes: readonly number[]): Promise<StowRun> {
  let stored = 0;
  let failed = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < files.length; i += STOW_BATCH) {
    const parts: StowPart[] = files.slice(i, i + STOW_BATCH).map((file) => ({ file }));
    const r = await stow(peer.dicomweb, parts);
    stored += r.stored;
    failed += (r.status >= 200 && r.status < 300) || r.status === 409 ? r.failed : parts.length - r.stored;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { stored, failed, seconds, bytes: sizes.reduce((a, b) => a + b, 0) };
}

/** JPEG 2000 / HTJ2K syntaxes: frames kept byte for byte, no transcode. */
const KEPT_AS_SENT = /^1\.2\.840\.10008\.1\.2\.4\.(90|91|201|202|203)$/;

export async function runStowBench(ctx: BenchContext): Promise<BenchRow[]> {
  const all = await runStowSet(ctx, 'every file of the corpus', () => true);
  const kept = await runStowSet(ctx, 'JPEG 2000 files only (kept as sent, no transcode)', (t) =>
    KEPT_AS_SENT.test(t.parsed.transferSyntaxUid),
  );
  return [...all, ...kept];
}

async function runStowSet(ctx: BenchContext, label: string, include: (t: Template) => boolean): Promise<BenchRow[]> {
  const tmp = tempDir('fovea-bench-stow-');
  try {
    const dicomDir = path.join(SHARED, 'data/dicom');
    const templates: Template[] = [];
    for (const name of readdirSync(dicomDir)
      .filter((n) => n.endsWith('.dcm'))
      .sort()) {
      try {
        const t = loadTemplate(path.join(dicomDir, name));
        if (include(t)) templates.push(t);
      } catch (e) {
        ctx.log(`  stow: ${name} cannot be parsed, left out (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    const files: string[] = [];
    const sizes: number[] = [];
    for (let round = 0; round < ctx.sizes.stowRounds; round++) {
      for (const [i, t] of templates.entries()) {
        const bytes = cloneInstance(t, { study: newUid(), series: newUid(), sop: newUid() });
        const file = path.join(tmp.dir, `r${round}-${i}.dcm`);
        writeFileSync(file, bytes);
        files.push(file);
        sizes.push(bytes.length);
      }
    }
    const mb = sizes.reduce((a, b) => a + b, 0) / (1024 * 1024);
    ctx.log(
      `  stow (${label}): ${files.length} instances (${templates.length} files × ${ctx.sizes.stowRounds}), ${mb.toFixed(1)} MB, ${STOW_BATCH} per request`,
    );

    const runs = new Map<string, StowRun>();
    const starters: [string, (dir: string) => Promise<Peer>][] = [['Fovea', startFovea]];
    if (ctx.orthanc) starters.push(['Orthanc', async () => startOrthanc()]);
    for (const [name, start] of starters) {
      const data = tempDir(`fovea-bench-stow-${name.toLowerCase()}-`);
      const peer = await start(data.dir);
      try {
        const run = await send(peer, files, sizes);
        runs.set(name, run);
        ctx.log(
          `  stow: ${name}: ${run.stored} stored, ${run.failed} failed in ${run.seconds.toFixed(1)} s (${(run.bytes / (1024 * 1024) / run.seconds).toFixed(1)} MB/s)`,
        );
      } finally {
        await peer.stop();
        data.remove();
      }
    }
    const fovea = runs.get('Fovea');
    const orthanc = runs.get('Orthanc');
    if (fovea === undefined) return [];
    const fRate = fovea.stored / fovea.seconds;
    const oRate = orthanc === undefined ? null : orthanc.stored / orthanc.seconds;
    return [
      {
        bench: 'stow',
        metric: `STOW-RS ${files.length} instances (${mb.toFixed(0)} MB), ${label}`,
        unit: 'inst/s',
        fovea: fRate,
        peer: oRate,
        ratio: oRate === null ? null : fRate / oRate,
        goal: '≥ 1× Orthanc',
        pass: oRate === null ? null : fRate >= oRate && fovea.failed === 0,
      },
    ];
  } finally {
    tmp.remove();
  }
}
