// CLI exit codes, chosen here only.
export const EXIT = {
  ok: 0,
  /** Some inputs failed (import: at least one file not stored). */
  failures: 1,
  /** Bad usage or configuration. */
  usage: 2,
  /** Unexpected internal error. */
  internal: 3,
  /** The command keeps running (serve); the process exits when the server closes. */
  running: -1,
} as const;

/** Wrong flags or arguments: printed without a stack, exit code 2. */
export class UsageError extends Error {}
