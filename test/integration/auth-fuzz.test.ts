// Token parsing and signature checks under fuzzing: thousands of mutations of a valid RS256 JWT, a
// valid link token and a valid API key (character flips, insertions, deletions, truncations,
// segment swaps, re-encoded headers with alg none / HS256 keyed with the public key, claims
// rewritten without re-signing). None may be accepted, and over HTTP none may cause a 5xx. The
// originals are accepted (so the test can fail). Deterministic: fast-check with a fixed seed.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { UnauthenticatedError } from '../../src/auth';
import { startTestServer, type TestServer } from './harness';
import { apiKey, AUDIENCE, call, ISSUER, jwt, signingKey, writeJwks, type SigningKey } from './auth-helpers';

let server: TestServer;
let dir: string;
let rsa: SigningKey;
const originals: Record<string, string> = {};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fovea-fuzz-'));
  rsa = await signingKey('RS256', 'k1');
  server = await startTestServer({
    FOVEA_OIDC_ISSUER: ISSUER,
    FOVEA_OIDC_AUDIENCE: AUDIENCE,
    FOVEA_OIDC_JWKS: writeJwks(dir, [rsa]),
  });
  const gw = server.running.gateway;
  originals['jwt'] = await jwt(rsa, { scope: 'fovea:admin' });
  originals['link'] = gw.authenticator.issueLink('1.2.3.4', 600).token;
  originals['key'] = apiKey(gw, 'fuzz', ['admin']);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
});

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %\u00e9\u0000';
const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Structured attacks on a JWT: header swapped for alg none / HS256-with-the-public-key, claims edited. */
function jwtAttacks(token: string): string[] {
  const [h, p, s] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  const pub = JSON.stringify(rsa.jwk);
  const hs = (header: object, payload: string): string => {
    const signed = `${b64(header)}.${payload}`;
    return `${signed}.${createHmac('sha256', pub).update(signed).digest('base64url')}`;
  };
  return [
    `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`,
    `${b64({ alg: 'none', typ: 'JWT' })}.${p}.${s}`,
    `${b64({ alg: 'NONE' })}.${p}.`,
    hs({ alg: 'HS256', kid: 'k1' }, p),
    `${b64({ alg: 'RS512', kid: 'k1' })}.${p}.${s}`,
    `${h}.${b64({ ...claims, scope: 'fovea:admin extra' })}.${s}`,
    `${h}.${b64({ ...claims, exp: 9999999999 })}.${s}`,
    `${h}.${b64({ ...claims, aud: [AUDIENCE, 'x'] })}.${s}`,
    `${h}.${p}`,
    `${h}..${s}`,
    `${p}.${h}.${s}`,
    `${h}.${p}.${s}.${s}`,
    `${b64({ alg: 'RS256', kid: 'k1', crit: ['b64'], b64: false })}.${p}.${s}`,
  ];
}

function mutate(token: string, edits: { kind: number; at: number; ch: number; len: number }[]): string {
  let t = token;
  for (const e of edits) {
    const at = e.at % (t.length + 1);
    const ch = ALPHABET[e.ch % ALPHABET.length] ?? 'A';
    if (e.kind === 0) t = `${t.slice(0, at)}${ch}${t.slice(at + 1)}`;
    else if (e.kind === 1) t = `${t.slice(0, at)}${ch}${t.slice(at)}`;
    else if (e.kind === 2) t = `${t.slice(0, at)}${t.slice(at + 1 + (e.len % 8))}`;
    else t = t.slice(0, at);
  }
  return t;
}

const edit = fc.record({
  kind: fc.integer({ min: 0, max: 3 }),
  at: fc.nat(),
  ch: fc.nat(),
  len: fc.nat(),
});

test('the unmutated tokens are accepted', async () => {
  const auth = server.running.gateway.authenticator;
  for (const t of Object.values(originals)) await expect(auth.authenticate(t)).resolves.toHaveProperty('kind');
});

test('12,000 mutated tokens: every one refused with UnauthenticatedError (never another error)', async () => {
  const auth = server.running.gateway.authenticator;
  let tried = 0;
  for (const [kind, original] of Object.entries(originals)) {
    const candidates = [
      ...(kind === 'jwt' ? jwtAttacks(original) : []),
      ...fc
        .sample(fc.array(edit, { minLength: 1, maxLength: 4 }), { numRuns: 4000, seed: 0x5eed + kind.length })
        .map((edits) => mutate(original, edits)),
    ];
    for (const t of candidates) {
      if (t === original) continue;
      tried += 1;
      let outcome: unknown;
      try {
        outcome = await auth.authenticate(t);
      } catch (e) {
        outcome = e;
      }
      if (!(outcome instanceof UnauthenticatedError))
        throw new Error(`${kind} mutant ${JSON.stringify(t)} → ${String(outcome)}`);
    }
  }
  expect(tried).toBeGreaterThan(11_500);
}, 300_000);

test('1,500 mutated tokens over HTTP (header and ?token=): 400 or 401, never 5xx, never 200', async () => {
  const statuses = new Map<number, number>();
  let n = 0;
  for (const [kind, original] of Object.entries(originals)) {
    const mutants = fc
      .sample(fc.array(edit, { minLength: 1, maxLength: 3 }), { numRuns: 500, seed: 0xbad + kind.length })
      .map((edits) => mutate(original, edits))
      .filter((t) => t !== original);
    for (const [i, t] of mutants.entries()) {
      const res =
        i % 2 === 0
          ? await call(`${server.url}/dicomweb/studies`, { headers: { authorization: `Bearer ${t}` } }).catch(() => ({
              status: 400, // undici refuses to send some header bytes (e.g. NUL): nothing reached the server
            }))
          : await call(`${server.url}/dicomweb/studies`, { query: t });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      n += 1;
    }
  }
  expect(n).toBeGreaterThan(1400);
  expect([...statuses.keys()].filter((s) => s !== 400 && s !== 401)).toEqual([]);
}, 300_000);
