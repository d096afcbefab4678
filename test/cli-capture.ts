// Runs the CLI in process (runCli is what the compiled entry point calls) with stdout and stderr
// captured, for the tests of `fovea` subcommands that need no separate process.

import { runCli } from '../src/cli/run';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCliCaptured(...argv: string[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await runCli(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
