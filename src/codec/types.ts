// Image value types shared by every codec wrapper in src/codec.
// PixelDescription mirrors the DICOM Image Pixel Module (PS3.3 C.7.6.3) attributes that a decoder
// needs; its field names match src/dicom's pixelDescription() so the two line up.

/** Samples as a codec returns them: interleaved, one typed-array element per sample. */
export interface DecodedImage {
  width: number;
  height: number;
  /** Number of components (samples per pixel). */
  components: number;
  bitsPerSample: number;
  signed: boolean;
  data: Uint8Array | Int8Array | Uint16Array | Int16Array;
}

/** Image Pixel Module attributes describing one frame (PS3.3 C.7.6.3.1). */
export interface PixelDescription {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  /** 0 = unsigned, 1 = two's complement. */
  pixelRepresentation: number;
  photometricInterpretation: string;
  /** 0 = colour-by-pixel (interleaved), 1 = colour-by-plane. Ignored when samplesPerPixel = 1. */
  planarConfiguration: number;
}

/**
 * One decoded frame: interleaved (planar configuration 0), samples little-endian, 8-bit samples as
 * one byte, 9–16-bit samples as two bytes; 1-bit data stays packed as in PS3.5 8.1.1 (LSB first).
 * `photometricInterpretation` is the colour space of `data` (it can differ from the source's, e.g.
 * JPEG baseline YBR_FULL_422 decoded to RGB); ingest records it in the stored dataset.
 */
export interface PixelImage {
  columns: number;
  rows: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  photometricInterpretation: string;
  data: Uint8Array;
}

/** Pixel-data encodings decodeFrame() understands (one per transfer-syntax family). */
export type TransferSyntaxFamily =
  'native' | 'rle' | 'jpeg-baseline' | 'jpeg-extended' | 'jpeg-lossless' | 'jpeg-ls' | 'j2k' | 'htj2k';
