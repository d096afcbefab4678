// Decoding only what a view needs (ISO/IEC 15444-9 C.4 view-window, A.3 data-bins, Annex C
// reconstruction): with the frame's packet index, the region and discard level r become a
// JPIP view-window (resolveViewWindow), its precincts (relevantPrecincts) are read as byte ranges
// of the stored codestream (merged reads through the caller's reader), a codestream with empty
// packets elsewhere is rebuilt (j2k rebuildCodestream, discardLevels r) and decoded at reduce r.
// Without a packet index the whole codestream is read and decoded at reduce r. The inverse DWT
// still runs over the whole reduced canvas (the WASM decoders take no decode area).

import { MalformedError, ParseError } from '../bytes';
import type { Codecs, DecodedImage } from '../codec';
import { findPrecinct, parseMainHeader, rebuildCodestream, type PacketIndex } from '../j2k';
import {
  frameSizeAt,
  precinctLayout,
  prepareFrame,
  relevantPrecincts,
  resolveViewWindow,
  tileHeaderLayout,
  tilesOf,
  type BinLayout,
  type CodestreamReader,
  type FrameModel,
  type ImageGeometry,
} from '../jpip';

/** One stored frame's codestream as the renderer sees it. */
export interface StoredCodestream {
  /** Codestream length (offset 0 = SOC). */
  length: number;
  reader: CodestreamReader;
  /** Its packet index, or null (then the whole codestream is read). */
  index: PacketIndex | null;
  htj2k: boolean;
  /** A prepared model of this codestream, when the caller caches them. */
  model?: FrameModel;
}

/** Integer region in full-resolution frame pixels, [x0, x1) × [y0, y1). */
export interface PixelRegion {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface DecodedView {
  image: DecodedImage;
  /** Discard levels actually used. */
  r: number;
  /** Full-resolution frame size (codestream Xsiz - XOsiz, Ysiz - YOsiz). */
  fullWidth: number;
  fullHeight: number;
  bytesRead: number;
  precincts: number;
  partial: boolean;
}

/** Counts the bytes a reader hands out. */
export function countingReader(inner: CodestreamReader): CodestreamReader & { readonly count: number } {
  let count = 0;
  return {
    get count() {
      return count;
    },
    read: async (offset: number, length: number) => {
      const b = await inner.read(offset, length);
      count += b.length;
      return b;
    },
  };
}

/** Smallest number of decomposition levels over all tile-components (the largest usable reduce). */
export function minLevels(g: ImageGeometry): number {
  let min = Infinity;
  for (const list of [g.coding, ...(g.tileCoding?.values() ?? [])]) for (const c of list) min = Math.min(min, c.levels);
  return Number.isFinite(min) ? min : 0;
}

const MERGE_GAP = 256;

/** Reads the file segments of several data-bins with sorted, merged reads; returns each bin's bytes. */
export async function readBins(reader: CodestreamReader, layouts: readonly BinLayout[]): Promise<Uint8Array[]> {
  const spans: { offset: number; end: number; data?: Uint8Array }[] = [];
  const ranges = layouts.flatMap((l) =>
    l.segments.flatMap((s) => (s.kind === 'file' ? [{ offset: s.offset, end: s.offset + s.length }] : [])),
  );
  ranges.sort((a, b) => a.offset - b.offset);
  for (const r of ranges) {
    const prev = spans[spans.length - 1];
    if (prev !== undefined && r.offset <= prev.end + MERGE_GAP) prev.end = Math.max(prev.end, r.end);
    else spans.push({ ...r });
  }
  for (const s of spans) {
    s.data = await reader.read(s.offset, s.end - s.offset);
    if (s.data.length !== s.end - s.offset)
      throw new MalformedError(
        'RENDER_SHORT_READ',
        `read ${s.data.length} of ${s.end - s.offset} bytes at ${s.offset}`,
      );
  }
  const find = (offset: number, length: number): Uint8Array => {
    let lo = 0;
    let hi = spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = spans[mid] as (typeof spans)[number];
      if (offset < s.offset) hi = mid - 1;
      else if (offset >= s.end) lo = mid + 1;
      else if (s.data !== undefined && offset + length <= s.end)
        return s.data.subarray(offset - s.offset, offset - s.offset + length);
      else break;
    }
    throw new MalformedError('RENDER_SPAN_MISSING', `bytes ${offset}+${length} were not read`);
  };
  return layouts.map((l) => {
    const out = new Uint8Array(l.length);
    let pos = 0;
    for (const s of l.segments) {
      const part = s.kind === 'bytes' ? s.bytes : find(s.offset, s.length);
      out.set(part, pos);
      pos += part.length;
    }
    return out;
  });
}

function decode(codecs: Codecs, cs: Uint8Array, htj2k: boolean, r: number): DecodedImage {
  return htj2k ? codecs.decodeHtj2k(cs, { reduce: r }) : codecs.decodeJ2k(cs, { reduce: r });
}

/** Full read and decode at reduce r (frames without a packet index). */
async function fullDecode(codecs: Codecs, cs: StoredCodestream, wantR: number): Promise<DecodedView> {
  const counter = countingReader(cs.reader);
  const bytes = await counter.read(0, cs.length);
  const main = parseMainHeader(bytes);
  let levels = main.cod.levels;
  for (const c of main.coc.values()) levels = Math.min(levels, c.levels);
  const r = Math.min(wantR, levels);
  const image = decode(codecs, bytes, cs.htj2k, r);
  const fullWidth = main.siz.Xsiz - main.siz.XOsiz;
  const fullHeight = main.siz.Ysiz - main.siz.YOsiz;
  return { image, r, fullWidth, fullHeight, bytesRead: counter.count, precincts: 0, partial: false };
}

/**
 * Decodes `region` of the frame at `wantR` discarded levels (capped by the codestream's levels),
 * reading only the main header, the tile headers and the precincts the region needs.
 */
export async function decodeView(
  codecs: Codecs,
  cs: StoredCodestream,
  region: PixelRegion,
  wantR: number,
): Promise<DecodedView> {
  if (cs.index === null) return fullDecode(codecs, cs, wantR);
  const counter = countingReader(cs.reader);
  let model: FrameModel;
  try {
    model = cs.model ?? (await prepareFrame(cs.index, counter));
  } catch (e) {
    if (e instanceof ParseError) return fullDecode(codecs, cs, wantR);
    throw e;
  }
  const g = model.geometry;
  const r = Math.min(wantR, minLevels(g));
  const d = 2 ** r;
  const frame = frameSizeAt(g, r);
  const fox = Math.ceil(g.XOsiz / d);
  const foy = Math.ceil(g.YOsiz / d);
  const clamp = (v: number, max: number): number => Math.max(0, Math.min(max, v));
  const rx0 = clamp(Math.floor((g.XOsiz + region.x0) / d) - fox, frame.fx);
  const ry0 = clamp(Math.floor((g.YOsiz + region.y0) / d) - foy, frame.fy);
  const rx1 = clamp(Math.ceil((g.XOsiz + region.x1) / d) - fox, frame.fx);
  const ry1 = clamp(Math.ceil((g.YOsiz + region.y1) / d) - foy, frame.fy);
  const view = resolveViewWindow(g, {
    fsiz: { fx: frame.fx, fy: frame.fy, round: 'round-down' },
    roff: { x: rx0, y: ry0 },
    rsiz: { x: Math.max(1, rx1 - rx0), y: Math.max(1, ry1 - ry0) },
  });
  const refs = relevantPrecincts(g, view);
  const tiles = tilesOf(refs);
  const precinctBins: { binId: number; layout: BinLayout }[] = [];
  for (const p of refs) {
    const e = findPrecinct(model.index, p.binId);
    if (e !== undefined) precinctBins.push({ binId: p.binId, layout: precinctLayout(e) });
  }
  const tileLayouts = tiles.map((t) => tileHeaderLayout(model, t));
  const bytes = await readBins(counter, [...tileLayouts, ...precinctBins.map((p) => p.layout)]);
  const tileHeaders = new Map<number, Uint8Array>();
  tiles.forEach((t, i) => tileHeaders.set(t, bytes[i] as Uint8Array));
  const precincts = new Map<number, Uint8Array>();
  precinctBins.forEach((p, i) => precincts.set(p.binId, bytes[tiles.length + i] as Uint8Array));
  const rebuilt = rebuildCodestream({ mainHeader: model.mainHeaderBin, tileHeaders, precincts, discardLevels: r });
  const image = decode(codecs, rebuilt, model.htj2k || cs.htj2k, r);
  const full = frameSizeAt(g, 0);
  return {
    image,
    r,
    fullWidth: full.fx,
    fullHeight: full.fy,
    bytesRead: counter.count,
    precincts: precinctBins.length,
    partial: true,
  };
}
