// Rows 2 and 3: QIDO-RS p50 latency with the same corpus stored in Fovea and Orthanc (goal: half
// of Orthanc's), Fovea alone at the large size (goal < 20 ms), and WADO-RS series metadata of a
// 1 000-instance series (goal < 50 ms, Orthanc's reported). Requests are sequential, keep-alive,
// after a warm-up; one server is measured while the other is idle.

import { getText, getTimed } from './http-client';
import { corpusTemplate, ingestCorpus, loadBigSeries, loadCorpus, CORPUS_LAYOUT, type LoadReport } from './corpus-load';
import { startFovea, startOrthanc, tempDir, type Peer } from './processes';
import { percentile } from './stats';
import { addDays, corpusDate, corpusPatientName, type CorpusStudy } from './synth';
import type { BenchContext, BenchRow } from './types';

const QUERY_TYPES = ['PatientName wildcard', 'StudyDate range', 'series of a study', 'instances of a series'] as const;
type QueryType = (typeof QUERY_TYPES)[number];

/** Deterministic pseudo-random integers (LCG), so both servers get the same queries. */
function picker(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

function queries(studies: readonly CorpusStudy[], repeats: number): Map<QueryType, string[]> {
  const pick = picker(42);
  const patients = Math.ceil(studies.length / CORPUS_LAYOUT.studiesPerPatient);
  const out = new Map<QueryType, string[]>();
  const list = (f: () => string): string[] => Array.from({ length: repeats }, f);
  // PatientName prefix of 5 digits: 10 patients, 20 studies, whatever the corpus size.
  out.set(
    'PatientName wildcard',
    list(() => `/studies?PatientName=${encodeURIComponent(corpusPatientName(pick(patients)).slice(0, 10))}*`),
  );
  // A 30-day StudyDate range starting on a corpus date.
  out.set(
    'StudyDate range',
    list(() => {
      const from = corpusDate(pick(studies.length));
      return `/studies?StudyDate=${from}-${addDays(from, 30)}`;
    }),
  );
  out.set(
    'series of a study',
    list(() => `/studies/${studies[pick(studies.length)]?.study ?? ''}/series`),
  );
  out.set(
    'instances of a series',
    list(() => {
      const s = studies[pick(studies.length)];
      return `/studies/${s?.study ?? ''}/series/${s?.series[0] ?? ''}/instances`;
    }),
  );
  return out;
}

async function timeQueries(peer: Peer, qs: Map<QueryType, string[]>): Promise<Map<QueryType, number[]>> {
  const times = new Map<QueryType, number[]>();
  for (const [type, urls] of qs) {
    for (const u of urls.slice(0, 5)) await getTimed(peer.dicomweb + u); // warm-up
    const t: number[] = [];
    for (const u of urls) {
      const r = await getTimed(peer.dicomweb + u);
      if (r.status !== 200 && r.status !== 204) throw new Error(`${peer.name} ${u} answered ${r.status}`);
      t.push(r.ms);
    }
    times.set(type, t);
  }
  return times;
}

/** Number of results of the first query of each type, so the log shows both servers agree. */
async function resultCounts(peer: Peer, qs: Map<QueryType, string[]>): Promise<string> {
  const counts: string[] = [];
  for (const [type, urls] of qs) {
    const r = await getText(peer.dicomweb + (urls[0] ?? ''), 'application/dicom+json');
    const n = r.status === 204 || r.text === '' ? 0 : (JSON.parse(r.text) as unknown[]).length;
    counts.push(`${type}=${n}`);
  }
  return counts.join(', ');
}

function loadLine(label: string, r: LoadReport): string {
  return [...r.seconds]
    .map(
      ([name, s]) =>
        `${name} ${r.instances} in ${s.toFixed(1)} s (${(r.instances / s).toFixed(0)}/s${r.failed.get(name) ? `, ${r.failed.get(name)} FAILED` : ''})`,
    )
    .join('; ')
    .replace(/^/, `  ${label}: `);
}

function qidoRows(
  label: string,
  fovea: Map<QueryType, number[]>,
  orthanc: Map<QueryType, number[]> | null,
  big: boolean,
): BenchRow[] {
  const all = (m: Map<QueryType, number[]>): number[] => [...m.values()].flat();
  const row = (metric: string, f: number[], o: number[] | null): BenchRow => {
    const fp = percentile(f, 50);
    const op = o === null ? null : percentile(o, 50);
    return {
      bench: 'qido',
      metric,
      unit: 'ms p50',
      fovea: fp,
      peer: op,
      ratio: op === null ? null : fp / op,
      goal: big ? '< 20 ms' : '≤ 0.5× Orthanc',
      pass: big ? fp < 20 : op === null ? null : fp <= 0.5 * op,
    };
  };
  return [
    row(`QIDO-RS ${label}, all queries`, all(fovea), orthanc === null ? null : all(orthanc)),
    ...QUERY_TYPES.map((t) => row(`  ${t}`, fovea.get(t) ?? [], orthanc?.get(t) ?? null)),
  ];
}

export async function runCorpusBench(
  ctx: BenchContext,
  want: { qido: boolean; metadata: boolean },
): Promise<BenchRow[]> {
  const { sizes } = ctx;
  const rows: BenchRow[] = [];
  const template = corpusTemplate();
  const data = tempDir('fovea-bench-qido-');
  let fovea: Peer | null = await startFovea(data.dir);
  let orthanc: Peer | null = ctx.orthanc ? await startOrthanc() : null;
  try {
    const peers = orthanc === null ? [fovea] : [fovea, orthanc];
    const metaCount = sizes.metadataSeriesInstances;
    const big = await loadBigSeries(template, peers, metaCount);
    ctx.log(loadLine(`series of ${metaCount}`, big.report));
    const studies: CorpusStudy[] = [];
    if (want.qido) {
      const corpusStudies = Math.max(
        1,
        Math.round((sizes.qidoInstances - metaCount) / CORPUS_LAYOUT.instancesPerSeries),
      );
      const report = await loadCorpus(template, peers, 0, corpusStudies, studies);
      ctx.log(loadLine(`QIDO corpus of ${report.instances + metaCount}`, report));
      const qs = queries(studies, sizes.queryRepeats);
      for (const p of peers) ctx.log(`  qido: ${p.name} results: ${await resultCounts(p, qs)}`);
      const f = await timeQueries(fovea, qs);
      const o = orthanc === null ? null : await timeQueries(orthanc, qs);
      rows.push(...qidoRows(`${(report.instances + metaCount).toLocaleString('en-US')} inst.`, f, o, false));
    }
    if (want.metadata) {
      const url = `/studies/${big.study}/series/${big.series}/metadata`;
      const times = new Map<string, number>();
      for (const p of peers) {
        const first = await getTimed(p.dicomweb + url);
        if (first.status !== 200) throw new Error(`${p.name} series metadata answered ${first.status}`);
        const t: number[] = [];
        for (let i = 0; i < sizes.metadataRepeats; i++) t.push((await getTimed(p.dicomweb + url)).ms);
        times.set(p.name, percentile(t, 50));
        ctx.log(
          `  metadata: ${p.name}: ${(first.bytes / 1024).toFixed(0)} KB, first ${first.ms.toFixed(1)} ms, p50 ${percentile(t, 50).toFixed(1)} ms`,
        );
      }
      const fm = times.get('Fovea') ?? Number.NaN;
      const om = times.get('Orthanc') ?? null;
      rows.push({
        bench: 'metadata',
        metric: `WADO-RS series metadata, ${metaCount} inst.`,
        unit: 'ms p50',
        fovea: fm,
        peer: om,
        ratio: om === null ? null : fm / om,
        goal: '< 50 ms',
        pass: fm < 50,
      });
    }
    if (orthanc !== null) {
      await orthanc.stop();
      orthanc = null;
    }
    if (want.qido && sizes.qidoBigInstances > sizes.qidoInstances) {
      await fovea.stop();
      fovea = null;
      const extraStudies = Math.round(
        (sizes.qidoBigInstances - sizes.qidoInstances) / CORPUS_LAYOUT.instancesPerSeries,
      );
      const report = await ingestCorpus(template, data.dir, studies.length, extraStudies, studies, (done) => {
        if (done % 10_000 === 0)
          ctx.log(
            `  qido: direct ingest ${done.toLocaleString('en-US')} / ${(extraStudies * CORPUS_LAYOUT.instancesPerSeries).toLocaleString('en-US')}`,
          );
      });
      ctx.log(loadLine('direct ingest (ingest pipeline, no HTTP)', report));
      const t0 = Date.now();
      fovea = await startFovea(data.dir);
      ctx.log(
        `  qido: Fovea restarted over ${sizes.qidoBigInstances.toLocaleString('en-US')} instances in ${Date.now() - t0} ms`,
      );
      const qs = queries(studies, sizes.queryRepeats);
      ctx.log(`  qido: Fovea results: ${await resultCounts(fovea, qs)}`);
      const f = await timeQueries(fovea, qs);
      rows.push(
        ...qidoRows(
          `${(report.instances + sizes.qidoInstances).toLocaleString('en-US')} inst., Fovea alone`,
          f,
          null,
          true,
        ),
      );
    }
  } finally {
    await orthanc?.stop();
    await fovea?.stop();
    data.remove();
  }
  return rows;
}
