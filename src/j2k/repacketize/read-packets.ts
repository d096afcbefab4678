// Reads every packet of one tile (ISO/IEC 15444-1 B.9, B.10, in the B.12 order of the tile's
// layout) and records each code-block's contributions in the tile's band stores: first layer of
// inclusion (B.10.4 tag tree), zero bit-planes (B.10.5 tag tree), passes (B.10.6), Lblock steps
// and segment lengths (B.10.7), and where its bytes are. SOP (A.8.1) and EPH (A.8.2) are honoured.
// Packed headers (PPM/PPT) are refused by the caller.

import { BitReader, ByteReader, MalformedError, TruncatedError } from '../../bytes';
import type { TilePart } from '../codestream';
import type { J2kWarning } from '../header-types';
import { packetSequence } from '../progression';
import { TagTree } from '../tag-tree';
import type { TileLayout } from '../tile-layout';
import { floorLog2, lengthFields, readPassCount } from './block-coding';
import { precinctBands, type PrecinctBand, type TileStores } from './block-store';

interface ReadBand extends PrecinctBand {
  incl: TagTree;
  zbp: TagTree;
}

const SOP = 0xff91;
const EPH = 0xff92;

/** Precinct coordinates of each tile-local precinct id (component base + s). */
export function precinctIds(L: TileLayout, base: Int32Array): Array<{ c: number; r: number; k: number }> {
  const out = new Array<{ c: number; r: number; k: number }>(L.numPrecincts);
  for (const comp of L.comps) {
    for (const res of comp.res) {
      for (let k = 0; k < res.numPrecincts; k++)
        out[(base[comp.c] as number) + res.seqBase + k] = { c: comp.c, r: res.r, k };
    }
  }
  return out;
}

function readLength(br: BitReader, bits: number): number {
  if (bits > 32)
    throw new MalformedError('J2K_SEGMENT_LENGTH_BITS', `codeword length field of ${bits} bits`, {
      offset: br.offset,
      context: 'packet header',
    });
  return br.bits(bits);
}

/** Decodes one packet header (B.10) into the stores; returns the contributions in body order. */
function readHeader(
  br: BitReader,
  bands: ReadBand[],
  layer: number,
): Array<{ length: number; set: (offset: number) => void }> {
  const parts: Array<{ length: number; set: (offset: number) => void }> = [];
  if (br.bit() === 0) return parts;
  for (const band of bands) {
    const s = band.store;
    for (let i = 0; i < band.blocks.length; i++) {
      const b = band.blocks[i] as number;
      if ((s.first[b] as number) < 0) {
        if (!band.incl.decode(br, i, layer + 1)) continue;
        let t = 1;
        while (!band.zbp.decode(br, i, t)) {
          if (++t > 80)
            throw new MalformedError('J2K_ZERO_BITPLANES', 'zero bit-planes value above 80', {
              offset: br.offset,
              context: 'packet header',
            });
        }
        s.first[b] = layer;
        s.zbp[b] = band.zbp.valueOf(i);
      } else if (br.bit() === 0) continue;
      const passes = readPassCount(br);
      let lb = s.lblock[b] as number;
      const lb0 = lb;
      while (br.bit() === 1) {
        if (++lb > 32)
          throw new MalformedError('J2K_LBLOCK', 'Lblock above 32', { offset: br.offset, context: 'packet header' });
      }
      s.lblock[b] = lb;
      const lengths = lengthFields(s.cblkStyle, s.passes[b] as number, passes).map((m) =>
        readLength(br, lb + floorLog2(m)),
      );
      s.passes[b] = (s.passes[b] as number) + passes;
      const length = lengths.reduce((a, v) => a + v, 0);
      const contrib = { passes, lbInc: lb - lb0, lengths, offset: 0, length };
      s.contrib[b * s.layers + layer] = contrib;
      parts.push({ length, set: (offset) => void (contrib.offset = offset) });
    }
  }
  return parts;
}

// ISO/IEC 15444-1 B.9, B.10, B.12; A.8.1 (SOP), A.8.2 (EPH)
export function readTilePackets(
  cs: Uint8Array,
  L: TileLayout,
  parts: readonly TilePart[],
  stores: TileStores,
  maxPackets: number,
  onWarning?: (w: J2kWarning) => void,
): number {
  const seq = packetSequence(L, maxPackets);
  const ids = precinctIds(L, seq.precinctBase);
  const states = new Array<ReadBand[] | undefined>(L.numPrecincts);
  const sop = (L.Scod & 2) !== 0;
  const eph = (L.Scod & 4) !== 0;
  const reader = new ByteReader(cs);
  let pi = 0;
  for (const part of parts) {
    const end = part.dataEnd;
    const br = new BitReader(cs, part.dataOffset, end);
    let pos = part.dataOffset;
    while (pi < seq.count && pos < end) {
      const id = seq.precinct[pi] as number;
      const layer = seq.layer[pi] as number;
      reader.seek(pos);
      if (sop && end - pos >= 6 && reader.peekU16('SOP') === SOP) {
        reader.skip(2);
        if (reader.u16('Lsop') !== 4)
          throw new MalformedError('J2K_SOP_LENGTH', 'Lsop != 4', { offset: pos + 2, context: 'SOP' });
        pos += 6;
      }
      let bands = states[id];
      if (bands === undefined) {
        const where = ids[id] as { c: number; r: number; k: number };
        bands = precinctBands(L, stores, where.c, where.r, where.k).map((pb) => ({
          ...pb,
          incl: new TagTree(pb.nw, pb.nh),
          zbp: new TagTree(pb.nw, pb.nh),
        }));
        states[id] = bands;
      }
      br.reset(pos);
      const contribs = readHeader(br, bands, layer);
      br.align();
      pos = br.position;
      if (eph) {
        reader.seek(pos);
        if (end - pos < 2 || reader.peekU16('EPH') !== EPH)
          throw new MalformedError('J2K_EPH_MISSING', 'EPH expected after packet header', {
            offset: pos,
            context: 'EPH',
          });
        pos += 2;
      }
      for (const c of contribs) {
        c.set(pos);
        pos += c.length;
      }
      if (pos > end) {
        const Err = end === cs.length ? TruncatedError : MalformedError;
        throw new Err(
          end === cs.length ? 'J2K_PACKET_TRUNCATED' : 'J2K_PACKET_OVERRUN',
          `packet body runs ${pos - end} bytes past its tile-part`,
          { offset: end },
        );
      }
      if (layer + 1 >= L.layers) states[id] = undefined;
      pi++;
    }
    if (pos < end)
      onWarning?.({
        code: 'J2K_REPACK_TRAILING_DROPPED',
        message: `${end - pos} bytes after the last packet of tile ${L.t} dropped`,
        offset: pos,
      });
  }
  if (pi < seq.count) {
    const last = parts[parts.length - 1];
    throw new TruncatedError(
      'J2K_REPACK_PACKETS_MISSING',
      `tile ${L.t}: ${seq.count - pi} of ${seq.count} packets absent`,
      { offset: last?.dataEnd ?? cs.length },
    );
  }
  return seq.count;
}
