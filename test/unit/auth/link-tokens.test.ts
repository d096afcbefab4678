// Link tokens (src/auth/link-tokens.ts), the ?token= stripping of the HTTP edge and the QIDO
// scoping of the study-scoped store view: exact codes for every refusal.

import { scopeQuery, signLinkToken, verifyLinkToken, parseTtl } from '../../../src/auth';
import { stripTokenParam } from '../../../src/http/auth';
import type { QidoQuery } from '../../../src/store';

const SECRET = Buffer.from('k'.repeat(32));
const claims = { id: 'abcdefghijkl', study: '1.2.3', iat: 1_000_000, exp: 1_000_900 };

test('a signed link verifies inside its window, with the tolerance at both ends', () => {
  const t = signLinkToken(SECRET, claims);
  expect(t).toMatch(/^fovea_l_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  expect(verifyLinkToken(SECRET, t, 1_000_500, 0)).toEqual({ ok: true, claims });
  expect(verifyLinkToken(SECRET, t, 1_000_900, 0)).toEqual({ ok: false, problem: 'LINK_EXPIRED' });
  expect(verifyLinkToken(SECRET, t, 1_000_929, 30)).toMatchObject({ ok: true });
  expect(verifyLinkToken(SECRET, t, 999_000, 30)).toEqual({ ok: false, problem: 'LINK_NOT_YET_VALID' });
});

test('another secret, edited claims, a non-canonical signature spelling and junk are refused', () => {
  const t = signLinkToken(SECRET, claims);
  expect(verifyLinkToken(Buffer.from('x'.repeat(32)), t, 1_000_500, 0)).toEqual({
    ok: false,
    problem: 'LINK_BAD_SIGNATURE',
  });
  const [payload, sig] = t.slice('fovea_l_'.length).split('.') as [string, string];
  const forged = Buffer.from(JSON.stringify({ v: 1, ...claims, study: '9.9.9' })).toString('base64url');
  expect(verifyLinkToken(SECRET, `fovea_l_${forged}.${sig}`, 1_000_500, 0)).toEqual({
    ok: false,
    problem: 'LINK_BAD_SIGNATURE',
  });
  // 32 bytes in 43 characters leave 2 unused bits in the last one: flipping them is refused.
  const last = sig[42] ?? 'A';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const twin = alphabet[alphabet.indexOf(last) ^ 1] ?? 'A';
  expect(verifyLinkToken(SECRET, `fovea_l_${payload}.${sig.slice(0, 42)}${twin}`, 1_000_500, 0)).toEqual({
    ok: false,
    problem: 'LINK_MALFORMED',
  });
  for (const junk of ['', 'fovea_l_', 'fovea_l_.', `fovea_l_${payload}`, `fovea_l_${'A'.repeat(2000)}.${sig}`])
    expect(verifyLinkToken(SECRET, junk, 1_000_500, 0)).toEqual({ ok: false, problem: 'LINK_MALFORMED' });
});

test('TTL syntax', () => {
  expect([parseTtl('15m'), parseTtl('2h'), parseTtl('1d'), parseTtl('90'), parseTtl('90s')]).toEqual([
    900, 7200, 86400, 90, 90,
  ]);
  for (const bad of ['', '0', '-5m', '1.5h', '15 minutes', '1w']) expect(parseTtl(bad)).toBeUndefined();
});

test('stripTokenParam removes every token= and keeps the rest of the query byte for byte', () => {
  expect(stripTokenParam('/jpip?target=1.2&token=abc&fsiz=64,64')).toEqual({
    url: '/jpip?target=1.2&fsiz=64,64',
    tokens: ['abc'],
  });
  expect(stripTokenParam('/x?token=a%2Bb')).toEqual({ url: '/x', tokens: ['a+b'] });
  expect(stripTokenParam('/x?tokens=1&mytoken=2')).toEqual({ url: '/x?tokens=1&mytoken=2', tokens: [] });
  expect(stripTokenParam('/x?token=1&token=2').tokens).toEqual(['1', '2']);
});

test('scopeQuery restricts a QIDO query to the link study, or to nothing', () => {
  const q: QidoQuery = { level: 'study', matches: [], includeFields: [], fuzzyMatching: false, limit: 10, offset: 0 };
  expect(scopeQuery(q, '1.2.3')?.matches).toEqual([{ tag: '0020000D', value: '1.2.3' }]);
  expect(scopeQuery({ ...q, matches: [{ tag: '0020000D', value: '4.5,1.2.3' }] }, '1.2.3')?.matches).toEqual([
    { tag: '0020000D', value: '1.2.3' },
  ]);
  expect(scopeQuery({ ...q, matches: [{ tag: '0020000D', value: '4.5' }] }, '1.2.3')).toBeUndefined();
  expect(scopeQuery({ ...q, level: 'series', studyInstanceUid: '4.5' }, '1.2.3')).toBeUndefined();
  expect(scopeQuery({ ...q, level: 'series', studyInstanceUid: '1.2.3' }, '1.2.3')?.matches).toEqual([]);
});
