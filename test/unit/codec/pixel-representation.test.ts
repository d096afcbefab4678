// followPixelRepresentation: decoded samples read as the DICOM header says (PS3.3 C.7.6.3.1.1 Bits
// Stored, Pixel Representation) when the codestream's SIZ sign (15444-1 A.5.1 Ssiz) disagrees.
import { followPixelRepresentation, type DecodedImage } from '../../../src/codec';

function img(data: DecodedImage['data'], signed: boolean, bitsPerSample: number): DecodedImage {
  return { width: data.length, height: 1, components: 1, bitsPerSample, signed, data };
}

describe('followPixelRepresentation', () => {
  test('unsigned 13-bit codestream, header signed 13 bits: two’s complement from bit 12', () => {
    // 6192 = 0x1830 is -2000 in 13-bit two's complement; 4095 the largest positive; 8191 is -1.
    const out = followPixelRepresentation(img(Uint16Array.of(6192, 0, 40, 4095, 4096, 8191), false, 13), 13, 1);
    expect(out.signed).toBe(true);
    expect(out.data).toBeInstanceOf(Int16Array);
    expect(Array.from(out.data)).toEqual([-2000, 0, 40, 4095, -4096, -1]);
  });

  test('unsigned 16-bit codestream, header signed 16 bits (TOSHIBA): the same bits read as int16', () => {
    const out = followPixelRepresentation(img(Uint16Array.of(63488, 1969, 32768), false, 16), 16, 1);
    expect(Array.from(out.data)).toEqual([-2048, 1969, -32768]);
  });

  test('signed codestream, header unsigned: the low Bits Stored bits as unsigned', () => {
    const out = followPixelRepresentation(img(Int16Array.of(-1, 5), true, 12), 12, 0);
    expect(out.signed).toBe(false);
    expect(out.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(out.data)).toEqual([4095, 5]);
  });

  test('8-bit samples stay 8-bit', () => {
    const out = followPixelRepresentation(img(Uint8Array.of(255, 127, 128), false, 8), 8, 1);
    expect(out.data).toBeInstanceOf(Int8Array);
    expect(Array.from(out.data)).toEqual([-1, 127, -128]);
  });

  test('agreeing or out-of-range descriptions are returned unchanged', () => {
    const same = img(Int16Array.of(-5), true, 16);
    expect(followPixelRepresentation(same, 16, 1)).toBe(same);
    const odd = img(Uint16Array.of(5), false, 16);
    expect(followPixelRepresentation(odd, 0, 1)).toBe(odd);
  });
});
