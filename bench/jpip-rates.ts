// JPIP requests per second, Fovea against opj_server, same views, same order, keep-alive, at
// concurrency 1 and 4, each cell bounded by a request count and a time budget. Views: the whole
// image at 512² (stateless), 512² full-resolution windows at roff 0,0 and at random offsets
// (stateless; opj_server's answers for roff ≠ 0,0 are wrong — it omits lower-resolution precincts,
// so its rate there is if anything flattered), and random windows on a channel (one per worker).

import type { JpipClient, LoadLimits, LoadResult } from './jpip-http';
import { runLoad } from './jpip-http';
import type { BenchContext, BenchRow } from './types';

export interface RateSetup {
  size: number;
  /** Random full-resolution window offsets (deterministic). */
  offsets: readonly (readonly [number, number])[];
  limits: Omit<LoadLimits, 'concurrency'>;
}

interface RateCase {
  name: string;
  peerNote: string;
  session: boolean;
  view(i: number): string;
}

export const WINDOW = 512;

export function windowView(fsiz: number, x: number, y: number, extra = ''): string {
  return `fsiz=${fsiz},${fsiz}&roff=${x},${y}&rsiz=${WINDOW},${WINDOW}${extra}`;
}

function cases(setup: RateSetup): RateCase[] {
  const at = (i: number): readonly [number, number] => setup.offsets[i % setup.offsets.length] ?? [0, 0];
  return [
    { name: 'whole image at 512²', peerNote: '', session: false, view: () => 'fsiz=512,512' },
    { name: '512² window at 0,0, full res', peerNote: '', session: false, view: () => windowView(setup.size, 0, 0) },
    {
      name: '512² windows, random roff, full res',
      peerNote: ' (opj data wrong)',
      session: false,
      view: (i) => windowView(setup.size, ...at(i)),
    },
    {
      name: '512² windows, random roff, on a channel',
      peerNote: ' (opj data wrong)',
      session: true,
      view: (i) => windowView(setup.size, ...at(i)),
    },
  ];
}

async function measure(client: JpipClient, c: RateCase, limits: LoadLimits): Promise<LoadResult> {
  if (!c.session) {
    for (let i = 0; i < 3; i++) await client.stateless(c.view(i)); // warm-up, not timed
    return runLoad(limits, (i) => client.stateless(c.view(i)));
  }
  const cids: string[] = [];
  for (let w = 0; w < limits.concurrency; w++) cids.push((await client.open('fsiz=512,512')).cid);
  try {
    return await runLoad(limits, (i, w) => client.onChannel(cids[w] ?? '', c.view(i * 7 + w)));
  } finally {
    for (const cid of cids) await client.close(cid).catch(() => undefined);
  }
}

function describe(r: LoadResult): string {
  const fail = r.failures > 0 ? `, ${r.failures} FAILED (${r.firstFailure ?? ''})` : '';
  return `${r.requests} req in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)}/s, ${(r.bytes / Math.max(1, r.requests) / 1024).toFixed(1)} KiB/req${fail}`;
}

export async function rateRows(
  ctx: BenchContext,
  setup: RateSetup,
  fovea: JpipClient,
  peer: JpipClient | null,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const concurrency of [1, 4]) {
    for (const c of cases(setup)) {
      const limits = { ...setup.limits, concurrency };
      const f = await measure(fovea, c, limits);
      const p = peer === null ? null : await measure(peer, c, limits);
      ctx.log(
        `  jpip rate ${c.name}, c=${concurrency}: Fovea ${describe(f)}${p === null ? '' : `; opj_server ${describe(p)}`}`,
      );
      const ok = f.failures === 0 && (p === null || p.failures === 0);
      const ratio = p === null || p.perSecond === 0 ? null : f.perSecond / p.perSecond;
      rows.push({
        bench: 'jpip',
        metric: `JPIP ${c.name}, c=${concurrency}${p === null ? '' : c.peerNote}`,
        unit: 'req/s',
        fovea: f.perSecond,
        peer: p?.perSecond ?? null,
        ratio,
        goal: '≥ 5× opj_server',
        pass: ratio === null ? (ok ? null : false) : ok && ratio >= 5,
      });
    }
  }
  return rows;
}
