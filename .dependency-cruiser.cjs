// The project's layer rules, checked by `npm run lint:deps` (part of `npm test`).
//
//   specs → fixtures → helpers      the suite's imports run one way;
//   mock/  ✕  specs, fixtures, helpers, schemas
//                                   the checked and the checker share nothing, in either direction,
//                                   so a mistake made in both would not pass unseen;
//   scripts/                        tooling: may import the suite and the mock;
//   no import circle anywhere.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import circle: two modules that need each other are one concept, or one of them holds a part the other should own.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'helpers-not-to-fixtures-or-specs',
      severity: 'error',
      comment:
        'helpers/ is the bottom layer of the suite: fixtures and specs build on it, never the other way.',
      from: { path: '^helpers/' },
      to: { path: '^(fixtures|specs)/' },
    },
    {
      name: 'fixtures-not-to-specs',
      severity: 'error',
      comment: 'fixtures/ serve the specs; a spec is never a library.',
      from: { path: '^fixtures/' },
      to: { path: '^specs/' },
    },
    {
      name: 'schemas-are-data',
      severity: 'error',
      comment: 'schemas/ are the contract as data; they import nothing of the suite or the mock.',
      from: { path: '^schemas/' },
      to: { path: '^(specs|fixtures|helpers|mock|scripts)/' },
    },
    {
      name: 'suite-not-to-mock',
      severity: 'error',
      comment: "The suite must not use the mock's code: a mistake shared by both would pass unseen.",
      from: { path: '^(specs|fixtures|helpers|schemas)/' },
      to: { path: '^mock/' },
    },
    {
      name: 'mock-not-to-suite',
      severity: 'error',
      comment: "The mock must not use the suite's schemas or helpers: it is an independent implementation.",
      from: { path: '^mock/' },
      to: { path: '^(specs|fixtures|helpers|schemas)/' },
    },
    {
      name: 'suite-not-to-scripts',
      severity: 'error',
      comment:
        "scripts/ is tooling on top of the suite and the mock; neither imports it (an @offline spec may, to test a script's logic).",
      from: { path: '^(fixtures|helpers|schemas|mock)/' },
      to: { path: '^scripts/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: {
      path: '^(node_modules|reports|test-results|playwright-report|blob-report|allure-results|allure-report)/',
    },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json', '.d.ts'],
    },
    skipAnalysisNotInRules: true,
  },
};
