// OIDC with the JWKS served over HTTP by a real local server (as an IdP's jwks_uri): the gateway
// fetches it, accepts RS256 and ES256 tokens signed with its keys, follows a key rotation (a token
// with a new kid makes the verifier fetch again), refuses a removed key; exp/nbf/iat with the clock
// tolerance; a configured claim name and scope strings; HS256 only with its explicit secret.

import { SignJWT } from 'jose';
import { createOidcVerifier, UnauthenticatedError, type OidcOptions } from '../../src/auth';
import { startTestServer, type TestServer } from './harness';
import { AUDIENCE, call, ISSUER, jwt, serveJwks, signingKey, type SigningKey } from './auth-helpers';

let idp: Awaited<ReturnType<typeof serveJwks>>;
let k1: SigningKey;
let k2: SigningKey;

beforeAll(async () => {
  k1 = await signingKey('RS256', 'rot-1');
  k2 = await signingKey('ES256', 'rot-2');
  idp = await serveJwks([k1]);
}, 60_000);

afterAll(async () => {
  await idp?.close();
});

const base = (over: Partial<OidcOptions> = {}): OidcOptions => ({
  issuer: ISSUER,
  audience: AUDIENCE,
  jwks: { kind: 'remote', url: idp.url },
  hs256Secret: undefined,
  clockToleranceSeconds: 30,
  scopeClaim: 'scope',
  scopes: { read: 'fovea:read', write: 'fovea:write', admin: 'fovea:admin' },
  jwksCooldownMs: 0,
  ...over,
});

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UnauthenticatedError) return e.code;
    throw e;
  }
  return 'ACCEPTED';
}

test('the gateway fetches the JWKS from the IdP over HTTP and serves a token signed with it', async () => {
  let server: TestServer | undefined;
  try {
    server = await startTestServer({
      FOVEA_OIDC_ISSUER: ISSUER,
      FOVEA_OIDC_AUDIENCE: AUDIENCE,
      FOVEA_OIDC_JWKS: idp.url,
    });
    const before = idp.hits();
    const token = await jwt(k1, { scope: 'fovea:read', jti: 'jti-42' });
    expect((await call(`${server.url}/dicomweb/studies`, { token })).status).toBe(200);
    expect(idp.hits()).toBeGreaterThan(before);
    expect((await call(`${server.url}/dicomweb/studies`, { token: await jwt(k2) })).status).toBe(401);
  } finally {
    await server?.stop();
  }
});

test('key rotation: a token with a new kid is verified after the JWKS is fetched again; a removed key is refused', async () => {
  const v = createOidcVerifier(base());
  const p = await v.verify(await jwt(k1, { scope: 'fovea:read fovea:write', sub: 'alice', jti: 'j1' }));
  expect(p).toMatchObject({ kind: 'oidc', subject: 'alice', clientId: 'test-client', tokenId: 'j1' });
  expect([...p.permissions].sort()).toEqual(['read', 'write']);
  expect(await refusal(v.verify(await jwt(k2)))).toBe('AUTH_TOKEN_KEY');
  idp.setKeys([k2]); // the IdP rotates: k1 retired, k2 published
  expect((await v.verify(await jwt(k2, { scope: 'fovea:admin' }))).permissions.has('admin')).toBe(true);
  await new Promise((r) => setTimeout(r, 5));
  expect(await refusal(v.verify(await jwt(k1, { sub: 'mallory' })))).toMatch(/^AUTH_TOKEN_(KEY|SIGNATURE)$/);
  idp.setKeys([k1]);
});

test('exp, nbf and iat with the clock tolerance', async () => {
  const v = createOidcVerifier(base({ clockToleranceSeconds: 30 }));
  expect(await refusal(v.verify(await jwt(k1, { expIn: -10 })))).toBe('ACCEPTED'); // within 30 s
  expect(await refusal(v.verify(await jwt(k1, { expIn: -60, iatIn: -600 })))).toBe('AUTH_TOKEN_EXPIRED');
  expect(await refusal(v.verify(await jwt(k1, { nbfIn: 120 })))).toBe('AUTH_TOKEN_CLAIM');
  expect(await refusal(v.verify(await jwt(k1, { iatIn: 300, expIn: 600 })))).toBe('AUTH_TOKEN_CLAIM');
  const strict = createOidcVerifier(base({ clockToleranceSeconds: 0 }));
  expect(await refusal(strict.verify(await jwt(k1, { expIn: -10 })))).toBe('AUTH_TOKEN_EXPIRED');
});

test('a configured claim name and scope strings (e.g. an IdP sending roles)', async () => {
  const v = createOidcVerifier(
    base({ scopeClaim: 'roles', scopes: { read: 'viewer', write: 'uploader', admin: 'pacs-admin' } }),
  );
  const p = await v.verify(await jwt(k1, { scope: 'fovea:admin', extra: { roles: ['viewer'] } }));
  expect([...p.permissions]).toEqual(['read']);
});

test('HS256 only with the explicit secret (FOVEA_OIDC_HS256_SECRET), checked against it', async () => {
  const secret = new TextEncoder().encode('0123456789abcdef0123456789abcdef');
  const hs = await new SignJWT({ scope: 'fovea:read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('svc')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(secret);
  expect(await refusal(createOidcVerifier(base()).verify(hs))).toBe('AUTH_TOKEN_ALG');
  expect((await createOidcVerifier(base({ hs256Secret: secret })).verify(hs)).subject).toBe('svc');
  const other = new TextEncoder().encode('another-secret-another-secret-xx');
  expect(await refusal(createOidcVerifier(base({ hs256Secret: other })).verify(hs))).toBe('AUTH_TOKEN_SIGNATURE');
});

test('an IdP whose JWKS cannot be fetched is 503 AUTH_JWKS_UNAVAILABLE (the token is not blamed)', async () => {
  const down = await serveJwks([k1]);
  const url = down.url;
  await down.close(); // nothing listens on that port any more
  const v = createOidcVerifier(base({ jwks: { kind: 'remote', url } }));
  await expect(v.verify(await jwt(k1))).rejects.toMatchObject({
    name: 'UnavailableError',
    code: 'AUTH_JWKS_UNAVAILABLE',
  });
});
