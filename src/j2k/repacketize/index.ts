// Public API of j2k/repacketize: precinct re-partitioning of a codestream without re-coding
// its code-blocks (ISO/IEC 15444-1 B.6, B.10, B.12).
export { repartitionPrecincts, type RepartitionOptions } from './repartition';
export type { PrecinctSize } from './coding-style';
