// `fovea key create --name NAME --scope read,write` (prints the key once; only its SHA-256 is kept),
// `fovea key list`, `fovea key revoke NAME`. Works on the data folder's database directly, so it
// also works while the server runs (SQLite WAL). docs/security.md.

import { generateApiKey, hashApiKey, parsePermissions } from '../auth';
import { readConfig } from '../config';
import { openStore } from '../store';
import { parseCommandArgs, stringOpt } from './args';
import { EXIT, UsageError } from './exit-codes';
import { commandUsage } from './usage';

const KEY_NAME = /^[A-Za-z0-9._-]{1,64}$/;

function when(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString();
}

export async function runKey(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommandArgs(
    argv,
    { data: { type: 'string' }, name: { type: 'string' }, scope: { type: 'string' }, json: { type: 'boolean' } },
    true,
  );
  if (help) {
    process.stdout.write(commandUsage('key'));
    return EXIT.ok;
  }
  const [action, ...rest] = positionals;
  const config = readConfig({ data: stringOpt(values, 'data'), logLevel: 'silent' }, process.env);
  const run = (fn: (store: ReturnType<typeof openStore>) => number): number => {
    const store = openStore({ dataDir: config.dataDir });
    try {
      return fn(store);
    } finally {
      store.close();
    }
  };
  switch (action) {
    case 'create': {
      const name = stringOpt(values, 'name');
      if (name === undefined || !KEY_NAME.test(name))
        throw new UsageError('key create needs --name NAME (1-64 letters, digits, ".", "_", "-")');
      const { permissions, unknown } = parsePermissions(stringOpt(values, 'scope') ?? '');
      if (unknown.length > 0) throw new UsageError(`unknown scope ${unknown.join(', ')} (use read, write, admin)`);
      if (permissions.length === 0) throw new UsageError('key create needs --scope read[,write][,admin]');
      return run((store) => {
        const key = generateApiKey();
        const added = store.credentials.addApiKey({
          name,
          keyHash: hashApiKey(key),
          permissions,
          createdAt: Date.now(),
          lastUsedAt: null,
          revokedAt: null,
        });
        if (!added) {
          process.stderr.write(`fovea: a key named "${name}" already exists (revoked keys keep their name)\n`);
          return EXIT.failures;
        }
        process.stdout.write(`${key}\n`);
        process.stderr.write(
          `API key "${name}" (${permissions.join(',')}) created. It is shown only now: send it as "Authorization: Bearer <key>".\n`,
        );
        return EXIT.ok;
      });
    }
    case 'list':
      return run((store) => {
        const keys = store.credentials.listApiKeys();
        if (values['json'] === true) {
          const out = keys.map((k) => ({
            name: k.name,
            scopes: k.permissions,
            created: when(k.createdAt),
            lastUsed: k.lastUsedAt === null ? null : when(k.lastUsedAt),
            revoked: k.revokedAt === null ? null : when(k.revokedAt),
          }));
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        } else {
          process.stdout.write('NAME\tSCOPES\tCREATED\tLAST USED\tSTATUS\n');
          for (const k of keys)
            process.stdout.write(
              `${k.name}\t${k.permissions.join(',')}\t${when(k.createdAt)}\t${when(k.lastUsedAt)}\t${k.revokedAt === null ? 'active' : `revoked ${when(k.revokedAt)}`}\n`,
            );
        }
        return EXIT.ok;
      });
    case 'revoke': {
      const name = rest[0];
      if (name === undefined) throw new UsageError('key revoke needs the key NAME');
      return run((store) => {
        if (!store.credentials.revokeApiKey(name, Date.now())) {
          process.stderr.write(`fovea: no active key named "${name}"\n`);
          return EXIT.failures;
        }
        process.stdout.write(`revoked key "${name}"\n`);
        return EXIT.ok;
      });
    }
    default:
      throw new UsageError('key needs an action: create, list or revoke');
  }
}
