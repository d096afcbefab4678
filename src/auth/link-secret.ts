// The HMAC key of link tokens: FOVEA_LINK_SECRET when configured, else 32 random bytes generated
// once and kept in <data>/link-secret (mode 0600, created exclusively so two starting processes
// agree on one key). Several replicas sharing links need the same FOVEA_LINK_SECRET.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const LINK_SECRET_FILE = 'link-secret';

export function loadOrCreateLinkSecret(dataDir: string, configured: string | undefined): Uint8Array {
  if (configured !== undefined) return Buffer.from(configured, 'utf8');
  const file = path.join(dataDir, LINK_SECRET_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  fs.chmodSync(file, 0o600);
  const text = fs.readFileSync(file, 'utf8').trim();
  return Buffer.from(text, 'hex');
}
