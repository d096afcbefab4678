// Row 4: peak RSS of the Fovea process while it ingests one large native multi-frame object by
// STOW-RS (goal < 300 MB). The object is written to a temp file frame by frame and the request
// body is streamed from that file; a fresh gateway is started so VmHWM reflects this ingest.
// VmRSS is also sampled every 50 ms so the log shows how memory evolved.

import * as path from 'node:path';
import { stow } from './http-client';
import { memoryOf, startFovea, tempDir } from './processes';
import { MB } from './stats';
import { writeMultiFrame } from './synth';
import type { BenchContext, BenchRow } from './types';

const SIDE = 1024;

export async function runRssBench(ctx: BenchContext): Promise<BenchRow[]> {
  const tmp = tempDir('fovea-bench-rss-');
  const data = tempDir('fovea-bench-rss-data-');
  try {
    const file = path.join(tmp.dir, 'multiframe.dcm');
    const t0 = Date.now();
    const size = await writeMultiFrame(file, { frames: ctx.sizes.rssFrames, rows: SIDE, columns: SIDE });
    ctx.log(
      `  rss: wrote ${ctx.sizes.rssFrames} frames of ${SIDE}×${SIDE}×16 bit, ${(size / MB).toFixed(0)} MB, in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const fovea = await startFovea(data.dir);
    try {
      const before = memoryOf(fovea.pid);
      let sampledMax = before.rss;
      const samples: number[] = [];
      const timer = setInterval(() => {
        try {
          const m = memoryOf(fovea.pid);
          sampledMax = Math.max(sampledMax, m.rss);
          samples.push(m.rss);
        } catch {
          // the process may be gone; the request will report it
        }
      }, 50);
      let result;
      try {
        result = await stow(fovea.dicomweb, [{ file }]);
      } finally {
        clearInterval(timer);
      }
      const after = memoryOf(fovea.pid);
      const tenth = (q: number): string =>
        ((samples[Math.floor((samples.length - 1) * q)] ?? Number.NaN) / MB).toFixed(0);
      ctx.log(
        `  rss: STOW ${result.status}, stored ${result.stored}, failed ${result.failed}, ${(result.ms / 1000).toFixed(1)} s (${(size / MB / (result.ms / 1000)).toFixed(1)} MB/s)`,
      );
      ctx.log(
        `  rss: Fovea peak RSS before ${(before.peakRss / MB).toFixed(0)} MB, after ${(after.peakRss / MB).toFixed(0)} MB; RSS at 10/50/90/100 % of the request: ${tenth(0.1)}/${tenth(0.5)}/${tenth(0.9)}/${tenth(1)} MB, now ${(after.rss / MB).toFixed(0)} MB`,
      );
      if (result.stored !== 1) throw new Error(`the multi-frame object was not stored (status ${result.status})`);
      const peak = after.peakRss / MB;
      return [
        {
          bench: 'rss',
          metric: `peak RSS, STOW of ${(size / MB).toFixed(0)} MB multi-frame`,
          unit: 'MB',
          fovea: peak,
          peer: null,
          ratio: null,
          goal: '< 300 MB',
          pass: peak < 300,
        },
      ];
    } finally {
      await fovea.stop();
    }
  } finally {
    data.remove();
    tmp.remove();
  }
}
