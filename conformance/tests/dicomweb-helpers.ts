// Shared helpers of the DICOMweb conformance tests (PS3.18): the dicomweb-client reference client
// (browser code, so Node needs the xhr2 XMLHttpRequest polyfill), DCMTK dcmdump and dicom3tools
// dciodvfy runners with bounded timeouts, and small DICOM byte helpers (UIDs of a corpus file,
// inflating a Deflated / JPIP Referenced Deflate object so dciodvfy can read it).

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as dicomParser from 'dicom-parser';
import { corpusPath } from '../../test/corpus';

export const DICOM_DIR = corpusPath('dicom');
export const REPO_ROOT = path.resolve(__dirname, '../..');

export const TS = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  j2kLossless: '1.2.840.10008.1.2.4.90',
  j2k: '1.2.840.10008.1.2.4.91',
  jpip: '1.2.840.10008.1.2.4.94',
  jpipDeflate: '1.2.840.10008.1.2.4.95',
} as const;

export function hasCommand(cmd: string): boolean {
  return (process.env['PATH'] ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && fs.existsSync(path.join(dir, cmd)));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool with a timeout; never rejects (a spawn failure is code -1). */
export function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** `dcmdump` of a file: exit code and any E:/F: lines (DCMTK's error and fatal log lines). */
export async function dcmdump(file: string): Promise<{ code: number; errors: string[]; text: string }> {
  const r = await run('dcmdump', ['-q', file]);
  const errors = r.stderr.split('\n').filter((l) => /^(E|F):/.test(l.trim()));
  return { code: r.code, errors, text: r.stdout };
}

/** `dciodvfy` Error lines, normalised (so the input's and the output's can be compared as sets). */
export async function dciodvfyErrors(file: string): Promise<string[]> {
  const r = await run('dciodvfy', [file]);
  return [
    ...new Set(
      (r.stderr + r.stdout)
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('Error')),
    ),
  ].sort();
}

export interface FileUids {
  study: string;
  series: string;
  sop: string;
  sopClass: string;
  transferSyntax: string;
  frames: number;
}

export function uidsOf(file: string): FileUids {
  const ds = dicomParser.parseDicom(
    new Uint8Array(fs.readFileSync(path.isAbsolute(file) ? file : path.join(DICOM_DIR, file))),
    { untilTag: 'x7fe00010' },
  );
  const s = (tag: string): string => (ds.string(tag) ?? '').replace(/\0+$/, '').trim();
  return {
    study: s('x0020000d'),
    series: s('x0020000e'),
    sop: s('x00080018'),
    sopClass: s('x00080016'),
    transferSyntax: s('x00020010'),
    frames: Number(s('x00280008') || '1'),
  };
}

export function readDicom(file: string): ArrayBuffer {
  const b = fs.readFileSync(path.join(DICOM_DIR, file));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
}

/**
 * Inflates a JPIP Referenced Deflate (.95) Part 10 file into the equivalent JPIP Referenced (.94)
 * file (PS3.5 A.5: the data set after the file meta information is raw deflate; .94 is Explicit
 * VR Little Endian). dciodvfy cannot read deflated data sets, so it validates this copy.
 */
export function inflateJpipDeflate(bytes: Buffer): Buffer {
  const groupLength = bytes.readUInt32LE(128 + 4 + 8);
  const metaEnd = 128 + 4 + 12 + groupLength;
  const meta = Buffer.from(bytes.subarray(0, metaEnd));
  const at = meta.indexOf(TS.jpipDeflate, 0, 'latin1');
  if (at < 0) throw new Error('no JPIP Referenced Deflate transfer syntax in the file meta information');
  meta.write(TS.jpip, at, 'latin1'); // same length (22 characters)
  return Buffer.concat([meta, zlib.inflateRawSync(bytes.subarray(metaEnd))]);
}

/** A dicomweb-client DICOMwebClient, typed to the calls the tests make. */
export interface DicomwebClient {
  storeInstances(o: { datasets: ArrayBuffer[] }): Promise<unknown>;
  searchForStudies(o?: {
    queryParams?: Record<string, string | number | boolean>;
  }): Promise<Record<string, { vr: string; Value?: unknown[] }>[]>;
  searchForSeries(o?: {
    studyInstanceUID?: string;
    queryParams?: Record<string, string | number | boolean>;
  }): Promise<Record<string, { vr: string; Value?: unknown[] }>[]>;
  searchForInstances(o?: {
    studyInstanceUID?: string;
    seriesInstanceUID?: string;
    queryParams?: Record<string, string | number | boolean>;
  }): Promise<Record<string, { vr: string; Value?: unknown[] }>[]>;
  retrieveInstance(o: InstanceRef & { mediaTypes?: MediaTypeChoice[] }): Promise<ArrayBuffer>;
  retrieveSeries(o: {
    studyInstanceUID: string;
    seriesInstanceUID: string;
    mediaTypes?: MediaTypeChoice[];
  }): Promise<ArrayBuffer[]>;
  retrieveInstanceMetadata(
    o: InstanceRef,
  ): Promise<Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string; InlineBinary?: string }>[]>;
  retrieveSeriesMetadata(o: {
    studyInstanceUID: string;
    seriesInstanceUID: string;
  }): Promise<Record<string, { vr: string; Value?: unknown[] }>[]>;
  retrieveInstanceFrames(
    o: InstanceRef & { frameNumbers: number[]; mediaTypes?: MediaTypeChoice[] },
  ): Promise<ArrayBuffer[]>;
  retrieveBulkData(o: { BulkDataURI: string; mediaTypes?: MediaTypeChoice[] }): Promise<ArrayBuffer[]>;
}
export interface InstanceRef {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
}
export interface MediaTypeChoice {
  mediaType: string;
  transferSyntaxUID?: string;
}
/** What dicomweb-client rejects with on an HTTP error status. */
export interface ClientError {
  status?: number;
  message: string;
}

interface DicomwebClientModule {
  api: { DICOMwebClient: new (o: { url: string; singlepart?: boolean; verbose?: boolean }) => DicomwebClient };
}

/** dicomweb-client against `root` (e.g. http://127.0.0.1:PORT/dicomweb), with the Node XHR polyfill installed. */
export function referenceClient(root: string): DicomwebClient {
  const g = globalThis as { XMLHttpRequest?: unknown };
  if (g.XMLHttpRequest === undefined) g.XMLHttpRequest = require('xhr2') as unknown;
  const mod = require('dicomweb-client') as DicomwebClientModule;
  return new mod.api.DICOMwebClient({ url: root, verbose: false });
}

/** First string Value of a DICOM JSON attribute. */
export function value(item: Record<string, { Value?: unknown[] }> | undefined, tag: string): unknown {
  return item?.[tag]?.Value?.[0];
}
