// Loading of the Emscripten codec builds and the TypeScript shapes of the embind classes they
// export (the packages ship no type declarations). Each module's stdout/stderr goes to a message
// log instead of the console, so codec diagnostics end up in CodecError messages, not in logs.

import { CodecError, describeThrown } from './errors';

export interface WasmFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
  isUsingColorTransform?: boolean;
}

interface Deletable {
  delete(): void;
}

export interface J2kDecoderHandle extends Deletable {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  readHeader(): void;
  decode(): void;
  decodeSubResolution(level: number, layer: number): void;
  getFrameInfo(): WasmFrameInfo;
  getNumDecompositions(): number;
  getNumLayers(): number;
  calculateSizeAtDecompositionLevel(level: number): { width: number; height: number };
}

export interface HtJ2kDecoderHandle extends Deletable {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  readHeader(): void;
  decode(): void;
  decodeSubResolution(level: number): void;
  getFrameInfo(): WasmFrameInfo;
  getNumDecompositions(): number;
  calculateSizeAtDecompositionLevel(level: number): { width: number; height: number };
}

export interface J2kEncoderHandle extends Deletable {
  getDecodedBuffer(frameInfo: WasmFrameInfo): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  encode(): void;
  setDecompositions(levels: number): void;
  setQuality(lossless: boolean, layers: number): void;
  setCompressionRatio(layer: number, ratio: number): void;
  setProgressionOrder(order: number): void;
  setBlockDimensions(size: { width: number; height: number }): void;
  setNumPrecincts(levels: number): void;
  setPrecinct(level: number, size: { width: number; height: number }): void;
}

export interface JpegDecoderHandle extends Deletable {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): WasmFrameInfo;
}

export interface JpegLsDecoderHandle extends Deletable {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): WasmFrameInfo;
  /** 0 = none (planes), 1 = line, 2 = sample (ISO/IEC 14495-1 ILV). */
  getInterleaveMode(): number;
  getNearLossless(): number;
}

export interface LibJpegTurboModule {
  JPEGDecoder: new () => JpegDecoderHandle;
}

export interface CharlsModule {
  JpegLSDecoder: new () => JpegLsDecoderHandle;
  getExceptionMessage?: (e: unknown) => unknown;
}

export interface OpenJpegModule {
  J2KDecoder: new () => J2kDecoderHandle;
  J2KEncoder: new () => J2kEncoderHandle;
}

export interface OpenJphModule {
  HTJ2KDecoder: new () => HtJ2kDecoderHandle;
}

/** Messages the Emscripten runtime printed during the current call. */
export class MessageLog {
  private lines: string[] = [];
  push = (line: string): void => {
    if (this.lines.length < 50) this.lines.push(line);
  };
  clear(): void {
    this.lines = [];
  }
  /** The [ERROR]/[WARNING] lines (or everything, if none is tagged), joined for an error message. */
  summary(): string {
    const tagged = this.lines.filter((l) => l.includes('ERROR') || l.includes('WARNING'));
    return (tagged.length > 0 ? tagged : this.lines).join(' | ').slice(0, 500);
  }
}

export interface LoadedModule<M> {
  module: M;
  log: MessageLog;
}

type EmscriptenFactory = (moduleArg: { print: (s: string) => void; printErr: (s: string) => void }) => Promise<unknown>;

function isFactory(v: unknown): v is EmscriptenFactory {
  return typeof v === 'function';
}

/** Instantiate an Emscripten module whose JS glue `require(id)` returns its factory. */
export async function instantiate<M>(id: string, hasExport: (m: object) => boolean): Promise<LoadedModule<M>> {
  const log = new MessageLog();
  let factory: unknown;
  try {
    factory = require(id) as unknown;
  } catch (e) {
    throw new CodecError('CODEC_LOAD_FAILED', `cannot load ${id}: ${describeThrown(e)}`, { cause: e });
  }
  if (!isFactory(factory)) throw new CodecError('CODEC_LOAD_FAILED', `${id} does not export a module factory`);
  let instance: unknown;
  try {
    instance = await factory({ print: log.push, printErr: log.push });
  } catch (e) {
    throw new CodecError('CODEC_LOAD_FAILED', `cannot instantiate ${id}: ${describeThrown(e)}`, { cause: e });
  }
  if (typeof instance !== 'object' || instance === null || !hasExport(instance)) {
    throw new CodecError('CODEC_LOAD_FAILED', `${id} lacks the expected classes`);
  }
  return { module: instance as M, log };
}

/** Run `fn` with a fresh embind object and always free it (embind objects live on the WASM heap). */
export function withHandle<H extends Deletable, R>(create: () => H, fn: (h: H) => R): R {
  const handle = create();
  try {
    return fn(handle);
  } finally {
    handle.delete();
  }
}

/**
 * One decode on a fresh decoder handle: the module's message log cleared, `input` copied into the
 * decoder's encoded buffer, `fn` run, the handle freed.
 */
export function withDecoder<D extends Deletable & { getEncodedBuffer(length: number): Uint8Array }, R>(
  log: MessageLog,
  create: () => D,
  input: Uint8Array,
  fn: (dec: D) => R,
): R {
  log.clear();
  return withHandle(create, (dec) => {
    dec.getEncodedBuffer(input.length).set(input);
    return fn(dec);
  });
}
