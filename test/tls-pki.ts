// Throw-away X.509 material for HTTPS tests, made with the `openssl` command (Debian package
// openssl, listed in .ci/run): a P-256 CA, a server certificate it signs for 127.0.0.1, localhost
// and the given extra DNS names, and an unrelated key (a key that does not match the certificate).

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TestPki {
  ca: string;
  cert: string;
  key: string;
  /** A key the certificate does not belong to. */
  otherKey: string;
}

/** True when the `openssl` command can be run. */
export function haveOpenssl(): boolean {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
}

export function makeTestPki(dir: string, dnsNames: readonly string[] = []): TestPki {
  const ossl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore', timeout: 20_000 });
  };
  const key = (name: string): void =>
    ossl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', `${name}.key`);
  key('ca');
  ossl('req', '-x509', '-new', '-key', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Fovea HTTPS Test CA');
  key('server');
  key('other');
  ossl('req', '-new', '-key', 'server.key', '-subj', '/CN=fovea-test', '-out', 'server.csr');
  const san = ['IP:127.0.0.1', 'DNS:localhost', ...dnsNames.map((n) => `DNS:${n}`)].join(',');
  fs.writeFileSync(path.join(dir, 'server.ext'), `subjectAltName=${san}\n`);
  ossl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    'server.pem',
    '-extfile',
    'server.ext',
  );
  return {
    ca: path.join(dir, 'ca.pem'),
    cert: path.join(dir, 'server.pem'),
    key: path.join(dir, 'server.key'),
    otherKey: path.join(dir, 'other.key'),
  };
}
