// Corruption of small conformance codestreams (copies in test/fixtures/corpus/j2k): only typed
// errors with stable codes (CONVENTIONS.md Tests). The truncation sweep over the whole corpus is
// in malformed-corpus.test.ts.
import { LimitExceededError, ParseError, TruncatedError } from '../../../src/bytes';
import {
  buildPacketIndex,
  decodePacketIndex,
  encodePacketIndex,
  findCodestream,
  parseMainHeader,
  rebuildCodestream,
} from '../../../src/j2k';
import { loadCodestream, loadFile } from './corpus-helper';
import { expectTyped } from './typed-helper';

/** Finds the first marker segment `marker` in the main header; returns the offset of its FFxx. */
function findMarker(cs: Uint8Array, marker: number): number {
  let pos = 2;
  while (pos + 4 <= cs.length) {
    const m = (cs[pos] as number) * 256 + (cs[pos + 1] as number);
    if (m === marker) return pos;
    pos += 2 + (cs[pos + 2] as number) * 256 + (cs[pos + 3] as number);
  }
  throw new Error(`marker ${marker.toString(16)} not found`);
}

describe('corruption', () => {
  const cs = loadCodestream('p0_01.j2k');
  const copy = (): Uint8Array => cs.slice();

  it('Lsiz too short / too long', () => {
    const siz = findMarker(cs, 0xff51);
    const a = copy();
    a[siz + 3] = (a[siz + 3] as number) - 1;
    expect(expectTyped(() => buildPacketIndex(a))?.code).toBe('J2K_SIZ_LENGTH');
    const b = copy();
    b[siz + 2] = 0xff;
    expect(expectTyped(() => buildPacketIndex(b))).toBeInstanceOf(TruncatedError);
  });

  it('Csiz over the cap is LimitExceededError before allocation', () => {
    expect(expectTyped(() => buildPacketIndex(cs, { limits: { maxComponents: 0 } }))?.code).toBe(
      'J2K_LIMIT_COMPONENTS',
    );
    expect(expectTyped(() => buildPacketIndex(cs, { limits: { maxPackets: 2 } }))).toBeInstanceOf(LimitExceededError);
    expect(expectTyped(() => buildPacketIndex(cs, { limits: { maxPrecincts: 1 } }))?.code).toBe('J2K_LIMIT_PRECINCTS');
  });

  it('Lcod inconsistent with Scod', () => {
    const cod = findMarker(cs, 0xff52);
    const a = copy();
    a[cod + 4] = (a[cod + 4] as number) | 1; // user precincts announced but not present
    expect(expectTyped(() => buildPacketIndex(a))).toBeInstanceOf(ParseError);
    const b = copy();
    b[cod + 5] = 7; // progression order 7
    expect(expectTyped(() => buildPacketIndex(b))?.code).toBe('J2K_COD_VALUE');
  });

  it('Psot past the end is TruncatedError, Psot too small is MalformedError', () => {
    const sot = parseMainHeader(cs).end;
    const a = copy();
    a[sot + 6] = 0x7f;
    expect(expectTyped(() => buildPacketIndex(a))?.code).toBe('J2K_TILE_PART_TRUNCATED');
    const b = copy();
    b.set([0, 0, 0, 13], sot + 6);
    expect(expectTyped(() => buildPacketIndex(b))?.code).toBe('J2K_SOT_PSOT');
  });

  it('SOT of a tile that does not exist', () => {
    const sot = parseMainHeader(cs).end;
    const a = copy();
    a[sot + 5] = 9;
    expect(expectTyped(() => buildPacketIndex(a))?.code).toBe('J2K_SOT_TILE');
  });

  it('PLT disagreeing with the packet headers is J2K_PLT_MISMATCH', () => {
    const plt = loadCodestream('issue142.j2k');
    const idx = buildPacketIndex(plt);
    const part = idx.tiles[0]?.parts[0];
    const m = part?.markers.find((x) => x.marker === 0xff58);
    expect(m).toBeDefined();
    const a = plt.slice();
    const first = (m?.offset ?? 0) + 5; // FF58 Lplt Zplt, then the first Iplt byte
    a[first] = ((a[first] as number) & 0x80) | (((a[first] as number) + 1) & 0x7f);
    expect(expectTyped(() => buildPacketIndex(a))?.code).toBe('J2K_PLT_MISMATCH');
  });

  it('not a codestream / JP2 without jp2c', () => {
    expect(expectTyped(() => findCodestream(new Uint8Array([1, 2, 3, 4])))?.code).toBe('J2K_NOT_JPEG2000');
    const jp2 = loadFile('tnsot_zero.jp2');
    const loc = findCodestream(jp2);
    const noBox = jp2.slice(0, loc.offset - 8);
    expect(expectTyped(() => findCodestream(noBox))?.code).toBe('J2K_NO_CODESTREAM_BOX');
  });

  it('random byte flips never escape as untyped errors, and the parser stays usable', () => {
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const name of ['p0_03.j2k', 'c1_mono.j2c', 'byte.jph', 'p1_04.j2k']) {
      const base = loadCodestream(name);
      for (let i = 0; i < 60; i++) {
        const a = base.slice();
        for (let k = 0; k < 3; k++) a[Math.floor(rnd() * a.length)] = Math.floor(rnd() * 256);
        expectTyped(() => buildPacketIndex(a));
      }
      expect(buildPacketIndex(base).packetCount).toBeGreaterThan(0);
    }
  });

  it('packet index decoder rejects damaged input with typed errors', () => {
    const enc = encodePacketIndex(buildPacketIndex(loadCodestream('d1_colr.j2c')));
    expect(expectTyped(() => decodePacketIndex(enc.subarray(0, 3)))).toBeInstanceOf(TruncatedError);
    const badMagic = enc.slice();
    badMagic[0] = 0;
    expect(expectTyped(() => decodePacketIndex(badMagic))?.code).toBe('J2K_INDEX_MAGIC');
    const badVersion = enc.slice();
    badVersion[4] = 99;
    expect(expectTyped(() => decodePacketIndex(badVersion))?.code).toBe('J2K_INDEX_VERSION');
    for (let i = 5; i < enc.length; i += Math.max(1, Math.floor(enc.length / 200))) {
      const a = enc.slice();
      a[i] = (a[i] as number) ^ 0x5a;
      expectTyped(() => decodePacketIndex(a));
      expectTyped(() => decodePacketIndex(enc.subarray(0, i)));
    }
  });

  it('rebuild rejects a main header bin that is not one', () => {
    expect(
      expectTyped(() =>
        rebuildCodestream({
          mainHeader: new Uint8Array([0xff, 0x4f, 0xff]),
          tileHeaders: new Map(),
          precincts: new Map(),
        }),
      ),
    ).toBeInstanceOf(TruncatedError);
  });
});
