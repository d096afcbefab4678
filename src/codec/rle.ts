// RLE Lossless decoding, DICOM PS3.5 Annex G: a 64-byte header (G.5: segment count and 15
// little-endian offsets), one PackBits segment per byte plane (G.3.1), planes ordered sample by
// sample with the most significant byte first (G.2). Output is interleaved, little-endian.
// Not supported: 1-bit frames (Bits Allocated 1), more than 15 segments (the format's limit).

import { ByteReader, MalformedError, UnsupportedError } from '../bytes';
import { checkDescription, imageOf } from './description';
import { outputPhotometric } from './shape';
import type { PixelDescription, PixelImage } from './types';

const HEADER_BYTES = 64;

// PS3.5 G.5 Table G-1 (RLE Header)
function readHeader(frame: Uint8Array, expectedSegments: number): number[] {
  const r = new ByteReader(frame, { littleEndian: true });
  const count = r.u32('RLE segment count');
  if (count !== expectedSegments) {
    throw new MalformedError(
      'CODEC_RLE_SEGMENT_COUNT',
      `RLE header has ${count} segments, expected ${expectedSegments}`,
      { offset: 0 },
    );
  }
  const offsets: number[] = [];
  for (let i = 0; i < 15; i++) offsets.push(r.u32('RLE segment offset'));
  const used = offsets.slice(0, count);
  for (let i = 0; i < used.length; i++) {
    const start = used[i] ?? 0;
    const prev = i === 0 ? HEADER_BYTES : (used[i - 1] ?? 0);
    if (start < prev || start > frame.length) {
      throw new MalformedError(
        'CODEC_RLE_SEGMENT_OFFSET',
        `segment ${i + 1} offset ${start} is out of order or past the frame`,
        {
          offset: 4 + i * 4,
        },
      );
    }
  }
  return used;
}

/** PackBits decode of frame[start, end) into `out` (length = pixels), PS3.5 G.3.1. */
function unpackSegment(frame: Uint8Array, start: number, end: number, out: Uint8Array, segment: number): void {
  let i = start;
  let o = 0;
  const n = out.length;
  while (o < n && i < end) {
    const h = frame[i++] ?? 0;
    if (h < 128) {
      const run = h + 1;
      if (i + run > end)
        throw new MalformedError('CODEC_RLE_LITERAL_OVERRUN', `segment ${segment}: literal run past its end`, {
          offset: i,
        });
      const take = Math.min(run, n - o);
      out.set(frame.subarray(i, i + take), o);
      o += take;
      i += run;
    } else if (h > 128) {
      if (i >= end)
        throw new MalformedError('CODEC_RLE_REPLICATE_OVERRUN', `segment ${segment}: replicate run past its end`, {
          offset: i,
        });
      const v = frame[i++] ?? 0;
      const take = Math.min(257 - h, n - o);
      out.fill(v, o, o + take);
      o += take;
    } // h === 128: no operation (G.3.1)
  }
  if (o < n) {
    throw new MalformedError('CODEC_RLE_SHORT_SEGMENT', `segment ${segment} decodes to ${o} bytes, expected ${n}`, {
      offset: end,
    });
  }
}

export function decodeRle(frame: Uint8Array, desc: PixelDescription): PixelImage {
  checkDescription(desc);
  if (desc.bitsAllocated === 1)
    throw new UnsupportedError('CODEC_RLE_1BIT', 'RLE with Bits Allocated 1 is not supported');
  const bytesPerSample = desc.bitsAllocated / 8;
  const segments = desc.samplesPerPixel * bytesPerSample;
  const offsets = readHeader(frame, segments);
  const pixels = desc.rows * desc.columns;
  const out = new Uint8Array(pixels * segments);
  const plane = new Uint8Array(pixels);
  for (let s = 0; s < segments; s++) {
    const start = offsets[s] ?? 0;
    const end = s + 1 < segments ? (offsets[s + 1] ?? frame.length) : frame.length;
    unpackSegment(frame, start, end, plane, s + 1);
    const sample = Math.floor(s / bytesPerSample);
    const byteInWord = bytesPerSample - 1 - (s % bytesPerSample); // MSB segment first → high byte
    for (let p = 0; p < pixels; p++) {
      out[(p * desc.samplesPerPixel + sample) * bytesPerSample + byteInWord] = plane[p] ?? 0;
    }
  }
  return imageOf(desc, outputPhotometric(desc.photometricInterpretation, desc.samplesPerPixel, 'none'), out);
}
