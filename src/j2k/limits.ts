// Caps applied while parsing and indexing, checked before anything is allocated (CONVENTIONS.md
// "Binary parsing rules"). Defaults are generous for medical images and small enough to keep a
// hostile header from allocating gigabytes.

export interface J2kLimits {
  /** Csiz cap (Part 1 allows 16384). */
  maxComponents: number;
  /** Number of tiles in the image. */
  maxTiles: number;
  /** Precincts over all tiles, components and resolutions. */
  maxPrecincts: number;
  /** Code-blocks in one precinct (all its bands). */
  maxCodeBlocksPerPrecinct: number;
  /** Packets over the whole codestream. */
  maxPackets: number;
}

export const DEFAULT_LIMITS: Readonly<J2kLimits> = Object.freeze({
  maxComponents: 16384,
  maxTiles: 65535,
  maxPrecincts: 4_000_000,
  maxCodeBlocksPerPrecinct: 1 << 20,
  maxPackets: 16_000_000,
});

export function resolveLimits(partial: Partial<J2kLimits> | undefined): J2kLimits {
  return { ...DEFAULT_LIMITS, ...(partial ?? {}) };
}
