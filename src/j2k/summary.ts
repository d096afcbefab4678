// Main-header access for callers outside j2k/: parseMainHeader (raw codestream or JP2/JPH file)
// and codestreamSummary, the SIZ/COD facts a frame row stores (ISO/IEC 15444-1 A.5.1, A.6.1;
// HTJ2K per 15444-15 A.3: CAP with Pcap^15, or code-block style 0x40).

import { findCodestream } from './boxes/jp2';
import { PROGRESSION_NAMES } from './markers/cod-coc';
import { parseMainHeaderAt } from './header-parse';
import type { MainHeader, ParseOptions } from './header-types';

/** Parses the main header of a raw codestream or of the codestream inside a JP2/JPH file. */
export function parseMainHeader(bytes: Uint8Array, options: ParseOptions = {}): MainHeader {
  const loc = findCodestream(bytes);
  const main = parseMainHeaderAt(bytes.subarray(loc.offset, loc.offset + loc.length), 0, options);
  return main;
}

/** The SIZ/COD facts of a frame's codestream that a frame row stores and JPIP/rendering plan from. */
export interface CodestreamSummary {
  width: number;
  height: number;
  components: number;
  bitDepth: number;
  signed: boolean;
  levels: number;
  layers: number;
  /** 'LRCP' | 'RLCP' | 'RPCL' | 'PCRL' | 'CPRL' */
  progression: string;
  tilesX: number;
  tilesY: number;
  /** Precinct sizes per resolution, e.g. "128x128,128x128" or "" for the default (2^15). */
  precincts: string;
  htj2k: boolean;
}

export function codestreamSummary(bytes: Uint8Array, options: ParseOptions = {}): CodestreamSummary {
  const h = parseMainHeader(bytes, options);
  const { siz, cod } = h;
  const c0 = siz.components[0];
  let ht = h.cap?.htj2k ?? false;
  if ((cod.cblkStyle & 0x40) !== 0) ht = true;
  for (const coc of h.coc.values()) if ((coc.cblkStyle & 0x40) !== 0) ht = true;
  const precincts = cod.userPrecincts ? cod.PPx.map((x, r) => `${2 ** x}x${2 ** (cod.PPy[r] ?? 15)}`).join(',') : '';
  return {
    width: siz.Xsiz - siz.XOsiz,
    height: siz.Ysiz - siz.YOsiz,
    components: siz.Csiz,
    bitDepth: c0?.precision ?? 0,
    signed: c0?.signed ?? false,
    levels: cod.levels,
    layers: cod.layers,
    progression: PROGRESSION_NAMES[cod.progression] ?? 'LRCP',
    tilesX: siz.tilesX,
    tilesY: siz.tilesY,
    precincts,
    htj2k: ht,
  };
}
