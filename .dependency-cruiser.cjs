// Module boundaries of Fovea, checked by `npm run lint:deps` (dependency-cruiser). Encodes the
// "Dependency direction" section of docs/CONVENTIONS.md and docs/architecture.md:
// pure cores, who may import express / better-sqlite3 / the codecs, who may import http/ and
// server.ts, "a folder's index.ts is its public API", and no cycles. Module names are matched
// generically (src/<module>/...), so a new folder under src/ is covered without editing this file.
// Type-only imports count (tsPreCompilationDeps): a boundary is about knowledge, not emitted code.

/** The pure cores: bytes in, values or typed errors out; no I/O, no config, no logging. */
const PURE = '^src/(bytes|j2k|jpip|dicom)/';
/** Node core modules that do I/O (fs, sockets, servers, processes). node:zlib, node:crypto are fine. */
const IO_CORE = '^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|child_process|cluster)$';
/** An npm package (its own files or its @types), e.g. npm('express'). */
const npm = (names) => `(^|/)node_modules/(@types/)?(${names})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ---- pure cores -----------------------------------------------------------------------
    {
      name: 'pure-core-no-io',
      severity: 'error',
      comment: 'bytes/, j2k/, jpip/, dicom/ are pure: no file, socket or server I/O (CONVENTIONS.md).',
      from: { path: PURE },
      to: { dependencyTypes: ['core'], path: IO_CORE },
    },
    {
      name: 'pure-core-no-infrastructure-packages',
      severity: 'error',
      comment: 'bytes/, j2k/, jpip/, dicom/ import no express, better-sqlite3, DIMSE networking or codecs.',
      from: { path: PURE },
      to: { path: npm('express|express-serve-static-core|better-sqlite3|dcmjs-dimse|@cornerstonejs') },
    },
    {
      name: 'pure-core-no-config-or-log',
      severity: 'error',
      comment: 'Pure cores take options as parameters (never config.ts) and return warnings (never log).',
      from: { path: PURE },
      to: { path: '^src/(config|log)\\.ts$' },
    },
    {
      name: 'core-bytes-is-a-leaf',
      severity: 'error',
      comment: 'bytes/ depends on nothing in src/ but the errors.ts leaf.',
      from: { path: '^src/bytes/' },
      to: { path: '^src/', pathNot: '^src/(bytes/|errors\\.ts$)' },
    },
    {
      name: 'core-j2k-only-bytes',
      severity: 'error',
      comment: 'bytes <- j2k: j2k/ may import only bytes/ (and errors.ts).',
      from: { path: '^src/j2k/' },
      to: { path: '^src/', pathNot: '^src/(j2k/|bytes/|errors\\.ts$)' },
    },
    {
      name: 'core-jpip-only-j2k-bytes',
      severity: 'error',
      comment: 'bytes <- j2k <- jpip: jpip/ may import only j2k/ and bytes/ (and errors.ts).',
      from: { path: '^src/jpip/' },
      to: { path: '^src/', pathNot: '^src/(jpip/|j2k/|bytes/|errors\\.ts$)' },
    },
    {
      name: 'core-dicom-only-bytes',
      severity: 'error',
      comment: 'bytes <- dicom: dicom/ may import only bytes/ (and errors.ts).',
      from: { path: '^src/dicom/' },
      to: { path: '^src/', pathNot: '^src/(dicom/|bytes/|errors\\.ts$)' },
    },
    {
      name: 'errors-is-a-leaf',
      severity: 'error',
      comment: 'src/errors.ts is the shared leaf every layer may import: it imports nothing from src/.',
      from: { path: '^src/errors\\.ts$' },
      to: { path: '^src/' },
    },

    // ---- infrastructure packages in one place each -------------------------------------------
    {
      name: 'express-only-in-http',
      severity: 'error',
      comment: 'Only http/ and the composition root server.ts import express.',
      from: { path: '^(src|bench)/', pathNot: '^src/(http/|server\\.ts$)' },
      to: { path: npm('express|express-serve-static-core') },
    },
    {
      name: 'sqlite-only-in-store',
      severity: 'error',
      comment: 'store/ is the only place that talks to SQLite (tests may open the database directly).',
      from: { path: '^(src|bench)/', pathNot: '^src/store/' },
      to: { path: npm('better-sqlite3') },
    },
    {
      name: 'wasm-codecs-only-in-codec',
      severity: 'error',
      comment: 'codec/ is the only wrapper of the WebAssembly codecs (@cornerstonejs/codec-*).',
      from: { path: '^(src|bench)/', pathNot: '^src/codec/' },
      to: { path: npm('@cornerstonejs') },
    },

    // ---- layers that must not know the edge -----------------------------------------------------
    {
      name: 'store-knows-no-http',
      severity: 'error',
      comment: 'store/ knows SQL and domain types, nothing about HTTP; nor the layers built on it.',
      from: { path: '^src/store/' },
      to: { path: '^(src/(http|ingest|dimse|render|cli)/|src/server\\.ts$|(node:)?(http|https|http2)$)' },
    },
    {
      name: 'codec-no-http-sql-fs',
      severity: 'error',
      comment: 'codec/: no HTTP, no SQL, no fs (architecture.md).',
      from: { path: '^src/codec/' },
      to: {
        path: `^(src/(http|store)/|(node:)?(fs|fs/promises|http|https|http2|net)$)|${npm('express|better-sqlite3')}`,
      },
    },
    {
      name: 'ingest-no-http',
      severity: 'error',
      comment: 'ingest/ is one pipeline for STOW-RS, import and DIMSE: no HTTP types.',
      from: { path: '^src/ingest/' },
      to: { path: '^(src/(http|dimse|cli)/|(node:)?(http|https|http2)$)' },
    },

    // ---- the edge and the composition root ----------------------------------------------------
    {
      name: 'http-only-from-server',
      severity: 'error',
      comment: 'Nothing imports http/ but the composition root server.ts (tests may).',
      from: { path: '^(src|bench)/', pathNot: '^src/(http/|server\\.ts$)' },
      to: { path: '^src/http/' },
    },
    {
      name: 'server-only-from-cli',
      severity: 'error',
      comment: 'server.ts is the composition root: only cli/ starts it (tests may).',
      from: { path: '^src/', pathNot: '^src/(cli/|server\\.ts$)' },
      to: { path: '^src/server\\.ts$' },
    },
    {
      name: 'cli-is-an-entry-point',
      severity: 'error',
      comment: 'cli/ is an entry point; no module of the library imports it.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },

    // ---- public API = index.ts -----------------------------------------------------------------
    {
      name: 'no-deep-import',
      severity: 'error',
      comment:
        "A folder's index.ts is its public API: from outside src/X/, import '../X', never '../X/file' " +
        '(CONVENTIONS.md "Files, naming"). Unit tests in test/ may reach internals.',
      from: { path: '^src/([^/]+)' },
      to: { path: '^src/[^/]+/.', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-deep-import-from-bench',
      severity: 'error',
      comment: 'Benchmarks use the public API of each module (src/X/index.ts), like any client.',
      from: { path: '^bench/' },
      to: { path: '^src/[^/]+/.', pathNot: '^src/[^/]+/index\\.ts$' },
    },

    // ---- direction of the tree --------------------------------------------------------------------
    {
      name: 'src-not-to-tests-or-bench',
      severity: 'error',
      comment: 'Production code never imports tests, fixtures, conformance tests or benchmarks.',
      from: { path: '^src/' },
      to: { path: '^(test|bench|conformance)/' },
    },
    {
      name: 'no-circular-modules',
      severity: 'error',
      comment: 'No cycle between top-level modules (src/X <-> src/Y, possibly via others).',
      scope: 'folder',
      from: { path: '^src/[^/]+$' },
      to: { circular: true, path: '^src/[^/]+' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle between files either.',
      from: { path: '^(src|bench)/' },
      to: { circular: true },
    },

    // ---- hygiene --------------------------------------------------------------------------------
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment: 'src/ runs in production (npm ci --omit=dev): it cannot need a devDependency.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: '(^|/)node_modules/@types/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules is not followed (doNotFollow) but stays in the graph, so the package rules can see it.
    exclude: { path: '^(dist|dist-bench|coverage|data)/|^test/fixtures/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
