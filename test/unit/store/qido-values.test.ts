// qido-values / dicom-json-values: value parsing per match kind (PS3.4 C.2.2.2), padding of
// partial TM/DT bounds, PN normalisation; any input gives a Condition or a BadRequestError.

import fc from 'fast-check';
import { BadRequestError } from '../../../src/errors';
import { normalisePersonName, padDateTime, padTime, personNameWords } from '../../../src/store/dicom-json-values';
import { parseCondition } from '../../../src/store/qido-values';
import { toGlob } from '../../../src/store/sqlite-qido';
import type { MatchKind } from '../../../src/store/qido-attributes';

describe('value parsing', () => {
  test('partial times and datetimes cover their whole span', () => {
    expect(padTime('10', 'low')).toBe('100000.000000');
    expect(padTime('10', 'high')).toBe('105959.999999');
    expect(padTime('1015', 'high')).toBe('101559.999999');
    expect(padTime('101500.5', 'high')).toBe('101500.500000');
    expect(padTime('10:15', 'low')).toBe('101500.000000');
    expect(padTime('1x', 'low')).toBeNull();
    expect(padDateTime('2020', 'low')).toBe('20200101000000.000000');
    expect(padDateTime('202002', 'high')).toBe('20200231235959.999999');
    expect(padDateTime('20200115101530.5+0100', 'low')).toBe('20200115101530.500000');
  });

  test('conditions per kind', () => {
    expect(parseCondition('date', '20200101-', 'x', false)).toEqual({ type: 'range', lower: '20200101', upper: null });
    expect(parseCondition('date', '-', 'x', false)).toEqual({ type: 'universal' });
    expect(parseCondition('time', '10', 'x', false)).toEqual({
      type: 'range',
      lower: '100000.000000',
      upper: '105959.999999',
    });
    expect(parseCondition('datetime', '20200101-0500', 'x', false)).toEqual({
      type: 'range',
      lower: '20200101000000.000000',
      upper: '20200101235959.999999',
    });
    expect(parseCondition('uid', '1.2, 1.3', 'x', false)).toEqual({ type: 'equals', values: ['1.2', '1.3'] });
    expect(parseCondition('int', '7,8', 'x', false)).toEqual({ type: 'equalsInt', values: [7, 8] });
    expect(parseCondition('code', 'CT,MR', 'x', false)).toEqual({ type: 'equals', values: ['CT', 'MR'] });
    expect(parseCondition('pn', 'Müller^Jürgen^^', 'x', false)).toEqual({ type: 'equals', values: ['MULLER^JURGEN'] });
    expect(parseCondition('pn', 'de la*', 'x', true)).toEqual({ type: 'words', words: ['DE', 'LA*'] });
    expect(parseCondition('text', '***', 'x', false)).toEqual({ type: 'universal' });
    expect(parseCondition('json', 'a,b', 'x', false)).toEqual({ type: 'equals', values: ['a,b'] });
    expect(() => parseCondition('code', 'C*,MR', 'x', false)).toThrow(BadRequestError);
    expect(() => parseCondition('uid', '1.2,,1.3', 'x', false)).toThrow(BadRequestError);
  });

  test('PN normalisation and words', () => {
    expect(normalisePersonName('  doe ^ john  = ドウ^ジョン')).toBe('DOE^JOHN');
    expect(personNameWords('VAN DER BERG^ANNA')).toBe(' VAN DER BERG ANNA ');
    expect(personNameWords('')).toBe('');
  });

  test('GLOB translation escapes the only extra metacharacter', () => {
    expect(toGlob('a[b]*?')).toBe('a[[]b]*?');
  });

  test('property: any value of any kind yields a condition or a BadRequestError', () => {
    const kinds: (MatchKind | 'json')[] = [
      'text',
      'code',
      'pn',
      'date',
      'time',
      'datetime',
      'uid',
      'int',
      'modalities',
      'availability',
      'sequence',
      'json',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.string({ maxLength: 40 }), fc.boolean(), (kind, value, fuzzy) => {
        try {
          const c = parseCondition(kind, value, '00100010', fuzzy);
          expect(typeof c.type).toBe('string');
        } catch (err) {
          expect(err).toBeInstanceOf(BadRequestError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
