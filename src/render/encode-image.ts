// 8-bit display pixels → image/jpeg (jpeg-js, baseline 4:4:4), image/png (pngjs, 8-bit gray or
// RGB, no alpha) or image/gif (./gif). Quality applies to JPEG only (PS3.18 §8.3.5.1.2: lossy
// formats); PNG and GIF are lossless at 8 bits (GIF colour is palette-quantised).

import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { encodeGif } from './gif';
import type { RenderedMediaType } from './types';

export interface DisplayImage {
  width: number;
  height: number;
  channels: 1 | 3;
  /** Interleaved 8-bit samples. */
  pixels: Uint8Array;
}

function toRgba(img: DisplayImage): Uint8Array {
  const n = img.width * img.height;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    if (img.channels === 1) {
      const v = img.pixels[i] as number;
      out[i * 4] = v;
      out[i * 4 + 1] = v;
      out[i * 4 + 2] = v;
    } else {
      out[i * 4] = img.pixels[i * 3] as number;
      out[i * 4 + 1] = img.pixels[i * 3 + 1] as number;
      out[i * 4 + 2] = img.pixels[i * 3 + 2] as number;
    }
    out[i * 4 + 3] = 255;
  }
  return out;
}

export function encodeDisplayImage(img: DisplayImage, mediaType: RenderedMediaType, quality = 90): Uint8Array {
  switch (mediaType) {
    case 'image/jpeg': {
      const buf = encodeJpeg({ width: img.width, height: img.height, data: toRgba(img) }, quality);
      return new Uint8Array(buf.data.buffer, buf.data.byteOffset, buf.data.byteLength);
    }
    case 'image/png': {
      const colorType = img.channels === 1 ? 0 : 2;
      const png = new PNG({ colorType, inputColorType: colorType, inputHasAlpha: false, bitDepth: 8 });
      png.width = img.width;
      png.height = img.height;
      png.data = Buffer.from(img.pixels.buffer, img.pixels.byteOffset, img.pixels.byteLength);
      // Sub filter on every row: pngjs's adaptive filter choice costs seconds on large images.
      const buf = PNG.sync.write(png, {
        colorType,
        inputColorType: colorType,
        inputHasAlpha: false,
        bitDepth: 8,
        filterType: 1,
        deflateLevel: 6,
      });
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    case 'image/gif':
      return encodeGif(img.width, img.height, img.channels, img.pixels);
  }
}
