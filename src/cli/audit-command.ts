// `fovea audit [--study UID] [--principal P] [--since T] [--json]`: "who saw this study", read
// from the audit log (FOVEA_AUDIT_LOG, default <data>/audit.log; --log FILE overrides). Prints
// one tab-separated row per matching record (time, action, principal, address, outcome,
// studies), or with --json the matching records as JSON lines. Lines that are not records (a
// torn last line) are skipped and counted on stderr. Exit 0; 2 on usage errors or no log file.

import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { formatAuditRow, matchesAudit, parseAuditLine, parseSince, type AuditFilter } from '../audit';
import { readConfig } from '../config';
import { parseCommandArgs, stringOpt } from './args';
import { EXIT, UsageError } from './exit-codes';
import { commandUsage } from './usage';

export async function runAudit(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, help } = parseCommandArgs(
    argv,
    {
      data: { type: 'string' },
      log: { type: 'string' },
      study: { type: 'string' },
      principal: { type: 'string' },
      since: { type: 'string' },
      json: { type: 'boolean' },
    },
    false,
  );
  if (help) {
    out.write(commandUsage('audit'));
    return EXIT.ok;
  }
  const filter: AuditFilter = {};
  const study = stringOpt(values, 'study');
  const principal = stringOpt(values, 'principal');
  const sinceRaw = stringOpt(values, 'since');
  if (study !== undefined) filter.study = study;
  if (principal !== undefined) filter.principal = principal;
  if (sinceRaw !== undefined) {
    const since = parseSince(sinceRaw, Date.now());
    if (since === undefined)
      throw new UsageError(`--since wants an ISO 8601 time or a duration like 2h, got "${sinceRaw}"`);
    filter.since = since;
  }
  const logPath =
    stringOpt(values, 'log') ??
    readConfig({ data: stringOpt(values, 'data'), logLevel: 'silent' }, process.env).audit.logPath;
  if (!fs.existsSync(logPath)) throw new UsageError(`no audit log at ${logPath}`);
  const json = values['json'] === true;
  let skipped = 0;
  const lines = readline.createInterface({ input: fs.createReadStream(logPath), crlfDelay: Infinity });
  for await (const line of lines) {
    const rec = parseAuditLine(line);
    if (rec === undefined) {
      if (line.trim().length > 0) skipped += 1;
      continue;
    }
    if (matchesAudit(rec, filter)) out.write(json ? `${JSON.stringify(rec)}\n` : `${formatAuditRow(rec)}\n`);
  }
  if (skipped > 0) process.stderr.write(`fovea audit: ${skipped} line(s) of ${logPath} are not audit records\n`);
  return EXIT.ok;
}
