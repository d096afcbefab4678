// QIDO-RS query string parsing (PS3.18 §8.3.4): keys, includefield, fuzzymatching, limit/offset, rejects.
import { parseQidoParams, MAX_QIDO_LIMIT } from '../../../src/http/qido-params';
import { FoveaError } from '../../../src/errors';

const p = (qs: string, level: 'study' | 'series' | 'instance' = 'study', scope = {}) =>
  parseQidoParams(new URLSearchParams(qs), level, scope);
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof FoveaError) return `${e.name}:${e.code}`;
    throw e;
  }
  return 'ok';
}

describe('parseQidoParams', () => {
  it('maps keywords and tags to matches with defaults', () => {
    expect(codeOf(() => p('modality=CT'))).toBe('BadRequestError:QIDO_UNKNOWN_ATTRIBUTE'); // keywords are case-sensitive
    const ok = p('PatientName=DOE%5EJ*&00080020=20200101-20201231&0020000d=1.2.3');
    expect(ok.query.matches).toEqual([
      { tag: '00100010', value: 'DOE^J*' },
      { tag: '00080020', value: '20200101-20201231' },
      { tag: '0020000D', value: '1.2.3' },
    ]);
    expect(ok.query).toMatchObject({ level: 'study', includeFields: [], fuzzyMatching: false, limit: 1000, offset: 0 });
    expect(ok.warnings).toEqual([]);
  });
  it('includefield: comma lists, repeats, keywords, tags, all; empty values are universal matches', () => {
    expect(p('includefield=PatientAge,00081030&includefield=StudyDescription&PatientSex=').query.includeFields).toEqual(
      ['00101010', '00081030', '00100040'],
    );
    expect(p('includefield=PatientAge&includefield=all').query.includeFields).toBe('all');
    expect(codeOf(() => p('includefield=PatientAge,,x'))).toBe('BadRequestError:QIDO_BAD_INCLUDEFIELD');
    expect(codeOf(() => p('includefield=NoSuchKeyword'))).toBe('BadRequestError:QIDO_UNKNOWN_ATTRIBUTE');
  });
  it('fuzzymatching, limit, offset are strict', () => {
    expect(p('fuzzymatching=true&limit=5&offset=10').query).toMatchObject({
      fuzzyMatching: true,
      limit: 5,
      offset: 10,
    });
    for (const bad of [
      'limit=abc',
      'limit=5x',
      'limit=-1',
      'limit=0',
      'limit=',
      'offset=1.5',
      'offset=',
      'limit=1e3',
      'limit=99999999999',
    ]) {
      expect(codeOf(() => p(bad))).toBe('BadRequestError:QIDO_BAD_NUMBER');
    }
    expect(codeOf(() => p('fuzzymatching=yes'))).toBe('BadRequestError:QIDO_BAD_FUZZYMATCHING');
    expect(codeOf(() => p('limit=1&limit=2'))).toBe('BadRequestError:QIDO_REPEATED_PARAMETER');
  });
  it('clamps an over-large limit with a warning', () => {
    const r = p(`limit=${MAX_QIDO_LIMIT + 1}`);
    expect(r.query.limit).toBe(MAX_QIDO_LIMIT);
    expect(r.warnings).toHaveLength(1);
  });
  it('repeated keys: joined for UIDs, rejected otherwise', () => {
    expect(p('SeriesInstanceUID=1.2&SeriesInstanceUID=1.3', 'series').query.matches).toEqual([
      { tag: '0020000E', value: '1.2,1.3' },
    ]);
    expect(codeOf(() => p('PatientID=a&PatientID=b'))).toBe('BadRequestError:QIDO_REPEATED_KEY');
    expect(codeOf(() => p('PatientID=a&00100020=b'))).toBe('BadRequestError:QIDO_REPEATED_KEY');
  });
  it('rejects unknown parameters, sequence paths and prototype keys', () => {
    expect(codeOf(() => p('_=123'))).toBe('BadRequestError:QIDO_UNKNOWN_ATTRIBUTE');
    expect(codeOf(() => p('__proto__=x'))).toBe('BadRequestError:QIDO_UNKNOWN_ATTRIBUTE');
    expect(codeOf(() => p('constructor=x'))).toBe('BadRequestError:QIDO_UNKNOWN_ATTRIBUTE');
    expect(codeOf(() => p('ReferencedSeriesSequence.SeriesInstanceUID=1.2'))).toBe(
      'BadRequestError:QIDO_SEQUENCE_PATH_UNSUPPORTED',
    );
  });
  it('carries the path scope', () => {
    expect(p('', 'instance', { studyInstanceUid: '1.2', seriesInstanceUid: '1.2.3' }).query).toMatchObject({
      level: 'instance',
      studyInstanceUid: '1.2',
      seriesInstanceUid: '1.2.3',
    });
  });
});
