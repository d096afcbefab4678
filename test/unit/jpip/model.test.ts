import { parseModel, parseTpModel } from '../../../src/jpip';

describe('model / need / tpmodel syntax (15444-9 C.9)', () => {
  it('parses explicit, implicit, subtractive and qualified statements', () => {
    const s = parseModel('model', 'Hm,[1;3-5:2],H*,-P12:40,t1-2c0r*:L3,M0');
    expect(s).toEqual([
      { streams: null, subtractive: false, bin: { kind: 'main-header' }, limit: { kind: 'whole' } },
      {
        streams: [
          { from: 1, to: 1, step: 1 },
          { from: 3, to: 5, step: 2 },
        ],
        subtractive: false,
        bin: { kind: 'tile-header', id: '*' },
        limit: { kind: 'whole' },
      },
      {
        streams: [
          { from: 1, to: 1, step: 1 },
          { from: 3, to: 5, step: 2 },
        ],
        subtractive: true,
        bin: { kind: 'precinct', id: 12 },
        limit: { kind: 'bytes', bytes: 40 },
      },
      {
        streams: [
          { from: 1, to: 1, step: 1 },
          { from: 3, to: 5, step: 2 },
        ],
        subtractive: false,
        bin: {
          kind: 'implicit',
          tiles: { from: 1, to: 2 },
          components: { from: 0, to: 0 },
          resolutions: '*',
          positions: '*',
        },
        limit: { kind: 'layers', layers: 3 },
      },
      {
        streams: [
          { from: 1, to: 1, step: 1 },
          { from: 3, to: 5, step: 2 },
        ],
        subtractive: false,
        bin: { kind: 'metadata', id: 0 },
        limit: { kind: 'whole' },
      },
    ]);
    expect(parseModel('model', '[2]Hm')[0]?.streams).toEqual([{ from: 2, to: 2, step: 1 }]);
  });

  it.each(['Hp3', 'H', 'P1:', 'M1:L2', 't1t2', 'x', '-', '[]', 'P1,,P2', 't1:40'])('refuses %s', (v) => {
    expect(() => parseModel('model', v)).toThrow(expect.objectContaining({ code: 'JPIP_BAD_MODEL' }));
  });

  it('tpmodel ranges', () => {
    expect(parseTpModel('tpmodel', '[1],0.0-2.3,-4.1')).toEqual([
      {
        streams: [{ from: 1, to: 1, step: 1 }],
        subtractive: false,
        from: { tile: 0, part: 0 },
        to: { tile: 2, part: 3 },
      },
      {
        streams: [{ from: 1, to: 1, step: 1 }],
        subtractive: true,
        from: { tile: 4, part: 1 },
        to: { tile: 4, part: 1 },
      },
    ]);
    expect(() => parseTpModel('tpmodel', '2.0-1.0')).toThrow(expect.objectContaining({ code: 'JPIP_BAD_TPMODEL' }));
    expect(() => parseTpModel('tpneed', '-1.0')).toThrow(expect.objectContaining({ code: 'JPIP_BAD_TPNEED' }));
  });
});
