// Who acts when a CLI command writes an audit record (docs/security.md "Audit trail"): the
// operating-system user running it, as "cli:<user>" — the CLI has no token, the machine login is
// the credential.

import * as os from 'node:os';
import type { AuditPrincipal } from '../audit';

export function cliPrincipal(): AuditPrincipal {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry for this uid (a container): keep "unknown"
  }
  return { id: `cli:${user}`, kind: 'cli' };
}
