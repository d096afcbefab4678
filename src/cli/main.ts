#!/usr/bin/env node
// `fovea` command line entry point (the commands are dispatched by run.ts). Exit codes: 0 success,
// 1 some input failed, 2 usage or configuration error, 3 unexpected internal error.

import { EXIT, errorLine, exitCodeFor } from './exit-codes';
import { runCli } from './run';

// A closed pipe (e.g. `fovea index --json | head`) ends output quietly instead of crashing.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.ok);
  throw err;
});

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== EXIT.running) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${errorLine(err)}\n`);
    process.exitCode = exitCodeFor(err);
  },
);
