// Helpers for the JPIP integration tests: generated J2K DICOM objects (opj_compress + a Part 10
// file built with src/dicom), STOW, JPIP fetches parsed with src/jpip's reader into a
// ClientCache, codestream rebuild (src/j2k) and region comparison of decoded pixels (src/codec).

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DicomDataset,
  encapsulatedPixelDataPrefix,
  encodePart10,
  fragmentItemHeader,
  SEQUENCE_DELIMITER,
} from '../../src/dicom';
import { rebuildCodestream } from '../../src/j2k';
import { type ClientCache, JpipStreamReader, type JpipMessage, type JpipStreamEvent } from '../../src/jpip';
import type { Codecs, DecodedImage } from '../../src/codec';
import { stowBody } from './harness';

export interface GeneratedImage {
  width: number;
  height: number;
  components: number;
  bits: number;
  /** opj_compress options (tiles, precincts, progression, layers...). */
  opj: string[];
  frames?: number;
}

export interface GeneratedObject {
  file: Buffer;
  sopInstanceUid: string;
  codestreams: Uint8Array[];
}

let uidCounter = 0;
function uid(): string {
  uidCounter += 1;
  return `1.2.826.0.1.3680043.10.1337.${process.pid}.${Date.now() % 1e9}.${uidCounter}`;
}

/** Deterministic texture: gradients, edges and pseudo-random noise (compresses non-trivially). */
function samples(img: GeneratedImage, frame: number): Buffer {
  const max = 2 ** img.bits - 1;
  const bytes = img.bits > 8 ? 2 : 1;
  const out = Buffer.alloc(img.width * img.height * img.components * bytes);
  let seed = 12345 + frame * 7919;
  let i = 0;
  for (let c = 0; c < img.components; c++) {
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const base = (x * (3 + c) + y * 5 + ((x >> 5) ^ (y >> 6)) * 97 + frame * 31) % (max + 1);
        const v = Math.min(max, Math.max(0, base + ((seed >> 16) % 17) - 8));
        if (bytes === 2) out.writeUInt16LE(v, i);
        else out[i] = v;
        i += bytes;
      }
    }
  }
  return out;
}

/** opj_compress of planar little-endian raw samples, wrapped as a JPEG 2000 Lossless DICOM object. */
export function generateJ2kDicom(img: GeneratedImage): GeneratedObject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-jpip-gen-'));
  try {
    const codestreams: Uint8Array[] = [];
    for (let f = 0; f < (img.frames ?? 1); f++) {
      const raw = path.join(dir, `in${f}.rawl`);
      const j2k = path.join(dir, `out${f}.j2k`);
      fs.writeFileSync(raw, samples(img, f));
      execFileSync(
        'opj_compress',
        ['-i', raw, '-o', j2k, '-F', `${img.width},${img.height},${img.components},${img.bits},u`, ...img.opj],
        { stdio: 'pipe' },
      );
      codestreams.push(new Uint8Array(fs.readFileSync(j2k)));
    }
    const sop = uid();
    const ds = new DicomDataset();
    ds.setString(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7');
    ds.setString(0x00080018, 'UI', sop);
    ds.setString(0x00080060, 'CS', 'OT');
    ds.setString(0x00100010, 'PN', 'JPIP^Test');
    ds.setString(0x00100020, 'LO', 'JPIP-1');
    ds.setString(0x0020000d, 'UI', uid());
    ds.setString(0x0020000e, 'UI', uid());
    ds.setNumber(0x00280002, 'US', img.components);
    ds.setString(0x00280004, 'CS', img.components === 1 ? 'MONOCHROME2' : 'RGB');
    if (img.components > 1) ds.setNumber(0x00280006, 'US', 0);
    ds.setString(0x00280008, 'IS', String(img.frames ?? 1));
    ds.setNumber(0x00280010, 'US', img.height);
    ds.setNumber(0x00280011, 'US', img.width);
    ds.setNumber(0x00280100, 'US', img.bits > 8 ? 16 : 8);
    ds.setNumber(0x00280101, 'US', img.bits);
    ds.setNumber(0x00280102, 'US', img.bits - 1);
    ds.setNumber(0x00280103, 'US', 0);
    const head = encodePart10(ds, '1.2.840.10008.1.2.4.90');
    const parts: Uint8Array[] = [head, encapsulatedPixelDataPrefix(codestreams.map((c) => c.length))];
    for (const cs of codestreams) {
      parts.push(fragmentItemHeader(cs.length), cs);
      if (cs.length % 2 === 1) parts.push(new Uint8Array(1));
    }
    parts.push(SEQUENCE_DELIMITER);
    return { file: Buffer.concat(parts), sopInstanceUid: sop, codestreams };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** STOW-RS; returns the SOP Instance UIDs stored (some corpus files are refused on purpose). */
export async function stow(url: string, files: Buffer[]): Promise<Set<string>> {
  const { body, contentType } = stowBody(files);
  const res = await fetch(`${url}/dicomweb/studies`, {
    method: 'POST',
    headers: { 'content-type': contentType, accept: 'application/dicom+json' },
    body,
  });
  if (res.status !== 200 && res.status !== 202) throw new Error(`STOW failed: ${res.status} ${await res.text()}`);
  const json = (await res.json()) as Record<string, { Value?: Record<string, { Value?: string[] }>[] }>;
  return new Set((json['00081199']?.Value ?? []).map((item) => item['00081155']?.Value?.[0] ?? ''));
}

export interface JpipResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  events: JpipStreamEvent[];
  messages: JpipMessage[];
}

/** GET (or POST with a form body) of a JPIP request; parses jpp/jpt bodies. */
export async function jpip(url: string, init?: { post?: string }): Promise<JpipResponse> {
  const res =
    init?.post === undefined
      ? await fetch(url)
      : await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: init.post,
        });
  const body = Buffer.from(await res.arrayBuffer());
  let events: JpipStreamEvent[] = [];
  const type = res.headers.get('content-type') ?? '';
  if (res.status === 200 && /jp[pt]-stream/.test(type)) {
    const reader = new JpipStreamReader();
    events = reader.push(new Uint8Array(body));
    reader.end();
  }
  const messages = events.flatMap((e) => (e.kind === 'message' ? [e.message] : []));
  return { status: res.status, headers: res.headers, body, events, messages };
}

export function eorReason(r: JpipResponse): number | undefined {
  const last = r.events[r.events.length - 1];
  return last?.kind === 'eor' ? last.reason : undefined;
}

/** Rebuilds codestream `csn` from the client cache. */
export function rebuild(cache: ClientCache, csn: number, discardLevels: number, maxLayers?: number): Uint8Array {
  const bins = cache.export(csn);
  if (bins.mainHeader === undefined) throw new Error('no main header bin');
  const pref = (m: Map<number, { prefix: Uint8Array }>) => new Map([...m].map(([k, v]) => [k, v.prefix] as const));
  return rebuildCodestream({
    mainHeader: bins.mainHeader.prefix,
    tileHeaders: pref(bins.tileHeaders),
    precincts: pref(bins.precincts),
    discardLevels,
    ...(maxLayers === undefined ? {} : { maxLayers }),
  });
}

export function decode(codecs: Codecs, cs: Uint8Array, htj2k: boolean, reduce: number, layers?: number): DecodedImage {
  return htj2k
    ? codecs.decodeHtj2k(cs, { reduce })
    : codecs.decodeJ2k(cs, { reduce, ...(layers === undefined ? {} : { layers }) });
}

/** Number of samples inside [x0,x0+w) x [y0,y0+h) (components `comps`) that differ. */
export function regionDiff(
  a: DecodedImage,
  b: DecodedImage,
  x0: number,
  y0: number,
  w: number,
  h: number,
  comps?: readonly number[],
): number {
  if (a.width !== b.width || a.height !== b.height || a.components !== b.components) return Number.POSITIVE_INFINITY;
  const cs = comps ?? Array.from({ length: a.components }, (_, i) => i);
  let diff = 0;
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) {
      for (const c of cs) {
        const i = (y * a.width + x) * a.components + c;
        if (a.data[i] !== b.data[i]) diff++;
      }
    }
  }
  return diff;
}
