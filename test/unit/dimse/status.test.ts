// DIMSE status selection (PS3.4 B.2.3, C.4.1.1.4, C.4.2.1.5): the one place statuses are chosen.

import { BadRequestError, FoveaError, UnavailableError } from '../../../src/errors';
import { MalformedError } from '../../../src/bytes';
import { DimseStatus, queryFailureStatusFor, retrieveFinalStatus, storeStatusFor } from '../../../src/dimse/status';
import { subOperationResult } from '../../../src/dimse/status';
import type { IngestOutcome } from '../../../src/ingest';

function failed(failureReason: number, code = 'X_CODE'): IngestOutcome {
  return {
    status: 'failed',
    sopInstanceUid: null,
    sopClassUid: null,
    failureReason,
    error: new FoveaError(code, 'm'),
    warnings: [],
  };
}
const ok = (status: 'stored' | 'unchanged' | 'replaced'): IngestOutcome => ({
  status,
  studyInstanceUid: '1',
  seriesInstanceUid: '2',
  sopInstanceUid: '3',
  sopClassUid: '4',
  warnings: [],
  asReceivedReason: null,
});

describe('storeStatusFor', () => {
  test.each(['stored', 'unchanged', 'replaced'] as const)('%s → Success', (s) => {
    expect(storeStatusFor(ok(s))).toEqual({ status: 0x0000, comment: '' });
  });
  test.each([
    [0xa700, 0xa700],
    [0xa900, 0xa900],
    [0xc000, 0xc000],
    [0x0110, 0x0110],
    [0x0122, 0x0122],
    [0x0111, 0x0111],
    [0xc122, 0xc000],
    [0x1234, 0xc000],
  ])('failure reason 0x%s → status', (reason, status) => {
    const s = storeStatusFor(failed(reason, 'INGEST_SOMETHING'));
    expect(s.status).toBe(status);
    expect(s.comment).toBe('INGEST_SOMETHING');
  });
  test('error comment is cut to 64 characters (LO)', () => {
    expect(storeStatusFor(failed(0xc000, 'X'.repeat(100))).comment).toHaveLength(64);
  });
});

describe('queryFailureStatusFor', () => {
  test('bad identifiers → 0xA900, resource errors → 0xA701, anything else → 0xC000', () => {
    expect(queryFailureStatusFor(new BadRequestError('QIDO_BAD_DATE', 'x')).status).toBe(
      DimseStatus.DataSetDoesNotMatchSopClass,
    );
    expect(queryFailureStatusFor(new MalformedError('M', 'x')).status).toBe(0xa900);
    expect(queryFailureStatusFor(new UnavailableError('BUSY', 'x')).status).toBe(0xa701);
    expect(queryFailureStatusFor(new Error('boom'))).toEqual({ status: 0xc000, comment: 'DIMSE_INTERNAL' });
  });
});

describe('retrieve statuses', () => {
  test('final C-MOVE/C-GET status from counts', () => {
    expect(retrieveFinalStatus({ completed: 3, failed: 0, warning: 0 })).toBe(0x0000);
    expect(retrieveFinalStatus({ completed: 2, failed: 1, warning: 0 })).toBe(0xb000);
    expect(retrieveFinalStatus({ completed: 0, failed: 0, warning: 1 })).toBe(0xb000);
    expect(retrieveFinalStatus({ completed: 0, failed: 3, warning: 0 })).toBe(0xa702);
  });
  test('sub-operation response classification', () => {
    expect(subOperationResult(0x0000)).toBe('completed');
    expect(subOperationResult(0xb000)).toBe('warning');
    expect(subOperationResult(0xb007)).toBe('warning');
    expect(subOperationResult(0x0001)).toBe('warning');
    expect(subOperationResult(0xa700)).toBe('failed');
    expect(subOperationResult(0xc000)).toBe('failed');
  });
});
