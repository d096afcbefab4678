// JPIP bytes: (a) body bytes of stateless views against the strict need (jpip-strict.ts), with a
// check that every strictly needed precinct data-bin is in the response; (b) a repeated view on a
// channel against the first; (c) the first view of a fit-to-screen channel (1/8 of the frame size
// per side: 1024² of 8192², 256² in --quick) against the whole codestream. Body bytes only: HTTP
// headers and chunk framing are not counted (for either server).

import { BinClass, JpipStreamReader } from '../src/jpip';
import type { JpipClient, JpipReply } from './jpip-http';
import { windowView } from './jpip-rates';
import type { StrictCalculator, StrictView } from './jpip-strict';
import type { BenchContext, BenchRow } from './types';

export interface BytesSetup {
  size: number;
  offsets: readonly (readonly [number, number])[];
  strict: StrictCalculator;
  codestreamBytes: number;
}

interface ViewKind {
  name: string;
  /** opj_server's answer is right for these (whole image, roff 0,0). */
  peerValid: boolean;
  views: StrictView[];
}

function query(v: StrictView): string {
  const parts = [`fsiz=${v.fsiz},${v.fsiz}`];
  if (v.roff !== undefined) parts.push(`roff=${v.roff[0]},${v.roff[1]}`);
  if (v.rsiz !== undefined) parts.push(`rsiz=${v.rsiz[0]},${v.rsiz[1]}`);
  if (v.layers !== undefined) parts.push(`layers=${v.layers}`);
  return parts.join('&');
}

/** Precinct data-bin ids present in a jpp-stream body, and the data bytes of all its messages. */
function parseBody(reply: JpipReply): { ids: Set<number>; data: number } {
  const reader = new JpipStreamReader();
  const events = reader.push(new Uint8Array(reply.body ?? Buffer.alloc(0)));
  reader.end();
  const ids = new Set<number>();
  let data = 0;
  for (const e of events) {
    if (e.kind !== 'message') continue;
    data += e.message.data.length;
    if (e.message.classId === BinClass.precinct || e.message.classId === BinClass.extendedPrecinct)
      ids.add(e.message.binId);
  }
  return { ids, data };
}

function kinds(s: BytesSetup): ViewKind[] {
  const fit = s.size / 8;
  const win = (i: number, f: number): [number, number] => {
    const [x, y] = s.offsets[i] ?? [0, 0];
    return [Math.floor((x * f) / s.size), Math.floor((y * f) / s.size)];
  };
  const n = Math.min(12, s.offsets.length);
  const layers = Math.max(1, Math.floor(s.strict.layers / 2));
  return [
    { name: 'whole image at 512²', peerValid: true, views: [{ fsiz: 512 }] },
    { name: `whole image at ${fit}²`, peerValid: true, views: [{ fsiz: fit }] },
    {
      name: '512² window at 0,0, full res',
      peerValid: true,
      views: [{ fsiz: s.size, roff: [0, 0], rsiz: [512, 512] }],
    },
    {
      name: '512² windows, random roff, full res',
      peerValid: false,
      views: Array.from({ length: n }, (_, i) => ({ fsiz: s.size, roff: win(i, s.size), rsiz: [512, 512] })),
    },
    {
      name: '512² windows, random roff, half res',
      peerValid: false,
      views: Array.from({ length: 4 }, (_, i) => ({
        fsiz: s.size / 2,
        roff: win(i, s.size / 2 - 512),
        rsiz: [512, 512],
      })),
    },
    {
      name: `512² windows, random roff, layers=${layers}`,
      peerValid: false,
      views: Array.from({ length: 4 }, (_, i) => ({
        fsiz: s.size,
        roff: win(i + 4, s.size),
        rsiz: [512, 512],
        layers,
      })),
    },
  ];
}

function row(
  metric: string,
  unit: string,
  fovea: number,
  peer: number | null,
  goal: string,
  pass: boolean | null,
): BenchRow {
  return { bench: 'jpip', metric, unit, fovea, peer, ratio: null, goal, pass };
}

async function strictRows(
  ctx: BenchContext,
  s: BytesSetup,
  fovea: JpipClient,
  peer: JpipClient | null,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const kind of kinds(s)) {
    let worst = 0;
    let worstPeer: number | null = null;
    let missing = 0;
    let sent = 0;
    let data = 0;
    let need = 0;
    for (const v of kind.views) {
      const need1 = s.strict.strict(v);
      const r = await fovea.stateless(query(v), true);
      if (r.status !== 200) throw new Error(`Fovea answered ${r.status} to ${query(v)}`);
      const body = parseBody(r);
      for (const id of need1.binIds) if (!body.ids.has(id)) missing++;
      data += body.data;
      worst = Math.max(worst, r.bytes / need1.total);
      sent += r.bytes;
      need += need1.total;
      if (peer !== null && kind.peerValid) {
        const p = await peer.stateless(query(v));
        if (p.status === 200) worstPeer = Math.max(worstPeer ?? 0, p.bytes / need1.total);
      }
    }
    ctx.log(
      `  jpip bytes ${kind.name}: ${kind.views.length} views, Fovea ${sent} B for ${need} B strictly needed (sum ratio ${(sent / need).toFixed(4)}, worst ${worst.toFixed(4)}; message data alone ${(data / need).toFixed(4)})${missing > 0 ? `, ${missing} NEEDED PRECINCTS MISSING` : ''}${worstPeer === null ? '' : `; opj_server worst ${worstPeer.toFixed(4)}`}`,
    );
    rows.push(
      row(
        `JPIP bytes / strict need, ${kind.name}${kind.views.length > 1 ? ` (worst of ${kind.views.length})` : ''}`,
        '×',
        worst,
        worstPeer,
        '≤ 1.02',
        worst <= 1.02 && missing === 0,
      ),
    );
  }
  return rows;
}

async function repeatRatio(client: JpipClient, view: string): Promise<{ first: number; second: number }> {
  const { reply, cid } = await client.open(view);
  try {
    const again = await client.onChannel(cid, view);
    if (again.status !== 200) throw new Error(`${client.name}: repeated view answered ${again.status}`);
    return { first: reply.bytes, second: again.bytes };
  } finally {
    await client.close(cid).catch(() => undefined);
  }
}

async function repeatRows(
  ctx: BenchContext,
  s: BytesSetup,
  fovea: JpipClient,
  peer: JpipClient | null,
): Promise<BenchRow[]> {
  const [x, y] = s.offsets[0] ?? [0, 0];
  const views: [string, string, string][] = [
    ['whole image at 512²', 'fsiz=512,512', ''],
    ['512² window at random roff, full res', windowView(s.size, x, y), ' (opj data wrong)'],
  ];
  const rows: BenchRow[] = [];
  for (const [name, view, note] of views) {
    const f = await repeatRatio(fovea, view);
    const p = peer === null ? null : await repeatRatio(peer, view);
    ctx.log(
      `  jpip repeat ${name}: Fovea ${f.first} B then ${f.second} B${p === null ? '' : `; opj_server ${p.first} B then ${p.second} B`}`,
    );
    const pct = (r: { first: number; second: number }): number => (100 * r.second) / r.first;
    rows.push(
      row(
        `JPIP repeated view on a channel, ${name}${p === null ? '' : note}`,
        '% of 1st',
        pct(f),
        p === null ? null : pct(p),
        '≤ 1 %',
        pct(f) <= 1,
      ),
    );
  }
  return rows;
}

async function fitRow(ctx: BenchContext, s: BytesSetup, fovea: JpipClient, peer: JpipClient | null): Promise<BenchRow> {
  const fit = s.size / 8;
  const first = async (c: JpipClient): Promise<number> => {
    const { reply, cid } = await c.open(`fsiz=${fit},${fit}`);
    await c.close(cid).catch(() => undefined);
    return reply.bytes;
  };
  const f = await first(fovea);
  const p = peer === null ? null : await first(peer);
  ctx.log(
    `  jpip fit-to-${fit}² first view: Fovea ${f} B, ${p === null ? '' : `opj_server ${p} B, `}whole frame ${s.codestreamBytes} B (1/${(s.codestreamBytes / f).toFixed(1)})`,
  );
  const pct = (b: number): number => (100 * b) / s.codestreamBytes;
  return row(
    `JPIP fit-to-${fit}² first view / whole ${s.size}² frame`,
    '%',
    pct(f),
    p === null ? null : pct(p),
    '≤ 8.33 % (1/12)',
    f * 12 <= s.codestreamBytes,
  );
}

export async function byteRows(
  ctx: BenchContext,
  s: BytesSetup,
  fovea: JpipClient,
  peer: JpipClient | null,
): Promise<BenchRow[]> {
  return [
    ...(await strictRows(ctx, s, fovea, peer)),
    ...(await repeatRows(ctx, s, fovea, peer)),
    await fitRow(ctx, s, fovea, peer),
  ];
}
