// `fovea <command>`: dispatches to one file per subcommand; `--help` / `-h` / `help` print every
// command's usage, `--version` / `-V` the package version (exit 0). Returns the exit code
// (src/cli/exit-codes.ts); errors a command throws are mapped by the entry point (main.ts).

import { runServe } from './serve';
import { runImport } from './import';
import { runIndex } from './index-command';
import { runAudit } from './audit-command';
import { runJpip } from './jpip-command';
import { runKey } from './key-command';
import { runLink } from './link-command';
import { EXIT } from './exit-codes';
import { USAGE } from './usage';
import { packageVersion } from './version';

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServe(rest);
    case 'import':
      return runImport(rest);
    case 'index':
      return runIndex(rest);
    case 'audit':
      return runAudit(rest);
    case 'jpip':
      return runJpip(rest);
    case 'key':
      return runKey(rest);
    case 'link':
      return runLink(rest);
    case '-V':
    case '--version':
      process.stdout.write(`${packageVersion()}\n`);
      return EXIT.ok;
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
