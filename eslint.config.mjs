// ESLint (flat config) for Fovea: type-aware correctness rules from typescript-eslint, plus the
// boundary rules that import analysis cannot express (process.env and SQL strings; imports are
// dependency-cruiser's job, see .dependency-cruiser.cjs). No stylistic rules: prettier formats.
// Conventions: docs/CONVENTIONS.md ("Dependency direction", "What a reviewer should reject").

import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The pure cores (CONVENTIONS.md "Dependency direction"). */
const PURE_CORES = ['src/bytes/**', 'src/j2k/**', 'src/jpip/**', 'src/dicom/**'];

/** SQL keywords that only store/ may spell out (in a string or a template literal). */
const SQL = String.raw`/\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b/`;
const SQL_OUTSIDE_STORE = [
  {
    selector: `Literal[value=${SQL}]`,
    message: 'SQL belongs in src/store/ (CONVENTIONS.md: "The only place with SQL").',
  },
  {
    selector: `TemplateElement[value.raw=${SQL}]`,
    message: 'SQL belongs in src/store/ (CONVENTIONS.md: "The only place with SQL").',
  },
];
const NO_DEFAULT_EXPORT = [
  { selector: 'ExportDefaultDeclaration', message: 'Named exports only (CONVENTIONS.md "Files, naming").' },
  {
    selector: 'ExportSpecifier[exported.name="default"]',
    message: 'Named exports only (CONVENTIONS.md "Files, naming").',
  },
];
/** Pure cores never read the environment: configuration arrives as parameters. */
const PROCESS_ENV = {
  object: 'process',
  property: 'env',
  message: 'Configuration reaches modules as parameters: only src/config.ts (fed by src/cli/) reads process.env.',
};

export default defineConfig(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'test/fixtures/**', 'deploy/**'],
  },

  // ---- every TypeScript file of the project: type-aware correctness ---------------------------
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'conformance/tests/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: true },
      ],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/ban-ts-comment': [
        'error',
        {
          'ts-expect-error': 'allow-with-description',
          'ts-ignore': true,
          'ts-nocheck': true,
          'ts-check': false,
          minimumDescriptionLength: 10,
        },
      ],
      // CommonJS output: the codec loaders require() their WASM glue lazily on purpose.
      '@typescript-eslint/no-require-imports': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Implementations of async interfaces (BlobStore.read, generators of stored bytes) are async
      // without awaiting; that is not a defect.
      '@typescript-eslint/require-await': 'off',
    },
  },

  // ---- production code ----------------------------------------------------------------------------
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...SQL_OUTSIDE_STORE, ...NO_DEFAULT_EXPORT],
      'no-restricted-properties': ['error', PROCESS_ENV],
      // Small files, one concept each (CONVENTIONS.md "Files, naming"): split a file before it grows past this.
      'max-lines': ['error', { max: 400 }],
    },
  },
  {
    files: ['src/store/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...NO_DEFAULT_EXPORT] },
  },
  {
    // The composition of configuration: cli/ hands process.env to config.ts, which parses it once.
    files: ['src/config.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Pure cores: no environment (also not via `import { env } from 'node:process'`), no console.
    files: PURE_CORES.map((dir) => `${dir}/*.ts`),
    rules: {
      'no-restricted-properties': ['error', PROCESS_ENV],
      'no-restricted-imports': [
        'error',
        {
          paths: ['process', 'node:process'].map((name) => ({
            name,
            importNames: ['env'],
            message: PROCESS_ENV.message,
          })),
        },
      ],
      'no-console': ['error'],
    },
  },

  // ---- benchmarks and black-box conformance tests: no SQL either ---------------------------------
  {
    files: ['bench/**/*.ts', 'conformance/tests/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...SQL_OUTSIDE_STORE] },
  },

  // ---- tests: jest idioms (mocks, `expect(obj.method)`, untyped JSON bodies) -------------------
  {
    files: ['test/**/*.ts', 'conformance/tests/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      // supertest bodies and parsed JSON are untyped by nature; tests assert on them directly.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },

  // ---- the JavaScript config files at the root: plain recommended, no type information ---------
  {
    files: ['*.js', '*.cjs', '*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        module: 'writable',
        require: 'readonly',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
  },
  {
    files: ['*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
);
