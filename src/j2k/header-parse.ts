// Main header and tile-part header walk, ISO/IEC 15444-1 A.4 (Tables A.3, A.4): each marker
// segment is read as a bounded sub-reader and handed to its parser in markers/. Every marker is
// handled on purpose: parsed; or skipped with a warning (CPF, unknown codes, markers in the wrong
// header); SIZ not first, or a missing COD/QCD, is MalformedError.

import { ByteReader, MalformedError } from '../bytes';
import { parseCap } from './markers/cap';
import { parseCoc, parseCod } from './markers/cod-coc';
import * as M from './markers/codes';
import { parseCom } from './markers/com';
import { parseCrg } from './markers/crg';
import { parsePoc } from './markers/poc';
import { parsePacked } from './markers/ppm-ppt';
import { parseQcc, parseQcd } from './markers/qcd-qcc';
import { parseRgn } from './markers/rgn';
import { parseSiz, type Siz } from './markers/siz';
import { parsePlm, parsePlt, parseTlm } from './markers/tlm-plm-plt';
import { resolveLimits } from './limits';
import {
  emptyCodingHeader,
  type CodingHeader,
  type J2kWarning,
  type MainHeader,
  type ParseOptions,
  type TilePartHeader,
} from './header-types';

/** Reads marker code and Lxxx, returns [marker, bounded segment reader]; checks FFxx form. */
export function readSegment(r: ByteReader): { marker: number; offset: number; seg: ByteReader } {
  const offset = r.offset;
  const marker = r.u16('marker');
  if (marker < 0xff00) {
    throw new MalformedError('J2K_EXPECTED_MARKER', `expected a marker, found 0x${marker.toString(16)}`, { offset });
  }
  const L = r.u16(`L${M.markerName(marker)}`);
  if (L < 2)
    throw new MalformedError('J2K_SEGMENT_LENGTH', `${M.markerName(marker)}: length ${L} < 2`, {
      offset: offset + 2,
      context: M.markerName(marker),
    });
  return { marker, offset, seg: r.sub(L - 2, M.markerName(marker)) };
}

/** Handles the markers shared by main and tile-part headers; false if `marker` is not one of them. */
function parseCodingMarker(h: CodingHeader, marker: number, seg: ByteReader, Csiz: number): boolean {
  switch (marker) {
    case M.COD:
      h.cod = parseCod(seg);
      return true;
    case M.COC: {
      const c = parseCoc(seg, Csiz);
      h.coc.set(c.Ccoc, c);
      return true;
    }
    case M.QCD:
      h.qcd = parseQcd(seg);
      return true;
    case M.QCC: {
      const q = parseQcc(seg, Csiz);
      h.qcc.set(q.Cqcc, q);
      return true;
    }
    case M.RGN:
      h.rgn.push(parseRgn(seg, Csiz));
      return true;
    case M.POC:
      h.poc.push(...parsePoc(seg, Csiz));
      return true;
    case M.COM:
      h.com.push(parseCom(seg));
      return true;
    default:
      return false;
  }
}

function warnSkip(options: ParseOptions, marker: number, offset: number, where: string): void {
  options.onWarning?.({ code: 'J2K_MARKER_SKIPPED', message: `${M.markerName(marker)} skipped in ${where}`, offset });
}

/**
 * Parses the main header from SOC up to the first SOT. With `allowEnd`, the input may end after
 * a complete marker segment instead (a JPIP main-header data-bin).
 */
// ISO/IEC 15444-1 A.4.1, Table A.3
export function parseMainHeaderAt(
  bytes: Uint8Array,
  start: number,
  options: ParseOptions & { allowEnd?: boolean } = {},
): MainHeader {
  const limits = resolveLimits(options.limits);
  const r = new ByteReader(bytes.subarray(start), { baseOffset: start });
  if (r.u16('SOC') !== M.SOC)
    throw new MalformedError('J2K_NO_SOC', 'codestream does not start with SOC (FF4F)', { offset: start });
  const first = readSegment(r);
  if (first.marker !== M.SIZ) throw new MalformedError('J2K_NO_SIZ', 'SIZ must follow SOC', { offset: first.offset });
  const siz: Siz = parseSiz(first.seg, limits);
  const h = { ...emptyCodingHeader(), siz, cap: null, ppm: [], tlm: [], plm: [], crg: null, end: 0 } as Omit<
    MainHeader,
    'cod'
  > & { cod: MainHeader['cod'] | null };
  h.markers.push({ marker: M.SIZ, offset: first.offset, length: r.offset - first.offset });
  for (;;) {
    if (options.allowEnd && r.remaining === 0) break;
    const code = r.peekU16('marker');
    if (code === M.SOT) break;
    if (M.isDelimiter(code)) {
      if (code >= 0xff30 && code <= 0xff3f) {
        r.skip(2);
        warnSkip(options, code, r.offset - 2, 'main header');
        continue;
      }
      throw new MalformedError('J2K_UNEXPECTED_MARKER', `${M.markerName(code)} in the main header`, {
        offset: r.offset,
      });
    }
    const { marker, offset, seg } = readSegment(r);
    h.markers.push({ marker, offset, length: r.offset - offset });
    if (parseCodingMarker(h, marker, seg, siz.Csiz)) continue;
    switch (marker) {
      case M.CAP:
        h.cap = parseCap(seg);
        break;
      case M.PPM:
        h.ppm.push(parsePacked(seg, 'PPM'));
        break;
      case M.TLM:
        h.tlm.push(parseTlm(seg));
        break;
      case M.PLM:
        h.plm.push(parsePlm(seg));
        break;
      case M.CRG:
        h.crg = parseCrg(seg, siz.Csiz);
        break;
      case M.SIZ:
        throw new MalformedError('J2K_DUPLICATE_SIZ', 'second SIZ in the main header', { offset });
      default:
        warnSkip(options, marker, offset, 'main header');
        seg.skip(seg.remaining);
    }
  }
  h.end = r.offset;
  if (h.cod === null) throw new MalformedError('J2K_NO_COD', 'main header has no COD', { offset: h.end });
  if (h.qcd === null) throw new MalformedError('J2K_NO_QCD', 'main header has no QCD', { offset: h.end });
  return h as MainHeader;
}

/**
 * Parses tile-part header marker segments from `r` up to SOD (or, with `allowEnd`, the end of
 * the input: a JPIP tile-header data-bin holds these segments without SOT/SOD).
 */
// ISO/IEC 15444-1 A.4.2, Table A.4
export function parseTilePartHeader(
  r: ByteReader,
  Csiz: number,
  options: ParseOptions & { allowEnd?: boolean } = {},
): TilePartHeader {
  const h: TilePartHeader = { ...emptyCodingHeader(), ppt: [], plt: [] };
  for (;;) {
    if (options.allowEnd && r.remaining === 0) break;
    const code = r.peekU16('marker');
    if (code === M.SOD) {
      r.skip(2);
      break;
    }
    if (M.isDelimiter(code)) {
      if (code >= 0xff30 && code <= 0xff3f) {
        r.skip(2);
        warnSkip(options, code, r.offset - 2, 'tile-part header');
        continue;
      }
      throw new MalformedError('J2K_UNEXPECTED_MARKER', `${M.markerName(code)} in a tile-part header`, {
        offset: r.offset,
      });
    }
    const { marker, offset, seg } = readSegment(r);
    h.markers.push({ marker, offset, length: r.offset - offset });
    if (parseCodingMarker(h, marker, seg, Csiz)) continue;
    switch (marker) {
      case M.PPT:
        h.ppt.push(parsePacked(seg, 'PPT'));
        break;
      case M.PLT:
        h.plt.push(parsePlt(seg));
        break;
      case M.SOT:
        throw new MalformedError('J2K_NO_SOD', 'SOT inside a tile-part header (missing SOD)', { offset });
      default:
        warnSkip(options, marker, offset, 'tile-part header');
        seg.skip(seg.remaining);
    }
  }
  return h;
}

export type { J2kWarning };
