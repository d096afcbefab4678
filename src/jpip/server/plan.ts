// Response planning (ISO/IEC 15444-9 Annex A, C.4, C.6.1, D.3): which byte ranges of which
// data-bins a request gets, in a progressive order, under the `len` budget and the cache model.
// Order: metadata-bin 0 (empty and final for a raw-codestream target; for a JP2-view target its
// boxes, one message per box, A.3.6, each sent once per cache model), then per frame the main
// header, the tile headers of contributing tiles and the precincts of the view (lowest resolution
// first), quality layer by layer: for each layer l, the layer-l packet of every precinct. JPT:
// whole tile data-bins instead of tile headers and precincts. Only bytes the cache model lacks
// are sent (byte-range exact); `len` counts message headers and bodies, not the EOR (C.6.1); the
// last message may carry a prefix so a response always progresses; EOR 1/2/4 per D.3.

import { findPrecinct } from '../../j2k';
import type { CacheModel } from '../cache-model';
import {
  BinClass,
  EorReason,
  messageHeaderLength,
  type BinClassId,
  type EorReasonCode,
  type HeaderState,
} from '../messages';
import { relevantPrecincts, tilesOf, type PrecinctRef } from '../precincts';
import type { JpipRequest } from '../request';
import { resolveComponents, type NewChannel } from '../response-headers';
import { resolveViewWindow, type ViewWindow } from '../view-window';
import { vbasLength } from '../vbas';
import { EMPTY_METADATA_BIN, type MetadataBin } from './metadata';
import {
  precinctLayout,
  sliceSegments,
  tileHeaderLayout,
  tileLayout,
  type BinLayout,
  type BinSegment,
  type FrameModel,
} from './frame-model';

export interface ServedFrame {
  /** Codestream id = DICOM frame number (PS3.5 §8.4.1). */
  csn: number;
  model: FrameModel;
}

export interface PlanOptions {
  returnType: 'jpp-stream' | 'jpt-stream';
  /** ptype=ext: precinct messages as class 1 with Aux = complete layers. */
  extended: boolean;
  /** Most precincts one view may touch. */
  maxPrecincts?: number;
  /** Metadata-bin 0 of the target and the CSn its messages carry; default: empty, first served frame. */
  metadata?: { bin: MetadataBin; csn: number };
}

export interface PlannedMessage {
  classId: BinClassId;
  csn: number;
  binId: number;
  offset: number;
  length: number;
  last: boolean;
  aux?: number;
  segments: BinSegment[];
}

export interface ResponsePlan {
  messages: PlannedMessage[];
  eor: EorReasonCode;
  /** Bytes of message headers and bodies (what `len` limits). */
  bytes: number;
  /** View of the first served frame (for JPIP-fsiz/roff/rsiz). */
  view: ViewWindow;
  layers: number;
  components: number[];
  componentsChanged: boolean;
  /** A workable len when the requested one allowed nothing (D.2.12). */
  suggestedLen?: number;
}

export type { NewChannel };

const EMPTY = new Uint8Array(0);

class Budget {
  messages: PlannedMessage[] = [];
  bytes = 0;
  cut = false;
  suggested: number | undefined;
  private prev: HeaderState | null = null;

  constructor(
    private readonly limit: number,
    private readonly align: boolean,
    private readonly cache: CacheModel,
  ) {}

  private headerLength(
    classId: BinClassId,
    csn: number,
    binId: number,
    offset: number,
    n: number,
    aux: number | undefined,
  ): number {
    const m = { classId, csn, binId, offset, last: false, data: EMPTY, ...(aux === undefined ? {} : { aux }) };
    return messageHeaderLength(m, this.prev) - 1 + vbasLength(n);
  }

  /** Offers bytes [start, end) of a bin; returns false once the budget is exhausted. */
  offer(
    classId: BinClassId,
    csn: number,
    binId: number,
    layout: BinLayout,
    start: number,
    end: number,
    aux?: (to: number) => number,
  ): boolean {
    if (this.cut) return false;
    const held = this.cache.get(csn, classId, binId);
    if (held.complete) return true;
    const from = Math.max(start, held.bytes);
    if (held.bytes < start) return true; // a gap before `start`: the contiguous prefix cannot grow
    const ends = end === layout.length;
    if (from >= end && !ends) return true;
    const want = Math.max(0, end - from);
    const auxAt = (to: number): number | undefined => (aux === undefined ? undefined : aux(to));
    let n = want;
    let hl = this.headerLength(classId, csn, binId, from, n, auxAt(from + n));
    if (this.bytes + hl + n > this.limit) {
      this.suggested ??= this.messages.length === 0 ? hl + n : undefined;
      const room = this.limit - this.bytes;
      n = 0;
      if (!this.align && want > 0) {
        n = Math.max(0, room - hl);
        while (n > 0 && this.headerLength(classId, csn, binId, from, n, auxAt(from + n)) + n > room) n--;
      }
      this.cut = true;
      if (n === 0) return false;
      hl = this.headerLength(classId, csn, binId, from, n, auxAt(from + n));
    }
    const last = ends && from + n === end;
    const a = auxAt(from + n);
    this.messages.push({
      classId,
      csn,
      binId,
      offset: from,
      length: n,
      last,
      segments: sliceSegments(layout.segments, from, n),
      ...(a === undefined ? {} : { aux: a }),
    });
    this.cache.record(csn, classId, binId, from, n, last);
    this.prev = { classId, csn };
    this.bytes += hl + n;
    return !this.cut;
  }
}

function completeLayers(ends: readonly number[], to: number): number {
  let k = 0;
  while (k < ends.length && (ends[k] ?? Infinity) <= to) k++;
  return k;
}

/** Plans one response; records what it sends in `cache`. // 15444-9 A.3, C.4-C.6, D.3 */
export function planResponse(
  request: JpipRequest,
  frames: readonly ServedFrame[],
  cache: CacheModel,
  options: PlanOptions,
): ResponsePlan {
  const first = frames[0];
  if (first === undefined) throw new RangeError('planResponse needs at least one frame');
  const budget = new Budget(request.len ?? Infinity, request.align === true, cache);
  const metaOnly = request.metareq?.metadataOnly === true;
  const comps = resolveComponents(request.comps, first.model.geometry.components.length);
  const maxLayers = Math.max(...frames.map((f) => f.model.index.layers));
  const wanted = request.layers === undefined || request.layers === 0 ? maxLayers : Math.min(request.layers, maxLayers);
  const views = frames.map((f) => resolveViewWindow(f.model.geometry, request));
  const firstView = views[0] as ViewWindow;
  planMetadata(budget, options.metadata ?? { bin: EMPTY_METADATA_BIN, csn: first.csn });
  if (!metaOnly) {
    frames.forEach((f, i) => {
      const view = views[i] as ViewWindow;
      const precincts = relevantPrecincts(f.model.geometry, view, {
        components: comps.components,
        ...(options.maxPrecincts === undefined ? {} : { maxPrecincts: options.maxPrecincts }),
      });
      planFrame(budget, f, precincts, wanted, options);
    });
  }
  const imageDone = !budget.cut && !metaOnly && frames.every((f) => frameComplete(cache, f, options.returnType));
  const eor = budget.cut ? EorReason.byteLimit : imageDone ? EorReason.imageDone : EorReason.windowDone;
  const plan: ResponsePlan = {
    messages: budget.messages,
    eor,
    bytes: budget.bytes,
    view: firstView,
    layers: wanted,
    components: comps.components,
    componentsChanged: comps.changed,
  };
  if (budget.messages.length === 0 && budget.suggested !== undefined && request.len !== 0)
    plan.suggestedLen = budget.suggested;
  return plan;
}

/** Metadata-bin 0, box by box (whole boxes per message, so box-per-message readers work). // A.3.6 */
function planMetadata(budget: Budget, meta: { bin: MetadataBin; csn: number }): void {
  const layout: BinLayout = {
    segments: meta.bin.boxes.map((bytes) => ({ kind: 'bytes' as const, bytes })),
    length: meta.bin.length,
    layerEnds: [],
  };
  if (meta.bin.boxes.length === 0) {
    budget.offer(BinClass.metadata, meta.csn, 0, layout, 0, 0);
    return;
  }
  let start = 0;
  for (const b of meta.bin.boxes) {
    if (!budget.offer(BinClass.metadata, meta.csn, 0, layout, start, start + b.length)) return;
    start += b.length;
  }
}

function planFrame(
  budget: Budget,
  f: ServedFrame,
  precincts: readonly PrecinctRef[],
  layers: number,
  options: PlanOptions,
): void {
  const { model, csn } = f;
  const main = {
    segments: [{ kind: 'bytes' as const, bytes: model.mainHeaderBin }],
    length: model.mainHeaderBin.length,
    layerEnds: [],
  };
  if (!budget.offer(BinClass.mainHeader, csn, 0, main, 0, main.length)) return;
  const tiles = tilesOf(precincts);
  if (options.returnType === 'jpt-stream') {
    for (const t of tiles) {
      const layout = tileLayout(model, t);
      if (!budget.offer(BinClass.tile, csn, t, layout, 0, layout.length)) return;
    }
    return;
  }
  for (const t of tiles) {
    const layout = tileHeaderLayout(model, t);
    if (!budget.offer(BinClass.tileHeader, csn, t, layout, 0, layout.length)) return;
  }
  const bins: { binId: number; layout: BinLayout }[] = [];
  for (const p of precincts) {
    const e = findPrecinct(model.index, p.binId);
    if (e !== undefined) bins.push({ binId: p.binId, layout: precinctLayout(e) });
  }
  const classId = options.extended ? BinClass.extendedPrecinct : BinClass.precinct;
  for (let l = 0; l < layers; l++) {
    for (const { binId, layout } of bins) {
      const ends = layout.layerEnds;
      if (ends.length === 0 && l === 0) {
        if (!budget.offer(classId, csn, binId, layout, 0, 0, options.extended ? () => 0 : undefined)) return;
        continue;
      }
      const end = ends[l];
      if (end === undefined) continue;
      const start = l === 0 ? 0 : (ends[l - 1] ?? 0);
      if (
        !budget.offer(
          classId,
          csn,
          binId,
          layout,
          start,
          end,
          options.extended ? (to) => completeLayers(ends, to) : undefined,
        )
      )
        return;
    }
  }
}

/** True when the cache model holds every data-bin of the frame (EOR "image done"). */
function frameComplete(cache: CacheModel, f: ServedFrame, type: PlanOptions['returnType']): boolean {
  const { index } = f.model;
  if (!cache.get(f.csn, BinClass.mainHeader, 0).complete) return false;
  for (const t of index.tiles) {
    if (!cache.get(f.csn, type === 'jpt-stream' ? BinClass.tile : BinClass.tileHeader, t.tile).complete) return false;
  }
  if (type === 'jpt-stream') return true;
  for (const p of index.precincts) if (!cache.get(f.csn, BinClass.precinct, p.binId).complete) return false;
  return true;
}
