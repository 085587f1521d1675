// The observers of findings (helpers/findings.ts events) in a test's worker: they write what the
// reports need into the worker's records (reports/records), so the conformance reporter can count, per
// requirement, the tests that checked it, failed it or warned, across every worker; and they note each
// warning's code for Allure, whose labels are sent (awaited) after the exchange that warned and when
// the test's API client is released (`labelWarnings`). Installed once per process by the API client.
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestInfo } from '@playwright/test';
import { applyLabels, warningLabel } from './allure.ts';
import { formatFinding, onFindingEvent, type FindingEvent } from './findings.ts';
import { appendRecord, type RequirementRecord } from './records.ts';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The events already written, per test: `code event`. A test writes each at most once. */
const written = new WeakMap<TestInfo, Set<string>>();
/** Warning codes not yet sent to Allure, per test. */
const pendingWarnings = new WeakMap<TestInfo, string[]>();

/** Sends Allure a label for each warning code the test saw since the last call; never throws. */
export async function labelWarnings(testInfo: TestInfo): Promise<void> {
  const codes = pendingWarnings.get(testInfo) ?? [];
  pendingWarnings.delete(testInfo);
  await applyLabels(codes.flatMap((code) => warningLabel(testInfo, code)));
}

/**
 * The record one event adds for a test, or undefined when the test has written it already. The
 * suite's own @offline tests check the checks: their findings say nothing about the target.
 */
export function requirementRecordFor(
  event: FindingEvent,
  testInfo: {
    titlePath: readonly string[];
    file: string;
    project: { name: string };
    tags: readonly string[];
  },
  seen: Set<string>,
): RequirementRecord | undefined {
  if (testInfo.tags.includes('@offline')) return undefined;
  const code = event.kind === 'checked' ? event.code : event.finding.code;
  const kind = event.kind === 'checked' ? 'checked' : event.severity;
  const key = `${code} ${kind}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  return {
    kind: 'requirement',
    code,
    event: kind,
    ...(event.kind === 'finding' ? { example: formatFinding(event.finding) } : {}),
    test: testInfo.titlePath.slice(1).join(' › '),
    file: relative(PROJECT_ROOT, testInfo.file),
    project: testInfo.project.name,
    at: new Date().toISOString(),
  };
}

function currentTest(): TestInfo | undefined {
  try {
    return test.info();
  } catch {
    return undefined; // A script or a worker fixture's set-up: no test to book the event on.
  }
}

let installed = false;

/** Installs the observers once per process; later calls do nothing. */
export function observeFindings(): void {
  if (installed) return;
  installed = true;
  onFindingEvent((event) => {
    const testInfo = currentTest();
    if (!testInfo) return;
    let seen = written.get(testInfo);
    if (!seen) written.set(testInfo, (seen = new Set()));
    const record = requirementRecordFor(event, testInfo, seen);
    if (record) appendRecord(record, testInfo.workerIndex);
    if (event.kind === 'finding' && event.severity === 'warn') {
      pendingWarnings.set(testInfo, [...(pendingWarnings.get(testInfo) ?? []), event.finding.code]);
    }
  });
}
