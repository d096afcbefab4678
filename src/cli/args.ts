// Flag parsing for subcommands on top of node:util parseArgs, with usage errors typed.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './exit-codes';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** --help or -h was given: the command prints its usage and exits 0, whatever else is missing. */
  help: boolean;
}

/** Every subcommand accepts --help / -h besides its own options. */
const HELP: Options = { help: { type: 'boolean', short: 'h' } };

export function parseCommandArgs(argv: string[], options: Options, allowPositionals: boolean): ParsedArgs {
  try {
    const r = parseArgs({ args: argv, options: { ...options, ...HELP }, allowPositionals, strict: true });
    const values: Record<string, string | boolean | undefined> = Object.create(null) as Record<
      string,
      string | boolean | undefined
    >;
    let help = false;
    for (const [k, v] of Object.entries(r.values)) {
      if (k === 'help') help = v === true;
      else if (typeof v === 'string' || typeof v === 'boolean') values[k] = v;
    }
    return { values, positionals: r.positionals, help };
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

export function stringOpt(values: ParsedArgs['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}
