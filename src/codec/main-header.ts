// Minimal read of a J2K main header (ISO/IEC 15444-1 A.4–A.6: SOC, SIZ, COD, COC) for the codec
// wrappers' own checks (decomposition levels before a reduced decode, encoder self-verification).
// Full codestream parsing lives in src/j2k; this reads only SIZ and the COD/COC coding style.
// JP2 files are not unwrapped here (callers skip the checks for them).

import { ByteReader, MalformedError } from '../bytes';

export interface MainHeaderSummary {
  width: number;
  height: number;
  components: number;
  /** Smallest number of decomposition levels over COD and every COC. */
  levels: number;
  layers: number;
  /** SGcod progression order: 0 LRCP, 1 RLCP, 2 RPCL, 3 PCRL, 4 CPRL. */
  progression: number;
  reversible: boolean;
  codeBlockWidth: number;
  codeBlockHeight: number;
  /** Precinct size exponents (PPx, PPy) from COD, lowest resolution first; 15/15 when Scod bit 0 is 0. */
  precincts: Array<{ ppx: number; ppy: number }>;
}

const SOC = 0xff4f;
const SIZ = 0xff51;
const COD = 0xff52;
const COC = 0xff53;
const SOT = 0xff90;

/** True when the bytes start like a JP2 file (signature box, 15444-1 I.5.1). */
export function isJp2File(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && bytes[4] === 0x6a && bytes[5] === 0x50 && bytes[6] === 0x20 && bytes[7] === 0x20;
}

// 15444-1 A.5.1 Table A.9 (SIZ) and A.6.1 Tables A.12–A.15 (COD), A.6.2 (COC)
export function readMainHeader(codestream: Uint8Array): MainHeaderSummary {
  const r = new ByteReader(codestream);
  if (r.u16('SOC') !== SOC) throw new MalformedError('CODEC_J2K_NO_SOC', 'codestream does not start with SOC', { offset: 0 });
  let siz: { width: number; height: number; components: number } | undefined;
  let cod: Omit<MainHeaderSummary, 'width' | 'height' | 'components'> | undefined;
  let cocLevels = Number.POSITIVE_INFINITY;
  for (;;) {
    const at = r.offset;
    const marker = r.u16('marker');
    if (marker === SOT) break;
    if ((marker & 0xff00) !== 0xff00) throw new MalformedError('CODEC_J2K_BAD_MARKER', 'expected a marker', { offset: at });
    const seg = r.sub(r.u16('Lmar') - 2, 'marker segment');
    if (marker === SIZ) {
      seg.u16('Rsiz');
      const Xsiz = seg.u32('Xsiz');
      const Ysiz = seg.u32('Ysiz');
      const XOsiz = seg.u32('XOsiz');
      const YOsiz = seg.u32('YOsiz');
      seg.skip(16, 'tile size/offset');
      siz = { width: Xsiz - XOsiz, height: Ysiz - YOsiz, components: seg.u16('Csiz') };
    } else if (marker === COD) {
      const Scod = seg.u8('Scod');
      const progression = seg.u8('SGcod progression');
      const layers = seg.u16('SGcod layers');
      seg.u8('SGcod MCT');
      const levels = seg.u8('SPcod levels');
      const xcb = seg.u8('SPcod xcb') + 2;
      const ycb = seg.u8('SPcod ycb') + 2;
      seg.u8('SPcod style');
      const reversible = seg.u8('SPcod transform') === 1;
      const precincts: Array<{ ppx: number; ppy: number }> = [];
      for (let i = 0; i <= levels; i++) {
        if ((Scod & 1) === 0) precincts.push({ ppx: 15, ppy: 15 });
        else {
          const b = seg.u8('SPcod precinct');
          precincts.push({ ppx: b & 0xf, ppy: b >> 4 });
        }
      }
      cod = { levels, layers, progression, reversible, codeBlockWidth: 1 << xcb, codeBlockHeight: 1 << ycb, precincts };
    } else if (marker === COC && siz !== undefined) {
      if (siz.components < 257) seg.u8('Ccoc');
      else seg.u16('Ccoc');
      seg.u8('Scoc');
      cocLevels = Math.min(cocLevels, seg.u8('SPcoc levels'));
    }
  }
  if (siz === undefined || cod === undefined) {
    throw new MalformedError('CODEC_J2K_NO_SIZ_COD', 'main header lacks SIZ or COD', { offset: r.offset });
  }
  return { ...siz, ...cod, levels: Math.min(cod.levels, cocLevels) };
}
