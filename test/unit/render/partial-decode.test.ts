// Partial decoding of a generated large frame (opj_compress, RPCL, 128x128 precincts, 6 levels):
// a thumbnail and a reduced region read a small fraction of the codestream through the packet
// index, and render exactly the pixels of a full read + decode at the same discard level.

import { PNG } from 'pngjs';
import { compressPattern, wrapCodestream } from '../../../bench/render-synth';
import { bufferSource } from '../../../src/bytes';
import { loadCodecs, type Codecs } from '../../../src/codec';
import { parseDicom, type DicomDataset } from '../../../src/dicom';
import { buildPacketIndex } from '../../../src/j2k';
import { renderFrame, type RenderOptions, type StoredCodestream } from '../../../src/render';

jest.setTimeout(120_000);

const W = 2048;
let cs: Uint8Array;
let ds: DicomDataset;
let codecs: Codecs;

beforeAll(async () => {
  cs = compressPattern({ width: W, height: W, levels: 6, rates: [], precinct: 128 });
  const file = wrapCodestream(cs, W, W, { study: '2.25.1', series: '2.25.2', sop: '2.25.3' }, true);
  ds = parseDicom(bufferSource(file)).dataset;
  codecs = await loadCodecs();
});

function source(indexed: boolean): StoredCodestream & { reads: number } {
  const s = {
    reads: 0,
    length: cs.length,
    index: indexed ? buildPacketIndex(cs) : null,
    htj2k: false,
    reader: {
      read: async (offset: number, length: number): Promise<Uint8Array> => {
        if (offset < 0 || offset + length > cs.length) throw new RangeError('out of range');
        s.reads += length;
        return cs.slice(offset, offset + length);
      },
    },
  };
  return s;
}

function pixels(bytes: Uint8Array): { width: number; height: number; data: Buffer } {
  const p = PNG.sync.read(Buffer.from(bytes));
  return { width: p.width, height: p.height, data: p.data };
}

async function both(options: RenderOptions): Promise<{
  partial: Awaited<ReturnType<typeof renderFrame>>;
  full: Awaited<ReturnType<typeof renderFrame>>;
  reads: number;
}> {
  const src = source(true);
  const partial = await renderFrame(codecs, ds, 1, src, options);
  const full = await renderFrame(codecs, ds, 1, source(false), options);
  return { partial, full, reads: src.reads };
}

describe('renderFrame over a packet index', () => {
  it('a 128 px thumbnail reads < 10 % of the codestream and equals the full decode', async () => {
    const { partial, full, reads } = await both({ mediaType: 'image/png', viewport: { vw: 128, vh: 128 } });
    expect(partial.stats).toMatchObject({ partial: true, discardLevels: 4, decodedWidth: 128, decodedHeight: 128 });
    expect(full.stats).toMatchObject({ partial: false, discardLevels: 4, bytesRead: cs.length });
    expect(reads).toBe(partial.stats.bytesRead);
    expect(partial.stats.bytesRead / cs.length).toBeLessThan(0.1);
    expect(pixels(partial.bytes)).toEqual(pixels(full.bytes));
  });

  it('a 256 px view of a 512 px region at the image centre (r = 1) reads < 10 % and matches the full decode', async () => {
    const options: RenderOptions = {
      mediaType: 'image/png',
      viewport: { vw: 256, vh: 256, sx: 800, sy: 900, sw: 512, sh: -512 },
      window: { center: 2000, width: 3000, function: 'linear' },
    };
    const { partial, full } = await both(options);
    expect(partial.stats.discardLevels).toBe(1);
    expect(partial.stats.precincts).toBeGreaterThan(0);
    expect(partial.stats.bytesRead / cs.length).toBeLessThan(0.1);
    const a = pixels(partial.bytes);
    expect([a.width, a.height]).toEqual([256, 256]);
    expect(a).toEqual(pixels(full.bytes));
  });

  it('a full-resolution corner region reads a fraction and matches', async () => {
    const options: RenderOptions = {
      mediaType: 'image/png',
      viewport: { vw: 300, vh: 200, sx: 1748, sy: 0, sw: 300, sh: 200 },
    };
    const { partial, full } = await both(options);
    expect(partial.stats.discardLevels).toBe(0);
    expect(partial.stats.bytesRead / cs.length).toBeLessThan(0.1);
    expect(pixels(partial.bytes)).toEqual(pixels(full.bytes));
  });
});
