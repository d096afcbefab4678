// `fovea import PATH...`: walk files and folders (recursive), push every file through the ingest
// pipeline, show a progress bar, print a summary of stored / unchanged / replaced / skipped /
// failed with reasons, and the files kept as received (stored whole, not transcoded: a codec
// limit). A file refused by the overwrite policy (--overwrite / FOVEA_OVERWRITE never, the
// default: a different object with a stored SOP Instance UID) is a failure, listed with
// STORE_DUPLICATE_SOP_INSTANCE. Exit code 0 only if nothing failed.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { AuditSink } from '../audit';
import { readConfig } from '../config';
import { buildGateway } from '../server';
import { createLogger } from '../log';
import type { IngestOutcome } from '../ingest';
import { parseCommandArgs, stringOpt } from './args';
import { cliPrincipal } from './cli-principal';
import { EXIT, UsageError } from './exit-codes';
import { commandUsage } from './usage';

/** Error codes meaning "this file is not a DICOM object": counted as skipped, not failed. */
const NOT_DICOM_CODES = new Set(['DICOM_NO_DICM', 'INGEST_DICOMDIR']);

async function* walk(p: string): AsyncGenerator<string> {
  const st = await fs.promises.lstat(p);
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    const entries = (await fs.promises.readdir(p)).sort();
    for (const e of entries) yield* walk(path.join(p, e));
  } else if (st.isFile()) {
    yield p;
  }
}

interface Summary {
  stored: number;
  unchanged: number;
  replaced: number;
  skipped: { file: string; reason: string }[];
  failed: { file: string; reason: string }[];
  /** Stored, but kept as received (not transcoded): the file and the codec limit's code. */
  asReceived: { file: string; reason: string }[];
}

/** One audit record per DICOM file (docs/security.md): action import (PS3.15 A.5 110107), by "cli:<OS user>". */
function auditImport(audit: AuditSink, outcome: IngestOutcome): void {
  if (outcome.status === 'failed' && NOT_DICOM_CODES.has(outcome.error.code)) return;
  const ok = outcome.status !== 'failed';
  audit.record({
    time: Date.now(),
    action: 'import',
    principal: cliPrincipal(),
    address: '',
    transport: 'cli',
    operation: 'fovea import',
    studies: ok ? [outcome.studyInstanceUid] : [],
    series: ok ? [outcome.seriesInstanceUid] : [],
    instances: outcome.sopInstanceUid === null ? [] : [outcome.sopInstanceUid],
    outcome: ok ? { success: true } : { success: false, code: outcome.error.code },
  });
}

export async function runImport(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommandArgs(
    argv,
    {
      data: { type: 'string' },
      'public-url': { type: 'string' },
      overwrite: { type: 'string' },
      quiet: { type: 'boolean' },
    },
    true,
  );
  if (help) {
    process.stdout.write(commandUsage('import'));
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('import needs at least one file or folder');
  for (const p of positionals) {
    if (!fs.existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
  }
  const config = readConfig(
    {
      data: stringOpt(values, 'data'),
      publicUrl: stringOpt(values, 'public-url'),
      overwrite: stringOpt(values, 'overwrite'),
      logLevel: 'warn',
    },
    process.env,
  );
  const files: string[] = [];
  for (const p of positionals) for await (const f of walk(p)) files.push(f);

  const gateway = await buildGateway(config, createLogger('warn'));
  const quiet = values['quiet'] === true;
  const bar = new SingleBar(
    {
      format: 'importing [{bar}] {value}/{total} files | {stored} stored, {failed} failed',
      stream: process.stderr,
      noTTYOutput: false,
    },
    Presets.shades_classic,
  );
  if (!quiet) bar.start(files.length, 0, { stored: 0, failed: 0 });
  const summary: Summary = { stored: 0, unchanged: 0, replaced: 0, skipped: [], failed: [], asReceived: [] };
  try {
    for (const file of files) {
      const outcome: IngestOutcome = await gateway.ingestor.ingestFile(file);
      auditImport(gateway.audit, outcome);
      if (outcome.status === 'failed') {
        const reason = `${outcome.error.code}: ${outcome.error.message}`;
        if (NOT_DICOM_CODES.has(outcome.error.code)) summary.skipped.push({ file, reason });
        else summary.failed.push({ file, reason });
      } else {
        summary[outcome.status] += 1;
        // Stored whole, but not transcoded (a codec limit): served as stored, not over JPIP.
        if (outcome.asReceivedReason !== null) summary.asReceived.push({ file, reason: outcome.asReceivedReason });
      }
      if (!quiet)
        bar.increment(1, {
          stored: summary.stored + summary.replaced + summary.unchanged,
          failed: summary.failed.length,
        });
    }
  } finally {
    if (!quiet) bar.stop();
    await gateway.close();
  }
  const out = process.stdout;
  out.write(
    `stored ${summary.stored}, replaced ${summary.replaced}, unchanged ${summary.unchanged}, ` +
      `skipped ${summary.skipped.length}, failed ${summary.failed.length} (of ${files.length} files)\n`,
  );
  for (const s of summary.skipped) out.write(`skipped ${s.file}: ${s.reason}\n`);
  for (const a of summary.asReceived) out.write(`kept as received ${a.file}: ${a.reason}\n`);
  for (const f of summary.failed) out.write(`failed  ${f.file}: ${f.reason}\n`);
  return summary.failed.length === 0 ? EXIT.ok : EXIT.failures;
}
