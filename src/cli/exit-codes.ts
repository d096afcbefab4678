// CLI exit codes, chosen here only.
export const EXIT = {
  ok: 0,
  /** Some inputs failed (import: at least one file not stored). */
  failures: 1,
  /** Bad usage or configuration (including a data folder that is a file or not writable). */
  usage: 2,
  /** Unexpected internal error. */
  internal: 3,
  /** The command keeps running (serve); the process exits when the server closes. */
  running: -1,
} as const;

/** Wrong flags or arguments: printed without a stack, exit code 2. */
export class UsageError extends Error {}

/** Error codes the operator fixes in the configuration: invalid values, an unusable data folder. */
const CONFIGURATION_CODE = /^(CONFIG_|STORE_DATA_DIR_)/;

function codeOf(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** The exit code of a command that threw `err`. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return EXIT.usage;
  const code = codeOf(err);
  return code !== undefined && CONFIGURATION_CODE.test(code) ? EXIT.usage : EXIT.internal;
}

/** The one line printed on stderr for `err` (no stack): message, stable code, and a hint where one helps. */
export function errorLine(err: unknown): string {
  if (err instanceof UsageError) return `fovea: ${err.message}`;
  const message = err instanceof Error ? err.message : String(err);
  const code = codeOf(err);
  const hint = code?.startsWith('STORE_DATA_DIR_') === true ? '; choose the data folder with --data or FOVEA_DATA' : '';
  return `fovea: ${message}${code !== undefined ? ` (${code})` : ''}${hint}`;
}
