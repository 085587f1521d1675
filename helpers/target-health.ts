// A target that dies during a run: after N consecutive tests (of all workers) that failed because a
// request got no answer at all (connection refused or reset, DNS failure, timeout: the API client's
// "→ no response" message), the run stops sending. A marker file shared by all workers
// (reports/target-unreachable.json) says so, and the project's auto fixture (fixtures/index.ts) skips
// every test that has not started yet with the one reason "target unreachable: <URL> (EMPORIX_API_URL)",
// instead of letting each fail one by one. Threshold: EMPORIX_UNREACHABLE_AFTER (default 3; 0 turns
// it off). The global set-up removes an earlier run's marker.
//
// Optional, finer wiring in helpers/api-client.ts (ApiClient.call): `assertTargetAlive()` before
// `withRetry(...)` makes a request of a test that is already running fail at once once the marker
// exists.
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { maskText, maskUrl } from './mask.ts';
import { reportFile } from './report-files.ts';

const UNREACHABLE_FILE = reportFile('target-unreachable.json');

export interface UnreachableMarker {
  target: string;
  /** Tests in a row that got no answer. */
  after: number;
  lastCause: string;
  at: string;
}

export class TargetUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetUnreachableError';
  }
}

/** EMPORIX_UNREACHABLE_AFTER, default 3; 0 never stops. */
export function unreachableThreshold(env: Record<string, string | undefined> = process.env): number {
  const raw = env.EMPORIX_UNREACHABLE_AFTER?.trim();
  if (raw === undefined || raw === '') return 3;
  if (!/^\d{1,3}$/.test(raw)) {
    throw new Error(
      `EMPORIX_UNREACHABLE_AFTER="${raw}" is not a number of requests (0 to 999; 0 never stops)`,
    );
  }
  return Number(raw);
}

export interface HealthOptions {
  /** The marker; UNREACHABLE_FILE by default. */
  file?: string;
  /** The outcomes so far; OUTCOMES_FILE by default. */
  outcomesFile?: string;
  threshold?: number;
}

/**
 * The outcomes of the run's tests, one character each (`1` no answer, `0` answered), appended by
 * every worker: Playwright replaces a worker after each failed test, so a count kept in memory would
 * never pass 1.
 */
const OUTCOMES_FILE = reportFile('target-outcomes.txt');

/** The API client's message for a request that got no answer (helpers/api-client.ts). */
const NO_RESPONSE = /→ no response \(([^)]*)\): (.*)/;

/** Tests in a row, at the end of the run so far, that got no answer. */
function trailingNoAnswers(file: string): number {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  return text.length - text.replace(/1+$/, '').length;
}

/**
 * Counts a finished test: failed for want of an answer, got answers, or skipped (not counted). At
 * the threshold of tests in a row (across workers), writes the marker and returns it.
 */
export function noteTestOutcome(
  baseUrl: string,
  status: string | undefined,
  errors: readonly string[],
  options: HealthOptions = {},
): UnreachableMarker | undefined {
  if (status === 'skipped') return undefined;
  const outcomes = options.outcomesFile ?? OUTCOMES_FILE;
  mkdirSync(dirname(outcomes), { recursive: true });
  const cause = errors.map((e) => NO_RESPONSE.exec(e)?.[2]).find((c) => c !== undefined);
  if (status === 'passed' || cause === undefined) {
    appendFileSync(outcomes, '0');
    return undefined;
  }
  appendFileSync(outcomes, '1');
  const consecutive = trailingNoAnswers(outcomes);
  const threshold = options.threshold ?? unreachableThreshold();
  if (threshold === 0 || consecutive < threshold) return undefined;
  const marker: UnreachableMarker = {
    target: maskUrl(baseUrl),
    after: consecutive,
    lastCause: maskText(cause.split('\n')[0] ?? cause),
    at: new Date().toISOString(),
  };
  const file = options.file ?? UNREACHABLE_FILE;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(marker), 'utf8');
  return marker;
}

export function readUnreachable(file: string = UNREACHABLE_FILE): UnreachableMarker | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as UnreachableMarker;
  } catch {
    return undefined;
  }
}

/** The one message once the run has stopped sending. */
export function formatStopped(marker: UnreachableMarker): string {
  return (
    `target unreachable: ${marker.target} (EMPORIX_API_URL): ${marker.after} tests in a row got no answer ` +
    `(last: ${marker.lastCause}); the run sends nothing more`
  );
}

/** Throws at once when the run has stopped sending to this target. */
export function assertTargetAlive(file: string = UNREACHABLE_FILE): void {
  const marker = readUnreachable(file);
  if (marker) throw new TargetUnreachableError(formatStopped(marker));
}

/** Forgets an earlier run's marker and outcomes (global set-up). */
export function resetTargetHealth(
  file: string = UNREACHABLE_FILE,
  outcomesFile: string = OUTCOMES_FILE,
): void {
  rmSync(file, { force: true });
  rmSync(outcomesFile, { force: true });
}
