// Options and limits of parseDicom (CONVENTIONS.md: every declared length or count is checked
// against a cap before allocating). Defaults are safe for a server; callers (config.ts) may
// tighten or widen them.

export interface DicomParseOptions {
  /** Values longer than this are recorded as {offset, length}, not read (default 4096). */
  bulkThreshold?: number;
  /** Largest value length accepted for any element but Pixel Data (default 256 MiB). */
  maxElementLength?: number;
  /** Most items in one sequence (default 100 000). */
  maxItems?: number;
  /** Deepest sequence nesting (default 32). */
  maxDepth?: number;
  /** Most encapsulated fragments (and Basic Offset Table entries) of one Pixel Data (default 1 000 000). */
  maxFragments?: number;
  /** Largest inflated data set of a deflated transfer syntax (default 512 MiB). */
  maxInflatedLength?: number;
  /** Transfer syntax of a bare data set (no Part 10 header); detected when absent. */
  transferSyntaxUid?: string;
  /** Most warnings kept (default 200); later ones are counted in a final warning. */
  maxWarnings?: number;
}

export type ResolvedParseOptions = Required<Omit<DicomParseOptions, 'transferSyntaxUid'>>;

export function resolveParseOptions(o: DicomParseOptions = {}): ResolvedParseOptions {
  return {
    bulkThreshold: o.bulkThreshold ?? 4096,
    maxElementLength: o.maxElementLength ?? 256 * 1024 * 1024,
    maxItems: o.maxItems ?? 100_000,
    maxDepth: o.maxDepth ?? 32,
    maxFragments: o.maxFragments ?? 1_000_000,
    maxInflatedLength: o.maxInflatedLength ?? 512 * 1024 * 1024,
    maxWarnings: o.maxWarnings ?? 200,
  };
}

/** Collects warnings up to a cap. */
export class WarningList {
  readonly items: string[] = [];
  private dropped = 0;
  constructor(private readonly max: number) {}
  add(message: string): void {
    if (this.items.length < this.max) this.items.push(message);
    else this.dropped++;
  }
  result(): string[] {
    return this.dropped > 0 ? [...this.items, `${this.dropped} further warnings dropped`] : [...this.items];
  }
}
