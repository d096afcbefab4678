// Minimal GIF89a writer (GIF89a specification, sections 17-22): one image, a 256-entry global
// colour table, variable-length-code LZW (8-bit minimum code size, codes up to 12 bits, a clear
// code when the table is full), data in 255-byte sub-blocks. Grayscale maps exactly to 256 greys;
// RGB is quantised to a fixed 6×7×6 colour cube (no dithering). No animation, no transparency.

class ByteSink {
  private buf = new Uint8Array(4096);
  length = 0;
  push(b: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = b;
  }
  pushAll(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) this.push(bytes[i] as number);
  }
  u16(v: number): void {
    this.push(v & 0xff);
    this.push((v >> 8) & 0xff);
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** LZW-compressed image data, packed into sub-blocks, with the terminator. // GIF89a §22, Appendix F */
function lzwSubBlocks(indices: Uint8Array, out: ByteSink): void {
  const minCodeSize = 8;
  const clear = 1 << minCodeSize;
  const eoi = clear + 1;
  let codeSize = minCodeSize + 1;
  let next = eoi + 1;
  let table = new Map<number, number>();
  const block: number[] = [];
  let cur = 0;
  let bits = 0;
  const flushBlock = (): void => {
    out.push(block.length);
    out.pushAll(block);
    block.length = 0;
  };
  const emit = (code: number): void => {
    cur |= code << bits;
    bits += codeSize;
    while (bits >= 8) {
      block.push(cur & 0xff);
      cur >>>= 8;
      bits -= 8;
      if (block.length === 255) flushBlock();
    }
  };
  out.push(minCodeSize);
  emit(clear);
  let prefix = indices[0] ?? 0;
  for (let i = 1; i < indices.length; i++) {
    const k = indices[i] as number;
    const key = (prefix << 8) | k;
    const found = table.get(key);
    if (found !== undefined) {
      prefix = found;
      continue;
    }
    emit(prefix);
    if (next === 4096) {
      emit(clear);
      next = eoi + 1;
      codeSize = minCodeSize + 1;
      table = new Map();
    } else {
      if (next >= 1 << codeSize) codeSize++;
      table.set(key, next++);
    }
    prefix = k;
  }
  emit(prefix);
  emit(eoi);
  if (bits > 0) block.push(cur & 0xff);
  if (block.length > 0) flushBlock();
  out.push(0);
}

const R_LEVELS = 6;
const G_LEVELS = 7;
const B_LEVELS = 6;

function level(v: number, levels: number): number {
  return Math.round((v * (levels - 1)) / 255);
}

/** Encodes 8-bit gray (channels 1) or RGB (channels 3) pixels as a GIF89a file. */
export function encodeGif(width: number, height: number, channels: 1 | 3, pixels: Uint8Array): Uint8Array {
  const out = new ByteSink();
  out.pushAll([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]); // "GIF89a"
  out.u16(width);
  out.u16(height);
  out.push(0xf7); // global colour table, 8 bits of colour resolution, 2^(7+1) entries
  out.push(0);
  out.push(0);
  const palette = new Uint8Array(768);
  const indices = new Uint8Array(width * height);
  if (channels === 1) {
    for (let i = 0; i < 256; i++) palette.set([i, i, i], i * 3);
    indices.set(pixels.subarray(0, width * height));
  } else {
    for (let r = 0; r < R_LEVELS; r++) {
      for (let g = 0; g < G_LEVELS; g++) {
        for (let b = 0; b < B_LEVELS; b++) {
          const i = (r * G_LEVELS + g) * B_LEVELS + b;
          palette.set(
            [
              Math.round((r * 255) / (R_LEVELS - 1)),
              Math.round((g * 255) / (G_LEVELS - 1)),
              Math.round((b * 255) / (B_LEVELS - 1)),
            ],
            i * 3,
          );
        }
      }
    }
    for (let p = 0; p < indices.length; p++) {
      const r = level(pixels[p * 3] as number, R_LEVELS);
      const g = level(pixels[p * 3 + 1] as number, G_LEVELS);
      const b = level(pixels[p * 3 + 2] as number, B_LEVELS);
      indices[p] = (r * G_LEVELS + g) * B_LEVELS + b;
    }
  }
  out.pushAll(palette);
  out.push(0x2c); // image descriptor
  out.u16(0);
  out.u16(0);
  out.u16(width);
  out.u16(height);
  out.push(0);
  lzwSubBlocks(indices, out);
  out.push(0x3b); // trailer
  return out.bytes();
}
