// The bytes a JPIP view strictly needs, computed independently of src/jpip's precinct selection:
// a precinct is needed when one of its subband coefficients contributes (through wavelet synthesis,
// ISO/IEC 15444-1 F.3) to a sample of the requested region at the served resolution. Footprints go
// forward: in one dimension an L coefficient at interleaved position m reaches output samples
// m±1 (5/3) or m±3 (9/7), an H coefficient m±2 or m±4 (the synthesis filter half-lengths); a
// resolution's samples are the L coefficients of the next one. Symmetric extension adds nothing:
// a mirrored coefficient's footprint inside the signal lies within the unmirrored one.
// Scope (asserted): one tile, image and tile origin 0, components without sub-sampling, COD only.

import { buildPacketIndex, parseMainHeader, type MainHeader, type PacketIndex, type PrecinctEntry } from '../src/j2k';

const MAIN_HEADER_STRIPPED = new Set([0xff55, 0xff57, 0xff60]); // TLM, PLM, PPM
const TILE_HEADER_STRIPPED = new Set([0xff58, 0xff61]); // PLT, PPT

export interface StrictView {
  /** Requested frame size; must equal a resolution's size (no rounding in this bench). */
  fsiz: number;
  roff?: [number, number];
  rsiz?: [number, number];
  layers?: number;
}

export interface StrictResult {
  /** Discarded resolution levels. */
  discard: number;
  /** Precinct data-bin ids needed. */
  binIds: Set<number>;
  /** Main + tile header bytes (as JPIP header data-bins carry them, A.3.4/A.3.3). */
  headerBytes: number;
  /** Packet bytes (header + body) of the needed precincts, first `layers` layers. */
  packetBytes: number;
  total: number;
}

interface Interval {
  lo: number;
  hi: number;
}

export class StrictCalculator {
  private readonly header: MainHeader;
  private readonly index: PacketIndex;
  private readonly byKey = new Map<string, PrecinctEntry>();
  private readonly headerBytes: number;

  constructor(codestream: Uint8Array, index: PacketIndex = buildPacketIndex(codestream)) {
    this.header = parseMainHeader(codestream);
    this.index = index;
    const { siz } = this.header;
    if (
      siz.XOsiz !== 0 ||
      siz.YOsiz !== 0 ||
      siz.tilesX * siz.tilesY !== 1 ||
      siz.components.some((c) => c.XRsiz !== 1 || c.YRsiz !== 1) ||
      this.header.coc.size > 0
    ) {
      throw new Error('strict-bytes: only single-tile, origin-0, unsampled, COD-only codestreams are handled');
    }
    for (const e of index.precincts) this.byKey.set(`${e.component}/${e.resolution}/${e.precinct}`, e);
    let main = 2; // SOC
    for (const m of index.mainMarkers) if (!MAIN_HEADER_STRIPPED.has(m.marker)) main += m.length;
    let tile = 0;
    for (const part of index.tiles[0]?.parts ?? [])
      for (const m of part.markers) if (!TILE_HEADER_STRIPPED.has(m.marker)) tile += m.length;
    this.headerBytes = main + tile;
  }

  get width(): number {
    return this.header.siz.Xsiz;
  }

  get levels(): number {
    return this.header.cod.levels;
  }

  get layers(): number {
    return this.header.cod.layers;
  }

  /** Samples along one dimension at resolution rl. // 15444-1 B.5 (origin 0) */
  private size(full: number, rl: number): number {
    return Math.ceil(full / 2 ** (this.levels - rl));
  }

  /** Samples of resolution `to` reached from samples [lo, hi] of resolution `from` (L path). */
  private upTo(iv: Interval, from: number, to: number, full: number, sL: number): Interval {
    let { lo, hi } = iv;
    for (let l = from + 1; l <= to && lo <= hi; l++) {
      lo = Math.max(0, 2 * lo - sL);
      hi = Math.min(this.size(full, l) - 1, 2 * hi + sL);
    }
    return { lo, hi };
  }

  /** Footprint at resolution rl of the H (odd) or L (even) positions in span [s0, s1]. */
  private static parity(s0: number, s1: number, odd: boolean, support: number, size: number): Interval {
    const lo = (s0 % 2 === 1) === odd ? s0 : s0 + 1;
    const hi = (s1 % 2 === 1) === odd ? s1 : s1 - 1;
    if (lo > hi) return { lo: 1, hi: 0 };
    return { lo: Math.max(0, lo - support), hi: Math.min(size - 1, hi + support) };
  }

  /** Strict set and bytes for a view. // 15444-9 C.4.2-C.4.4 (fsiz/roff/rsiz), A.3.2 (precinct bins) */
  strict(view: StrictView): StrictResult {
    const { Xsiz, Ysiz } = this.header.siz;
    const cod = this.header.cod;
    let discard = -1;
    for (let r = 0; r <= this.levels; r++) if (Math.ceil(Xsiz / 2 ** r) === view.fsiz) discard = r;
    if (discard < 0) throw new Error(`strict-bytes: fsiz ${view.fsiz} is not a resolution size`);
    const R = this.levels - discard;
    const fw = this.size(Xsiz, R);
    const fh = this.size(Ysiz, R);
    const [ox, oy] = view.roff ?? [0, 0];
    const [sw, sh] = view.rsiz ?? [fw - ox, fh - oy];
    const region = { x: { lo: ox, hi: Math.min(fw, ox + sw) - 1 }, y: { lo: oy, hi: Math.min(fh, oy + sh) - 1 } };
    const layers = Math.min(view.layers ?? this.layers, this.layers);
    const [sL, sH] = cod.transform === 1 ? [1, 2] : [3, 4];
    const meets = (a: Interval, b: Interval): boolean => a.lo <= a.hi && Math.max(a.lo, b.lo) <= Math.min(a.hi, b.hi);
    const binIds = new Set<number>();
    let packetBytes = 0;
    for (let c = 0; c < this.header.siz.Csiz; c++) {
      for (let rl = 0; rl <= R; rl++) {
        const ppx = 2 ** (cod.PPx[rl] ?? 15);
        const ppy = 2 ** (cod.PPy[rl] ?? 15);
        const w = this.size(Xsiz, rl);
        const h = this.size(Ysiz, rl);
        const nx = Math.ceil(w / ppx);
        for (let py = 0; py < Math.ceil(h / ppy); py++) {
          for (let px = 0; px < nx; px++) {
            const sx: [number, number] = [px * ppx, Math.min(w, (px + 1) * ppx) - 1];
            const sy: [number, number] = [py * ppy, Math.min(h, (py + 1) * ppy) - 1];
            const fx = (odd: boolean): Interval =>
              this.upTo(
                rl === 0 ? { lo: sx[0], hi: sx[1] } : StrictCalculator.parity(sx[0], sx[1], odd, odd ? sH : sL, w),
                rl,
                R,
                Xsiz,
                sL,
              );
            const fy = (odd: boolean): Interval =>
              this.upTo(
                rl === 0 ? { lo: sy[0], hi: sy[1] } : StrictCalculator.parity(sy[0], sy[1], odd, odd ? sH : sL, h),
                rl,
                R,
                Ysiz,
                sL,
              );
            const bands: [boolean, boolean][] =
              rl === 0
                ? [[false, false]]
                : [
                    [true, false],
                    [false, true],
                    [true, true],
                  ]; // LL | HL, LH, HH
            if (!bands.some(([hx, hy]) => meets(fx(hx), region.x) && meets(fy(hy), region.y))) continue;
            const entry = this.byKey.get(`${c}/${rl}/${py * nx + px}`);
            if (entry === undefined)
              throw new Error(`strict-bytes: precinct ${c}/${rl}/${py * nx + px} not in the packet index`);
            binIds.add(entry.binId);
            for (const p of entry.packets.slice(0, layers)) packetBytes += p.headerLength + p.bodyLength;
          }
        }
      }
    }
    return { discard, binIds, headerBytes: this.headerBytes, packetBytes, total: this.headerBytes + packetBytes };
  }
}
