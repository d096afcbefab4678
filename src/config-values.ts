// Shared by the config reader's parts (config.ts, config-dimse.ts): the raw inputs (command-line
// flags; the environment is passed alongside), the typed configuration error and the number reader.

import { BadRequestError } from './errors';

export interface ConfigInput {
  port?: string | undefined;
  host?: string | undefined;
  data?: string | undefined;
  publicUrl?: string | undefined;
  corsOrigins?: string | undefined;
  maxBodyBytes?: string | undefined;
  maxPartBytes?: string | undefined;
  maxParts?: string | undefined;
  logLevel?: string | undefined;
  dimsePort?: string | undefined;
  aeTitle?: string | undefined;
  callingAeTitles?: string | undefined;
  storeAeTitles?: string | undefined;
  queryAeTitles?: string | undefined;
  peers?: string | undefined;
  overwrite?: string | undefined;
}

/** Thrown for invalid configuration; the CLI maps it to exit code 2. */
export class ConfigError extends BadRequestError {}

export function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError('CONFIG_NOT_INTEGER', `${name} must be a whole number, got "${raw}"`);
  const v = Number(raw);
  if (v < min || v > max)
    throw new ConfigError('CONFIG_OUT_OF_RANGE', `${name} must be between ${min} and ${max}, got ${v}`);
  return v;
}
