// The retrieve transfer-syntax rules as a table (PS3.18 §8.7.3, §8.7.3.5.2 "*" = as stored;
// PS3.5 A.4.4/A.4.7 same-bytes syntaxes, A.6/A.7/A.11/A.12 JPIP Referenced): stored syntax family
// × requested transfer syntax × what is retrieved → kept as stored / decoded to native / JPIP
// referenced / NotAcceptableError. Each row runs the real decision function. UIDs are spelled out
// here on purpose, so the table also pins them.

import { NotAcceptableError } from '../../../src/errors';
import {
  availableSyntaxes,
  decideTransferSyntax,
  type RetrieveTarget,
  type StoredSyntaxFacts,
} from '../../../src/retrieve/transfer-syntax-rules';

const UID = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  rle: '1.2.840.10008.1.2.5',
  j2kLossless: '1.2.840.10008.1.2.4.90',
  j2k: '1.2.840.10008.1.2.4.91',
  jpip: '1.2.840.10008.1.2.4.94',
  jpipDeflate: '1.2.840.10008.1.2.4.95',
  htj2kLossless: '1.2.840.10008.1.2.4.201',
  htj2kRpcl: '1.2.840.10008.1.2.4.202',
  htj2k: '1.2.840.10008.1.2.4.203',
  jpipHt: '1.2.840.10008.1.2.4.204',
  jpipHtDeflate: '1.2.840.10008.1.2.4.205',
  unknown: '1.2.3.4.5',
} as const;
type Syntax = keyof typeof UID;
type Requested = Syntax | '*';

/** The object kinds retrieve meets: frames stored in one of the J2K/HTJ2K syntaxes, or no frames. */
const KINDS = {
  'J2K lossless frames': { storedTransferSyntaxUid: UID.j2kLossless, numberOfFrames: 2 },
  'J2K lossy frames': { storedTransferSyntaxUid: UID.j2k, numberOfFrames: 1 },
  'HTJ2K lossless frames': { storedTransferSyntaxUid: UID.htj2kLossless, numberOfFrames: 1 },
  'HTJ2K RPCL frames': { storedTransferSyntaxUid: UID.htj2kRpcl, numberOfFrames: 3 },
  'HTJ2K lossy frames': { storedTransferSyntaxUid: UID.htj2k, numberOfFrames: 1 },
  'object without pixels': { storedTransferSyntaxUid: UID.explicitLE, numberOfFrames: 0 },
  'received JPIP referenced': { storedTransferSyntaxUid: UID.jpip, numberOfFrames: 0 },
  'received JPIP HTJ2K referenced': { storedTransferSyntaxUid: UID.jpipHt, numberOfFrames: 0 },
} as const;
type Kind = keyof typeof KINDS;

/** Expected outcome: kept as stored, decoded to native, JPIP referenced (each with the syntax produced), or refused. */
type Expected = ['stored' | 'decoded' | 'jpip-referenced', Syntax] | 'not-acceptable';

const NA = 'not-acceptable';
const REQUESTED: readonly Requested[] = [
  '*',
  'explicitLE',
  'implicitLE',
  'jpegBaseline',
  'rle',
  'j2kLossless',
  'j2k',
  'htj2kLossless',
  'htj2kRpcl',
  'htj2k',
  'jpip',
  'jpipDeflate',
  'jpipHt',
  'jpipHtDeflate',
  'unknown',
];

/**
 * Per kind and target, the outcome of every requested syntax; a requested syntax not listed is
 * NotAcceptableError. Frames of frameless objects are not listed: they are FRAME_NOT_FOUND before
 * any transfer syntax is considered.
 */
const TABLE: Record<Kind, Partial<Record<RetrieveTarget, Partial<Record<Requested, Expected>>>>> = {
  'J2K lossless frames': {
    instance: {
      '*': ['stored', 'j2kLossless'],
      explicitLE: ['decoded', 'explicitLE'],
      j2kLossless: ['stored', 'j2kLossless'],
      j2k: ['stored', 'j2k'],
      jpip: ['jpip-referenced', 'jpip'],
      jpipDeflate: ['jpip-referenced', 'jpipDeflate'],
    },
    frame: {
      '*': ['stored', 'j2kLossless'],
      explicitLE: ['decoded', 'explicitLE'],
      j2kLossless: ['stored', 'j2kLossless'],
      j2k: ['stored', 'j2k'],
    },
  },
  'J2K lossy frames': {
    instance: {
      '*': ['stored', 'j2k'],
      explicitLE: ['decoded', 'explicitLE'],
      j2k: ['stored', 'j2k'],
      jpip: ['jpip-referenced', 'jpip'],
      jpipDeflate: ['jpip-referenced', 'jpipDeflate'],
    },
    frame: { '*': ['stored', 'j2k'], explicitLE: ['decoded', 'explicitLE'], j2k: ['stored', 'j2k'] },
  },
  'HTJ2K lossless frames': {
    instance: {
      '*': ['stored', 'htj2kLossless'],
      explicitLE: ['decoded', 'explicitLE'],
      htj2kLossless: ['stored', 'htj2kLossless'],
      htj2k: ['stored', 'htj2k'],
      jpipHt: ['jpip-referenced', 'jpipHt'],
      jpipHtDeflate: ['jpip-referenced', 'jpipHtDeflate'],
    },
    frame: {
      '*': ['stored', 'htj2kLossless'],
      explicitLE: ['decoded', 'explicitLE'],
      htj2kLossless: ['stored', 'htj2kLossless'],
      htj2k: ['stored', 'htj2k'],
    },
  },
  'HTJ2K RPCL frames': {
    instance: {
      '*': ['stored', 'htj2kRpcl'],
      explicitLE: ['decoded', 'explicitLE'],
      htj2kRpcl: ['stored', 'htj2kRpcl'],
      htj2k: ['stored', 'htj2k'],
      jpipHt: ['jpip-referenced', 'jpipHt'],
      jpipHtDeflate: ['jpip-referenced', 'jpipHtDeflate'],
    },
    frame: {
      '*': ['stored', 'htj2kRpcl'],
      explicitLE: ['decoded', 'explicitLE'],
      htj2kRpcl: ['stored', 'htj2kRpcl'],
      htj2k: ['stored', 'htj2k'],
    },
  },
  'HTJ2K lossy frames': {
    instance: {
      '*': ['stored', 'htj2k'],
      explicitLE: ['decoded', 'explicitLE'],
      htj2k: ['stored', 'htj2k'],
      jpipHt: ['jpip-referenced', 'jpipHt'],
      jpipHtDeflate: ['jpip-referenced', 'jpipHtDeflate'],
    },
    frame: { '*': ['stored', 'htj2k'], explicitLE: ['decoded', 'explicitLE'], htj2k: ['stored', 'htj2k'] },
  },
  'object without pixels': {
    instance: { '*': ['stored', 'explicitLE'], explicitLE: ['stored', 'explicitLE'] },
  },
  'received JPIP referenced': {
    instance: { '*': ['stored', 'jpip'], jpip: ['stored', 'jpip'] },
  },
  'received JPIP HTJ2K referenced': {
    instance: { '*': ['stored', 'jpipHt'], jpipHt: ['stored', 'jpipHt'] },
  },
};

type Row = [Kind, RetrieveTarget, Requested, Expected];
const ROWS: Row[] = [];
for (const kind of Object.keys(TABLE) as Kind[]) {
  for (const target of ['instance', 'frame'] as const) {
    const outcomes = TABLE[kind][target];
    if (outcomes === undefined) continue;
    for (const requested of REQUESTED) ROWS.push([kind, target, requested, outcomes[requested] ?? NA]);
  }
}

function facts(kind: Kind): StoredSyntaxFacts {
  return { sopInstanceUid: '1.2.3.999', ...KINDS[kind] };
}

describe('retrieve transfer-syntax rules', () => {
  test('the table covers every kind × target × requested syntax it lists', () => {
    expect(ROWS).toHaveLength(REQUESTED.length * (5 * 2 + 3));
  });

  test.each(ROWS)('%s, %s, requested %s → %j', (kind, target, requested, expected) => {
    const choice = requested === '*' ? '*' : UID[requested];
    const decide = (): unknown => decideTransferSyntax(facts(kind), choice, target);
    if (expected === NA) {
      expect(decide).toThrow(NotAcceptableError);
      expect(decide).toThrow(expect.objectContaining({ code: 'TRANSFER_SYNTAX_NOT_AVAILABLE' }) as Error);
      return;
    }
    const [delivery, syntax] = expected;
    expect(decide()).toEqual({ delivery, transferSyntaxUid: UID[syntax] });
  });

  test.each<[Kind, Syntax[]]>([
    ['J2K lossless frames', ['j2kLossless', 'j2k', 'explicitLE', 'jpip', 'jpipDeflate']],
    ['J2K lossy frames', ['j2k', 'explicitLE', 'jpip', 'jpipDeflate']],
    ['HTJ2K lossless frames', ['htj2kLossless', 'htj2k', 'explicitLE', 'jpipHt', 'jpipHtDeflate']],
    ['HTJ2K RPCL frames', ['htj2kRpcl', 'htj2k', 'explicitLE', 'jpipHt', 'jpipHtDeflate']],
    ['HTJ2K lossy frames', ['htj2k', 'explicitLE', 'jpipHt', 'jpipHtDeflate']],
    ['object without pixels', ['explicitLE']],
    ['received JPIP referenced', ['jpip']],
  ])('%s is offered in %j, the stored syntax first', (kind, syntaxes) => {
    expect(availableSyntaxes(facts(kind))).toEqual(syntaxes.map((s) => UID[s]));
  });
});
