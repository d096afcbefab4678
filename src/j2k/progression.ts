// Packet order inside one tile, ISO/IEC 15444-1 B.12: the five progression orders (B.12.1.1 LRCP,
// B.12.1.2 RLCP, B.12.1.3 RPCL, B.12.1.4 PCRL, B.12.1.5 CPRL) and POC changes (B.12.2, A.6.6):
// each POC entry runs its loops over [RS,RE) x [CS,CE) x [0,LYE) and skips packets already sent.
// Position-driven orders visit a precinct first at canvas position max(t0, precinct origin *
// XRsiz * 2^(NL-r)), which is where the B.12.1.3 loop condition first holds for it; sorting by
// that key reproduces the loop without stepping over every canvas sample.

import { LimitExceededError } from '../bytes';
import type { TileLayout } from './tile-layout';
import { pow2 } from './geometry';

export interface PacketSequence {
  count: number;
  /** Tile-local precinct id: component base + s (see precinctBase). */
  precinct: Int32Array;
  layer: Int32Array;
  /** First tile-local precinct id of each component. */
  precinctBase: Int32Array;
}

interface Entry {
  RS: number;
  CS: number;
  LYE: number;
  RE: number;
  CE: number;
  P: number;
}

export function packetSequence(L: TileLayout, maxPackets: number): PacketSequence {
  const Csiz = L.comps.length;
  const precinctBase = new Int32Array(Csiz);
  let total = 0;
  for (let c = 0; c < Csiz; c++) {
    precinctBase[c] = total;
    total += L.comps[c]?.numPrecincts ?? 0;
  }
  const cap = total * L.layers;
  if (cap > maxPackets) {
    throw new LimitExceededError('J2K_LIMIT_PACKETS', `tile ${L.t}: ${cap} packets over cap ${maxPackets}`, {
      context: 'packets',
    });
  }
  const precinct = new Int32Array(cap);
  const layer = new Int32Array(cap);
  const done = new Int32Array(total);
  let count = 0;
  const emit = (c: number, s: number, l: number): void => {
    const id = (precinctBase[c] as number) + s;
    if ((done[id] as number) !== l) return;
    done[id] = l + 1;
    precinct[count] = id;
    layer[count] = l;
    count++;
  };
  const entries: Entry[] =
    L.poc.length > 0
      ? L.poc.map((p) => ({ RS: p.RSpoc, CS: p.CSpoc, LYE: p.LYEpoc, RE: p.REpoc, CE: p.CEpoc, P: p.Ppoc }))
      : [{ RS: 0, CS: 0, LYE: L.layers, RE: L.maxNL + 1, CE: Csiz, P: L.progression }];
  for (const e of entries) {
    const LYE = Math.min(e.LYE, L.layers);
    const RE = Math.min(e.RE, L.maxNL + 1);
    const CE = Math.min(e.CE, Csiz);
    if (e.P === 0 || e.P === 1) {
      const outerL = e.P === 0;
      const n1 = outerL ? LYE : RE;
      const n2 = outerL ? RE : LYE;
      for (let i = outerL ? 0 : e.RS; i < n1; i++) {
        for (let j = outerL ? e.RS : 0; j < n2; j++) {
          const l = outerL ? i : j;
          const r = outerL ? j : i;
          for (let c = e.CS; c < CE; c++) {
            const res = L.comps[c]?.res[r];
            if (res === undefined) continue;
            for (let k = 0; k < res.numPrecincts; k++) emit(c, res.seqBase + k, l);
          }
        }
      }
      continue;
    }
    // Position-driven orders: collect (c, r, k) with their first canvas position.
    const cs: number[] = [];
    const rs: number[] = [];
    const ss: number[] = [];
    const ys: number[] = [];
    const xs: number[] = [];
    for (let c = e.CS; c < CE; c++) {
      const comp = L.comps[c];
      if (comp === undefined) continue;
      const NL = comp.style.levels;
      for (let r = e.RS; r < RE && r <= NL; r++) {
        const res = comp.res[r];
        if (res === undefined) continue;
        const dx = comp.XRsiz * pow2(res.PPx + NL - r);
        const dy = comp.YRsiz * pow2(res.PPy + NL - r);
        for (let ky = 0; ky < res.grid.ph; ky++) {
          const y = Math.max(L.rect.y0, (res.grid.py0 + ky) * dy);
          for (let kx = 0; kx < res.grid.pw; kx++) {
            cs.push(c);
            rs.push(r);
            ss.push(res.seqBase + ky * res.grid.pw + kx);
            ys.push(y);
            xs.push(Math.max(L.rect.x0, (res.grid.px0 + kx) * dx));
          }
        }
      }
    }
    // Sort keys as columns (no array per precinct): RPCL (r,y,x,c), PCRL (y,x,c,r), CPRL (c,y,x,r).
    const n = cs.length;
    const C = Float64Array.from(cs),
      R = Float64Array.from(rs),
      Y = Float64Array.from(ys),
      X = Float64Array.from(xs);
    const cols = e.P === 2 ? [R, Y, X, C] : e.P === 3 ? [Y, X, C, R] : [C, Y, X, R];
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => {
      for (let q = 0; q < 4; q++) {
        const col = cols[q] as Float64Array;
        const d = (col[a] as number) - (col[b] as number);
        if (d !== 0) return d;
      }
      return a - b;
    });
    for (const i of order) for (let l = 0; l < LYE; l++) emit(cs[i] as number, ss[i] as number, l);
  }
  return { count, precinct, layer, precinctBase };
}
