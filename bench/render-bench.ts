// Rendering bench (issue #5): a large 16-bit frame (8192² full, 4096² quick) made with
// opj_compress (RPCL, 256² precincts, 6 levels = -n 7, 3 lossy layers), wrapped as DICOM and
// ingested into a real gateway (temp data folder). For a 128² thumbnail, a 1024² view of the whole
// frame and a 1024² full-resolution region: codestream bytes read through the stored packet index
// and render time (direct render from the store with a cold frame model, and over HTTP), against a
// full read + full decode of the frame. Goal: the thumbnail reads < 10 % of the codestream.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bufferSource } from '../src/bytes';
import { loadCodecs } from '../src/codec';
import { parseDicom } from '../src/dicom';
import { readConfig } from '../src/config';
import { codestreamReader } from '../src/frames';
import { decodePacketIndex } from '../src/j2k';
import { createLogger } from '../src/log';
import { countingReader, renderFrame, type RenderOptions } from '../src/render';
import { startServer } from '../src/server';
import { compressPattern, wrapCodestream } from './render-synth';
import { MB } from './stats';
import type { BenchContext, BenchRow } from './types';

const KIB = 1024;

interface Case {
  name: string;
  query: string;
  options: RenderOptions;
  /** Largest fraction of the codestream this view should read (null: no goal). */
  goal: number | null;
}

function cases(n: number): Case[] {
  const r = Math.floor(n / 2 - 512);
  return [
    {
      name: 'thumbnail 128²',
      query: 'thumbnail?viewport=128,128',
      options: { mediaType: 'image/jpeg', viewport: { vw: 128, vh: 128 } },
      goal: 0.1,
    },
    {
      name: 'whole frame at 1024²',
      query: 'rendered?viewport=1024,1024',
      options: { mediaType: 'image/jpeg', viewport: { vw: 1024, vh: 1024 } },
      goal: 0.25,
    },
    {
      name: '1024² region at full resolution',
      query: `rendered?viewport=1024,1024,${r},${r},1024,1024`,
      options: { mediaType: 'image/jpeg', viewport: { vw: 1024, vh: 1024, sx: r, sy: r, sw: 1024, sh: 1024 } },
      goal: 0.25,
    },
  ];
}

export async function runRenderBench(ctx: BenchContext): Promise<BenchRow[]> {
  const n = ctx.quick ? 4096 : 8192;
  ctx.log(`render: opj_compress ${n}x${n} 16-bit (RPCL, precincts 256, -n 7, -r 40,20,10) ...`);
  const cs = compressPattern({ width: n, height: n, levels: 6, rates: [40, 20, 10], precinct: 256 });
  const ids = { study: '2.25.5550001', series: '2.25.5550002', sop: '2.25.5550003' };
  const file = wrapCodestream(cs, n, n, ids, false);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fovea-render-bench-'));
  const running = await startServer(
    readConfig({ port: '0', host: '127.0.0.1', data: dataDir, logLevel: 'silent' }, { FOVEA_DIMSE_PORT: '0' }),
    createLogger('silent'),
  );
  const rows: BenchRow[] = [];
  try {
    const { store } = running.gateway;
    const outcome = await running.gateway.ingestor.ingestBytes(file);
    if (outcome.status !== 'stored' && outcome.status !== 'replaced')
      throw new Error(`render bench: ingest failed (${JSON.stringify(outcome)})`);
    const rec = store.instances.getInstance(ids.sop);
    const f = store.instances.getFrame(ids.sop, 1);
    if (rec === undefined || f === undefined || f.packetIndex === null)
      throw new Error('render bench: frame or packet index missing after ingest');
    const length = f.length - f.codestreamOffset;
    ctx.log(
      `render: codestream ${(length / MB).toFixed(1)} MiB, packet index ${(f.packetIndex.length / KIB).toFixed(0)} KiB`,
    );
    const dsBytes = await store.blobs.read(
      `${rec.versionKey}/dataset.dcm`,
      0,
      await store.blobs.size(`${rec.versionKey}/dataset.dcm`),
    );
    const ds = parseDicom(bufferSource(dsBytes), { bulkThreshold: Number.MAX_SAFE_INTEGER }).dataset;
    const codecs = await loadCodecs();
    const base = `http://127.0.0.1:${running.port}/dicomweb/studies/${ids.study}/series/${ids.series}/instances/${ids.sop}`;

    let t = performance.now();
    const whole = await store.blobs.read(f.framesKey, f.offset + f.codestreamOffset, length);
    codecs.decodeJ2k(whole);
    const fullMs = performance.now() - t;
    ctx.log(`render: full read + decode ${fullMs.toFixed(0)} ms`);
    rows.push({
      bench: 'render',
      metric: `full read + decode of ${n}² (baseline)`,
      unit: 'ms',
      fovea: fullMs,
      peer: null,
      ratio: null,
      goal: '',
      pass: null,
    });

    for (const c of cases(n)) {
      const reader = countingReader(codestreamReader(store.blobs, f, length));
      t = performance.now();
      const out = await renderFrame(
        codecs,
        ds,
        1,
        { length, reader, index: decodePacketIndex(f.packetIndex), htj2k: false },
        c.options,
      );
      const ms = performance.now() - t;
      const th = performance.now();
      const res = await fetch(`${base}/${c.query}`);
      await res.arrayBuffer();
      const httpMs = performance.now() - th;
      if (!res.ok) throw new Error(`render bench: GET ${c.query} -> ${res.status}`);
      const share = reader.count / length;
      ctx.log(
        `render: ${c.name}: ${out.width}x${out.height}, r=${out.stats.discardLevels}, ${out.stats.precincts} precincts, ${(reader.count / KIB).toFixed(0)} KiB (${(share * 100).toFixed(2)} %), ${ms.toFixed(0)} ms, HTTP ${httpMs.toFixed(0)} ms`,
      );
      rows.push({
        bench: 'render',
        metric: `${c.name}: bytes read (peer = whole codestream)`,
        unit: 'KiB',
        fovea: reader.count / KIB,
        peer: length / KIB,
        ratio: share,
        goal: c.goal === null ? '' : `< ${c.goal * 100} % of the codestream`,
        pass: c.goal === null ? null : share < c.goal,
      });
      rows.push({
        bench: 'render',
        metric: `${c.name}: render time (peer = full read + decode)`,
        unit: 'ms',
        fovea: ms,
        peer: fullMs,
        ratio: ms / fullMs,
        goal: 'faster than a full decode',
        pass: ms < fullMs,
      });
      rows.push({
        bench: 'render',
        metric: `${c.name}: HTTP GET (cached frame model)`,
        unit: 'ms',
        fovea: httpMs,
        peer: null,
        ratio: null,
        goal: '',
        pass: null,
      });
    }
  } finally {
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
