// `npm run conformance:report`: builds the conformance report (reports/conformance.md and .json) from
// a records folder, e.g. the merged records of a sharded run, one sub-folder per shard. With a
// Playwright JSON report (merge-reports --reporter=json) the tests' outcomes and skip reasons are
// counted too; without one, a test counts as failed when one of its exchanges was off the contract.
//
//   --records <dir>   records folder (default reports/records; sub-folders are read too)
//   --results <file>  Playwright JSON report of the same run (optional)
//   --out <dir>       where to write conformance.md and .json (default reports)
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestOutcome } from '../helpers/conformance.ts';
import { writeConformanceReport } from '../helpers/conformance-files.ts';
import { firstError } from '../helpers/conformance-reporter.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface JsonTest {
  projectName: string;
  expectedStatus: string;
  status: 'expected' | 'unexpected' | 'flaky' | 'skipped';
  annotations?: { type: string; description?: string }[];
  results?: { annotations?: { type: string; description?: string }[]; errors?: { message?: string }[] }[];
}
interface JsonSpec {
  title: string;
  file: string;
  tests: JsonTest[];
}
interface JsonSuite {
  title: string;
  file: string;
  specs?: JsonSpec[];
  suites?: JsonSuite[];
}
interface JsonReport {
  config: { rootDir: string };
  suites: JsonSuite[];
}

/** The tests of a Playwright JSON report, as the conformance report counts them. */
export function outcomesFromJson(report: JsonReport): TestOutcome[] {
  const out: TestOutcome[] = [];
  const walk = (suite: JsonSuite, describes: string[]): void => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        const annotations = [
          ...(t.annotations ?? []),
          ...(t.results ?? []).flatMap((r) => r.annotations ?? []),
        ];
        const skipReason = annotations.find((a) => a.type === 'skip')?.description;
        const lastResult = t.results?.[t.results.length - 1];
        const failure =
          t.status === 'unexpected'
            ? firstError({
                errors: (lastResult?.errors ?? []).map((e) => ({ message: e.message ?? '' })),
              })
            : undefined;
        out.push({
          title: [...describes, spec.title].join(' › '),
          file: relative(root, join(report.config.rootDir, spec.file)),
          project: t.projectName,
          outcome:
            t.status === 'expected'
              ? t.expectedStatus === 'failed'
                ? 'expected-failure'
                : 'passed'
              : t.status === 'unexpected'
                ? 'failed'
                : t.status,
          ...(skipReason ? { skipReason } : {}),
          ...failure,
          operations: annotations
            .filter((a) => a.type === 'operation' && a.description)
            .map((a) => a.description ?? ''),
        });
      }
    }
    // The top-level suites are files; their title is not part of a test's title path.
    for (const child of suite.suites ?? []) walk(child, [...describes, child.title]);
  };
  for (const file of report.suites) walk(file, []);
  return out;
}

const recordsDir = resolve(option('records') ?? join(root, 'reports', 'records'));
const resultsFile = option('results');
if (!existsSync(recordsDir)) {
  process.stderr.write(`No records folder at ${recordsDir}: pass --records <dir>.\n`);
  process.exit(1);
}
const tests = resultsFile
  ? outcomesFromJson(JSON.parse(readFileSync(resultsFile, 'utf8')) as JsonReport)
  : undefined;
const outDir = option('out');
const written = writeConformanceReport({
  recordsDir,
  ...(tests ? { tests } : {}),
  ...(outDir ? { outDir: resolve(outDir) } : {}),
});
process.stdout.write(
  `Conformance report: ${written.markdown}, ${written.json}${written.banner ? ` — ${written.banner}` : ''}\n` +
    `${written.report.summary}\n`,
);
