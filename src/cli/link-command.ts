// `fovea link --study UID [--ttl 15m]`: issues a study-scoped link token and
// prints its URL (the token is in ?token=); `fovea link revoke ID` revokes one. The link is signed
// with the data folder's link secret (or FOVEA_LINK_SECRET), the same the server checks.
// docs/security.md.

import { AuditTrail } from '../audit';
import { parseTtl } from '../auth';
import { readConfig } from '../config';
import { buildAuthenticator } from '../server';
import { createLogger } from '../log';
import { openStore } from '../store';
import { parseCommandArgs, stringOpt } from './args';
import { cliPrincipal } from './cli-principal';
import { EXIT, UsageError } from './exit-codes';
import { commandUsage } from './usage';

const UID = /^[0-9]+(\.[0-9]+)*$/;

export async function runLink(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommandArgs(
    argv,
    {
      data: { type: 'string' },
      'public-url': { type: 'string' },
      study: { type: 'string' },
      ttl: { type: 'string' },
      wado: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    true,
  );
  if (help) {
    process.stdout.write(commandUsage('link'));
    return EXIT.ok;
  }
  const config = readConfig(
    { data: stringOpt(values, 'data'), publicUrl: stringOpt(values, 'public-url'), logLevel: 'silent' },
    process.env,
  );
  const store = openStore({ dataDir: config.dataDir });
  try {
    if (positionals[0] === 'revoke') {
      const id = positionals[1];
      if (id === undefined || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) throw new UsageError('link revoke needs the link ID');
      if (!store.credentials.revokeLink(id, Date.now())) {
        process.stderr.write(`fovea: link ${id} was already revoked\n`);
        return EXIT.failures;
      }
      process.stdout.write(`revoked link ${id}\n`);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
    const study = stringOpt(values, 'study');
    if (study === undefined || study.length > 64 || !UID.test(study))
      throw new UsageError('link needs --study <StudyInstanceUID>');
    const ttlRaw = stringOpt(values, 'ttl');
    const ttl = ttlRaw === undefined ? config.auth.linkTtlSeconds : parseTtl(ttlRaw);
    if (ttl === undefined) throw new UsageError('--ttl must be seconds or like 15m, 2h, 1d');
    if (ttl > config.auth.linkMaxTtlSeconds)
      throw new UsageError(`--ttl may be at most ${config.auth.linkMaxTtlSeconds} seconds (FOVEA_LINK_MAX_TTL_S)`);
    if (store.instances.listInstances({ studyInstanceUid: study }).length === 0) {
      process.stderr.write(`fovea: no study ${study} in ${config.dataDir}\n`);
      return EXIT.failures;
    }
    const link = buildAuthenticator(config, store).issueLink(study, ttl);
    // Audited like POST /api/links: who issued a link to which study (the token is never recorded).
    const audit = await AuditTrail.open({
      logPath: config.audit.logPath,
      syslog: config.audit.syslog,
      logger: createLogger('silent'),
    });
    audit.record({
      time: Date.now(),
      action: 'link-issued',
      principal: cliPrincipal(),
      address: '',
      transport: 'cli',
      operation: 'fovea link',
      studies: [study],
      outcome: { success: true },
      link: { id: link.id, expires: new Date(link.expires).toISOString() },
    });
    await audit.close();
    const url = `${config.publicUrl}/dicomweb/studies/${encodeURIComponent(study)}?token=${encodeURIComponent(link.token)}`;
    const expires = new Date(link.expires).toISOString();
    if (values['json'] === true)
      process.stdout.write(`${JSON.stringify({ url, token: link.token, expires, id: link.id })}\n`);
    else {
      process.stdout.write(`${url}\n`);
      process.stderr.write(
        `link ${link.id} for study ${study}, expires ${expires} (revoke: fovea link revoke ${link.id})\n`,
      );
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}
