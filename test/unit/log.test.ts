// src/log.ts: one JSON object per line; the logger's own fields (time, level, event) cannot be
// overwritten by a caller's fields; levels below the minimum are dropped; errors are reduced to
// name, message and code (never a stack).
import { createLogger, type LogFields } from '../../src/log';

function capture(level: Parameters<typeof createLogger>[0] = 'debug'): {
  lines: Record<string, unknown>[];
  logger: ReturnType<typeof createLogger>;
} {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return { lines, logger };
}

describe('createLogger', () => {
  it('writes time, level and event, then the caller fields', () => {
    const { lines, logger } = capture();
    logger.info('dimse.find', { peer: 'SCU', queryLevel: 'STUDY', matches: 2 });
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({ level: 'info', event: 'dimse.find', peer: 'SCU', queryLevel: 'STUDY', matches: 2 });
    expect(Number.isNaN(Date.parse(String(line?.['time'])))).toBe(false);
  });

  it.each(['time', 'level', 'event'])('a caller field named "%s" does not overwrite the logger\'s own', (name) => {
    const { lines, logger } = capture();
    // The type forbids it (LogFields); a value built at run time can still carry it.
    const fields = JSON.parse(`{"${name}":"STUDY","other":1}`) as LogFields;
    logger.warn('some.event', fields);
    const [line] = lines;
    expect(line?.['level']).toBe('warn');
    expect(line?.['event']).toBe('some.event');
    expect(Number.isNaN(Date.parse(String(line?.['time'])))).toBe(false);
    expect(line?.[`field_${name}`]).toBe('STUDY');
    expect(line?.['other']).toBe(1);
  });

  it('drops lines below the minimum level and writes nothing when silent', () => {
    const warn = capture('warn');
    warn.logger.debug('a');
    warn.logger.info('b');
    warn.logger.warn('c');
    warn.logger.error('d');
    expect(warn.lines.map((l) => [l['level'], l['event']])).toEqual([
      ['warn', 'c'],
      ['error', 'd'],
    ]);
    const silent = capture('silent');
    silent.logger.error('e');
    expect(silent.lines).toEqual([]);
  });

  it('reduces an Error to name, message and code, without its stack', () => {
    const { lines, logger } = capture();
    const err = Object.assign(new Error('boom'), { code: 'X_BOOM' });
    logger.error('failed', { error: err });
    expect(lines[0]?.['error']).toEqual({ name: 'Error', message: 'boom', code: 'X_BOOM' });
  });
});
