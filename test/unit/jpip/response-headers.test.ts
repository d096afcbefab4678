import {
  formatRanges,
  parseJpipQuery,
  resolveComponents,
  resolveStreams,
  resolveViewWindow,
  responseHeaders,
  type ImageGeometry,
} from '../../../src/jpip';

const g: ImageGeometry = {
  Xsiz: 1000,
  Ysiz: 800,
  XOsiz: 0,
  YOsiz: 0,
  XTsiz: 1000,
  YTsiz: 800,
  XTOsiz: 0,
  YTOsiz: 0,
  components: [
    { XRsiz: 1, YRsiz: 1 },
    { XRsiz: 1, YRsiz: 1 },
    { XRsiz: 1, YRsiz: 1 },
  ],
  coding: [0, 1, 2].map(() => ({ levels: 5, precincts: [], transform: '5-3' as const, layers: 3 })),
};

describe('response headers (15444-9 D.2) and DICOM streams (PS3.5 8.4.1)', () => {
  it('formats ranges', () => {
    expect(formatRanges([4, 0, 1, 2, 7, 8])).toBe('0-2,4,7-8');
    expect(formatRanges([5])).toBe('5');
  });

  it('stream numbering from 1; omitted stream = frame 1', () => {
    expect(resolveStreams(undefined, 10)).toEqual({ streams: [1], changed: true });
    expect(resolveStreams(parseJpipQuery('stream=2-4').stream, 10)).toEqual({ streams: [2, 3, 4], changed: false });
    expect(resolveStreams(parseJpipQuery('stream=0-12:3').stream, 10)).toEqual({ streams: [3, 6, 9], changed: true });
    expect(resolveStreams(parseJpipQuery('stream=8-').stream, 10)).toEqual({ streams: [8, 9, 10], changed: true });
    expect(() => resolveStreams(parseJpipQuery('stream=0').stream, 10)).toThrow(
      expect.objectContaining({ code: 'JPIP_NO_STREAM' }),
    );
    expect(resolveComponents(parseJpipQuery('comps=1-5').comps, 3)).toEqual({ components: [1, 2], changed: true });
    expect(() => resolveComponents(parseJpipQuery('comps=7').comps, 3)).toThrow(
      expect.objectContaining({ code: 'JPIP_NO_COMPONENT' }),
    );
  });

  it('reports exactly the modified fields', () => {
    const req = parseJpipQuery(
      'target=x&tid=0&cnew=http&qid=9&fsiz=600,600&roff=100,100&rsiz=200,200&layers=9&quality=40&stream=1-3',
    );
    const view = resolveViewWindow(g, req);
    const h = responseHeaders(req, {
      tid: 'T1',
      newChannel: { cid: 'C1', path: 'jpip', transport: 'http' },
      view,
      layers: 3,
      streams: [1, 2],
      streamsChanged: true,
      components: [0, 1, 2],
      componentsChanged: false,
    });
    expect(h).toEqual({
      'JPIP-tid': 'T1',
      'JPIP-cnew': 'cid=C1,path=jpip,transport=http',
      'JPIP-qid': '9',
      'JPIP-fsiz': '500,400',
      'JPIP-roff': '83,66',
      'JPIP-rsiz': '167,134',
      'JPIP-stream': '1-2',
      'JPIP-layers': '3',
      'JPIP-quality': '-1',
    });
  });

  it('sends nothing for an unmodified request with a matching tid', () => {
    const req = parseJpipQuery('tid=T1&cid=C1&fsiz=1000,800&roff=0,0&rsiz=10,10&layers=3&stream=1');
    const h = responseHeaders(req, {
      tid: 'T1',
      view: resolveViewWindow(g, req),
      layers: 3,
      streams: [1],
      streamsChanged: false,
    });
    expect(h).toEqual({});
    expect(responseHeaders(req, { tid: 'T2' })).toEqual({ 'JPIP-tid': 'T2' });
    expect(responseHeaders(req, { tid: 'T1', suggestedLen: 2000, refusedPrefs: ['mbw:1M/r'] })).toEqual({
      'JPIP-len': '2000',
      'JPIP-pref': 'mbw:1M/r',
    });
  });
});
