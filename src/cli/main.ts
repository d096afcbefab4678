#!/usr/bin/env node
// `fovea` command line: one file per subcommand. Exit codes: 0 success, 1 some input failed,
// 2 usage or configuration error, 3 unexpected internal error.

import { runServe } from './serve';
import { runImport } from './import';
import { runIndex } from './index-command';
import { runJpip } from './jpip-command';
import { EXIT, UsageError } from './exit-codes';

const USAGE = `usage: fovea <command> [options]

commands:
  serve                 start the gateway (DICOMweb, WADO-URI, JPIP)
      --port N          (FOVEA_PORT, default 8080)
      --host H          (FOVEA_HOST, default 127.0.0.1)
      --data DIR        (FOVEA_DATA, default ./data)
      --public-url URL  (FOVEA_PUBLIC_URL, default http://HOST:PORT)
      --dimse-port N    (FOVEA_DIMSE_PORT, default 11112; 0 disables DICOM networking)
      --ae-title AET    (FOVEA_AE_TITLE, default FOVEA)
      --calling-ae-titles A,B   (FOVEA_DIMSE_CALLING_AETS, default any)
      --peers AE@host:port,...  (FOVEA_DIMSE_PEERS: C-MOVE destinations)
  import PATH...        store DICOM files and folders (recursive) into --data DIR
  index FILE            print the JPEG 2000 packet index of a .j2k/.j2c/.jp2/.jph file or DICOM frame
      [--frame N] [--json]
  jpip URL              fetch a view from a JPIP server; print bytes, messages, EOR, time
      [--fsiz W,H[,round]] [--roff X,Y] [--rsiz W,H] [--layers L] [--comps 0,1-2] [--stream N]
      [--type jpp-stream|jpt-stream] [--len N] [--session] [--out FILE.png|.pgm|.ppm|.j2k] [--timeout MS]
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServe(rest);
    case 'import':
      return runImport(rest);
    case 'index':
      return runIndex(rest);
    case 'jpip':
      return runJpip(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? EXIT.usage : EXIT.ok;
    default:
      process.stderr.write(`fovea: unknown command "${command}"\n${USAGE}`);
      return EXIT.usage;
  }
}

// A closed pipe (e.g. `fovea index --json | head`) ends output quietly instead of crashing.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.ok);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== EXIT.running) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`fovea: ${err.message}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    const code = (e as { code?: unknown }).code;
    process.stderr.write(`fovea: ${e.message}${typeof code === 'string' ? ` (${code})` : ''}\n`);
    process.exitCode = typeof code === 'string' && code.startsWith('CONFIG_') ? EXIT.usage : EXIT.internal;
  },
);
