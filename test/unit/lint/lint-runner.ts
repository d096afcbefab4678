// Runs the project's own lint tools over a planted throw-away tree (the real src/ is never
// touched), for the tests that prove the rules catch what they exist for. Both tools run as child
// processes: dependency-cruiser 16 is ESM-only and ESLint imports its flat config, which jest's
// CommonJS runtime cannot do without --experimental-vm-modules.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');
const DEPCRUISE_BIN = path.join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const ESLINT_BIN = path.join(REPO, 'node_modules/eslint/bin/eslint.js');

/** Writes `files` (path relative to the root → content) into a fresh temporary project. */
export function plantTree(name: string, files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `fovea-lint-${name}-`));
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  // The tree resolves 'express' etc. (and @types) through the project's own node_modules.
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const compilerOptions = {
    strict: true,
    module: 'commonjs',
    target: 'ES2022',
    types: ['node'],
    esModuleInterop: true,
  };
  fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }));
  return root;
}

export interface CruiseViolation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Runs dependency-cruiser with the project's rule set over `<root>/src`: the violations (JSON
 *  reporter) and the exit status of the `err` reporter `npm run lint:deps` uses (the JSON reporter
 *  always exits 0). */
export function cruise(root: string): { status: number | null; violations: CruiseViolation[] } {
  const run = (outputType: string): ReturnType<typeof spawnSync> & { stdout: string } =>
    spawnSync(
      process.execPath,
      [DEPCRUISE_BIN, '--config', path.join(REPO, '.dependency-cruiser.cjs'), '--output-type', outputType, 'src'],
      { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
  const json = run('json');
  if (json.stdout === '') throw new Error(`dependency-cruiser produced no output: ${String(json.stderr)}`);
  const result = JSON.parse(json.stdout) as { summary: { violations: CruiseViolation[] } };
  return { status: run('err').status, violations: result.summary.violations };
}

export interface LintMessage {
  ruleId: string | null;
  message: string;
}

/** Runs ESLint (type-aware, the project's flat config) on the given files of `root`. */
export function lint(root: string, files: string[]): Map<string, LintMessage[]> {
  const run = spawnSync(
    process.execPath,
    [ESLINT_BIN, '--config', path.join(REPO, 'eslint.config.mjs'), '--format', 'json', ...files],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.stdout === '') throw new Error(`eslint produced no output: ${run.stderr}`);
  const results = JSON.parse(run.stdout) as { filePath: string; messages: LintMessage[] }[];
  return new Map(results.map((r) => [path.relative(root, r.filePath), r.messages]));
}

export const pairs = (violations: CruiseViolation[]): string[] =>
  violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to.replace(/^.*node_modules\//, 'node_modules/')}`);

/** ESLint's rule ids for `text` linted as if it were the project file `file` (type-aware rules
 *  get the real program, so `file` must exist; its content on disk is not read). */
export function lintAs(file: string, text: string): string[] {
  const run = spawnSync(
    process.execPath,
    [ESLINT_BIN, '--format', 'json', '--stdin', '--stdin-filename', path.join(REPO, file)],
    { cwd: REPO, input: text, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  if (run.stdout === '') throw new Error(`eslint produced no output: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as { messages: LintMessage[] }[];
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}
