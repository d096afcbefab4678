// What to decode once a response is in: the resolution (discard levels r, 15444-9 C.4.2 with the
// frame sizes of C.4.2 from SIZ) and the region of the decoded frame to keep (C.4.3/C.4.4). The
// requested view is resolved locally with the same rules the server uses (view-window.ts); when
// the server reports a different frame or region (JPIP-fsiz/roff/rsiz, D.2.4-D.2.6) its values win.

import { MalformedError, ByteReader } from '../../bytes';
import { parseTilePartHeader, type CodingStyle, type MainHeader } from '../../j2k';
import { frameSizeAt, maxDiscardLevels, resolveViewWindow, type FrameSize } from '../view-window';
import type { ImageGeometry, TileComponentCoding } from '../geometry';
import type { XY } from '../request';
import type { JpipView } from './query';
import type { ServedHeaders } from './served-headers';

export interface DecodePlan {
  /** Resolution levels to discard when decoding. */
  r: number;
  /** Size of the decoded frame at r. */
  frame: FrameSize;
  /** Region to keep, in frame coordinates. */
  offset: XY;
  size: XY;
}

function coding(style: CodingStyle, layers: number): TileComponentCoding {
  return {
    levels: style.levels,
    precincts: style.PPx.map((PPx, i) => ({ PPx, PPy: style.PPy[i] ?? 15 })),
    transform: style.transform === 1 ? '5-3' : '9-7',
    layers,
  };
}

/** Image geometry from the main header and (normalised) tile-header bins. // 15444-1 A.5.1, A.6 */
export function clientGeometry(
  main: MainHeader,
  tileHeaders: ReadonlyMap<number, Uint8Array> = new Map(),
): ImageGeometry {
  const { siz } = main;
  const perComponent = (cod: MainHeader['cod'], coc: MainHeader['coc']): TileComponentCoding[] =>
    siz.components.map((_, c) => coding(coc.get(c) ?? cod, cod.layers));
  const tileCoding = new Map<number, TileComponentCoding[]>();
  for (const [t, bin] of tileHeaders) {
    const th = parseTilePartHeader(new ByteReader(bin), siz.Csiz, { allowEnd: true });
    if (th.cod === null && th.coc.size === 0) continue;
    const cod = th.cod ?? main.cod;
    tileCoding.set(
      t,
      siz.components.map((_, c) =>
        coding(th.coc.get(c) ?? (th.cod !== null ? cod : (main.coc.get(c) ?? cod)), cod.layers),
      ),
    );
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
    coding: perComponent(main.cod, main.coc),
    ...(tileCoding.size > 0 ? { tileCoding } : {}),
  };
}

function clipRegion(frame: FrameSize, offset: XY, size: XY): { offset: XY; size: XY } {
  const x0 = Math.min(offset.x, frame.fx);
  const y0 = Math.min(offset.y, frame.fy);
  return { offset: { x: x0, y: y0 }, size: { x: Math.min(size.x, frame.fx - x0), y: Math.min(size.y, frame.fy - y0) } };
}

/** Resolution and region to decode for `view`, given what the server reported. */
export function planDecode(g: ImageGeometry, view: JpipView, served: ServedHeaders | null = null): DecodePlan {
  const fsiz =
    view.fsiz === undefined
      ? undefined
      : { fx: view.fsiz.fx, fy: view.fsiz.fy, round: view.fsiz.round ?? 'round-down' };
  const local = resolveViewWindow(g, {
    ...(fsiz ? { fsiz } : {}),
    ...(view.roff ? { roff: view.roff } : {}),
    ...(view.rsiz ? { rsiz: view.rsiz } : {}),
  });
  let r = local.r;
  let frame = local.frame;
  let offset = local.offset;
  let size = local.size;
  const sf = served?.fsiz ?? null;
  if (sf !== null && (sf.x !== frame.fx || sf.y !== frame.fy)) {
    let found = -1;
    for (let k = 0; k <= maxDiscardLevels(g); k++) {
      const f = frameSizeAt(g, k);
      if (f.fx === sf.x && f.fy === sf.y) found = k;
    }
    if (found < 0)
      throw new MalformedError(
        'JPIP_CLIENT_BAD_FSIZ',
        `JPIP-fsiz ${sf.x},${sf.y} is no frame size of this codestream`,
        { context: 'JPIP-fsiz' },
      );
    const want = fsiz ?? { fx: frame.fx, fy: frame.fy };
    r = found;
    frame = frameSizeAt(g, found);
    // Region rescaled to the served frame: floor the start, ceil the end (JPIP.md §1.4 step 1).
    const ox = view.roff?.x ?? 0;
    const oy = view.roff?.y ?? 0;
    const ex = ox + (view.rsiz?.x ?? want.fx - ox);
    const ey = oy + (view.rsiz?.y ?? want.fy - oy);
    const x0 = Math.floor((ox * frame.fx) / want.fx);
    const y0 = Math.floor((oy * frame.fy) / want.fy);
    offset = { x: x0, y: y0 };
    size = { x: Math.ceil((ex * frame.fx) / want.fx) - x0, y: Math.ceil((ey * frame.fy) / want.fy) - y0 };
  }
  if (served?.roff) offset = served.roff;
  if (served?.rsiz) size = served.rsiz;
  return { r, frame, ...clipRegion(frame, offset, size) };
}
