// The lint rules catch what they exist for: the project's own dependency-cruiser rule set and
// ESLint config run over planted files in a throw-away copy of the layout (the real src/ is never
// touched): express in a pure core, a deep import past a module's index.ts, SQL outside store/,
// process.env in a pure core. The same layout without the plants reports nothing, so the test can fail.

import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const DEPCRUISE = path.join(ROOT, 'node_modules', '.bin', 'depcruise');
const ESLINT = path.join(ROOT, 'node_modules', '.bin', 'eslint');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

function layout(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fovea-lint-'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  copyFileSync(path.join(ROOT, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'commonjs', moduleResolution: 'node', strict: true },
      include: ['src'],
    }),
  );
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function cruise(dir: string): Promise<Violation[]> {
  return new Promise((resolve, reject) => {
    execFile(
      DEPCRUISE,
      ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
      { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout) => {
        // depcruise exits non-zero when it finds violations; the JSON on stdout is what counts.
        try {
          const out = JSON.parse(stdout) as { summary: { violations: Violation[] } };
          resolve(out.summary.violations);
        } catch (parseError) {
          reject(new Error(`depcruise gave no JSON (${err?.message ?? 'exit 0'})`, { cause: parseError }));
        }
      },
    );
  });
}

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
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('reports nothing on a layout that keeps the rules', async () => {
    const dir = layout(CLEAN);
    dirs.push(dir);
    expect(await cruise(dir)).toEqual([]);
  }, 60_000);

  it('catches express imported by a pure core (src/j2k) and a deep import past index.ts', async () => {
    const dir = layout({
      ...CLEAN,
      'src/j2k/planted.ts': "import express from 'express';\nexport const planted = express;\n",
      'src/http/deep.ts': "import type { Row } from '../store/types';\nexport type Deep = Row;\n",
    });
    dirs.push(dir);
    const found = (await cruise(dir)).map((v) => `${v.rule.name} ${v.from} -> ${v.to}`);
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
  // The CLI, not the Node API: the API loads the ESM config through a dynamic import jest's VM lacks.
  function rulesFor(file: string, text: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        ESLINT,
        ['--format', 'json', '--stdin', '--stdin-filename', path.join(ROOT, file)],
        { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout) => {
          try {
            const [result] = JSON.parse(stdout) as { messages: { ruleId: string | null; message: string }[] }[];
            resolve((result?.messages ?? []).map((m) => m.ruleId ?? m.message));
          } catch (parseError) {
            reject(new Error(`eslint gave no JSON (${err?.message ?? 'exit 0'})`, { cause: parseError }));
          }
        },
      );
      child.stdin?.end(text);
    });
  }

  it('forbids SQL outside src/store and allows it inside', async () => {
    const sql = "export const q = 'SELECT sop FROM instances';\n";
    // Files that exist in the project, so the type-aware rules have their program; the text is ours.
    expect(await rulesFor('src/http/app.ts', sql)).toContain('no-restricted-syntax');
    expect(await rulesFor('src/store/db.ts', sql)).not.toContain('no-restricted-syntax');
  }, 60_000);

  it('forbids process.env in a pure core and allows it in config.ts', async () => {
    const env = "export const home = process.env['HOME'];\n";
    expect(await rulesFor('src/j2k/summary.ts', env)).toContain('no-restricted-properties');
    expect(await rulesFor('src/config.ts', env)).not.toContain('no-restricted-properties');
  }, 60_000);
});
