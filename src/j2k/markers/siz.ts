// SIZ marker segment: image and tile size, ISO/IEC 15444-1 A.5.1 Table A.9 / A.10.
// Validates the geometry relations of A.5.1 (XOsiz < Xsiz, XTOsiz <= XOsiz < XTOsiz+XTsiz, ...)
// and the Csiz cap before allocating the component table.

import { type ByteReader, LimitExceededError, MalformedError } from '../../bytes';
import type { J2kLimits } from '../limits';

export interface SizComponent {
  /** Ssiz: bit 7 = signed, bits 0..6 = depth - 1 */
  Ssiz: number;
  XRsiz: number;
  YRsiz: number;
  precision: number;
  signed: boolean;
}

export interface Siz {
  Rsiz: number;
  Xsiz: number;
  Ysiz: number;
  XOsiz: number;
  YOsiz: number;
  XTsiz: number;
  YTsiz: number;
  XTOsiz: number;
  YTOsiz: number;
  Csiz: number;
  components: SizComponent[];
  /** Derived: number of tiles across / down (B.3). */
  tilesX: number;
  tilesY: number;
}

// ISO/IEC 15444-1 A.5.1 Table A.9
export function parseSiz(seg: ByteReader, limits: J2kLimits): Siz {
  const at = seg.offset;
  const Rsiz = seg.u16('Rsiz');
  const Xsiz = seg.u32('Xsiz');
  const Ysiz = seg.u32('Ysiz');
  const XOsiz = seg.u32('XOsiz');
  const YOsiz = seg.u32('YOsiz');
  const XTsiz = seg.u32('XTsiz');
  const YTsiz = seg.u32('YTsiz');
  const XTOsiz = seg.u32('XTOsiz');
  const YTOsiz = seg.u32('YTOsiz');
  const Csiz = seg.u16('Csiz');
  const bad = (what: string): never => {
    throw new MalformedError('J2K_SIZ_GEOMETRY', `SIZ: ${what}`, { offset: at, context: 'SIZ' });
  };
  if (Xsiz <= XOsiz || Ysiz <= YOsiz) bad(`empty image area ${XOsiz}..${Xsiz} x ${YOsiz}..${Ysiz}`);
  if (XTsiz === 0 || YTsiz === 0) bad('zero tile size');
  if (XTOsiz > XOsiz || YTOsiz > YOsiz) bad('tile origin after image origin');
  if (XTOsiz + XTsiz <= XOsiz || YTOsiz + YTsiz <= YOsiz) bad('first tile does not cover the image origin');
  if (Csiz === 0) throw new MalformedError('J2K_SIZ_CSIZ', 'SIZ: Csiz = 0', { offset: at, context: 'SIZ' });
  if (Csiz > limits.maxComponents) {
    throw new LimitExceededError('J2K_LIMIT_COMPONENTS', `SIZ: Csiz ${Csiz} over cap ${limits.maxComponents}`, {
      offset: at,
      context: 'SIZ',
    });
  }
  if (seg.remaining !== 3 * Csiz) {
    throw new MalformedError('J2K_SIZ_LENGTH', `SIZ: Lsiz does not match Csiz ${Csiz}`, { offset: at, context: 'SIZ' });
  }
  const tilesX = Math.ceil((Xsiz - XTOsiz) / XTsiz);
  const tilesY = Math.ceil((Ysiz - YTOsiz) / YTsiz);
  if (tilesX * tilesY > limits.maxTiles) {
    throw new LimitExceededError('J2K_LIMIT_TILES', `SIZ: ${tilesX}x${tilesY} tiles over cap ${limits.maxTiles}`, {
      offset: at,
      context: 'SIZ',
    });
  }
  const components: SizComponent[] = [];
  for (let i = 0; i < Csiz; i++) {
    const Ssiz = seg.u8('Ssiz');
    const XRsiz = seg.u8('XRsiz');
    const YRsiz = seg.u8('YRsiz');
    if (XRsiz === 0 || YRsiz === 0) {
      throw new MalformedError('J2K_SIZ_SUBSAMPLING', `SIZ: component ${i} has zero subsampling`, {
        offset: seg.offset - 2,
        context: 'SIZ',
      });
    }
    const precision = (Ssiz & 0x7f) + 1;
    if (precision > 38) {
      throw new MalformedError('J2K_SIZ_DEPTH', `SIZ: component ${i} depth ${precision} > 38`, {
        offset: seg.offset - 3,
        context: 'SIZ',
      });
    }
    components.push({ Ssiz, XRsiz, YRsiz, precision, signed: (Ssiz & 0x80) !== 0 });
  }
  return { Rsiz, Xsiz, Ysiz, XOsiz, YOsiz, XTsiz, YTsiz, XTOsiz, YTOsiz, Csiz, components, tilesX, tilesY };
}
