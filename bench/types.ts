// Shared shapes of the benchmark run: the options (sizes per mode) and one printed result row.

export const BENCH_IDS = ['stow', 'qido', 'metadata', 'rss', 'j2k', 'jpip', 'render'] as const;
export type BenchId = (typeof BENCH_IDS)[number];

export interface BenchSizes {
  /** Copies of each of the shared DICOM files sent by STOW-RS (each copy has fresh UIDs). */
  stowRounds: number;
  /** Instances stored in both servers for the QIDO comparison (includes the metadata series). */
  qidoInstances: number;
  /** Instances in Fovea alone for the large QIDO measurement. */
  qidoBigInstances: number;
  /** Timed requests per query type. */
  queryRepeats: number;
  /** Instances in the one series whose metadata is timed. */
  metadataSeriesInstances: number;
  metadataRepeats: number;
  /** Frames of 1024×1024 16-bit in the large multi-frame object (2 MiB each). */
  rssFrames: number;
  /** Minimum measuring time per codestream and operation in the J2K bench (ms). */
  j2kMinMs: number;
}

export const FULL: BenchSizes = {
  stowRounds: 8,
  qidoInstances: 10_000,
  qidoBigInstances: 100_000,
  queryRepeats: 100,
  metadataSeriesInstances: 1000,
  metadataRepeats: 20,
  rssFrames: 250,
  j2kMinMs: 200,
};

export const QUICK: BenchSizes = {
  stowRounds: 1,
  qidoInstances: 1000,
  qidoBigInstances: 5000,
  queryRepeats: 20,
  metadataSeriesInstances: 200,
  metadataRepeats: 10,
  rssFrames: 25,
  j2kMinMs: 20,
};

/** One line of the result table. `ratio` is Fovea / peer; `pass` null when there is no goal. */
export interface BenchRow {
  bench: BenchId;
  metric: string;
  unit: string;
  fovea: number;
  peer: number | null;
  ratio: number | null;
  goal: string;
  pass: boolean | null;
}

export interface BenchContext {
  sizes: BenchSizes;
  quick: boolean;
  /** Orthanc is installed and wanted (--no-orthanc turns it off). */
  orthanc: boolean;
  log: (line: string) => void;
}
