// The lint rules catch what they exist for: the project's own dependency-cruiser rule set and
// ESLint config run over planted files in a throw-away copy of the layout (the real src/ is never
// touched): express in a pure core, a deep import past a module's index.ts, SQL outside store/,
// process.env in a pure core. The same layout without the plants reports nothing, so the test can fail.

import * as fs from 'node:fs';
import { cruise, lintAs, plantTree, type CruiseViolation } from './lint-runner';

const violations = (root: string): CruiseViolation[] => cruise(root).violations;

const CLEAN: Record<string, string> = {
  'src/errors.ts': 'export class FoveaError extends Error {}\n',
  'src/bytes/index.ts': "export { ByteReader } from './byte-reader';\n",
  'src/bytes/byte-reader.ts': 'export class ByteReader {}\n',
  'src/j2k/index.ts': "export { parse } from './parse';\n",
  'src/j2k/parse.ts':
    "import { ByteReader } from '../bytes';\nexport const parse = (): ByteReader => new ByteReader();\n",
  'src/store/index.ts': "export type { Row } from './types';\n",
  'src/store/types.ts': 'export interface Row { id: string }\n',
  'src/http/app.ts':
    "import type { Row } from '../store';\nimport { parse } from '../j2k';\nexport const app = (r: Row): unknown => [r, parse()];\n",
};

describe('dependency-cruiser boundary rules (.dependency-cruiser.cjs)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('reports nothing on a layout that keeps the rules', () => {
    const dir = plantTree('clean', CLEAN);
    dirs.push(dir);
    expect(violations(dir)).toEqual([]);
  }, 60_000);

  it('catches express imported by a pure core (src/j2k) and a deep import past index.ts', () => {
    const dir = plantTree('planted', {
      ...CLEAN,
      'src/j2k/planted.ts': "import express from 'express';\nexport const planted = express;\n",
      'src/http/deep.ts': "import type { Row } from '../store/types';\nexport type Deep = Row;\n",
    });
    dirs.push(dir);
    const found = violations(dir).map((v) => `${v.rule.name} ${v.from} -> ${v.to}`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^pure-core-no-infrastructure-packages src\/j2k\/planted\.ts -> .*node_modules\/(@types\/)?express\//,
        ),
        expect.stringMatching(/^express-only-in-http src\/j2k\/planted\.ts -> .*node_modules\/(@types\/)?express\//),
        'no-deep-import src/http/deep.ts -> src/store/types.ts',
      ]),
    );
  }, 60_000);
});

describe('ESLint boundary rules (eslint.config.mjs)', () => {
  it('forbids SQL outside src/store and allows it inside', () => {
    const sql = "export const q = 'SELECT sop FROM instances';\n";
    // Files that exist in the project, so the type-aware rules have their program; the text is ours.
    expect(lintAs('src/http/app.ts', sql)).toContain('no-restricted-syntax');
    expect(lintAs('src/store/db.ts', sql)).not.toContain('no-restricted-syntax');
  }, 60_000);

  it('forbids process.env in a pure core and allows it in config.ts', () => {
    const env = "export const home = process.env['HOME'];\n";
    expect(lintAs('src/j2k/summary.ts', env)).toContain('no-restricted-properties');
    expect(lintAs('src/config.ts', env)).not.toContain('no-restricted-properties');
  }, 60_000);
});
