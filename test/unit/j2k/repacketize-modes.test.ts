// Precinct re-partitioning across coding modes made with the native OpenJPEG encoder
// (opj_compress): progressions (B.12), POC, tiles, tile-parts, SOP/EPH (A.8), BYPASS/TERMALL
// code-block styles (D.4 segment rules), 32x32 code-blocks, existing precincts. Each result must
// decode (opj_decompress) to the samples of the input; re-partitioning to the codestream's own
// sizes must give byte-identical packet bodies. Conformance and corpus codestreams follow (small
// copies in test/fixtures/corpus/j2k; the larger ones are in repacketize-modes-corpus.test.ts).

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildPacketIndex, parseMainHeader, repartitionPrecincts, type PrecinctSize } from '../../../src/j2k';
import { loadCodestream } from './corpus-helper';
import {
  expectIdenticalBodies,
  expectRepartitionsLosslessly,
  opjDecompress,
  ownSizes,
  withTempDir,
  writePgm,
} from './repacketize-helper';

const W = 700;
const H = 501;

function opjCompress(args: string[], ppm = false): Uint8Array {
  return withTempDir((dir) => {
    const input = path.join(dir, ppm ? 'in.ppm' : 'in.pgm');
    const output = path.join(dir, 'out.j2k');
    if (ppm) {
      const head = Buffer.from(`P6\n${W} ${H}\n255\n`, 'latin1');
      const body = Buffer.alloc(W * H * 3);
      for (let i = 0; i < body.length; i++) body[i] = (i * 7 + ((i * 2654435761) >>> 24)) & 0xff;
      writeFileSync(input, Buffer.concat([head, body]));
    } else {
      writePgm(input, W, H, 4095, (x, y) => ((x * 5 + y * 3) % 3000) + (((x * 31 + y * 17) * 2654435761) >>> 28) * 40);
    }
    execFileSync('opj_compress', ['-i', input, '-o', output, ...args], { stdio: 'pipe' });
    return new Uint8Array(readFileSync(output));
  });
}

/** 128x128 wherever that keeps the code-blocks; the codestream's own sizes where it would not. */
function towards128(cs: Uint8Array): PrecinctSize[] {
  const cod = parseMainHeader(cs).cod;
  return ownSizes(cs).map((p, r) => {
    const keep = Math.min(cod.xcb, r === 0 ? p.PPx : p.PPx - 1) < Math.min(cod.xcb, r === 0 ? 7 : 6);
    return keep ? p : { PPx: 7, PPy: 7 };
  });
}

const MODES: Array<[string, string[], boolean?]> = [
  ['RPCL 5 levels 3 layers', ['-p', 'RPCL', '-n', '5', '-r', '20,5,1']],
  ['LRCP 3 layers SOP EPH', ['-p', 'LRCP', '-r', '30,8,1', '-SOP', '-EPH']],
  ['RLCP', ['-p', 'RLCP', '-r', '10,1']],
  ['PCRL', ['-p', 'PCRL', '-r', '10,1']],
  ['CPRL RGB', ['-p', 'CPRL', '-r', '10,1'], true],
  ['BYPASS', ['-M', '1', '-r', '15,4,1']],
  ['TERMALL', ['-M', '4', '-r', '15,4,1']],
  ['BYPASS+TERMALL+RESET+VSC', ['-M', '15', '-r', '15,4,1']],
  ['all code-block style bits', ['-M', '63', '-r', '15,1']],
  ['tiles 256x256', ['-t', '256,256', '-p', 'RPCL', '-r', '10,1']],
  ['tile-parts per resolution', ['-TP', 'R', '-p', 'RPCL', '-r', '10,1']],
  ['32x32 code-blocks', ['-b', '32,32', '-p', 'RPCL']],
  ['existing precincts 256,128', ['-c', '[256,256],[128,128]', '-p', 'RPCL', '-r', '10,2,1']],
  ['POC', ['-POC', 'T0=0,0,2,3,1,RLCP/T0=3,0,2,6,1,LRCP', '-r', '10,1']],
  ['irreversible 9/7', ['-I', '-r', '20,5']],
];

describe.each(MODES)('opj_compress %s', (_name, args, ppm) => {
  const original = opjCompress(args, ppm === true);

  test('128x128 precincts decode to the same samples', () => {
    const out = repartitionPrecincts(original, { precincts: towards128(original) });
    expect(parseMainHeader(out).cod.PPx.filter((p) => p === 7).length).toBeGreaterThan(0);
    expect(buildPacketIndex(out).precincts.length).toBeGreaterThan(buildPacketIndex(original).precincts.length);
    withTempDir((dir) =>
      expect(opjDecompress(dir, 'out', out).equals(opjDecompress(dir, 'orig', original))).toBe(true),
    );
  });

  test('own sizes: packet bodies byte-identical, and re-partitioning is idempotent', () => {
    const own = repartitionPrecincts(original, { precincts: ownSizes(original) });
    expectIdenticalBodies(original, own);
    const p7 = repartitionPrecincts(original, { precincts: towards128(original) });
    expect(Buffer.from(repartitionPrecincts(p7, { precincts: ownSizes(p7) })).equals(Buffer.from(p7))).toBe(true);
    // and back: 128 -> original sizes gives the original packet bodies again
    expectIdenticalBodies(original, repartitionPrecincts(p7, { precincts: ownSizes(original) }));
  });
});

describe('conformance and corpus codestreams', () => {
  // Subsampled ones are compared with opj_decompress: the WASM wrapper returns uninitialised
  // samples for subsampled components (two decodes of the same input differ).
  test.each([
    ['p0_03.j2k', 7],
    ['p0_10.j2k', 7],
    ['p0_12.j2k', 7],
    ['p0_13.j2k', 7],
    ['p1_01.j2k', 7],
    ['p1_04.j2k', 7],
    ['a4_colr.j2c', 7],
    ['b2_mono.j2c', 7],
    ['issue142.j2k', 7],
    ['_00042.j2k', 8],
    ['byte_causal.jhc', 7],
    ['issue726.j2k', 0],
    ['d2_colr.j2c', 0],
    ['e2_colr.j2c', 0],
  ])('%s (PP %i, 0 = own sizes)', (name, pp) => {
    expectRepartitionsLosslessly(loadCodestream(name), pp);
  });
});
