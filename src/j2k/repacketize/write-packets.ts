// Writes the packets of one tile for a new precinct partition (ISO/IEC 15444-1 B.9, B.10, in
// the B.12 order of the new layout): per precinct, inclusion and zero bit-plane tag trees are
// built from the stored values and encoded (B.10.2, B.10.4, B.10.5), then passes (B.10.6), the
// recorded Lblock steps and the length fields (B.10.7.1), then EPH (A.8.2); SOP (A.8.1, Nsop
// counting the tile's packets from 0) precedes every packet when Scod says so. Bodies are the
// recorded code-block bytes, copied by reference.

import { packetSequence } from '../progression';
import type { TileLayout } from '../tile-layout';
import { BitWriter } from './bit-writer';
import { floorLog2, lengthFields, writePassCount } from './block-coding';
import { precinctBands, type PrecinctBand, type TileStores } from './block-store';
import { precinctIds } from './read-packets';
import { TagTreeEncoder } from './tag-tree-encoder';

interface WriteBand extends PrecinctBand {
  incl: TagTreeEncoder;
  zbp: TagTreeEncoder;
}

const EPH_BYTES = Uint8Array.of(0xff, 0x92);

function sopSegment(n: number): Uint8Array {
  return Uint8Array.of(0xff, 0x91, 0x00, 0x04, (n >> 8) & 0xff, n & 0xff);
}

function writeHeader(bands: WriteBand[], layer: number, cs: Uint8Array, body: Uint8Array[]): Uint8Array {
  const bw = new BitWriter();
  const nonEmpty = bands.some((band) =>
    band.blocks.some((b) => band.store.contrib[b * band.store.layers + layer] !== undefined),
  );
  if (!nonEmpty) {
    bw.bit(0);
    return bw.finish();
  }
  bw.bit(1);
  for (const band of bands) {
    const s = band.store;
    for (let i = 0; i < band.blocks.length; i++) {
      const b = band.blocks[i] as number;
      const first = s.first[b] as number;
      const c = s.contrib[b * s.layers + layer];
      if (first < 0 || first >= layer) {
        if (!band.incl.encode(bw, i, layer + 1)) continue;
        band.zbp.encode(bw, i, (s.zbp[b] as number) + 1);
      } else {
        bw.bit(c === undefined ? 0 : 1);
      }
      if (c === undefined) continue;
      writePassCount(bw, c.passes);
      bw.unary(c.lbInc);
      const lb = (s.lblock[b] as number) + c.lbInc;
      s.lblock[b] = lb;
      const fields = lengthFields(s.cblkStyle, s.passes[b] as number, c.passes);
      fields.forEach((m, f) => bw.bits(c.lengths[f] as number, lb + floorLog2(m)));
      s.passes[b] = (s.passes[b] as number) + c.passes;
      body.push(cs.subarray(c.offset, c.offset + c.length));
    }
  }
  return bw.finish();
}

/** Appends the tile's packets to `out` and returns their total length in bytes. */
export function writeTilePackets(
  cs: Uint8Array,
  L: TileLayout,
  stores: TileStores,
  maxPackets: number,
  out: Uint8Array[],
): number {
  const seq = packetSequence(L, maxPackets);
  const ids = precinctIds(L, seq.precinctBase);
  const states = new Array<WriteBand[] | undefined>(L.numPrecincts);
  const sop = (L.Scod & 2) !== 0;
  const eph = (L.Scod & 4) !== 0;
  let total = 0;
  const push = (u: Uint8Array): void => {
    out.push(u);
    total += u.length;
  };
  for (let pi = 0; pi < seq.count; pi++) {
    const id = seq.precinct[pi] as number;
    const layer = seq.layer[pi] as number;
    let bands = states[id];
    if (bands === undefined) {
      const where = ids[id] as { c: number; r: number; k: number };
      bands = precinctBands(L, stores, where.c, where.r, where.k).map((pb) => {
        const s = pb.store;
        return {
          ...pb,
          incl: new TagTreeEncoder(pb.nw, pb.nh, (i) => {
            const f = s.first[pb.blocks[i] as number] as number;
            return f < 0 ? L.layers : f;
          }),
          zbp: new TagTreeEncoder(pb.nw, pb.nh, (i) => {
            const z = s.zbp[pb.blocks[i] as number] as number;
            return z < 0 ? 0x7fff : z;
          }),
        };
      });
      states[id] = bands;
    }
    if (sop) push(sopSegment(pi & 0xffff));
    const body: Uint8Array[] = [];
    push(writeHeader(bands, layer, cs, body));
    if (eph) push(EPH_BYTES);
    for (const b of body) push(b);
    if (layer + 1 >= L.layers) states[id] = undefined;
  }
  return total;
}
