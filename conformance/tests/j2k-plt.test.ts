// PLT ground truth for the packet index (issue #3 "Proof"; ISO/IEC 15444-1 A.7.3): OpenJPEG's
// opj_compress (libopenjp2-tools) encodes generated images with packet-length markers (-PLT) in
// all five progression orders, with precincts, tiles, tile-parts, several layers, SOP/EPH and
// code-block modes. buildPacketIndex checks every computed packet length against the PLT entries
// (a mismatch throws J2K_PLT_MISMATCH); the test also asserts that the number of packets equals
// the number of entries, that the lossless decode equals the generated image, and that codestreams
// rebuilt from the index's data-bins decode to exactly the original's pixels (all data, first
// layer, one resolution discarded).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCodecs, type Codecs } from '../../src/codec';
import { buildPacketIndex, type J2kWarning } from '../../src/j2k';
import { allBins, pltEntries, rebuild, sameSamples } from '../../test/unit/j2k/index-proof-helper';

const HAVE_OPJ = spawnSync('sh', ['-c', 'command -v opj_compress']).status === 0;
if (!HAVE_OPJ) console.warn('opj_compress (libopenjp2-tools) not installed: PLT ground-truth tests skipped');
const d = HAVE_OPJ ? describe : describe.skip;

interface Image {
  name: string;
  width: number;
  height: number;
  components: 1 | 3;
  bits: 8 | 16;
  /** Interleaved samples, as the codec returns them. */
  samples: Uint8Array | Uint16Array;
}

/** Deterministic content with edges, gradients and noise, so packets differ in length. */
function makeImage(name: string, width: number, height: number, components: 1 | 3, bits: 8 | 16): Image {
  const max = bits === 8 ? 255 : 65535;
  const samples =
    bits === 8 ? new Uint8Array(width * height * components) : new Uint16Array(width * height * components);
  let seed = width * 7919 + height * 104729 + components * 31 + bits;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < components; c++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const ring = Math.sin(Math.hypot(x - width / 3, y - height / 2) / (3 + c)) * 0.35 + 0.5;
        const block = ((x >> 4) + (y >> 3) + c) % 3 === 0 ? 0.2 : 0;
        const noise = (seed / 2 ** 31 - 0.5) * 0.08;
        samples[(y * width + x) * components + c] = Math.max(
          0,
          Math.min(max, Math.round((ring + block + noise) * max * 0.8)),
        );
      }
    }
  }
  return { name, width, height, components, bits, samples };
}

/** Binary PGM (P5) / PPM (P6); 16-bit samples big-endian (Netpbm). */
function writeNetpbm(file: string, img: Image): void {
  const header = Buffer.from(
    `${img.components === 1 ? 'P5' : 'P6'}\n${img.width} ${img.height}\n${img.bits === 8 ? 255 : 65535}\n`,
    'latin1',
  );
  const body = Buffer.alloc(img.samples.length * (img.bits / 8));
  img.samples.forEach((v, i) => (img.bits === 8 ? body.writeUInt8(v, i) : body.writeUInt16BE(v, 2 * i)));
  fs.writeFileSync(file, Buffer.concat([header, body]));
}

const IMAGES: Image[] = [
  makeImage('mono8', 157, 93, 1, 8),
  makeImage('rgb8', 203, 131, 3, 8),
  makeImage('mono16', 177, 119, 1, 16),
  makeImage('rgb16', 97, 61, 3, 16),
];
const ORDERS = ['LRCP', 'RLCP', 'RPCL', 'PCRL', 'CPRL'];
const MODES = [0, 1, 2, 4, 8, 16, 32, 63];

interface Case {
  label: string;
  image: Image;
  args: string[];
  layers: number;
}

/** Every image in every progression order; tiles, tile-parts, SOP/EPH and modes rotate over the cases. */
function cases(): Case[] {
  const out: Case[] = [];
  let i = 0;
  for (const image of IMAGES) {
    for (const p of ORDERS) {
      const args = ['-p', p, '-c', '[128,128],[64,64],[32,32]', '-r', '40,10,1', '-n', '4', '-PLT'];
      const extra: string[] = [];
      if (i % 2 === 0) extra.push('-t', `${Math.ceil(image.width / 2) + 3},${Math.ceil(image.height / 2) - 1}`);
      if (i % 3 !== 1) extra.push('-SOP', '-EPH');
      if (i % 4 === 1) extra.push('-TP', 'R');
      const mode = MODES[i % MODES.length] as number;
      if (mode !== 0) extra.push('-M', String(mode));
      out.push({ label: `${image.name} ${p} ${extra.join(' ')}`.trim(), image, args: [...args, ...extra], layers: 3 });
      i++;
    }
  }
  // All code-block modes at once, in every order, with SOP/EPH and tiles.
  for (const p of ORDERS) {
    out.push({
      label: `mono8 ${p} -M 63 -SOP -EPH tiles`,
      image: IMAGES[0] as Image,
      args: ['-p', p, '-c', '[64,64]', '-r', '20,5,2,1', '-n', '3', '-t', '64,64', '-M', '63', '-SOP', '-EPH', '-PLT'],
      layers: 4,
    });
  }
  return out;
}

d('PLT ground truth: opj_compress -PLT codestreams', () => {
  let dir: string;
  let codecs: Codecs;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-plt-'));
    for (const img of IMAGES) writeNetpbm(path.join(dir, `${img.name}.${img.components === 1 ? 'pgm' : 'ppm'}`), img);
    codecs = await loadCodecs();
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(cases().map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const input = path.join(dir, `${c.image.name}.${c.image.components === 1 ? 'pgm' : 'ppm'}`);
    const output = path.join(dir, `${c.label.replace(/[^A-Za-z0-9]+/g, '_')}.j2k`);
    const run = spawnSync('opj_compress', ['-i', input, '-o', output, ...c.args], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`opj_compress ${c.args.join(' ')} failed: ${run.stdout}${run.stderr}`);
    const cs = new Uint8Array(fs.readFileSync(output));
    const warnings: J2kWarning[] = [];
    const idx = buildPacketIndex(cs, { onWarning: (w) => warnings.push(w) }); // throws J2K_PLT_MISMATCH on any difference
    expect(warnings).toEqual([]);
    expect(idx.layers).toBe(c.layers);
    const entries = pltEntries(cs, idx);
    expect(entries).toBeGreaterThan(0);
    expect(idx.packetCount).toBe(entries);
    // Lossless last layer: the decode is the generated image.
    const full = codecs.decodeJ2k(cs);
    expect([full.width, full.height, full.components, full.bitsPerSample]).toEqual([
      c.image.width,
      c.image.height,
      c.image.components,
      c.image.bits,
    ]);
    expect(sameSamples(full.data, c.image.samples)).toBe(true);
    const bins = allBins(cs, idx);
    for (const [reduce, layers] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 2],
    ] as const) {
      const opts = layers > 0 ? { reduce, layers } : { reduce };
      const ref = reduce === 0 && layers === 0 ? full : codecs.decodeJ2k(cs, opts);
      const got = codecs.decodeJ2k(rebuild(bins, reduce, layers), opts);
      expect([got.width, got.height]).toEqual([ref.width, ref.height]);
      expect(sameSamples(got.data, ref.data)).toBe(true);
    }
  });

  it('a PLT entry changed by one is a J2K_PLT_MISMATCH error', () => {
    const input = path.join(dir, 'mono8.pgm');
    const output = path.join(dir, 'mismatch.j2k');
    expect(
      spawnSync('opj_compress', ['-i', input, '-o', output, '-p', 'RPCL', '-c', '[64,64]', '-r', '10,1', '-PLT'])
        .status,
    ).toBe(0);
    const cs = new Uint8Array(fs.readFileSync(output));
    const idx = buildPacketIndex(cs);
    const plt = idx.tiles[0]?.parts[0]?.markers.find((m) => m.marker === 0xff58);
    if (plt === undefined) throw new Error('no PLT written');
    const bad = cs.slice();
    const at = plt.offset + 5;
    bad[at] = ((bad[at] as number) & 0x80) | (((bad[at] as number) & 0x7f) ^ 1);
    expect(() => buildPacketIndex(bad)).toThrow(expect.objectContaining({ code: 'J2K_PLT_MISMATCH' }) as Error);
  });
});
