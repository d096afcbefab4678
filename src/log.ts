// Structured logging: one JSON object per event on stderr. Used only by http/, cli/, dimse/,
// ingest/ and server.ts (CONVENTIONS.md: pure layers never log).
// The fields `time`, `level` and `event` belong to the logger: a caller cannot set them (the type
// forbids it, and a field that gets through at run time is kept as `field_<name>` instead).
// Log lines carry identifiers of objects (UIDs), peers and requests, never patient data (names,
// patient IDs, query values) or credentials.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Fields every line carries, set by the logger only. */
export const RESERVED_LOG_FIELDS = ['time', 'level', 'event'] as const;
export type ReservedLogField = (typeof RESERVED_LOG_FIELDS)[number];
const RESERVED: ReadonlySet<string> = new Set(RESERVED_LOG_FIELDS);

/** The caller's fields of one line: anything but the reserved names. */
export type LogFields = Record<string, unknown> & { readonly [K in ReservedLogField]?: never };

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Logger {
  const min = ORDER[level];
  const emit = (lvl: LogLevel, event: string, fields?: LogFields): void => {
    if (ORDER[lvl] < min) return;
    const record: Record<string, unknown> = { time: new Date().toISOString(), level: lvl, event };
    if (fields) {
      for (const [k, v] of Object.entries(fields)) {
        const key = RESERVED.has(k) ? `field_${k}` : k;
        record[key] =
          v instanceof Error ? { name: v.name, message: v.message, code: (v as { code?: unknown }).code } : v;
      }
    }
    write(JSON.stringify(record));
  };
  return {
    debug: (e, f) => emit('debug', e, f),
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
  };
}
