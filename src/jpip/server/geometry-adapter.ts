// Adapter from j2k's parsed headers to the JPIP ImageGeometry (ISO/IEC 15444-1 A.5.1 SIZ, A.6.1
// COD, A.6.2 COC). Parameter precedence per 15444-1 A.6: tile-part COC > tile-part COD > main COC
// > main COD; the number of layers comes from the COD in force (A.6.1 Table A.13).

import type { CodingHeader, CodingStyle, MainHeader } from '../../j2k';
import type { ImageGeometry, TileComponentCoding } from '../geometry';

function coding(style: CodingStyle, layers: number): TileComponentCoding {
  return {
    levels: style.levels,
    precincts: style.PPx.map((PPx, rl) => ({ PPx, PPy: style.PPy[rl] ?? 15 })),
    transform: style.transform === 1 ? '5-3' : '9-7',
    layers,
  };
}

/** Per-component coding of one tile given its tile-part headers (in tile-part order). */
function tileCodings(main: MainHeader, headers: readonly CodingHeader[]): TileComponentCoding[] {
  let tileCod = null;
  for (const h of headers) if (h.cod !== null) tileCod = h.cod;
  const layers = (tileCod ?? main.cod).layers;
  const out: TileComponentCoding[] = [];
  for (let c = 0; c < main.siz.Csiz; c++) {
    let style: CodingStyle | undefined;
    for (const h of headers) style = h.coc.get(c) ?? style;
    style ??= tileCod ?? main.coc.get(c) ?? main.cod;
    out.push(coding(style, layers));
  }
  return out;
}

/**
 * ImageGeometry of a codestream. `tileHeaders` needs only the tiles whose headers carry COD or
 * COC segments (other tiles use the main-header coding).
 */
export function imageGeometry(
  main: MainHeader,
  tileHeaders: ReadonlyMap<number, readonly CodingHeader[]> = new Map(),
): ImageGeometry {
  const { siz } = main;
  const tileCoding = new Map<number, readonly TileComponentCoding[]>();
  for (const [t, headers] of tileHeaders) {
    if (headers.some((h) => h.cod !== null || h.coc.size > 0)) tileCoding.set(t, tileCodings(main, headers));
  }
  return {
    Xsiz: siz.Xsiz,
    Ysiz: siz.Ysiz,
    XOsiz: siz.XOsiz,
    YOsiz: siz.YOsiz,
    XTsiz: siz.XTsiz,
    YTsiz: siz.YTsiz,
    XTOsiz: siz.XTOsiz,
    YTOsiz: siz.YTOsiz,
    components: siz.components.map((c) => ({ XRsiz: c.XRsiz, YRsiz: c.YRsiz })),
    coding: tileCodings(main, []),
    ...(tileCoding.size > 0 ? { tileCoding } : {}),
  };
}
