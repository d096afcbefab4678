/** Jest runs the TypeScript sources through ts-jest in transpile-only mode (fast: no type-check
 *  per file); `npm test` type-checks the whole project with tsc first.
 *  Suites that read the larger real corpus (FOVEA_TEST_DATA, default ../shared/data) say so with a
 *  first-line `// @needs-corpus` comment; on a clone without the corpus they are skipped, with a
 *  message naming the folder, instead of failing. */
const fs = require('node:fs');
const path = require('node:path');

const corpus = path.resolve(process.env.FOVEA_TEST_DATA ?? path.join(__dirname, '..', 'shared', 'data'));
const roots = ['test', 'conformance/tests'];

function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : testFiles(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const ignored = [];
if (!fs.existsSync(path.join(corpus, 'dicom'))) {
  const needing = roots
    .flatMap((r) => testFiles(path.join(__dirname, r)))
    .filter((f) => fs.readFileSync(f, 'latin1').startsWith('// @needs-corpus'));
  ignored.push(...needing.map((f) => `${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  console.warn(
    `jest: no test corpus at ${corpus} (set FOVEA_TEST_DATA): ${needing.length} suites that need it are skipped`,
  );
}

module.exports = {
  testEnvironment: 'node',
  roots: roots.map((r) => `<rootDir>/${r}`),
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...ignored],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  testTimeout: 60000,
};
