// The J2K main-header facts the codec wrappers check (ISO/IEC 15444-1 A.5.1 SIZ, A.6.1 COD, A.6.2
// COC): decomposition levels before a reduced decode, the encoder's self-verification. Read with
// j2k/'s parser; only raw codestreams (starting with SOC) are checked, JP2 files are not unwrapped.

import { parseMainHeader } from '../j2k';

export interface MainHeaderFacts {
  width: number;
  height: number;
  components: number;
  /** Smallest number of decomposition levels over COD and every COC. */
  levels: number;
  /** 5/3 reversible wavelet in COD. */
  reversible: boolean;
}

/** True when the bytes start with the SOC marker (FF4F, 15444-1 A.4.1): a raw codestream. */
export function startsWithSoc(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0x4f;
}

/** The main-header facts of a raw codestream; j2k/'s ParseError subclasses if it is damaged. */
export function mainHeaderFacts(codestream: Uint8Array): MainHeaderFacts {
  const { siz, cod, coc } = parseMainHeader(codestream);
  let levels = cod.levels;
  for (const c of coc.values()) levels = Math.min(levels, c.levels);
  return {
    width: siz.Xsiz - siz.XOsiz,
    height: siz.Ysiz - siz.YOsiz,
    components: siz.Csiz,
    levels,
    reversible: cod.transform === 1,
  };
}
