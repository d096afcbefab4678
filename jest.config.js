/** Jest runs the TypeScript sources through ts-jest in transpile-only mode (fast: no type-check
 *  per file); `npm test` type-checks the whole project with tsc first. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/conformance/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  testTimeout: 60000,
};
