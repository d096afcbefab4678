// `fovea --version`: the version field of Fovea's own package.json, found by walking up from this
// file (src/cli/ in development, dist/cli/ when installed, any build folder in tests).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { FoveaError } from '../errors';

export function packageVersion(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'fovea' && typeof pkg.version === 'string') return pkg.version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new FoveaError('CLI_VERSION_UNKNOWN', `no package.json of fovea above ${start}`);
    dir = parent;
  }
}
