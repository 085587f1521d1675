// The project's layer rules, checked by `npm run lint:deps` (part of `npm test`).
//
//   specs → fixtures → helpers      the suite's imports run one way;
//   mock/  ✕  specs, fixtures, helpers, schemas
//                                   the checked and the checker share nothing, in either direction,
//                                   so a mistake made in both would not pass unseen;
//   scripts/                        tooling: may import the suite and the mock;
//   no import circle anywhere.

/** The suite's folders; the mock shares none of them. */
const SUITE = ['specs', 'fixtures', 'helpers', 'schemas'];

/** A layer rule: no module under a `from` folder imports one under a `to` folder; `why` is the report's. */
function layer(name, from, to, why) {
  const under = (folders) => ({ path: `^(${folders.join('|')})/` });
  return { name, severity: 'error', comment: why, from: under(from), to: under(to) };
}

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
    layer(
      'helpers-not-to-fixtures-or-specs',
      ['helpers'],
      ['fixtures', 'specs'],
      'helpers/ is the bottom layer of the suite: fixtures and specs build on it, never the other way.',
    ),
    layer(
      'fixtures-not-to-specs',
      ['fixtures'],
      ['specs'],
      'fixtures/ serve the specs; a spec is never a library.',
    ),
    layer(
      'schemas-are-data',
      ['schemas'],
      ['specs', 'fixtures', 'helpers', 'mock', 'scripts'],
      'schemas/ are the contract as data; they import nothing of the suite or the mock.',
    ),
    layer(
      'suite-not-to-mock',
      SUITE,
      ['mock'],
      "The suite must not use the mock's code: a mistake shared by both would pass unseen.",
    ),
    layer(
      'mock-not-to-suite',
      ['mock'],
      SUITE,
      "The mock must not use the suite's schemas or helpers: it is an independent implementation.",
    ),
    layer(
      'suite-not-to-scripts',
      ['fixtures', 'helpers', 'schemas', 'mock'],
      ['scripts'],
      "scripts/ is tooling on top of the suite and the mock; neither imports it (an @offline spec may, to test a script's logic).",
    ),
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
