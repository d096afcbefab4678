// Identifier → QidoQuery mapping (PS3.4 C.4.1.1.3, C.2.2.2) and match → response Identifier.

import { identifierToQuery, matchToIdentifier, naturalizeJson } from '../../../src/dimse/identifier';

describe('identifierToQuery', () => {
  test('keys with values are matching keys, empty keys are return keys; all are include fields', () => {
    const m = identifierToQuery(
      {
        QueryRetrieveLevel: 'STUDY',
        PatientName: [{ Alphabetic: 'DOE^J*' }],
        StudyDate: '20200101-20201231 ',
        StudyInstanceUID: '',
        ModalitiesInStudy: ['CT', 'MR'],
        NumberOfStudyRelatedInstances: null,
      },
      { limit: 100 },
    );
    expect(m.level).toBe('STUDY');
    expect(m.query.level).toBe('study');
    expect(m.query.matches).toEqual([
      { tag: '00100010', value: 'DOE^J*' },
      { tag: '00080020', value: '20200101-20201231' },
      { tag: '00080061', value: 'CT,MR' },
    ]);
    expect(m.requestedTags).toEqual(['00100010', '00080020', '0020000D', '00080061', '00201208']);
    expect(m.query.includeFields).toEqual(m.requestedTags);
    expect(m.query.limit).toBe(100);
    expect(m.query.fuzzyMatching).toBe(false);
  });

  test('a single higher-level unique key scopes SERIES and IMAGE queries; a UID list stays a match', () => {
    const series = identifierToQuery(
      { QueryRetrieveLevel: 'SERIES', StudyInstanceUID: '1.2.3', SeriesInstanceUID: '' },
      { limit: 10 },
    );
    expect(series.query).toMatchObject({ level: 'series', studyInstanceUid: '1.2.3', matches: [] });
    const image = identifierToQuery(
      {
        QueryRetrieveLevel: 'IMAGE',
        StudyInstanceUID: '1.2.3',
        SeriesInstanceUID: '1.2.3.4',
        SOPInstanceUID: ['1.5', '1.6'],
      },
      { limit: 10 },
    );
    expect(image.query).toMatchObject({
      level: 'instance',
      studyInstanceUid: '1.2.3',
      seriesInstanceUid: '1.2.3.4',
      matches: [{ tag: '00080018', value: '1.5,1.6' }],
    });
    const study = identifierToQuery({ QueryRetrieveLevel: 'STUDY', StudyInstanceUID: ['1.2', '1.3'] }, { limit: 10 });
    expect(study.query.studyInstanceUid).toBeUndefined();
    expect(study.query.matches).toEqual([{ tag: '0020000D', value: '1.2,1.3' }]);
  });

  test('universal match "*" is a return key; sequences and unknown keywords are ignored for matching', () => {
    const m = identifierToQuery(
      {
        QueryRetrieveLevel: 'STUDY',
        PatientID: '*',
        ProcedureCodeSequence: [{ CodeValue: 'X' }],
        NotAKeyword: 'x',
        SpecificCharacterSet: 'ISO_IR 100',
      },
      { limit: 1 },
    );
    expect(m.query.matches).toEqual([]);
    expect(m.requestedTags).toEqual(['00100020', '00081032']);
    expect(m.ignored).toEqual(['ProcedureCodeSequence', 'NotAKeyword']);
  });

  test('level is required; PATIENT level is not supported (typed errors)', () => {
    expect(() => identifierToQuery({ PatientID: 'x' }, { limit: 1 })).toThrow(
      expect.objectContaining({ code: 'DIMSE_BAD_LEVEL' }),
    );
    expect(() => identifierToQuery({ QueryRetrieveLevel: 'PATIENT' }, { limit: 1 })).toThrow(
      expect.objectContaining({ code: 'DIMSE_LEVEL_UNSUPPORTED' }),
    );
    expect(() => identifierToQuery({ QueryRetrieveLevel: 7 }, { limit: 1 })).toThrow(
      expect.objectContaining({ code: 'DIMSE_BAD_LEVEL' }),
    );
  });

  test('a __proto__ key from the identifier does not reach the query', () => {
    const identifier = JSON.parse('{"QueryRetrieveLevel":"STUDY","__proto__":{"polluted":true}}') as Record<
      string,
      unknown
    >;
    const m = identifierToQuery(identifier, { limit: 1 });
    expect(m.query.matches).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('matchToIdentifier', () => {
  const match = {
    '00080005': { vr: 'CS', Value: ['ISO_IR 100'] },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DOE^JOHN' }] },
    '0020000D': { vr: 'UI', Value: ['1.2.3'] },
    '00080020': { vr: 'DA', Value: ['20200101'] },
    '00201208': { vr: 'IS', Value: [4] },
    '00080061': { vr: 'CS', Value: ['CT', 'MR'] },
  };

  test('returns exactly the requested keys, empty when the object has no value, plus level and charset', () => {
    const out = matchToIdentifier(match, ['00100010', '0020000D', '00081030', '00201208', '00080061'], 'STUDY');
    expect({ ...out }).toEqual({
      SpecificCharacterSet: 'ISO_IR 100',
      QueryRetrieveLevel: 'STUDY',
      PatientName: [{ Alphabetic: 'DOE^JOHN' }],
      StudyInstanceUID: '1.2.3',
      StudyDescription: null,
      NumberOfStudyRelatedInstances: 4,
      ModalitiesInStudy: ['CT', 'MR'],
    });
    expect(out['StudyDate']).toBeUndefined();
  });

  test('naturalizeJson drops bulk data and tags without keyword, recurses into sequences', () => {
    const n = naturalizeJson({
      '00081032': { vr: 'SQ', Value: [{ '00080100': { vr: 'SH', Value: ['X1'] } }] },
      '00091001': { vr: 'LO', Value: ['private'] },
      '7FE00010': { vr: 'OB', BulkDataURI: 'bulkdata/7FE00010' },
    });
    expect({ ...n }).toEqual({ ProcedureCodeSequence: [{ CodeValue: 'X1' }] });
  });
});
