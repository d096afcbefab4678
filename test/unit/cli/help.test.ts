// `fovea --help`, `fovea --version` / `-V` and `fovea <command> --help` / `-h` (src/cli/run.ts,
// usage.ts, version.ts, args.ts): usage or version on stdout, nothing on stderr, exit code 0 —
// for every subcommand, even when its required arguments are missing. Unknown options stay usage
// errors (exit 2). Run in process: runCli is what the compiled entry point calls.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT, exitCodeFor, UsageError } from '../../../src/cli/exit-codes';
import { runCliCaptured } from '../../cli-capture';

const PACKAGE = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  version: string;
};

const cli = runCliCaptured;

/** One option each command's usage must list. */
const COMMANDS: [string, string][] = [
  ['serve', '--dimse-port N'],
  ['import', '--quiet'],
  ['index', '--json'],
  ['jpip', '--fsiz W,H[,round]'],
];

describe('fovea <command> --help / -h', () => {
  it.each(COMMANDS.flatMap(([c, opt]) => ['--help', '-h'].map((flag) => [c, flag, opt] as const)))(
    '%s %s prints its usage and exits 0',
    async (command, flag, option) => {
      const r = await cli(command, flag);
      expect(r).toEqual({
        code: EXIT.ok,
        stdout: expect.stringContaining(`usage: fovea ${command} [options]`),
        stderr: '',
      });
      expect(r.stdout).toContain(option);
      // Only this command's usage.
      for (const [other] of COMMANDS) if (other !== command) expect(r.stdout).not.toContain(`\n  ${other} `);
    },
  );

  it('--help wins over missing or extra arguments and other flags', async () => {
    expect((await cli('index', '--json', '-h')).code).toBe(EXIT.ok);
    expect((await cli('import', '--quiet', '--help', 'no-such-folder')).code).toBe(EXIT.ok);
    expect((await cli('jpip', '--help', '--fsiz', '64,64')).code).toBe(EXIT.ok);
    expect((await cli('serve', '--port', '0', '--help')).code).toBe(EXIT.ok);
  });

  it('an unknown option is still a usage error (exit 2)', async () => {
    const thrown = await cli('serve', '--bogus').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(UsageError);
    expect(exitCodeFor(thrown)).toBe(EXIT.usage);
  });
});

describe('fovea --help and --version', () => {
  it.each(['--help', '-h', 'help'])('%s lists every command, exit 0', async (flag) => {
    const r = await cli(flag);
    expect(r.code).toBe(EXIT.ok);
    for (const [command, option] of COMMANDS) {
      expect(r.stdout).toContain(`\n  ${command} `);
      expect(r.stdout).toContain(option);
    }
    expect(r.stdout).toContain('--version');
  });

  it('without a command it prints the usage and exits 2', async () => {
    const r = await cli();
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toContain('usage: fovea <command>');
  });

  it.each(['--version', '-V'])('%s prints the package.json version, exit 0', async (flag) => {
    expect(PACKAGE.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(await cli(flag)).toEqual({ code: EXIT.ok, stdout: `${PACKAGE.version}\n`, stderr: '' });
  });
});
