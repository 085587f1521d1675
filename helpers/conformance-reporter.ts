// A Playwright reporter that writes the conformance report (reports/conformance.md and .json) when a
// run ends, from the exchange records the workers wrote and the outcome of every test, skips and their
// reasons included. scripts/conformance-report.ts builds the same report from a records folder alone
// (sharded runs, after the shards' records are merged).
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { testTitleOf, writeConformanceReport, type WrittenReport } from './conformance-files.ts';
import type { TestOutcome } from './conformance.ts';

export default class ConformanceReporter implements Reporter {
  /** The project root, against which records name files. */
  private readonly rootDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  private readonly outcomes = new Map<string, TestOutcome>();

  onTestEnd(test: TestCase, result: TestResult): void {
    const outcome = test.outcome();
    const project = test.parent.project()?.name ?? '';
    const file = relative(this.rootDir, test.location.file);
    const title = testTitleOf(test.titlePath());
    const skipReason = [...result.annotations, ...test.annotations].find(
      (a) => a.type === 'skip',
    )?.description;
    const failure = outcome === 'unexpected' ? firstError(result) : undefined;
    this.outcomes.set(`${project}\u0000${file}\u0000${title}`, {
      title,
      file,
      project,
      outcome:
        outcome === 'expected'
          ? test.expectedStatus === 'failed'
            ? 'expected-failure'
            : 'passed'
          : outcome === 'unexpected'
            ? 'failed'
            : outcome,
      ...(skipReason ? { skipReason } : {}),
      ...failure,
      operations: test.annotations
        .filter((a) => a.type === 'operation' && a.description)
        .map((a) => a.description ?? ''),
    });
  }

  onEnd(_result: FullResult): void {
    let written: WrittenReport;
    try {
      written = writeConformanceReport({ tests: [...this.outcomes.values()] });
    } catch (error) {
      process.stderr.write(`Conformance report not written: ${(error as Error).message}\n`);
      return;
    }
    process.stdout.write(
      `\nConformance report: ${written.markdown}${written.banner ? ` — ${written.banner}` : ''}\n` +
        `${written.report.summary}\n`,
    );
  }

  printsToStdio(): boolean {
    return false;
  }
}

// Colour codes Playwright puts into expect messages.
// eslint-disable-next-line no-control-regex -- the escape character is what is matched
const ANSI = /\u001b\[[0-9;]*m/g;

/** The first line of a test's first error and, when it is a finding (`[code, source] …`), its code. */
export function firstError(result: Pick<TestResult, 'errors'>): { error: string; code?: string } {
  const message = (result.errors[0]?.message ?? '(no error message)').replace(ANSI, '');
  const lines = message.split('\n').map((l) => l.trim());
  const error = lines.find((l) => l !== '') ?? '(no error message)';
  const code = /\[([a-z][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+), (?:T|R|TM|O|F|B)\]/.exec(message)?.[1];
  return { error, ...(code ? { code } : {}) };
}
