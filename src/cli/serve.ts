// `fovea serve`: start the gateway on the embedded SQLite + local folder default.
import { readConfig } from '../config';
import { startServer } from '../server';
import { parseCommandArgs, stringOpt } from './args';
import { EXIT } from './exit-codes';

export async function runServe(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'public-url': { type: 'string' },
      'cors-origins': { type: 'string' },
      'log-level': { type: 'string' },
    },
    false,
  );
  const config = readConfig(
    {
      port: stringOpt(values, 'port'),
      host: stringOpt(values, 'host'),
      data: stringOpt(values, 'data'),
      publicUrl: stringOpt(values, 'public-url'),
      corsOrigins: stringOpt(values, 'cors-origins'),
      logLevel: stringOpt(values, 'log-level'),
    },
    process.env,
  );
  const running = await startServer(config);
  const shutdown = (signal: string): void => {
    running.gateway.logger.info('shutdown', { signal });
    running.stop().then(
      () => process.exit(EXIT.ok),
      () => process.exit(EXIT.internal),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  return EXIT.running;
}
