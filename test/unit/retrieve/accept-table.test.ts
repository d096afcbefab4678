// The PS3.18 §8.7.3 Accept table, walked end to end: Accept header → media range negotiation
// (src/http/accept.ts) over the syntaxes the stored object offers → the retrieve transfer-syntax
// rules (transfer-syntax-rules.ts, whose own table is transfer-syntax-rules.test.ts; this one is
// apart only to keep both files short). Instances (§8.7.3.5.2), frames (§8.7.3.3.2, Table 8.7.3-5)
// and bulk data (§8.7.3.4): each media type with no transfer-syntax parameter, with `*`, with a
// syntax that can and one that cannot be produced, q-values and `*/*`. Each row states the status,
// multipart or single part, the media type and the transfer syntax produced, and how (stored bytes,
// decoded, JPIP referenced). Rows marked "Orthanc:" were checked against Orthanc 1.10.1 + DICOMweb
// 1.7 (shared/tools/peers/orthanc.sh) on 693_J2KR.dcm; "dcm4chee:" is what dcm4chee-arc-light's
// WadoRS.java does as read (not run here) or as issue 9 reports it.

import { MalformedError } from '../../../src/bytes';
import { NotAcceptableError } from '../../../src/errors';
import { negotiate, negotiateBulkdata, parseAccept } from '../../../src/http/accept';
import { availableSyntaxes, decideTransferSyntax } from '../../../src/retrieve/transfer-syntax-rules';

const UID = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  j2kLossless: '1.2.840.10008.1.2.4.90',
  j2k: '1.2.840.10008.1.2.4.91',
  jpip: '1.2.840.10008.1.2.4.94',
  htj2kLossless: '1.2.840.10008.1.2.4.201',
  htj2k: '1.2.840.10008.1.2.4.203',
  jpipHt: '1.2.840.10008.1.2.4.204',
} as const;
type Syntax = keyof typeof UID;

const KINDS = {
  'J2K lossless': { storedTransferSyntaxUid: UID.j2kLossless, numberOfFrames: 2 },
  'J2K lossy': { storedTransferSyntaxUid: UID.j2k, numberOfFrames: 1 },
  'HTJ2K lossless': { storedTransferSyntaxUid: UID.htj2kLossless, numberOfFrames: 1 },
  'no pixels': { storedTransferSyntaxUid: UID.explicitLE, numberOfFrames: 0 },
} as const;
type Kind = keyof typeof KINDS;

type Resource = 'instances' | 'frames' | 'frame (single part allowed)' | 'bulkdata';
type Delivery = 'stored' | 'decoded' | 'jpip-referenced';
/** 200 with multipart or single part, media type, syntax and delivery; or 406 / 400. */
type Expected = [200, 'multipart' | 'single', string, Syntax, Delivery] | [200, 'multipart' | 'single'] | [406] | [400];

const DCM = 'application/dicom';
const OCTET = 'application/octet-stream';
const JP2 = 'image/jp2';
const JPHC = 'image/jphc';
const mr = (type: string, ts?: string, q?: string): string =>
  `multipart/related; type="${type}"${ts === undefined ? '' : `; transfer-syntax=${ts}`}${q === undefined ? '' : `; q=${q}`}`;

type Row = [Resource, Kind, string | undefined, Expected];
const ROWS: Row[] = [
  // ---- instances (§8.7.3.5.2: default Explicit VR LE; "*" = as stored)
  // Orthanc: no Accept / type=application/dicom also means Explicit VR LE (a 500 there: no J2K decoder).
  ['instances', 'J2K lossless', undefined, [200, 'multipart', DCM, 'explicitLE', 'decoded']],
  ['instances', 'J2K lossless', '*/*', [200, 'multipart', DCM, 'explicitLE', 'decoded']],
  ['instances', 'J2K lossless', 'multipart/related', [200, 'multipart', DCM, 'explicitLE', 'decoded']],
  [
    'instances',
    'J2K lossless',
    'multipart/*; type=application/dicom',
    [200, 'multipart', DCM, 'explicitLE', 'decoded'],
  ],
  ['instances', 'J2K lossless', mr(DCM), [200, 'multipart', DCM, 'explicitLE', 'decoded']],
  // Orthanc: the stored object (its part says only application/dicom); dcm4chee: the stored object,
  // labelled transfer-syntax=<stored UID> (WadoRS.parameters).
  ['instances', 'J2K lossless', mr(DCM, '*'), [200, 'multipart', DCM, 'j2kLossless', 'stored']],
  ['instances', 'J2K lossless', mr(DCM, UID.j2kLossless), [200, 'multipart', DCM, 'j2kLossless', 'stored']],
  ['instances', 'J2K lossless', mr(DCM, UID.j2k), [200, 'multipart', DCM, 'j2k', 'stored']],
  ['instances', 'J2K lossless', mr(DCM, UID.explicitLE), [200, 'multipart', DCM, 'explicitLE', 'decoded']],
  ['instances', 'J2K lossless', mr(DCM, UID.jpip), [200, 'multipart', DCM, 'jpip', 'jpip-referenced']],
  ['instances', 'J2K lossless', mr(DCM, UID.implicitLE), [406]],
  ['instances', 'J2K lossless', mr(DCM, UID.htj2kLossless), [406]],
  ['instances', 'J2K lossless', mr(DCM, UID.jpipHt), [406]],
  ['instances', 'J2K lossless', DCM, [406]], // single-part application/dicom: not supported (Orthanc: 400)
  ['instances', 'J2K lossless', mr('application/dicom+xml'), [406]],
  ['instances', 'J2K lossless', mr(OCTET), [406]],
  ['instances', 'J2K lossless', JP2, [406]],
  ['instances', 'J2K lossless', mr(DCM, '*', '0'), [406]],
  // q-values: by descending q; a range that cannot be served gives way to the next.
  [
    'instances',
    'J2K lossless',
    `${mr(DCM, UID.htj2kLossless, '1')}, ${mr(DCM, '*', '0.5')}`,
    [200, 'multipart', DCM, 'j2kLossless', 'stored'],
  ],
  [
    'instances',
    'J2K lossless',
    `${mr(DCM, undefined, '0.2')}, ${mr(DCM, '*', '0.8')}`,
    [200, 'multipart', DCM, 'j2kLossless', 'stored'],
  ],
  ['instances', 'J2K lossless', `${mr(DCM, '*')}, */*; q=0.1`, [200, 'multipart', DCM, 'j2kLossless', 'stored']],
  ['instances', 'J2K lossless', `${mr(DCM, '*', '0')}, */*; q=0.1`, [200, 'multipart', DCM, 'explicitLE', 'decoded']],
  ['instances', 'J2K lossless', `${mr(DCM)}; q=2`, [400]],
  ['instances', 'J2K lossy', mr(DCM), [200, 'multipart', DCM, 'explicitLE', 'decoded']],
  ['instances', 'J2K lossy', mr(DCM, '*'), [200, 'multipart', DCM, 'j2k', 'stored']],
  ['instances', 'J2K lossy', mr(DCM, UID.j2kLossless), [406]],
  ['instances', 'HTJ2K lossless', mr(DCM, '*'), [200, 'multipart', DCM, 'htj2kLossless', 'stored']],
  ['instances', 'HTJ2K lossless', mr(DCM, UID.htj2k), [200, 'multipart', DCM, 'htj2k', 'stored']],
  ['instances', 'HTJ2K lossless', mr(DCM, UID.jpipHt), [200, 'multipart', DCM, 'jpipHt', 'jpip-referenced']],
  ['instances', 'HTJ2K lossless', mr(DCM, UID.jpip), [406]],
  ['instances', 'no pixels', undefined, [200, 'multipart', DCM, 'explicitLE', 'stored']],
  ['instances', 'no pixels', mr(DCM, '*'), [200, 'multipart', DCM, 'explicitLE', 'stored']],
  ['instances', 'no pixels', mr(DCM, UID.j2kLossless), [406]],

  // ---- frames (§8.7.3.3.2 Table 8.7.3-5: octet-stream defaults to Explicit VR LE samples; image/jp2 .90; image/jphc .201)
  // Orthanc: the default is uncompressed samples too (a 500 there: no J2K decoder).
  ['frames', 'J2K lossless', undefined, [200, 'multipart', OCTET, 'explicitLE', 'decoded']],
  ['frames', 'J2K lossless', '*/*', [200, 'multipart', OCTET, 'explicitLE', 'decoded']],
  ['frames', 'J2K lossless', mr(OCTET), [200, 'multipart', OCTET, 'explicitLE', 'decoded']],
  ['frames', 'J2K lossless', mr(OCTET, UID.explicitLE), [200, 'multipart', OCTET, 'explicitLE', 'decoded']],
  // The OHIF / Cornerstone default request. Orthanc: the stored codestream, parts labelled
  // "image/jp2; transfer-syntax=1.2.840.10008.1.2.4.90"; dcm4chee: the stored codestream (issue 9).
  // Fovea labels the parts application/octet-stream, the part type the client asked for.
  [
    'frames',
    'J2K lossless',
    'multipart/related; type=application/octet-stream; transfer-syntax=*',
    [200, 'multipart', OCTET, 'j2kLossless', 'stored'],
  ],
  ['frames', 'J2K lossy', mr(OCTET, '*'), [200, 'multipart', OCTET, 'j2k', 'stored']],
  ['frames', 'HTJ2K lossless', mr(OCTET, '*'), [200, 'multipart', OCTET, 'htj2kLossless', 'stored']],
  // octet-stream with a compressed syntax named: that syntax's codestream (Orthanc: 400 for .90).
  ['frames', 'J2K lossless', mr(OCTET, UID.j2kLossless), [200, 'multipart', OCTET, 'j2kLossless', 'stored']],
  ['frames', 'J2K lossless', mr(OCTET, UID.j2k), [200, 'multipart', OCTET, 'j2k', 'stored']],
  ['frames', 'HTJ2K lossless', mr(OCTET, UID.htj2kLossless), [200, 'multipart', OCTET, 'htj2kLossless', 'stored']],
  ['frames', 'HTJ2K lossless', mr(OCTET, UID.htj2k), [200, 'multipart', OCTET, 'htj2k', 'stored']],
  ['frames', 'J2K lossless', mr(OCTET, UID.htj2kLossless), [406]], // not transcoded J2K → HTJ2K
  ['frames', 'J2K lossless', mr(OCTET, UID.jpip), [406]], // JPIP Referenced has no frames
  ['frames', 'J2K lossless', mr(OCTET, UID.implicitLE), [406]],
  ['frames', 'HTJ2K lossless', mr(OCTET, UID.j2kLossless), [406]],
  ['frames', 'J2K lossless', mr(JP2), [200, 'multipart', JP2, 'j2kLossless', 'stored']], // Orthanc: same
  ['frames', 'J2K lossless', mr(JP2, '*'), [200, 'multipart', JP2, 'j2kLossless', 'stored']], // Orthanc: 400
  ['frames', 'J2K lossless', mr(JP2, UID.j2k), [200, 'multipart', JP2, 'j2k', 'stored']],
  ['frames', 'J2K lossless', mr(JP2, UID.explicitLE), [406]],
  ['frames', 'J2K lossy', mr(JP2), [200, 'multipart', JP2, 'j2k', 'stored']], // lossy exception: .90 cannot be produced
  ['frames', 'J2K lossless', mr(JPHC), [406]],
  ['frames', 'J2K lossless', mr(JPHC, '*'), [406]],
  ['frames', 'HTJ2K lossless', mr(JPHC), [200, 'multipart', JPHC, 'htj2kLossless', 'stored']],
  ['frames', 'HTJ2K lossless', mr(JPHC, UID.htj2k), [200, 'multipart', JPHC, 'htj2k', 'stored']],
  ['frames', 'HTJ2K lossless', mr(JP2), [406]],
  ['frames', 'HTJ2K lossless', '*/*', [200, 'multipart', OCTET, 'explicitLE', 'decoded']],
  ['frames', 'J2K lossless', mr('image/*', '*'), [200, 'multipart', JP2, 'j2kLossless', 'stored']],
  ['frames', 'J2K lossless', 'multipart/related; transfer-syntax=*', [200, 'multipart', JP2, 'j2kLossless', 'stored']],
  ['frames', 'J2K lossless', '*/*; transfer-syntax=*', [200, 'multipart', JP2, 'j2kLossless', 'stored']],
  ['frames', 'J2K lossless', mr('image/jpeg'), [406]],
  ['frames', 'J2K lossless', JP2, [406]], // two frames cannot be one single part (Orthanc: 400)
  [
    'frames',
    'J2K lossless',
    `${mr(JPHC, undefined, '0.9')}, ${mr(OCTET, '*', '0.5')}`,
    [200, 'multipart', OCTET, 'j2kLossless', 'stored'],
  ],
  ['frames', 'J2K lossless', mr(OCTET, '*', '0'), [406]],
  ['frames', 'J2K lossless', `${mr(OCTET, '*', '0')}, */*; q=0.1`, [200, 'multipart', OCTET, 'explicitLE', 'decoded']],
  ['frame (single part allowed)', 'J2K lossless', JP2, [200, 'single', JP2, 'j2kLossless', 'stored']],
  ['frame (single part allowed)', 'J2K lossless', OCTET, [200, 'single', OCTET, 'explicitLE', 'decoded']],
  [
    'frame (single part allowed)',
    'J2K lossless',
    `${OCTET}; transfer-syntax=*`,
    [200, 'single', OCTET, 'j2kLossless', 'stored'],
  ],
  ['frame (single part allowed)', 'HTJ2K lossless', JPHC, [200, 'single', JPHC, 'htj2kLossless', 'stored']],
  ['frame (single part allowed)', 'J2K lossless', '*/*', [200, 'multipart', OCTET, 'explicitLE', 'decoded']],

  // ---- bulk data (§8.7.3.4): application/octet-stream, the stored value (Pixel Data decoded); transfer-syntax is not used
  ['bulkdata', 'J2K lossless', undefined, [200, 'multipart']],
  ['bulkdata', 'J2K lossless', '*/*', [200, 'multipart']],
  ['bulkdata', 'J2K lossless', OCTET, [200, 'single']],
  ['bulkdata', 'J2K lossless', 'application/*', [200, 'single']],
  ['bulkdata', 'J2K lossless', mr(OCTET), [200, 'multipart']],
  ['bulkdata', 'J2K lossless', mr(OCTET, '*'), [200, 'multipart']],
  ['bulkdata', 'J2K lossless', `${JP2}, ${mr(OCTET, undefined, '0.5')}`, [200, 'multipart']],
  ['bulkdata', 'J2K lossless', JP2, [406]],
  ['bulkdata', 'J2K lossless', mr(JP2), [406]],
  ['bulkdata', 'J2K lossless', `${OCTET}; q=0`, [406]],
];

function outcome(resource: Resource, kind: Kind, accept: string | undefined): Expected {
  const facts = { sopInstanceUid: '1.2.3.999', ...KINDS[kind] };
  try {
    const ranges = parseAccept(accept);
    if (resource === 'bulkdata') {
      const { multipart } = negotiateBulkdata(ranges, OCTET);
      return [200, multipart ? 'multipart' : 'single'];
    }
    const target = resource === 'instances' ? 'instance' : 'frame';
    const rep = negotiate(resource === 'instances' ? 'instances' : 'frames', ranges, availableSyntaxes(facts), {
      singlePartAllowed: resource === 'frame (single part allowed)',
    });
    const d = decideTransferSyntax(facts, rep.transferSyntaxUid, target);
    const syntax = (Object.keys(UID) as Syntax[]).find((k) => UID[k] === d.transferSyntaxUid);
    if (syntax === undefined) throw new Error(`unexpected syntax ${d.transferSyntaxUid}`);
    return [200, rep.multipart ? 'multipart' : 'single', rep.mediaType, syntax, d.delivery];
  } catch (e) {
    if (e instanceof NotAcceptableError) return [406];
    if (e instanceof MalformedError) return [400];
    throw e;
  }
}

/**
 * Every part media type × every transfer-syntax parameter (`multipart/related; type=…[;
 * transfer-syntax=…]`), for J2K and HTJ2K objects, instances and frames. Cells: D/O/J/H = 200 as
 * application/dicom / application/octet-stream / image/jp2 / image/jphc, then the syntax produced
 * (Explicit VR LE is decoded, .94 JPIP referenced, the rest the stored bytes); '-' = 406.
 */
const TS_PARAMS = ['none', '*', 'explicitLE', 'implicitLE', 'j2kLossless', 'j2k', 'htj2kLossless', 'htj2k', 'jpip'];
const MATRIX: Record<string, Record<string, string[]>> = {
  'instances/J2K lossless': {
    [DCM]: ['D explicitLE', 'D j2kLossless', 'D explicitLE', '-', 'D j2kLossless', 'D j2k', '-', '-', 'D jpip'],
    '*/*': ['D explicitLE', 'D j2kLossless', 'D explicitLE', '-', 'D j2kLossless', 'D j2k', '-', '-', 'D jpip'],
    [OCTET]: ['-', '-', '-', '-', '-', '-', '-', '-', '-'],
  },
  'instances/HTJ2K lossless': {
    [DCM]: ['D explicitLE', 'D htj2kLossless', 'D explicitLE', '-', '-', '-', 'D htj2kLossless', 'D htj2k', '-'],
    '*/*': ['D explicitLE', 'D htj2kLossless', 'D explicitLE', '-', '-', '-', 'D htj2kLossless', 'D htj2k', '-'],
  },
  'frames/J2K lossless': {
    [OCTET]: ['O explicitLE', 'O j2kLossless', 'O explicitLE', '-', 'O j2kLossless', 'O j2k', '-', '-', '-'],
    [JP2]: ['J j2kLossless', 'J j2kLossless', '-', '-', 'J j2kLossless', 'J j2k', '-', '-', '-'],
    [JPHC]: ['-', '-', '-', '-', '-', '-', '-', '-', '-'],
    '*/*': ['O explicitLE', 'J j2kLossless', 'O explicitLE', '-', 'J j2kLossless', 'J j2k', '-', '-', '-'],
    [DCM]: ['-', '-', '-', '-', '-', '-', '-', '-', '-'],
  },
  'frames/HTJ2K lossless': {
    [OCTET]: ['O explicitLE', 'O htj2kLossless', 'O explicitLE', '-', '-', '-', 'O htj2kLossless', 'O htj2k', '-'],
    [JP2]: ['-', '-', '-', '-', '-', '-', '-', '-', '-'],
    [JPHC]: ['H htj2kLossless', 'H htj2kLossless', '-', '-', '-', '-', 'H htj2kLossless', 'H htj2k', '-'],
    '*/*': ['O explicitLE', 'H htj2kLossless', 'O explicitLE', '-', '-', '-', 'H htj2kLossless', 'H htj2k', '-'],
  },
};
const LETTER: Record<string, string> = { D: DCM, O: OCTET, J: JP2, H: JPHC };
const deliveryOf = (s: Syntax): Delivery =>
  s === 'explicitLE' ? 'decoded' : s === 'jpip' ? 'jpip-referenced' : 'stored';
const MATRIX_ROWS: Row[] = Object.entries(MATRIX).flatMap(([key, byType]) =>
  Object.entries(byType).flatMap(([type, cells]) =>
    cells.map((cell, i): Row => {
      const [resource, kind] = key.split('/') as [Resource, Kind];
      const param = TS_PARAMS[i] as string;
      const ts = param === 'none' ? undefined : param === '*' ? '*' : UID[param as Syntax];
      const [letter, syntax] = cell.split(' ') as [string, Syntax | undefined];
      const expected: Expected =
        letter === '-' || syntax === undefined
          ? [406]
          : [200, 'multipart', LETTER[letter] as string, syntax, deliveryOf(syntax)];
      return [resource, kind, mr(type, ts), expected];
    }),
  ),
);

describe('PS3.18 §8.7.3: every media type × every transfer-syntax parameter', () => {
  test.each(MATRIX_ROWS)('%s of %s, Accept %s → %j', (resource, kind, accept, expected) => {
    expect(outcome(resource, kind, accept)).toEqual(expected);
  });
  test('the matrix is complete', () => {
    expect(MATRIX_ROWS).toHaveLength(14 * TS_PARAMS.length);
  });
});

describe('PS3.18 §8.7.3 Accept table (negotiation + transfer-syntax rules)', () => {
  test.each(ROWS)('%s of %s, Accept %s → %j', (resource, kind, accept, expected) => {
    expect(outcome(resource, kind, accept)).toEqual(expected);
  });

  test('every resource and stored kind is walked', () => {
    const seen = new Set(ROWS.map(([r, k]) => `${r}/${k}`));
    for (const r of ['instances', 'frames'] as const)
      for (const k of ['J2K lossless', 'J2K lossy', 'HTJ2K lossless'] as const) expect(seen).toContain(`${r}/${k}`);
    expect(seen).toContain('bulkdata/J2K lossless');
    expect(seen).toContain('instances/no pixels');
  });
});
