// Accept parsing and PS3.18 §8.7 negotiation for instances, frames, bulk data and metadata.
import { parseAccept, negotiate, negotiateBulkdata, negotiateMetadata, rangeMatches } from '../../../src/http/accept';
import { parseMediaType } from '../../../src/http/media-type';
import { FoveaError } from '../../../src/errors';

const EVRLE = '1.2.840.10008.1.2.1';
const J2KL = '1.2.840.10008.1.2.4.90';
const J2K = '1.2.840.10008.1.2.4.91';
const HTJ = '1.2.840.10008.1.2.4.201';
const JPIP = '1.2.840.10008.1.2.4.94';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof FoveaError) return `${e.name}:${e.code}`;
    throw e;
  }
  return 'ok';
}

describe('parseAccept', () => {
  it('parses q-values, quoted parameters and orders by q then position', () => {
    const r = parseAccept(
      'image/jp2;q=0.5, multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.4.90, */*;q=0.1',
    );
    expect(r.map((x) => `${x.type}/${x.subtype}:${x.q}`)).toEqual(['multipart/related:1', 'image/jp2:0.5', '*/*:0.1']);
    expect(r[0]?.params.get('type')).toBe('application/dicom');
    expect(r[0]?.params.get('transfer-syntax')).toBe(J2KL);
    expect(r[0]?.params.has('q')).toBe(false);
  });
  it('treats absent/blank as */*', () => {
    expect(parseAccept(undefined)).toEqual([{ type: '*', subtype: '*', params: new Map(), q: 1 }]);
    expect(parseAccept('  ')[0]?.type).toBe('*');
    expect(parseAccept(' , ')[0]?.type).toBe('*');
  });
  it('keeps commas inside quoted strings', () => {
    const r = parseAccept('multipart/related; type="a/b, c"; x=1, text/plain');
    expect(r).toHaveLength(2);
    expect(r[0]?.params.get('type')).toBe('a/b, c');
  });
  it('rejects malformed headers with MalformedError codes', () => {
    expect(codeOf(() => parseAccept('image/jp2;q=2'))).toBe('MalformedError:HTTP_ACCEPT_BAD_Q');
    expect(codeOf(() => parseAccept('image/jp2;q=0.1234'))).toBe('MalformedError:HTTP_ACCEPT_BAD_Q');
    expect(codeOf(() => parseAccept('*/jp2'))).toBe('MalformedError:HTTP_ACCEPT_BAD_RANGE');
    expect(codeOf(() => parseAccept('garbage'))).toBe('MalformedError:HTTP_MEDIA_TYPE_SYNTAX');
    expect(codeOf(() => parseAccept('multipart/related; type="application/dicom'))).toBe(
      'MalformedError:HTTP_MEDIA_TYPE_UNTERMINATED_QUOTE',
    );
    expect(codeOf(() => parseAccept('a/b; x=1; x=2'))).toBe('MalformedError:HTTP_MEDIA_TYPE_DUPLICATE_PARAMETER');
  });
  it('does not let parameter names touch prototypes', () => {
    const m = parseMediaType('a/b; __proto__=x; constructor=y');
    expect(m.params.get('__proto__')).toBe('x');
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
  it('matches wildcards', () => {
    expect(rangeMatches('*/*', 'image/jp2')).toBe(true);
    expect(rangeMatches('image/*', 'image/jp2')).toBe(true);
    expect(rangeMatches('image/*', 'application/dicom')).toBe(false);
  });
});

describe('negotiate instances', () => {
  const stored = [J2KL, EVRLE, JPIP];
  const n = (accept: string | undefined, available = stored) => negotiate('instances', parseAccept(accept), available);
  it('uses Explicit VR LE by default (PS3.18 §8.7.3.5.2)', () => {
    expect(n(undefined)).toEqual({
      multipart: true,
      mediaType: 'application/dicom',
      transferSyntaxUid: EVRLE,
      anySyntax: false,
    });
    expect(n('multipart/related; type="application/dicom"').transferSyntaxUid).toBe(EVRLE);
  });
  it('transfer-syntax=* means as stored; explicit UIDs incl. JPIP are honoured', () => {
    expect(n('multipart/related; type="application/dicom"; transfer-syntax=*').transferSyntaxUid).toBe(J2KL);
    expect(n(`multipart/related; type="application/dicom"; transfer-syntax=${JPIP}`).transferSyntaxUid).toBe(JPIP);
    expect(n(`multipart/related; type=application/dicom; transfer-syntax="${J2KL}"`).transferSyntaxUid).toBe(J2KL);
  });
  it('falls back to the stored syntax when the default cannot be produced (lossy exception)', () => {
    expect(n('multipart/related; type="application/dicom"', [J2K]).transferSyntaxUid).toBe(J2K);
  });
  it('tries ranges by q and skips unsupported ones', () => {
    expect(
      n(
        `multipart/related; type="application/dicom+xml", multipart/related; type="application/dicom"; transfer-syntax=${HTJ}; q=0.9, multipart/related; type="application/dicom"; transfer-syntax=*; q=0.5`,
      ).transferSyntaxUid,
    ).toBe(J2KL);
  });
  it('406 when nothing fits', () => {
    expect(codeOf(() => n(`multipart/related; type="application/dicom"; transfer-syntax=${HTJ}`))).toBe(
      'NotAcceptableError:HTTP_NOT_ACCEPTABLE',
    );
    expect(codeOf(() => n('application/dicom'))).toBe('NotAcceptableError:HTTP_NOT_ACCEPTABLE');
    expect(codeOf(() => n('image/jpeg'))).toBe('NotAcceptableError:HTTP_NOT_ACCEPTABLE');
    expect(codeOf(() => n('multipart/related; type="application/dicom"; transfer-syntax=*; q=0'))).toBe(
      'NotAcceptableError:HTTP_NOT_ACCEPTABLE',
    );
  });
});

describe('negotiate frames', () => {
  const avail = [J2KL, EVRLE];
  const n = (accept: string | undefined, available = avail, single = false) =>
    negotiate('frames', parseAccept(accept), available, { singlePartAllowed: single });
  it('defaults to application/octet-stream in Explicit VR LE', () => {
    expect(n(undefined)).toEqual({
      multipart: true,
      mediaType: 'application/octet-stream',
      transferSyntaxUid: EVRLE,
      anySyntax: false,
    });
  });
  it('image/jp2 and octet-stream with transfer-syntax=* give the stored J2K codestream', () => {
    expect(n('multipart/related; type="image/jp2"')).toEqual({
      multipart: true,
      mediaType: 'image/jp2',
      transferSyntaxUid: J2KL,
      anySyntax: false,
    });
    // octet-stream with "*" is the stored codestream, as octet-stream (the OHIF / Cornerstone request).
    expect(n('multipart/related; type="application/octet-stream"; transfer-syntax=*')).toEqual({
      multipart: true,
      mediaType: 'application/octet-stream',
      transferSyntaxUid: J2KL,
      anySyntax: true,
    });
    expect(n(`multipart/related; type="application/octet-stream"; transfer-syntax=${HTJ}`, [HTJ, EVRLE])).toEqual({
      multipart: true,
      mediaType: 'application/octet-stream',
      transferSyntaxUid: HTJ,
      anySyntax: false,
    });
    expect(n('multipart/related; type="image/*"; transfer-syntax=*')).toEqual({
      multipart: true,
      mediaType: 'image/jp2',
      transferSyntaxUid: J2KL,
      anySyntax: true,
    });
    expect(n('multipart/related; type="image/jp2"', [J2K])).toEqual({
      multipart: true,
      mediaType: 'image/jp2',
      transferSyntaxUid: J2K,
      anySyntax: false,
    });
  });
  it('single-part only when allowed', () => {
    expect(n('image/jp2', avail, true)).toEqual({
      multipart: false,
      mediaType: 'image/jp2',
      transferSyntaxUid: J2KL,
      anySyntax: false,
    });
    expect(codeOf(() => n('image/jp2', avail, false))).toBe('NotAcceptableError:HTTP_NOT_ACCEPTABLE');
  });
  it('406 for JPIP syntaxes and mismatched type/syntax', () => {
    expect(codeOf(() => n(`multipart/related; type="application/octet-stream"; transfer-syntax=${JPIP}`, [JPIP]))).toBe(
      'NotAcceptableError:HTTP_NOT_ACCEPTABLE',
    );
    expect(codeOf(() => n(`multipart/related; type="image/jphc"`))).toBe('NotAcceptableError:HTTP_NOT_ACCEPTABLE');
    expect(codeOf(() => n(`multipart/related; type="image/jp2"; transfer-syntax=${EVRLE}`))).toBe(
      'NotAcceptableError:HTTP_NOT_ACCEPTABLE',
    );
  });
});

describe('negotiate bulk data and metadata', () => {
  it('bulk data', () => {
    expect(negotiateBulkdata(parseAccept(undefined), 'application/octet-stream')).toEqual({ multipart: true });
    expect(negotiateBulkdata(parseAccept('application/octet-stream'), 'application/octet-stream')).toEqual({
      multipart: false,
    });
    expect(
      negotiateBulkdata(parseAccept('multipart/related; type="application/octet-stream"'), 'application/octet-stream'),
    ).toEqual({ multipart: true });
    expect(codeOf(() => negotiateBulkdata(parseAccept('image/jp2'), 'application/octet-stream'))).toBe(
      'NotAcceptableError:HTTP_NOT_ACCEPTABLE',
    );
  });
  it('metadata', () => {
    expect(negotiateMetadata(parseAccept(undefined))).toBe('application/dicom+json');
    expect(negotiateMetadata(parseAccept('application/json'))).toBe('application/json');
    expect(negotiateMetadata(parseAccept('application/*'))).toBe('application/dicom+json');
    expect(codeOf(() => negotiateMetadata(parseAccept('multipart/related; type="application/dicom+xml"')))).toBe(
      'NotAcceptableError:HTTP_NOT_ACCEPTABLE',
    );
  });
});
