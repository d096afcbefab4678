// Test-only decoders: OpenJPEG (@cornerstonejs/codec-openjpeg) and OpenJPH
// (@cornerstonejs/codec-openjph), used as independent references for differential tests.

interface DecoderHandle {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  decodeSubResolution(level: number, layer: number): void;
  getFrameInfo(): { width: number; height: number };
  delete(): void;
}
interface DecoderModule {
  J2KDecoder?: new () => DecoderHandle;
  HTJ2KDecoder?: new () => DecoderHandle;
}

let openjpeg: Promise<DecoderModule> | undefined;
let openjph: Promise<DecoderModule> | undefined;

function load(path: string): Promise<DecoderModule> {
  const factory = require(path) as (opts: object) => Promise<DecoderModule>;
  // A fresh options object per module: Emscripten turns it into the Module object.
  return factory({ print: (): void => undefined, printErr: (): void => undefined });
}

export interface Decoded {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Decodes with OpenJPEG (or OpenJPH when `ht`), discarding `reduce` levels and keeping `layers` (0 = all). */
export async function referenceDecode(cs: Uint8Array, ht: boolean, reduce = 0, layers = 0): Promise<Decoded> {
  const m = ht
    ? await (openjph ??= load('@cornerstonejs/codec-openjph/wasmjs'))
    : await (openjpeg ??= load('@cornerstonejs/codec-openjpeg/wasmjs'));
  const Ctor = ht ? m.HTJ2KDecoder : m.J2KDecoder;
  if (Ctor === undefined) throw new Error('decoder class missing');
  const d = new Ctor();
  try {
    d.getEncodedBuffer(cs.length).set(cs);
    if (reduce === 0 && layers === 0) d.decode();
    else d.decodeSubResolution(reduce, layers);
    const info = d.getFrameInfo();
    return { width: info.width, height: info.height, pixels: d.getDecodedBuffer().slice() };
  } catch (e) {
    // A failed decode may leave the WASM instance unusable (abort): load a fresh one next time.
    if (ht) openjph = undefined;
    else openjpeg = undefined;
    throw e;
  } finally {
    try {
      d.delete();
    } catch {
      // the instance may already be gone after an abort
    }
  }
}
