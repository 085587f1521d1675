// A run that stops before its first test (a bad setting, an unreachable target, a refused
// credential) ends in Playwright's configuration, before any reporter starts. Without this module
// the reports a person reads in the morning (conformance.md, the job summary built from it, JUnit,
// the HTML report, Allure) would still show the previous run, green perhaps. Here every one of them
// is replaced by a report of this run that says it stopped, why, and which setting to look at.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EPIC } from './allure.ts';
import { maskText, maskUrl } from './mask.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the reports of a run live; the defaults are those playwright.config.ts writes to. */
export interface ReportPlaces {
  reportsDir: string;
  allureResultsDir: string;
}

export const DEFAULT_REPORT_PLACES: ReportPlaces = {
  reportsDir: join(PROJECT_ROOT, 'reports'),
  allureResultsDir: join(PROJECT_ROOT, 'allure-results'),
};

interface StoppedRun {
  /** The message printed on the console: what stopped the run and which setting to fix. */
  reason: string;
  /** The target's origin and tenant, when the configuration could be read. */
  target?: string;
  tenant?: string;
  at: Date;
}

/** The headline every report opens with: no test ran, so the run is not a pass. */
export const STOPPED_HEADLINE = 'NOT A PASS: the run stopped before its first test';

const TEST_NAME = 'run set-up: settings and target';

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function whereLine(stop: StoppedRun): string {
  const parts = [
    stop.target ? `target ${stop.target}` : 'target unknown (the settings could not be read)',
    ...(stop.tenant ? [`tenant ${stop.tenant}`] : []),
    `stopped at ${stop.at.toISOString()}`,
  ];
  return parts.join(', ');
}

function stoppedMarkdown(stop: StoppedRun): string {
  return [
    '# Conformance report: Customer Service (customer-managed)',
    '',
    `> ## 🛑 ${STOPPED_HEADLINE}`,
    '',
    `No test ran: ${whereLine(stop)}. The earlier run's reports were replaced by this one.`,
    '',
    '```text',
    stop.reason,
    '```',
    '',
    'Fix what the message names, then run again; `npm run doctor` checks the settings and the target without running the suite.',
    '',
  ].join('\n');
}

/** The shape of reports/conformance.json the nightly verdict reads (`verdict.reasons`). */
function stoppedJson(stop: StoppedRun): object {
  return {
    stoppedAtStart: {
      reason: stop.reason,
      at: stop.at.toISOString(),
      ...(stop.target ? { target: stop.target } : {}),
      ...(stop.tenant ? { tenant: stop.tenant } : {}),
    },
    summary: STOPPED_HEADLINE,
    verdict: { pass: false, banner: STOPPED_HEADLINE, reasons: [stop.reason.split('\n')[0] ?? ''] },
  };
}

/** One failed test case, so a CI's test tab shows the stop instead of the previous run's results. */
function stoppedJunit(stop: StoppedRun): string {
  const message = escapeXml(stop.reason.split('\n')[0] ?? '');
  const body = `${stop.reason}\n\n${whereLine(stop)}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites id="" name="" tests="1" failures="1" skipped="0" errors="0" time="0">`,
    `<testsuite name="setup" timestamp="${stop.at.toISOString()}" hostname="setup" tests="1" failures="1" skipped="0" time="0" errors="0">`,
    `<testcase name="${escapeXml(TEST_NAME)}" classname="setup" time="0">`,
    `<failure message="${message}" type="FAILURE">`,
    `<![CDATA[${body.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`,
    '</failure>',
    '</testcase>',
    '</testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function stoppedHtml(stop: StoppedRun): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Conformance: run stopped</title></head>',
    '<body>',
    `<h1>${escapeXml(STOPPED_HEADLINE)}</h1>`,
    `<p>${escapeXml(whereLine(stop))}</p>`,
    `<pre>${escapeXml(stop.reason)}</pre>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** An Allure result of status `broken`, the only result of this run. */
function stoppedAllureResult(
  stop: StoppedRun,
  uuid: string = randomUUID(),
): { uuid: string } & Record<string, unknown> {
  const time = stop.at.getTime();
  return {
    uuid,
    historyId: 'run-set-up',
    name: TEST_NAME,
    fullName: `setup: ${TEST_NAME}`,
    status: 'broken',
    statusDetails: { message: stop.reason, trace: whereLine(stop) },
    stage: 'finished',
    start: time,
    stop: time,
    steps: [],
    attachments: [],
    parameters: [],
    labels: [
      { name: 'epic', value: EPIC },
      { name: 'suite', value: 'setup' },
    ],
  };
}

/**
 * Removes the entries of `dir` written before `before` (epoch ms; by default all of them): each run's
 * Allure results start clean. A missing folder, or an entry removed meanwhile, is nothing to do.
 */
export function clearEarlierResults(dir: string, before = Infinity): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (statSync(path).mtimeMs < before) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed meanwhile
    }
  }
}

/**
 * Replaces the reports of the previous run by reports of this stopped one: conformance.md and .json,
 * junit.xml, the Playwright HTML report and the Allure results (history, which the nightly workflow
 * keeps outside this folder, is not touched). Everything written is masked. Returns the files written.
 */
export function writeStoppedRunReports(
  stop: StoppedRun,
  places: ReportPlaces = DEFAULT_REPORT_PLACES,
): string[] {
  const masked: StoppedRun = { ...stop, reason: maskText(stop.reason) };
  const written: string[] = [];
  const write = (file: string, text: string) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text, 'utf8');
    written.push(file);
  };
  write(join(places.reportsDir, 'conformance.md'), stoppedMarkdown(masked));
  write(join(places.reportsDir, 'conformance.json'), `${JSON.stringify(stoppedJson(masked), null, 2)}\n`);
  write(join(places.reportsDir, 'junit.xml'), stoppedJunit(masked));
  const html = join(places.reportsDir, 'playwright-html');
  rmSync(html, { recursive: true, force: true });
  write(join(html, 'index.html'), stoppedHtml(masked));
  clearEarlierResults(places.allureResultsDir);
  const result = stoppedAllureResult(masked);
  write(join(places.allureResultsDir, `${result.uuid}-result.json`), JSON.stringify(result));
  return written;
}

/**
 * Ends a run that cannot start: the message on the console, exit code 2, and, when `writeReports`
 * (Playwright's main process; its workers load the configuration too), every report replaced.
 */
export function stopRunAtStart(
  message: string,
  where: { baseUrl: string; tenant: string } | undefined,
  writeReports: boolean,
): never {
  process.stderr.write(`\n${message}\n\n`);
  if (writeReports) {
    try {
      writeStoppedRunReports({
        reason: message,
        ...(where ? { target: maskUrl(new URL(where.baseUrl).origin), tenant: where.tenant } : {}),
        at: new Date(),
      });
    } catch (error) {
      process.stderr.write(`The reports could not be replaced: ${(error as Error).message}\n`);
    }
  }
  process.exit(2);
}
