// Parsed main and tile-part headers (ISO/IEC 15444-1 A.4-A.9) and the shared warning type.

import type { Cap } from './markers/cap';
import type { Coc, Cod } from './markers/cod-coc';
import type { Com } from './markers/com';
import type { Crg } from './markers/crg';
import type { PocEntry } from './markers/poc';
import type { PackedSegment } from './markers/ppm-ppt';
import type { Qcc, Quantization } from './markers/qcd-qcc';
import type { Rgn } from './markers/rgn';
import type { Siz } from './markers/siz';
import type { Plm, Plt, Tlm } from './markers/tlm-plm-plt';
import type { J2kLimits } from './limits';

/** A warning recorded while parsing (CONVENTIONS.md: warnings are returned, never logged). */
export interface J2kWarning {
  code: string;
  message: string;
  offset: number;
}

/** One marker segment as found in the codestream: `offset` of its FFxx code, `length` incl. the code. */
export interface MarkerSegment {
  marker: number;
  offset: number;
  length: number;
}

export interface ParseOptions {
  limits?: Partial<J2kLimits>;
  onWarning?: (w: J2kWarning) => void;
}

/** Marker segments that may appear in both the main and the tile-part headers. */
export interface CodingHeader {
  cod: Cod | null;
  coc: Map<number, Coc>;
  qcd: Quantization | null;
  qcc: Map<number, Qcc>;
  rgn: Rgn[];
  poc: PocEntry[];
  com: Com[];
  markers: MarkerSegment[];
}

export interface MainHeader extends CodingHeader {
  siz: Siz;
  cod: Cod;
  cap: Cap | null;
  ppm: PackedSegment[];
  tlm: Tlm[];
  plm: Plm[];
  crg: Crg | null;
  /** Offset of the byte after the main header (the first SOT, or the end of the input). */
  end: number;
}

export interface TilePartHeader extends CodingHeader {
  ppt: PackedSegment[];
  plt: Plt[];
}

export function emptyCodingHeader(): CodingHeader {
  return { cod: null, coc: new Map(), qcd: null, qcc: new Map(), rgn: [], poc: [], com: [], markers: [] };
}
