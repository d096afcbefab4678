// New precinct sizes for COD/COC coding styles and the marker segments that carry them:
// COD (ISO/IEC 15444-1 A.6.1 Tables A.12-A.15, Scod bit 0 = precincts defined, one SPcod byte
// PPx | PPy << 4 per resolution), COC (A.6.2 Tables A.16-A.17) and SOT (A.4.2 Table A.5).
// A new partition is accepted only when it leaves every code-block partition unchanged (B.7:
// xcb' = min(xcb, PPx') with PPx' = PPx at r = 0 and PPx - 1 above), so tier-1 data is reusable.

import { UnsupportedError } from '../../bytes';
import type { Coc, Cod, CodingStyle } from '../markers/cod-coc';

export interface PrecinctSize {
  PPx: number;
  PPy: number;
}

function effective(PP: number, cb: number, r: number): number {
  return Math.min(cb, r === 0 ? PP : PP - 1);
}

/**
 * `style` with the requested precinct exponents: `precincts[r]` for resolution r (one entry = all
 * levels; entries past this style's NL are unused, for components with fewer levels, A.6.2).
 * Throws UnsupportedError when the sizes are invalid or would change the code-block partition.
 */
export function withPrecincts<T extends CodingStyle>(style: T, precincts: readonly PrecinctSize[], where: string): T {
  const NL = style.levels;
  if (precincts.length !== 1 && precincts.length < NL + 1) {
    throw new UnsupportedError(
      'J2K_REPACK_PRECINCT_COUNT',
      `${where}: ${precincts.length} precinct sizes for ${NL + 1} resolution levels`,
      { context: where },
    );
  }
  const PPx: number[] = [];
  const PPy: number[] = [];
  for (let r = 0; r <= NL; r++) {
    const p = (precincts.length === 1 ? precincts[0] : precincts[r]) as PrecinctSize;
    const min = r === 0 ? 0 : 1;
    for (const v of [p.PPx, p.PPy]) {
      if (!Number.isInteger(v) || v < min || v > 15) {
        throw new UnsupportedError(
          'J2K_REPACK_BAD_PRECINCT',
          `${where}: precinct exponent ${v} at resolution ${r} outside ${min}..15`,
          { context: where },
        );
      }
    }
    const oldX = effective(style.PPx[r] ?? 15, style.xcb, r);
    const oldY = effective(style.PPy[r] ?? 15, style.ycb, r);
    if (effective(p.PPx, style.xcb, r) !== oldX || effective(p.PPy, style.ycb, r) !== oldY) {
      throw new UnsupportedError(
        'J2K_REPACK_CODEBLOCK_PARTITION',
        `${where}: precincts 2^${p.PPx} x 2^${p.PPy} at resolution ${r} would change the 2^${oldX} x 2^${oldY} code-blocks`,
        { context: where },
      );
    }
    PPx.push(p.PPx);
    PPy.push(p.PPy);
  }
  return { ...style, userPrecincts: true, PPx, PPy };
}

function spcod(style: CodingStyle): number[] {
  const out = [style.levels, style.xcb - 2, style.ycb - 2, style.cblkStyle, style.transform];
  for (let r = 0; r <= style.levels; r++) out.push(((style.PPy[r] ?? 15) << 4) | (style.PPx[r] ?? 15));
  return out;
}

function segment(marker: number, body: number[]): Uint8Array {
  const L = body.length + 2;
  return Uint8Array.from([marker >> 8, marker & 0xff, L >> 8, L & 0xff, ...body]);
}

// ISO/IEC 15444-1 A.6.1 Table A.12
export function codSegment(cod: Cod): Uint8Array {
  return segment(0xff52, [cod.Scod | 1, cod.progression, cod.layers >> 8, cod.layers & 0xff, cod.mct, ...spcod(cod)]);
}

// ISO/IEC 15444-1 A.6.2 Table A.16
export function cocSegment(coc: Coc, Csiz: number): Uint8Array {
  const c = Csiz < 257 ? [coc.Ccoc] : [coc.Ccoc >> 8, coc.Ccoc & 0xff];
  return segment(0xff53, [...c, coc.Scoc | 1, ...spcod(coc)]);
}

// ISO/IEC 15444-1 A.4.2 Table A.5 (one tile-part per tile: TPsot 0, TNsot 1)
export function sotSegment(Isot: number, Psot: number): Uint8Array {
  return segment(0xff90, [
    Isot >> 8,
    Isot & 0xff,
    (Psot >>> 24) & 0xff,
    (Psot >>> 16) & 0xff,
    (Psot >>> 8) & 0xff,
    Psot & 0xff,
    0,
    1,
  ]);
}
