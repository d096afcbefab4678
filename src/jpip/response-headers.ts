// Served-request bookkeeping and JPIP response headers as plain data (ISO/IEC 15444-9 D.2):
// a JPIP-<field> header reports that the server changed that request field (D.2.1), using the
// request syntax. DICOM stream numbering (PS3.5 §8.4.1): frame n is codestream n, from 1; an
// omitted stream means frame 1 and is reported as JPIP-stream: 1. No HTTP types here.

import { BadRequestError } from '../errors';
import type { JpipRequest } from './request';
import { expandRanges, type SampledRange, type UintRange } from './request-values';
import type { ViewWindow } from './view-window';

/** "0-2,4,7-8" for a sorted list of distinct values. // 15444-9 C.4.5 syntax */
export function formatRanges(values: readonly number[]): string {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    const start = sorted[i] ?? 0;
    let end = start;
    while (sorted[i + 1] === end + 1) {
      end++;
      i++;
    }
    parts.push(start === end ? String(start) : `${start}-${end}`);
    i++;
  }
  return parts.join(',');
}

/** Frames (1-based codestream ids) a request names; drops 0 and ids above frameCount. */
export function resolveStreams(
  ranges: readonly SampledRange[] | undefined,
  frameCount: number,
  cap = 4096,
): { streams: number[]; changed: boolean } {
  if (ranges === undefined) return { streams: [1], changed: true };
  const streams = expandRanges(ranges, 1, frameCount, cap);
  if (streams.length === 0)
    throw new BadRequestError('JPIP_NO_STREAM', `stream names no frame in 1..${frameCount}`, { context: 'stream' });
  const changed = ranges.some((r) => r.to === null || r.from < 1 || r.to > frameCount);
  return { streams, changed };
}

/** Components a request names, within 0..Csiz-1. // 15444-9 C.4.5 */
export function resolveComponents(
  ranges: readonly UintRange[] | undefined,
  componentCount: number,
): { components: number[]; changed: boolean } {
  const all = Array.from({ length: componentCount }, (_, i) => i);
  if (ranges === undefined) return { components: all, changed: false };
  const components = expandRanges(ranges, 0, componentCount - 1, componentCount);
  if (components.length === 0)
    throw new BadRequestError('JPIP_NO_COMPONENT', `comps names no component in 0..${componentCount - 1}`, {
      context: 'comps',
    });
  const closed = ranges.every((r) => r.to !== null && r.to < componentCount);
  return { components, changed: !closed };
}

export interface NewChannel {
  cid: string;
  transport: string;
  path?: string;
  host?: string;
  port?: number;
}

export interface ServedResponse {
  /** The server's target id for the served representation. */
  tid: string;
  newChannel?: NewChannel;
  view?: ViewWindow;
  /** Layers actually served. */
  layers?: number;
  components?: readonly number[];
  componentsChanged?: boolean;
  streams?: readonly number[];
  streamsChanged?: boolean;
  /** A workable len when the requested one was too small (D.2.12). */
  suggestedLen?: number;
  /** Quality the view will have; -1 = quality ignored (D.2.13). */
  quality?: number;
  /** Return type actually used, when Content-Type does not say it (D.2.14). */
  type?: string;
  /** Required preferences the server refuses, repeated exactly as sent (D.2.18). */
  refusedPrefs?: readonly string[];
}

/** JPIP-* response headers for a served request. // 15444-9 D.2 */
export function responseHeaders(request: JpipRequest, served: ServedResponse): Record<string, string> {
  const h: Record<string, string> = {};
  if (request.tid === undefined || request.tid === '0' || request.tid !== served.tid) h['JPIP-tid'] = served.tid; // D.2.2
  const ch = served.newChannel;
  if (ch !== undefined) {
    const parts = [`cid=${ch.cid}`];
    if (ch.path !== undefined) parts.push(`path=${ch.path}`);
    parts.push(`transport=${ch.transport}`);
    if (ch.host !== undefined) parts.push(`host=${ch.host}`);
    if (ch.port !== undefined) parts.push(`port=${ch.port}`);
    h['JPIP-cnew'] = parts.join(','); // D.2.3
  }
  if (request.qid !== undefined) h['JPIP-qid'] = String(request.qid); // D.2.4
  const v = served.view;
  if (v !== undefined) {
    if (v.fsizChanged) h['JPIP-fsiz'] = `${v.frame.fx},${v.frame.fy}`; // D.2.5
    if (v.roffChanged) h['JPIP-roff'] = `${v.offset.x},${v.offset.y}`; // D.2.7
    if (v.rsizChanged || (v.fsizChanged && request.rsiz !== undefined)) h['JPIP-rsiz'] = `${v.size.x},${v.size.y}`; // D.2.6
  }
  if (served.componentsChanged === true && served.components !== undefined)
    h['JPIP-comps'] = formatRanges(served.components); // D.2.8
  if (served.streamsChanged === true && served.streams !== undefined) h['JPIP-stream'] = formatRanges(served.streams); // D.2.9
  if (request.layers !== undefined && served.layers !== undefined && served.layers !== request.layers)
    h['JPIP-layers'] = String(served.layers); // D.2.11
  if (served.suggestedLen !== undefined) h['JPIP-len'] = String(served.suggestedLen); // D.2.12
  if (request.quality !== undefined) h['JPIP-quality'] = String(served.quality ?? -1); // D.2.13
  if (served.type !== undefined) h['JPIP-type'] = served.type; // D.2.14
  if (served.refusedPrefs !== undefined && served.refusedPrefs.length > 0)
    h['JPIP-pref'] = served.refusedPrefs.join(','); // D.2.18
  return h;
}
