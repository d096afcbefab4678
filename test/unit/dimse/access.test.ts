// Association acceptance policy (src/dimse/access.ts) and its configuration grammar
// (FOVEA_DIMSE_CALLING_AETS / _STORE_AETS / _QUERY_AETS / _TLS_*, src/config.ts).

import { readConfig } from '../../../src/config';
import { AeAccessList, rightsOf } from '../../../src/dimse/access';

const dimseOf = (env: Record<string, string>): ReturnType<typeof readConfig>['dimse'] => readConfig({}, env).dimse;

describe('AeAccessList', () => {
  const list = new AeAccessList(
    dimseOf({ FOVEA_DIMSE_CALLING_AETS: 'PACS1@10.1.2.3,MODALITY2@10.1.2.0/24,ANY_AE,V6@fd00::/8' })
      .acceptedCallingAeTitles,
  );

  test('an AE bound to one address is accepted only from it', () => {
    expect(list.allows('PACS1', '10.1.2.3')).toBe(true);
    expect(list.allows('PACS1', '10.1.2.4')).toBe(false);
    expect(list.allows('PACS1', '::ffff:10.1.2.3')).toBe(true); // dual-stack socket
    expect(list.allows('PACS1', undefined)).toBe(false);
  });

  test('an AE bound to a network is accepted from inside it only', () => {
    expect(list.allows('MODALITY2', '10.1.2.200')).toBe(true);
    expect(list.allows('MODALITY2', '10.1.3.1')).toBe(false);
    expect(list.allows('V6', 'fd00::17')).toBe(true);
    expect(list.allows('V6', 'fe80::1')).toBe(false);
    expect(list.allows('V6', '10.1.2.3')).toBe(false);
  });

  test('a plain AE title is accepted from anywhere; an unlisted one never', () => {
    expect(list.allows('ANY_AE', '127.0.0.2')).toBe(true);
    expect(list.allows('ANY_AE ', '192.0.2.1')).toBe(true); // AE values are space padded (PS3.5 6.2)
    expect(list.allows('OTHER', '10.1.2.3')).toBe(false);
    expect(list.allows('pacs1', '10.1.2.3')).toBe(false); // AE titles are case sensitive
  });

  test('several bindings of one title are a union; a plain entry wins', () => {
    const l = new AeAccessList(['A', { aeTitle: 'B', from: '127.0.0.2' }, { aeTitle: 'B', from: '127.0.0.3' }]);
    expect(l.allows('B', '127.0.0.3')).toBe(true);
    expect(l.allows('B', '127.0.0.1')).toBe(false);
    const m = new AeAccessList([{ aeTitle: 'C', from: '127.0.0.2' }, { aeTitle: 'C' }]);
    expect(m.allows('C', '127.0.0.1')).toBe(true);
  });

  test("'any' accepts everyone", () => {
    expect(new AeAccessList('any').allows('WHOEVER', '203.0.113.9')).toBe(true);
  });

  test('rights of an association: store and query lists decided separately', () => {
    const policy = {
      calling: new AeAccessList('any'),
      store: new AeAccessList(['MOD']),
      query: new AeAccessList([{ aeTitle: 'WS', from: '10.0.0.0/8' }]),
    };
    expect(rightsOf(policy, 'MOD', '10.0.0.1')).toEqual({ store: true, query: false });
    expect(rightsOf(policy, 'WS', '10.0.0.1')).toEqual({ store: false, query: true });
    expect(rightsOf(policy, 'WS', '192.0.2.1')).toEqual({ store: false, query: false });
  });
});

describe('DIMSE access configuration', () => {
  test('defaults: anyone may associate, store and query; no TLS', () => {
    const d = dimseOf({});
    expect([d.acceptedCallingAeTitles, d.storeAeTitles, d.queryAeTitles, d.tls]).toEqual(['any', 'any', 'any', null]);
  });

  test('plain AE-title lists keep working; "none" grants nobody', () => {
    const d = dimseOf({ FOVEA_DIMSE_CALLING_AETS: 'A, B', FOVEA_DIMSE_STORE_AETS: 'none' });
    expect(d.acceptedCallingAeTitles).toEqual([{ aeTitle: 'A' }, { aeTitle: 'B' }]);
    expect(d.storeAeTitles).toEqual([]);
    expect(new AeAccessList(d.storeAeTitles).allows('A', '127.0.0.1')).toBe(false);
  });

  test.each(['PACS@10.1.2', 'PACS@10.1.2.0/33', 'PACS@fd00::/129', 'PACS@pacs.example.org', '@10.1.2.3'])(
    'rejects %s',
    (v) => {
      expect(() => dimseOf({ FOVEA_DIMSE_CALLING_AETS: v })).toThrow(/CIDR|AE title/);
    },
  );

  test('TLS needs a certificate and a key; a /tls peer needs TLS', () => {
    expect(() => dimseOf({ FOVEA_DIMSE_TLS_CERT: '/x/cert.pem' })).toThrow(/FOVEA_DIMSE_TLS_KEY/);
    expect(() => dimseOf({ FOVEA_DIMSE_PEERS: 'DEST@127.0.0.1:104/tls' })).toThrow(/TLS/);
    const d = dimseOf({
      FOVEA_DIMSE_TLS_CERT: '/x/cert.pem',
      FOVEA_DIMSE_TLS_KEY: '/x/key.pem',
      FOVEA_DIMSE_PEERS: 'DEST@127.0.0.1:104/tls,PLAIN@h:11112',
    });
    expect(d.tls).toEqual({ certFile: '/x/cert.pem', keyFile: '/x/key.pem', caFile: undefined });
    expect(d.peers.map((p) => p.tls)).toEqual([true, false]);
  });
});
