// DIMSE abuse limits (issue 11 finding 3): slot accounting per TCP connection and per address,
// the PDU guard's report of completed PDUs, the P-DATA-TF / command-set check (PS3.8 §9.3.5,
// PS3.7 §E.1), the A-ASSOCIATE-RJ / A-ABORT layouts (PS3.8 Tables 9-21, 9-26) and the settings.

import { readConfig } from '../../../src/config';
import { ConnectionSlots, slotAddress } from '../../../src/dimse/connection-slots';
import { abortPdu, localLimitRejectPdu, PduGuard } from '../../../src/dimse/pdu-guard';
import { checkCommandSet, PdvCheck } from '../../../src/dimse/pdv-check';

/** A C-ECHO-RQ command set as DCMTK writes it (Implicit VR LE, group length first). */
function echoCommand(): Uint8Array {
  const el = (tag: number, value: Buffer): Buffer => {
    const h = Buffer.alloc(8);
    h.writeUInt16LE(0, 0);
    h.writeUInt16LE(tag, 2);
    h.writeUInt32LE(value.length, 4);
    return Buffer.concat([h, value]);
  };
  const us = (v: number): Buffer => Buffer.from([v & 255, v >> 8]);
  const rest = Buffer.concat([
    el(0x0002, Buffer.from('1.2.840.10008.1.1\0')),
    el(0x0100, us(0x0030)),
    el(0x0110, us(1)),
    el(0x0800, us(0x0101)),
  ]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(rest.length);
  return Buffer.concat([el(0x0000, length), rest]);
}

function pdv(value: Uint8Array, control: number, context = 1): Buffer {
  const h = Buffer.alloc(6);
  h.writeUInt32BE(value.length + 2);
  h[4] = context;
  h[5] = control;
  return Buffer.concat([h, value]);
}

function pdata(...items: Buffer[]): Buffer {
  const body = Buffer.concat(items);
  const h = Buffer.alloc(6);
  h[0] = 4;
  h.writeUInt32BE(body.length, 2);
  return Buffer.concat([h, body]);
}

describe('ConnectionSlots', () => {
  test('a global cap and a cap per address; released slots are reusable', () => {
    const slots = new ConnectionSlots(4, 2);
    expect(slots.acquire('10.0.0.1')).toBeNull();
    expect(slots.acquire('::ffff:10.0.0.1')).toBeNull(); // the same address, IPv4-mapped
    expect(slots.acquire('10.0.0.1')).toBe('address');
    expect(slots.acquire('10.0.0.2')).toBeNull();
    expect(slots.acquire('10.0.0.3')).toBeNull();
    expect(slots.acquire('10.0.0.4')).toBe('global');
    expect(slots.inUse).toBe(4);
    slots.release('10.0.0.1');
    expect(slots.heldBy('10.0.0.1')).toBe(1);
    expect(slots.acquire('10.0.0.4')).toBeNull();
    slots.release('10.9.9.9'); // never held: no effect
    expect(slots.inUse).toBe(4);
  });

  test('slotAddress', () => {
    expect(slotAddress('::FFFF:127.0.0.2')).toBe('127.0.0.2');
    expect(slotAddress('::1')).toBe('::1');
    expect(slotAddress(undefined)).toBe('');
  });
});

describe('PduGuard reports completed PDUs', () => {
  test('types in order, at the chunk holding their last byte, empty bodies included', () => {
    const g = new PduGuard(1000);
    const rq = Buffer.from([1, 0, 0, 0, 0, 3, 9, 9, 9]);
    const release = Buffer.from([5, 0, 0, 0, 0, 0]);
    expect(g.feed(rq.subarray(0, 7))).toEqual([]);
    expect(g.feed(Buffer.concat([rq.subarray(7), release]))).toEqual([1, 5]);
  });

  test('a well-formed C-ECHO P-DATA passes, split at any byte', () => {
    const cmd = echoCommand();
    const stream = pdata(pdv(cmd.subarray(0, 20), 1), pdv(cmd.subarray(20), 3));
    for (let cut = 1; cut < stream.length; cut += 5) {
      const g = new PduGuard(1000);
      expect([...g.feed(stream.subarray(0, cut)), ...g.feed(stream.subarray(cut))]).toEqual([4]);
    }
  });

  test.each([
    ['an even presentation context ID', pdata(pdv(echoCommand(), 3, 2)), 'DIMSE_BAD_PDV'],
    ['reserved control bits', pdata(pdv(echoCommand(), 0x13)), 'DIMSE_BAD_PDV'],
    ['a PDV item shorter than its header', Buffer.from([4, 0, 0, 0, 0, 6, 0, 0, 0, 1, 1, 3]), 'DIMSE_BAD_PDV'],
    ['a PDV past the end of the PDU', Buffer.from([4, 0, 0, 0, 0, 8, 0, 0, 0, 9, 1, 3, 0, 0]), 'DIMSE_BAD_PDV'],
    ['an empty command', pdata(pdv(new Uint8Array(0), 3)), 'DIMSE_BAD_COMMAND'],
  ])('%s is a typed error', (_name, bytes, code) => {
    expect(() => new PduGuard(1000).feed(bytes)).toThrow(expect.objectContaining({ code }));
  });

  test('data set fragments are not inspected; command fragments are bounded', () => {
    expect(() => new PdvCheck().feed(pdv(Buffer.from('anything at all'), 2))).not.toThrow();
    const check = new PdvCheck();
    expect(() => check.feed(pdv(new Uint8Array(70 * 1024), 1))).toThrow(
      expect.objectContaining({ code: 'DIMSE_COMMAND_TOO_LONG' }),
    );
  });
});

describe('checkCommandSet (PS3.7 §E.1)', () => {
  test('accepts a C-ECHO-RQ; refuses a wrong group length, foreign groups and unknown commands', () => {
    const cmd = echoCommand();
    expect(() => checkCommandSet(cmd)).not.toThrow();
    const badLength = Buffer.from(cmd);
    badLength.writeUInt32LE(3, 8);
    const foreign = Buffer.from(cmd);
    foreign.writeUInt16LE(8, 12); // second element in group 0008
    const unknown = Buffer.from(cmd);
    unknown.writeUInt16LE(0x0120, unknown.indexOf(Buffer.from([0, 0, 0, 1, 2, 0, 0, 0])) + 8); // N-SET-RQ
    const truncated = cmd.subarray(0, cmd.length - 3);
    for (const bad of [badLength, foreign, unknown, truncated])
      expect(() => checkCommandSet(bad)).toThrow(expect.objectContaining({ code: 'DIMSE_BAD_COMMAND' }));
  });
});

describe('reject and abort PDUs', () => {
  test('A-ASSOCIATE-RJ rejected-transient, service-provider (presentation), local-limit-exceeded', () => {
    expect([...localLimitRejectPdu()]).toEqual([3, 0, 0, 0, 0, 4, 0, 2, 3, 2]);
  });
  test('A-ABORT from the service user carries reason 0', () => {
    expect([...abortPdu(2, 0)]).toEqual([7, 0, 0, 0, 0, 4, 0, 0, 0, 0]);
    expect([...abortPdu(6)]).toEqual([7, 0, 0, 0, 0, 4, 0, 0, 2, 6]);
  });
});

describe('settings', () => {
  test('defaults, environment and bounds', () => {
    const d = readConfig({}, {}).dimse;
    expect([d.maxAssociations, d.maxAssociationsPerAddress, d.artimMs, d.idleMs]).toEqual([32, 8, 10_000, 60_000]);
    const set = readConfig(
      {},
      {
        FOVEA_DIMSE_MAX_ASSOCIATIONS: '64',
        FOVEA_DIMSE_MAX_ASSOCIATIONS_PER_ADDRESS: '16',
        FOVEA_DIMSE_ARTIM_S: '5',
        FOVEA_DIMSE_IDLE_S: '300',
      },
    ).dimse;
    expect([set.maxAssociations, set.maxAssociationsPerAddress, set.artimMs, set.idleMs]).toEqual([
      64, 16, 5000, 300_000,
    ]);
    expect(readConfig({}, { FOVEA_DIMSE_MAX_ASSOCIATIONS: '4' }).dimse.maxAssociationsPerAddress).toBe(4);
    expect(() => readConfig({}, { FOVEA_DIMSE_MAX_ASSOCIATIONS_PER_ADDRESS: '33' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_OUT_OF_RANGE' }),
    );
    expect(() => readConfig({}, { FOVEA_DIMSE_ARTIM_S: '0' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_OUT_OF_RANGE' }),
    );
  });
});
