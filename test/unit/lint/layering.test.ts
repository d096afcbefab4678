// Complements boundaries.test.ts: the rules it does not plant are planted here in a throw-away
// tree mirroring src/ (the real tree is never touched) and run through the project's own
// .dependency-cruiser.cjs and eslint.config.mjs: I/O, log, config and upper layers in a pure core,
// a deep import from a module this file does not know (src/frames/), store/ reaching into http/,
// cycles between top-level modules that are not file cycles, template-literal SQL, destructured and
// non-core process.env, and proof that the type-aware rules run. A clean tree (composition root,
// cli/, store with better-sqlite3 and node:fs) reports nothing, so the test can fail. Both tools
// run as child processes: dependency-cruiser 16 is ESM-only and ESLint imports its flat config,
// which jest's CommonJS runtime cannot do without --experimental-vm-modules.

import * as fs from 'node:fs';
import { cruise, lint, pairs, plantTree, type LintMessage } from './lint-runner';

/** The shared skeleton: leaves and a public index.ts per module. */
const SKELETON: Record<string, string> = {
  'src/errors.ts': 'export class FoveaError extends Error {}\n',
  'src/log.ts': 'export const log = (event: string): string => event;\n',
  'src/config.ts': 'export const config = Object.freeze({ port: 8080 });\n',
  'src/bytes/index.ts': "export { ByteReader } from './byte-reader';\n",
  'src/bytes/byte-reader.ts': 'export class ByteReader {\n  offset = 0;\n}\n',
  'src/store/types.ts': 'export interface InstanceStore {\n  name: string;\n}\n',
  'src/store/index.ts': "export type { InstanceStore } from './types';\n",
};

describe('dependency-cruiser boundary rules (.dependency-cruiser.cjs)', () => {
  let roots: string[] = [];
  afterAll(() => {
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
    roots = [];
  });

  it('reports each planted violation under its rule name', () => {
    const root = plantTree('bad', {
      ...SKELETON,
      // Pure core importing express, node:fs, the logger and config, and a module above it.
      'src/j2k/index.ts': "export { planted } from './planted';\n",
      'src/j2k/planted.ts': [
        "import express from 'express';",
        "import { readFileSync } from 'node:fs';",
        "import { log } from '../log';",
        "import { config } from '../config';",
        "import type { InstanceStore } from '../store';",
        'export const planted = (s: InstanceStore): unknown => [express, readFileSync, log, config, s];',
        '',
      ].join('\n'),
      // Deep import past store/index.ts, from http/ and from a module that does not exist yet in src/.
      'src/http/index.ts': "export { route } from './foo';\n",
      'src/http/foo.ts':
        "import type { InstanceStore } from '../store/types';\nexport const route = (s: InstanceStore): string => s.name;\n",
      'src/frames/index.ts':
        "import type { InstanceStore } from '../store/types';\nexport const f = (s: InstanceStore): string => s.name;\n",
      // store/ reaching up into http/.
      'src/store/uses-http.ts': "import { route } from '../http';\nexport const r = route;\n",
      // A cycle between top-level modules that is not a cycle between files:
      // ingest/a -> render/index -> render/b -> ingest/index (-> ingest/types).
      'src/ingest/index.ts': "export type { Job } from './types';\n",
      'src/ingest/types.ts': 'export interface Job {\n  id: string;\n}\n',
      'src/ingest/a.ts': "import { render } from '../render';\nexport const a = render;\n",
      'src/render/index.ts': "export { render } from './b';\n",
      'src/render/b.ts': "import type { Job } from '../ingest';\nexport const render = (j: Job): string => j.id;\n",
    });
    roots.push(root);

    const { status, violations } = cruise(root);
    const found = pairs(violations);

    expect(found).toEqual(
      expect.arrayContaining([
        'pure-core-no-infrastructure-packages: src/j2k/planted.ts -> node_modules/express/index.js',
        'express-only-in-http: src/j2k/planted.ts -> node_modules/express/index.js',
        'pure-core-no-io: src/j2k/planted.ts -> fs',
        'pure-core-no-config-or-log: src/j2k/planted.ts -> src/log.ts',
        'pure-core-no-config-or-log: src/j2k/planted.ts -> src/config.ts',
        'core-j2k-only-bytes: src/j2k/planted.ts -> src/store/index.ts',
        'no-deep-import: src/http/foo.ts -> src/store/types.ts',
        'no-deep-import: src/frames/index.ts -> src/store/types.ts',
        'store-knows-no-http: src/store/uses-http.ts -> src/http/index.ts',
        'http-only-from-server: src/store/uses-http.ts -> src/http/index.ts',
      ]),
    );
    // Two cycles between top-level modules, each edge reported: ingest <-> render (planted for it)
    // and store <-> http (store/uses-http.ts against http/foo.ts's import of store/); no file cycle.
    const cycles = violations.filter((v) => v.rule.name === 'no-circular-modules').map((v) => `${v.from} -> ${v.to}`);
    expect(cycles.sort()).toEqual([
      'src/http -> src/store',
      'src/ingest -> src/render',
      'src/render -> src/ingest',
      'src/store -> src/http',
    ]);
    expect(violations.filter((v) => v.rule.name === 'no-circular')).toEqual([]);
    // Nothing clean is reported: only planted files appear as the origin of a violation.
    const origins = new Set(violations.map((v) => v.from));
    for (const clean of ['src/bytes/index.ts', 'src/store/index.ts', 'src/ingest/index.ts', 'src/j2k/index.ts']) {
      expect(origins.has(clean)).toBe(false);
    }
    expect(status).not.toBe(0);
  });

  it('reports nothing on a tree that keeps the rules', () => {
    const root = plantTree('clean', {
      ...SKELETON,
      'src/j2k/index.ts': "export { size } from './siz';\n",
      'src/j2k/siz.ts': [
        "import { ByteReader } from '../bytes';",
        "import { FoveaError } from '../errors';",
        'export const size = (): unknown => [new ByteReader(), FoveaError];',
        '',
      ].join('\n'),
      'src/jpip/index.ts':
        "import { size } from '../j2k';\nimport { ByteReader } from '../bytes';\nexport const j = [size, ByteReader];\n",
      'src/store/db.ts':
        "import { readFileSync } from 'node:fs';\nimport Database from 'better-sqlite3';\nexport const db = [readFileSync, Database];\n",
      'src/http/index.ts': [
        "import express from 'express';",
        "import type { InstanceStore } from '../store';",
        "import { log } from '../log';",
        'export const app = (s: InstanceStore): unknown => [express, s, log];',
        '',
      ].join('\n'),
      'src/server.ts':
        "import { app } from './http';\nimport { config } from './config';\nexport const serve = [app, config];\n",
      'src/cli/serve.ts': "import { serve } from '../server';\nexport const main = serve;\n",
    });
    roots.push(root);

    const { status, violations } = cruise(root);

    expect(pairs(violations)).toEqual([]);
    expect(status).toBe(0);
  });
});

describe('ESLint boundary rules (eslint.config.mjs)', () => {
  let root = '';
  let results = new Map<string, LintMessage[]>();
  beforeAll(() => {
    root = plantTree('eslint', {
      'src/j2k/env.ts': 'export const level = process.env.LOG_LEVEL;\n',
      'src/j2k/env-destructured.ts': 'const { env } = process;\nexport const level = env.LOG_LEVEL;\n',
      'src/ingest/env.ts': "export const dir = process.env['DATA_DIR'];\n",
      'src/config.ts':
        'export const readConfig = (env: NodeJS.ProcessEnv): unknown => env.PORT;\nexport const c = readConfig(process.env);\n',
      'src/http/sql.ts': [
        "export const q = 'SELECT sop_uid FROM instances';",
        'export const del = (t: string): string => `DELETE FROM ${t} WHERE x = ?`;',
        '',
      ].join('\n'),
      'src/store/sql.ts': [
        "export const q = 'SELECT sop_uid FROM instances';",
        'export const del = (t: string): string => `DELETE FROM ${t} WHERE x = ?`;',
        '',
      ].join('\n'),
      'src/jpip/floating.ts': [
        'async function work(): Promise<number> {',
        '  return Promise.resolve(1);',
        '}',
        'export function start(): void {',
        '  work();',
        '}',
        '',
      ].join('\n'),
      'src/dicom/clean.ts': [
        '// The selected frame (no SQL here, just English: select, update, delete).',
        'export function frameOf(options: { frame?: number }): number {',
        '  return options.frame ?? 1;',
        '}',
        '',
      ].join('\n'),
    });
    results = lint(root, [
      'src/j2k/env.ts',
      'src/j2k/env-destructured.ts',
      'src/ingest/env.ts',
      'src/config.ts',
      'src/http/sql.ts',
      'src/store/sql.ts',
      'src/jpip/floating.ts',
      'src/dicom/clean.ts',
    ]);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const rulesOf = (file: string): (string | null)[] => (results.get(file) ?? []).map((m) => m.ruleId);

  it('forbids process.env in a pure core and in ordinary modules, not in config.ts', () => {
    expect(rulesOf('src/j2k/env.ts')).toEqual(['no-restricted-properties']);
    expect(rulesOf('src/j2k/env-destructured.ts')).toEqual(['no-restricted-properties']);
    expect(rulesOf('src/ingest/env.ts')).toEqual(['no-restricted-properties']);
    expect(rulesOf('src/config.ts')).toEqual([]);
  });

  it('forbids SQL strings and template literals outside store/', () => {
    expect(rulesOf('src/http/sql.ts')).toEqual(['no-restricted-syntax', 'no-restricted-syntax']);
    expect(rulesOf('src/store/sql.ts')).toEqual([]);
  });

  it('runs the type-aware rules (a floating promise is caught)', () => {
    expect(rulesOf('src/jpip/floating.ts')).toEqual(['@typescript-eslint/no-floating-promises']);
  });

  it('reports nothing on a clean file', () => {
    expect(results.get('src/dicom/clean.ts')).toEqual([]);
  });
});
