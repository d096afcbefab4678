// `fovea serve`: start the gateway on the embedded SQLite + local folder default.
import { readConfig } from '../config';
import { startServer } from '../server';
import { parseCommandArgs, stringOpt } from './args';
import { EXIT } from './exit-codes';
import { commandUsage } from './usage';

export async function runServe(argv: string[]): Promise<number> {
  const { values, help } = parseCommandArgs(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'public-url': { type: 'string' },
      'cors-origins': { type: 'string' },
      'log-level': { type: 'string' },
      'dimse-port': { type: 'string' },
      'ae-title': { type: 'string' },
      'calling-ae-titles': { type: 'string' },
      'store-ae-titles': { type: 'string' },
      'query-ae-titles': { type: 'string' },
      peers: { type: 'string' },
      overwrite: { type: 'string' },
    },
    false,
  );
  if (help) {
    process.stdout.write(commandUsage('serve'));
    return EXIT.ok;
  }
  const config = readConfig(
    {
      port: stringOpt(values, 'port'),
      host: stringOpt(values, 'host'),
      data: stringOpt(values, 'data'),
      publicUrl: stringOpt(values, 'public-url'),
      corsOrigins: stringOpt(values, 'cors-origins'),
      logLevel: stringOpt(values, 'log-level'),
      dimsePort: stringOpt(values, 'dimse-port'),
      overwrite: stringOpt(values, 'overwrite'),
      aeTitle: stringOpt(values, 'ae-title'),
      callingAeTitles: stringOpt(values, 'calling-ae-titles'),
      storeAeTitles: stringOpt(values, 'store-ae-titles'),
      queryAeTitles: stringOpt(values, 'query-ae-titles'),
      peers: stringOpt(values, 'peers'),
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
