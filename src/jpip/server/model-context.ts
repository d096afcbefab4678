// Resolves client cache-model statements (ISO/IEC 15444-9 C.9.2) against the served frames:
// bin lengths, ":L<n>" layer counts (from the packet index), implicit t/c/r/p precinct
// descriptors and additive wildcards. Statements about codestreams not in the request are
// ignored (the model is advisory, C.9).

import { findPrecinct } from '../../j2k';
import type { ModelContext } from '../cache-model';
import type { BinClassId } from '../messages';
import type { ModelBin, RangeSelector } from '../model';
import { precinctLayout, tileHeaderLayout, tileLayout, type FrameModel } from './frame-model';

function inRange(sel: RangeSelector, v: number): boolean {
  return sel === '*' || (v >= sel.from && (sel.to === null || v <= sel.to));
}

export function modelContext(
  frames: ReadonlyMap<number, FrameModel>,
  streams: readonly number[],
  frameCount: number,
  metadataLength = 0,
): ModelContext {
  return {
    defaultStreams: streams,
    maxStream: frameCount,
    binLength(csn: number, classId: BinClassId, binId: number): number | undefined {
      const f = frames.get(csn);
      if (f === undefined) return undefined;
      if (classId === 6) return binId === 0 ? f.mainHeaderBin.length : undefined;
      if (classId === 8) return binId === 0 ? metadataLength : undefined;
      if (classId === 2) return binId < f.index.numTiles ? tileHeaderLayout(f, binId).length : undefined;
      if (classId === 4) return binId < f.index.numTiles ? tileLayout(f, binId).length : undefined;
      const e = findPrecinct(f.index, binId);
      return e === undefined ? undefined : precinctLayout(e).length;
    },
    layersToBytes(csn: number, binId: number, layers: number): number | undefined {
      const f = frames.get(csn);
      const e = f === undefined ? undefined : findPrecinct(f.index, binId);
      if (e === undefined) return undefined;
      const ends = precinctLayout(e).layerEnds;
      if (layers === 0) return 0;
      return ends[Math.min(layers, ends.length) - 1] ?? 0;
    },
    implicitBins(csn: number, bin: Extract<ModelBin, { kind: 'implicit' }>): readonly number[] | undefined {
      const f = frames.get(csn);
      if (f === undefined) return undefined;
      return f.index.precincts
        .filter(
          (p) =>
            inRange(bin.tiles, p.tile) &&
            inRange(bin.components, p.component) &&
            inRange(bin.resolutions, p.resolution) &&
            inRange(bin.positions, p.precinct),
        )
        .map((p) => p.binId);
    },
    allBins(csn: number, classId: BinClassId): readonly number[] | undefined {
      const f = frames.get(csn);
      if (f === undefined) return undefined;
      if (classId === 0) return f.index.precincts.map((p) => p.binId);
      if (classId === 2 || classId === 4) return f.index.tiles.map((t) => t.tile);
      if (classId === 8) return [0];
      return undefined;
    },
  };
}
