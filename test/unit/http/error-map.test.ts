// error-map: the one status table, the STOW-RS status rule, and single-range parsing.
import { mapError, stowStatus } from '../../../src/http/error-map';
import { parseRange } from '../../../src/http/send';
import { MisdirectedRequestError, RangeNotSatisfiableError } from '../../../src/http/http-errors';
import {
  BadRequestError,
  ConflictError,
  NotAcceptableError,
  NotFoundError,
  UnavailableError,
  UnsupportedMediaTypeError,
} from '../../../src/errors';
import { LimitExceededError, MalformedError, TruncatedError, UnsupportedError } from '../../../src/bytes/errors';

describe('mapError', () => {
  it('maps every typed error to its status and keeps the code', () => {
    const cases: [unknown, number][] = [
      [new MalformedError('A', 'm'), 400],
      [new TruncatedError('A', 'm'), 400],
      [new UnsupportedError('A', 'm'), 400],
      [new LimitExceededError('A', 'm'), 413],
      [new NotFoundError('A', 'm'), 404],
      [new ConflictError('A', 'm'), 409],
      [new NotAcceptableError('A', 'm'), 406],
      [new UnsupportedMediaTypeError('A', 'm'), 415],
      [new BadRequestError('A', 'm'), 400],
      [new UnavailableError('A', 'm'), 503],
      [new RangeNotSatisfiableError('A', 'm', 10), 416],
      [new MisdirectedRequestError('A', 'm'), 421],
      [new Error('secret internals'), 500],
      ['a string', 500],
      [Object.assign(new Error('x'), { type: 'entity.too.large' }), 413],
    ];
    for (const [err, status] of cases) expect(mapError(err).status).toBe(status);
    expect(mapError(new UnsupportedError('U', 'm'), { unsupportedStatus: 501 }).status).toBe(501);
    expect(mapError(new NotFoundError('DICOMWEB_X', 'm')).code).toBe('DICOMWEB_X');
    expect(mapError(new Error('secret internals')).message).not.toContain('secret');
    expect(mapError(new RangeNotSatisfiableError('R', 'm', 10)).headers['Content-Range']).toBe('bytes */10');
  });
});

describe('stowStatus (PS3.18 Table 10.5.3-1)', () => {
  it('chooses 200/202/409', () => {
    expect(stowStatus({ stored: 2, failed: 0, warnings: 0 })).toBe(200);
    expect(stowStatus({ stored: 1, failed: 1, warnings: 0 })).toBe(202);
    expect(stowStatus({ stored: 1, failed: 0, warnings: 1 })).toBe(202);
    expect(stowStatus({ stored: 0, failed: 3, warnings: 0 })).toBe(409);
  });
});

describe('parseRange (RFC 9110 §14)', () => {
  it('parses one range, ignores what it may ignore, 416 when unsatisfiable', () => {
    expect(parseRange('bytes=0-9', undefined, 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', undefined, 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', undefined, 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-1000', undefined, 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=50-5000', undefined, 100)).toEqual({ start: 50, end: 99 });
    for (const ignored of [undefined, 'bytes=0-1,5-6', 'items=0-1', 'bytes=9-2', 'bytes=-', 'bytes=abc'])
      expect(parseRange(ignored, undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-9', '"etag"', 100)).toBeNull();
    expect(() => parseRange('bytes=100-', undefined, 100)).toThrow(RangeNotSatisfiableError);
    expect(() => parseRange('bytes=-0', undefined, 100)).toThrow(RangeNotSatisfiableError);
  });
});
