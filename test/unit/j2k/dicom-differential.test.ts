// @needs-corpus: reads FOVEA_TEST_DATA (test/corpus.ts); skipped by jest.config.js when the corpus is absent.
// Differential tests over every JPEG 2000 / HTJ2K frame of ../shared/data/dicom (issue #3 "Proof"):
// each frame is extracted with src/dicom, indexed, split into data-bins and rebuilt keeping (a) all
// data, (b) only the first layer and the first half of the layers, (c) only resolutions up to NL - 1; each rebuilt codestream must
// decode (src/codec: OpenJPEG, OpenJPH for HTJ2K) to exactly the pixels of the original decoded
// with the same reduction. Where PLT markers exist the computed lengths equal them (buildPacketIndex
// throws otherwise) and the number of packets equals the number of PLT entries.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bufferSource } from '../../../src/bytes';
import { loadCodecs, type Codecs, type DecodedImage } from '../../../src/codec';
import {
  frameLocations,
  parseDicom,
  pixelDescription,
  readExtendedOffsetTable,
  readFrame,
  transferSyntax,
} from '../../../src/dicom';
import { buildPacketIndex, codestreamSummary, findCodestream } from '../../../src/j2k';
import { allBins, pltEntries, rebuild, sameSamples } from './index-proof-helper';
import { corpusPath } from '../../corpus';

const DICOM_DIR = corpusPath('dicom');
const PLT = 0xff58;

interface Frame {
  name: string;
  codestream: Uint8Array;
  htj2k: boolean;
}

/** Every J2K/HTJ2K frame of the DICOM folder, in file then frame order. */
function dicomFrames(): Frame[] {
  const out: Frame[] = [];
  for (const file of fs
    .readdirSync(DICOM_DIR)
    .filter((f) => f.endsWith('.dcm'))
    .sort()) {
    const parsed = parseDicom(bufferSource(new Uint8Array(fs.readFileSync(path.join(DICOM_DIR, file)))));
    const ts = transferSyntax(parsed.transferSyntaxUid);
    if (ts === undefined || (ts.family !== 'j2k' && ts.family !== 'htj2k')) continue;
    if (parsed.pixelData === null || parsed.pixelData.kind !== 'encapsulated') continue;
    const desc = pixelDescription(parsed.dataset);
    const locations = frameLocations(
      parsed.pixelData,
      desc.numberOfFrames,
      parsed.source,
      readExtendedOffsetTable(parsed.dataset),
    );
    locations.forEach((loc, i) => {
      const bytes = readFrame(parsed.source, loc);
      const at = findCodestream(bytes);
      const codestream = bytes.subarray(at.offset, at.offset + at.length);
      out.push({ name: `${file}#${i + 1}`, codestream, htj2k: codestreamSummary(codestream).htj2k });
    });
  }
  return out;
}

/** Frames the codec itself cannot decode (the original, before any rebuild), with the reason: none today. */
const DECODER_CANNOT: Record<string, string> = {};

const frames = dicomFrames();
let codecs: Codecs;
beforeAll(async () => {
  codecs = await loadCodecs();
});

function decode(f: Frame, cs: Uint8Array, reduce: number, layers: number): DecodedImage {
  if (f.htj2k) return codecs.decodeHtj2k(cs, { reduce });
  return codecs.decodeJ2k(cs, layers > 0 ? { reduce, layers } : { reduce });
}

describe('DICOM J2K/HTJ2K frames: rebuilt codestreams decode like the originals', () => {
  it('finds the JPEG 2000 frames of the DICOM corpus', () => {
    expect(frames.length).toBeGreaterThanOrEqual(30);
    expect(frames.some((f) => f.htj2k)).toBe(true);
    expect(frames.map((f) => f.name)).toContain('NM_Kakadu44_SOTmarkerincons.dcm#1');
  });

  it.each(frames.filter((f) => !(f.name in DECODER_CANNOT)).map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const cs = f.codestream;
    const s = codestreamSummary(cs);
    const idx = buildPacketIndex(cs);
    const plt = pltEntries(cs, idx);
    if (plt > 0) expect(idx.packetCount).toBe(plt);
    const bins = allBins(cs, idx);
    const cases: Array<[number, number]> = [[0, 0]];
    if (s.layers > 1 && !f.htj2k) cases.push([0, 1]);
    if (s.layers > 2 && !f.htj2k) cases.push([0, Math.ceil(s.layers / 2)]);
    if (s.levels >= 1) cases.push([1, 0]);
    for (const [reduce, layers] of cases) {
      const ref = decode(f, cs, reduce, layers);
      const got = decode(f, rebuild(bins, reduce, layers), reduce, layers);
      expect([got.width, got.height, got.components, got.bitsPerSample]).toEqual([
        ref.width,
        ref.height,
        ref.components,
        ref.bitsPerSample,
      ]);
      expect(sameSamples(got.data, ref.data)).toBe(true);
    }
  });

  it('NM_Kakadu44_SOTmarkerincons.dcm: 12 tile-parts, 12 layers, every packet length equals its PLT entry', () => {
    const f = frames.find((x) => x.name === 'NM_Kakadu44_SOTmarkerincons.dcm#1') as Frame;
    const idx = buildPacketIndex(f.codestream);
    expect(idx.tiles.reduce((n, t) => n + t.parts.length, 0)).toBe(12);
    expect(idx.layers).toBe(12);
    expect(pltEntries(f.codestream, idx)).toBe(idx.packetCount);
    // A corrupted PLT entry is a typed mismatch, not a warning.
    const part = idx.tiles[0]?.parts[0];
    const plt = part?.markers.find((m) => m.marker === PLT);
    expect(plt).toBeDefined();
    const bad = f.codestream.slice();
    const at = (plt?.offset ?? 0) + 5;
    bad[at] = bad[at] === 0x7f ? 0x7e : ((bad[at] as number) & 0x80) | (((bad[at] as number) + 1) & 0x7f);
    expect(() => buildPacketIndex(bad)).toThrow(expect.objectContaining({ code: 'J2K_PLT_MISMATCH' }) as Error);
  });
});
