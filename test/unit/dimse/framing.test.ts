// PDU framing guard (PS3.8 §9.3), Part 10 data set offset (PS3.10 §7.1) and transfer syntax choice.

import { PduGuard, abortPdu } from '../../../src/dimse/pdu-guard';
import { part10DatasetOffset } from '../../../src/dimse/raw-dataset';
import { chooseTransferSyntax, isStorageSopClass } from '../../../src/dimse/sop-classes';
import { DicomDataset, encodeFileMetaInformation } from '../../../src/dicom';

describe('PduGuard', () => {
  const pdu = (type: number, body: number): Uint8Array => {
    const b = new Uint8Array(6 + body);
    b[0] = type;
    new DataView(b.buffer).setUint32(2, body);
    return b;
  };

  test('accepts well-framed PDUs split at any byte', () => {
    const stream = new Uint8Array([...pdu(1, 20), ...pdu(2, 100), ...pdu(5, 4)]); // P-DATA bodies: limits.test.ts
    for (let cut = 1; cut < stream.length; cut += 7) {
      const g = new PduGuard(1000);
      expect(() => {
        g.feed(stream.subarray(0, cut));
        g.feed(stream.subarray(cut));
      }).not.toThrow();
    }
  });

  test('unknown PDU type and over-long PDUs are typed errors', () => {
    expect(() => new PduGuard(1000).feed(Buffer.from('GET / HTTP/1.1'))).toThrow(
      expect.objectContaining({ code: 'DIMSE_UNKNOWN_PDU' }),
    );
    expect(() => new PduGuard(1000).feed(pdu(4, 1001).subarray(0, 6))).toThrow(
      expect.objectContaining({ code: 'DIMSE_PDU_TOO_LONG' }),
    );
    const g = new PduGuard(1000);
    g.feed(pdu(2, 10));
    expect(() => g.feed(new Uint8Array([0x09, 0, 0, 0, 0, 0]))).toThrow(
      expect.objectContaining({ code: 'DIMSE_UNKNOWN_PDU' }),
    );
  });

  test('A-ABORT PDU layout', () => {
    expect([...abortPdu(1)]).toEqual([7, 0, 0, 0, 0, 4, 0, 0, 2, 1]);
  });
});

describe('part10DatasetOffset', () => {
  const meta = encodeFileMetaInformation(new DicomDataset(), '1.2.840.10008.1.2.1', {
    mediaStorageSopClassUid: '1.2.3',
    mediaStorageSopInstanceUid: '4.5.6',
  });

  test('finds the first byte after group 0002', () => {
    const file = new Uint8Array([...meta, 0x08, 0x00, 0x16, 0x00]);
    expect(part10DatasetOffset(file)).toBe(meta.length);
  });

  test('truncated, non-Part-10 and lying group lengths are typed errors', () => {
    expect(() => part10DatasetOffset(meta.subarray(0, 100))).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/TRUNC|BYTES/) }),
    );
    const noMagic = meta.slice();
    noMagic[128] = 0x58;
    expect(() => part10DatasetOffset(noMagic)).toThrow(expect.objectContaining({ code: 'DIMSE_NO_PART10_PREFIX' }));
    const lying = meta.slice();
    new DataView(lying.buffer).setUint32(140, 0xffffff, true);
    expect(() => part10DatasetOffset(lying)).toThrow(expect.objectContaining({ code: 'DIMSE_META_LENGTH' }));
    for (let n = 0; n < meta.length; n += 13) {
      expect(() => part10DatasetOffset(meta.subarray(0, n))).toThrow(
        expect.objectContaining({ code: expect.any(String) }),
      );
    }
  });
});

describe('negotiation choices', () => {
  test('storage SOP classes are recognised by their PS3.4 root', () => {
    expect(isStorageSopClass('1.2.840.10008.5.1.4.1.1.2')).toBe(true);
    expect(isStorageSopClass('1.2.840.10008.5.1.4.1.1.88.22')).toBe(true);
    expect(isStorageSopClass('1.2.840.10008.5.1.4.1.2.2.1')).toBe(false);
    expect(isStorageSopClass('1.2.840.10008.5.1.4.1.1.')).toBe(false);
    expect(isStorageSopClass('1.3.6.1.4.1.9590.100.1.1.1')).toBe(false);
  });

  test("storage keeps the sender's compressed syntax; other services get uncompressed; unknown syntaxes are refused", () => {
    expect(chooseTransferSyntax('1.2.840.10008.5.1.4.1.1.2', ['1.2.840.10008.1.2', '1.2.840.10008.1.2.4.201'])).toBe(
      '1.2.840.10008.1.2.4.201',
    );
    expect(chooseTransferSyntax('1.2.840.10008.5.1.4.1.1.2', ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1'])).toBe(
      '1.2.840.10008.1.2.1',
    );
    expect(chooseTransferSyntax('1.2.840.10008.5.1.4.1.1.2', ['1.2.840.10008.1.2.4.999'])).toBeNull();
    // JPEG XL and video are accepted for storage: ingest keeps them as received.
    expect(chooseTransferSyntax('1.2.840.10008.5.1.4.1.1.2', ['1.2.840.10008.1.2.4.110'])).toBe(
      '1.2.840.10008.1.2.4.110',
    );
    expect(chooseTransferSyntax('1.2.840.10008.5.1.4.1.1.77.1.1.1', ['1.2.840.10008.1.2.4.102'])).toBe(
      '1.2.840.10008.1.2.4.102',
    );
    expect(chooseTransferSyntax('1.2.840.10008.1.1', ['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2'])).toBe(
      '1.2.840.10008.1.2',
    );
  });
});
