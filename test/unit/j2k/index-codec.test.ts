// Binary packet index: version 2 round trip and size, version 1 indexes (stored before version 2)
// still decode, inconsistent indexes are refused by the encoder with a typed error. Codestreams
// are the small copies in test/fixtures/corpus/j2k; the larger ones and the round trip of every
// corpus file are in index-codec-corpus.test.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MalformedError } from '../../../src/bytes';
import {
  buildPacketIndex,
  decodePacketIndex,
  encodePacketIndex,
  PACKET_INDEX_VERSION,
  type PacketIndex,
} from '../../../src/j2k';
import { loadCodestream } from './corpus-helper';

const FIXTURES = path.resolve(__dirname, '../../fixtures/j2k');

/** The index a version 1 stream describes: no coding segments were stored then. */
function asV1(idx: PacketIndex): PacketIndex {
  return {
    ...idx,
    version: 1,
    codingSegments: new Uint8Array(0),
    tiles: idx.tiles.map((t) => ({ ...t, parts: t.parts.map((p) => ({ ...p, codingSegments: new Uint8Array(0) })) })),
  };
}

describe('packet index binary form', () => {
  it('writes version 2', () => {
    expect(PACKET_INDEX_VERSION).toBe(2);
    expect(encodePacketIndex(buildPacketIndex(loadCodestream('c1_mono.j2c')))[4]).toBe(2);
  });

  it.each(['c1_mono.j2c', 'd1_colr.j2c', 'p1_06.j2k'])('decodes the version 1 index of %s (fixture)', (name) => {
    const v1 = new Uint8Array(fs.readFileSync(path.join(FIXTURES, `${name}.v1.j2pi`)));
    expect(v1[4]).toBe(1);
    const idx = buildPacketIndex(loadCodestream(name));
    expect(decodePacketIndex(v1)).toEqual(asV1(idx));
  });

  // Real-world frames (not conformance streams built to stress the coder): the stored index must
  // be under 2 % of the codestream (issue #3). Version 1 took 2.7 % and 3.4 % for the first two.
  it.each(['_00042.j2k', 'issue142.j2k', 'CT_Phillips_JPEG2K_Decompr_Problem.j2k', 'movie_00000.j2k', 'buxR.j2k'])(
    '%s: index under 2 % of the codestream',
    (name) => {
      const cs = loadCodestream(name);
      const enc = encodePacketIndex(buildPacketIndex(cs));
      expect(enc.length / cs.length).toBeLessThan(0.02);
    },
  );

  it('is at least 25 % smaller than version 1 on the fixture files', () => {
    for (const name of ['c1_mono.j2c', 'd1_colr.j2c', 'p1_06.j2k']) {
      const v1 = fs.statSync(path.join(FIXTURES, `${name}.v1.j2pi`)).size;
      expect(encodePacketIndex(buildPacketIndex(loadCodestream(name))).length).toBeLessThan(v1 * 0.75);
    }
  });

  describe('the encoder refuses an index that contradicts its coding segments', () => {
    const base = (): PacketIndex => buildPacketIndex(loadCodestream('c1_mono.j2c'));
    const code = (idx: PacketIndex): string | undefined => {
      try {
        encodePacketIndex(idx);
      } catch (e) {
        expect(e).toBeInstanceOf(MalformedError);
        return (e as MalformedError).code;
      }
      return undefined;
    };
    it('a packet missing in the middle of the progression', () => {
      const idx = base();
      idx.precincts[0]?.packets.splice(0, 1);
      expect(code(idx)).toBe('J2K_INDEX_LAYOUT');
    });
    it('a precinct with a wrong resolution', () => {
      const idx = base();
      const p = idx.precincts[1];
      if (p) p.resolution += 1;
      expect(code(idx)).toBe('J2K_INDEX_LAYOUT');
    });
    it('a packet count that does not add up', () => {
      const idx = base();
      idx.packetCount += 1;
      expect(code(idx)).toBe('J2K_INDEX_LAYOUT');
    });
    it('an unpacked packet whose body does not follow its header', () => {
      const idx = base();
      const k = idx.precincts[0]?.packets[0];
      if (k) k.bodyOffset += 1;
      expect(code(idx)).toBe('J2K_INDEX_LAYOUT');
    });
  });
});
