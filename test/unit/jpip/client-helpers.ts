// Builds real jpp-stream / jpt-stream responses from corpus codestreams (j2k's packet index and
// data-bins, jpip's message writer) for the client tests.
import { buildPacketIndex, mainHeaderBin, precinctBin, tileHeaderBin, type PacketIndex } from '../../../src/j2k';
import { EorReason, JpipStreamWriter, type EorReasonCode, type JpipMessage } from '../../../src/jpip';
import { loadCodestream } from '../j2k/corpus-helper';

export interface Corpus {
  cs: Uint8Array;
  index: PacketIndex;
  main: Uint8Array;
  tileHeaders: Uint8Array[];
  precincts: { binId: number; bytes: Uint8Array; layerEnds: number[] }[];
}

export function corpus(name: string): Corpus {
  const cs = loadCodestream(name);
  const index = buildPacketIndex(cs);
  return {
    cs,
    index,
    main: mainHeaderBin(cs, index),
    tileHeaders: Array.from({ length: index.numTiles }, (_, t) => tileHeaderBin(cs, index, t)),
    precincts: index.precincts.map((p) => ({ binId: p.binId, ...precinctBin(cs, index, p.binId) })),
  };
}

/** Headers + for each precinct the byte range [from(p), to(p)) as one message. */
export function jppMessages(
  c: Corpus,
  csn: number,
  range: (p: Corpus['precincts'][number]) => [number, number],
  headers = true,
): JpipMessage[] {
  const out: JpipMessage[] = [];
  if (headers) {
    out.push({ classId: 6, csn, binId: 0, offset: 0, last: true, data: c.main });
    c.tileHeaders.forEach((h, t) => out.push({ classId: 2, csn, binId: t, offset: 0, last: true, data: h }));
  }
  for (const p of c.precincts) {
    const [from, to] = range(p);
    if (to > from || (to === p.bytes.length && from === to && headers)) {
      out.push({
        classId: 0,
        csn,
        binId: p.binId,
        offset: from,
        last: to === p.bytes.length,
        data: p.bytes.subarray(from, to),
      });
    }
  }
  return out;
}

export function encodeResponse(
  messages: readonly JpipMessage[],
  eor: EorReasonCode | null = EorReason.windowDone,
): Uint8Array {
  const w = new JpipStreamWriter();
  w.beginResponse();
  const parts = messages.map((m) => w.message(m));
  if (eor !== null) parts.push(w.eor(eor));
  return Buffer.concat(parts);
}

/** Splits bytes into pieces at pseudo-random points (deterministic for a seed). */
export function chunks(bytes: Uint8Array, seed: number, maxPiece = 97): Uint8Array[] {
  const out: Uint8Array[] = [];
  let s = seed >>> 0 || 1;
  for (let pos = 0; pos < bytes.length;) {
    s = (s * 1103515245 + 12345) >>> 0;
    const n = 1 + (s % maxPiece);
    out.push(bytes.subarray(pos, pos + n));
    pos += n;
  }
  return out;
}

export function headers(map: Record<string, string>): (name: string) => string | null {
  const lower = new Map(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
  return (name) => lower.get(name.toLowerCase()) ?? null;
}
