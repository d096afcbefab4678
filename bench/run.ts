// `npm run bench [-- --only stow,qido,metadata,rss,j2k] [--quick] [--no-orthanc]`: the issue #2
// and #3 benchmarks. Ratios are against Orthanc 1.10 + DICOMweb measured in the same run; these
// are measurements, not tests (nothing asserts on time). Children and temp dirs are removed on
// exit, Ctrl-C included. Exit code 0 when the run completed (whatever PASS/FAIL says), 1 on error.

import { parseArgs } from 'node:util';
import { closeAgent } from './http-client';
import { runJ2kBench } from './j2k-bench';
import { runJpipBench } from './jpip-bench';
import { runRenderBench } from './render-bench';
import { cleanupAll, installExitHandlers, orthancAvailable } from './processes';
import { runCorpusBench } from './qido-bench';
import { runRssBench } from './rss-bench';
import { runStowBench } from './stow-bench';
import { renderTable } from './table';
import { BENCH_IDS, FULL, QUICK, type BenchContext, type BenchId, type BenchRow } from './types';

const USAGE = `usage: npm run bench -- [--only ${BENCH_IDS.join(',')}] [--quick] [--no-orthanc]`;

function parseOnly(raw: string | undefined): Set<BenchId> {
  if (raw === undefined) return new Set(BENCH_IDS);
  const out = new Set<BenchId>();
  for (const item of raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)) {
    const id = BENCH_IDS.find((b) => b === item);
    if (id === undefined) throw new Error(`unknown bench "${item}"; ${USAGE}`);
    out.add(id);
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean' },
      'no-orthanc': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const only = parseOnly(values.only);
  const quick = values.quick === true;
  const orthanc = values['no-orthanc'] !== true && orthancAvailable();
  const started = Date.now();
  const ctx: BenchContext = {
    sizes: quick ? QUICK : FULL,
    quick,
    orthanc,
    log: (line) => process.stdout.write(`${((Date.now() - started) / 1000).toFixed(0).padStart(5)}s ${line}\n`),
  };
  if (!orthanc) ctx.log('Orthanc not used (not installed or --no-orthanc): peer columns stay empty');
  ctx.log(`mode: ${quick ? 'quick' : 'full'}; benches: ${[...only].join(', ')}`);
  const rows: BenchRow[] = [];
  const step = async (name: string, run: () => Promise<BenchRow[]>): Promise<void> => {
    ctx.log(`${name} ...`);
    const t = Date.now();
    rows.push(...(await run()));
    ctx.log(`${name} done in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  };
  if (only.has('stow')) await step('stow', () => runStowBench(ctx));
  if (only.has('qido') || only.has('metadata')) {
    await step(only.has('qido') ? 'qido + metadata' : 'metadata', () =>
      runCorpusBench(ctx, { qido: only.has('qido'), metadata: only.has('metadata') }),
    );
  }
  if (only.has('rss')) await step('rss', () => runRssBench(ctx));
  if (only.has('j2k')) await step('j2k', () => runJ2kBench(ctx));
  if (only.has('jpip')) await step('jpip', () => runJpipBench(ctx));
  if (only.has('render')) await step('render', () => runRenderBench(ctx));
  closeAgent();
  process.stdout.write(
    `\n${renderTable(rows)}\n\npeer = Orthanc (DICOMweb rows) or opj_server (JPIP rows), same run, same machine; ratio = Fovea / peer; total ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  return 0;
}

installExitHandlers();
main(process.argv.slice(2)).then(
  (code) => {
    cleanupAll();
    process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    cleanupAll();
    process.exit(1);
  },
);
