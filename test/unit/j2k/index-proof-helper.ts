// Shared by the differential and PLT ground-truth tests: count PLT entries, and rebuild a
// codestream from the data-bins of its packet index with a layer / resolution reduction.
import { ByteReader } from '../../../src/bytes';
import { mainHeaderBin, precinctBin, rebuildCodestream, tileHeaderBin, type PacketIndex } from '../../../src/j2k';

const PLT = 0xff58;

/** Iplt entries of every PLT segment (15444-1 A.7.3 Table A.35: a length ends with a byte < 0x80). */
export function pltEntries(cs: Uint8Array, idx: PacketIndex): number {
  let n = 0;
  for (const t of idx.tiles) {
    for (const p of t.parts) {
      for (const m of p.markers) {
        if (m.marker !== PLT) continue;
        const r = new ByteReader(cs.subarray(m.offset + 5, m.offset + m.length)); // after FF58, Lplt, Zplt
        while (r.remaining > 0) if ((r.u8('Iplt') & 0x80) === 0) n++;
      }
    }
  }
  return n;
}

export interface BinSet {
  mainHeader: Uint8Array;
  tileHeaders: Map<number, Uint8Array>;
  precincts: Map<number, Uint8Array>;
}

/** Every data-bin of the codestream, as a JPIP server would serve them. */
export function allBins(cs: Uint8Array, idx: PacketIndex): BinSet {
  const tileHeaders = new Map<number, Uint8Array>();
  for (let t = 0; t < idx.numTiles; t++) tileHeaders.set(t, tileHeaderBin(cs, idx, t));
  const precincts = new Map<number, Uint8Array>();
  for (const p of idx.precincts) precincts.set(p.binId, precinctBin(cs, idx, p.binId).bytes);
  return { mainHeader: mainHeaderBin(cs, idx), tileHeaders, precincts };
}

/** Rebuilds from the bins keeping resolutions up to NL - reduce and the first `layers` (0 = all). */
export function rebuild(bins: BinSet, reduce: number, layers: number): Uint8Array {
  return rebuildCodestream({ ...bins, discardLevels: reduce, ...(layers > 0 ? { maxLayers: layers } : {}) });
}

/** Byte equality of two sample arrays of any typed-array type. */
export function sameSamples(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
