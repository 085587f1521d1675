// The suite figure: one full, cold run of `playwright test` against the embedded mock (the mock's
// start included), timed from spawn to exit, then read back from Playwright's JSON report.
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { sampleProcessTree, type CpuBreakdown } from './cpu-sampler.ts';
import { freePort, startProcess, stopProcess } from './processes.ts';

/** The fields of Playwright's JSON report the benchmark reads. */
interface JsonResult {
  status: 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';
  duration: number;
  workerIndex: number;
  startTime: string;
}
interface JsonTest {
  projectName: string;
  status: 'expected' | 'unexpected' | 'flaky' | 'skipped';
  results: JsonResult[];
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
  suites?: JsonSuite[];
  errors?: { message?: string }[];
  stats?: { duration?: number; startTime?: string };
}

export interface TestTiming {
  title: string;
  file: string;
  project: string;
  ms: number;
}

export interface SuiteFigures {
  command: string;
  /** Spawn to exit of `npx playwright test`, mock start and teardown included. */
  wallSeconds: number;
  /** Playwright's own run duration (from its report), without process start-up. */
  reportedSeconds: number | null;
  exitCode: number | null;
  /** Test entries in the report (one per test and project). */
  tests: number;
  /** Tests that ran (not skipped). */
  ran: number;
  passed: number;
  failed: number;
  skipped: number;
  workers: number | null;
  /** Worker processes started: Playwright starts new ones per project and per distinct worker fixture set. */
  workersStarted: number;
  workersByProject: Record<string, number>;
  /** From Playwright's start to the first test's start: global setup, the mock's start, loading the specs. */
  firstTestAfterSeconds: number | null;
  /** CPU the run's processes used (Linux); `floorSeconds` = total / CPUs, the wall time no scheduling beats. */
  cpu: (CpuBreakdown & { floorSeconds: number }) | null;
  medianTestMs: number;
  /** Sum of the durations of the tests that ran: the work the workers did. */
  totalTestMs: number;
  slowest: TestTiming[];
  /** Test time per spec file, most first. */
  byFile: { file: string; tests: number; ms: number }[];
  /** Errors outside any test (global setup, web server, config). */
  runErrors: string[];
  goal: { minTests: number; maxWallSeconds: number; cores: number };
  goalMet: boolean;
  reportFile: string;
  logFile: string;
}

export const SUITE_GOAL = { minTests: 150, maxWallSeconds: 15, cores: 2 } as const;

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

interface Entry {
  timing: TestTiming;
  outcome: string;
  workers: number[];
  startTimes: string[];
}

function collectTests(suite: JsonSuite, path: string[], out: Entry[]): void {
  // The file-level suite's title is the file name; keep only describe titles in the path.
  const titles = suite.title && suite.title !== suite.file ? [...path, suite.title] : path;
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests) {
      const last = test.results[test.results.length - 1];
      const outcome = test.status === 'skipped' || !last ? 'skipped' : last.status;
      out.push({
        timing: {
          title: [...titles, spec.title].join(' › '),
          file: spec.file,
          project: test.projectName,
          ms: test.results.reduce((sum, r) => sum + r.duration, 0),
        },
        outcome,
        workers: test.results.map((r) => r.workerIndex),
        startTimes: test.results.map((r) => r.startTime),
      });
    }
  }
  for (const child of suite.suites ?? []) collectTests(child, titles, out);
}

export interface RunSuiteOptions {
  /** Where the suite runs (a snapshot of the project). */
  cwd: string;
  /** Where the report and log are kept. */
  reportsDir: string;
}

export async function runSuite({ cwd, reportsDir }: RunSuiteOptions): Promise<SuiteFigures> {
  const reportFile = join(reportsDir, 'bench-suite.json');
  const logFile = join(reportsDir, 'bench-suite.log');
  // A port nobody listens on: the run starts its own mock (cold), never reuses a running one.
  const mockPort = await freePort();
  const args = ['playwright', 'test', '--reporter=json'];
  const log = openSync(logFile, 'w');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile,
    // Empty selects the embedded mock even when .env names a real tenant.
    EMPORIX_API_URL: '',
    MOCK_PORT: String(mockPort),
    FORCE_COLOR: '0',
  };
  let exitCode: number | null = null;
  let cpu: CpuBreakdown | null = null;
  const started = process.hrtime.bigint();
  try {
    const child = startProcess('npx', args, { cwd, env, stdio: ['ignore', log, log] });
    const sampler = sampleProcessTree(child.pid);
    try {
      exitCode = await new Promise<number | null>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
      });
    } finally {
      cpu = sampler.stop();
      await stopProcess(child, 'SIGINT');
    }
  } finally {
    closeSync(log);
  }
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  if (!existsSync(reportFile)) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(
      `the suite wrote no JSON report (exit code ${exitCode}); last lines of ${logFile}:\n${tail}`,
    );
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport & {
    config?: { workers?: number };
  };
  const entries: Entry[] = [];
  for (const suite of report.suites ?? []) collectTests(suite, [], entries);

  const runErrors = [...new Set((report.errors ?? []).map((e) => (e.message ?? '').split('\n')[0] ?? ''))];
  if (entries.length === 0) {
    throw new Error(
      `no test ran (exit code ${exitCode}, ${round(wallSeconds, 1)} s)` +
        (runErrors.length > 0 ? `: ${runErrors.join('; ')}` : `; see ${logFile}`),
    );
  }
  const ranEntries = entries.filter((e) => e.outcome !== 'skipped');
  const passed = entries.filter((e) => e.outcome === 'passed').length;
  const skipped = entries.length - ranEntries.length;
  const durations = ranEntries.map((e) => e.timing.ms);
  const files = new Map<string, { tests: number; ms: number }>();
  for (const { timing } of ranEntries) {
    const file = files.get(timing.file) ?? { tests: 0, ms: 0 };
    file.tests += 1;
    file.ms += timing.ms;
    files.set(timing.file, file);
  }
  const ran = ranEntries.length;
  const workersByProject: Record<string, number> = {};
  for (const project of new Set(entries.map((e) => e.timing.project))) {
    workersByProject[project] = new Set(
      entries.filter((e) => e.timing.project === project).flatMap((e) => e.workers),
    ).size;
  }
  const starts = entries
    .flatMap((e) => e.startTimes)
    .map((t) => Date.parse(t))
    .filter(Number.isFinite);
  const runStart = report.stats?.startTime ? Date.parse(report.stats.startTime) : NaN;
  return {
    command: `npx ${args.join(' ')}`,
    wallSeconds: round(wallSeconds, 2),
    reportedSeconds: report.stats?.duration !== undefined ? round(report.stats.duration / 1000, 2) : null,
    exitCode,
    tests: entries.length,
    ran,
    passed,
    failed: ran - passed,
    skipped,
    workers: report.config?.workers ?? null,
    workersStarted: new Set(entries.flatMap((e) => e.workers)).size,
    workersByProject,
    firstTestAfterSeconds:
      starts.length > 0 && Number.isFinite(runStart)
        ? round((Math.min(...starts) - runStart) / 1000, 2)
        : null,
    cpu: cpu ? { ...cpu, floorSeconds: round(cpu.totalSeconds / cpus().length, 2) } : null,
    medianTestMs: round(median(durations), 1),
    totalTestMs: Math.round(durations.reduce((a, b) => a + b, 0)),
    slowest: [...ranEntries.map((e) => e.timing)].sort((a, b) => b.ms - a.ms).slice(0, 10),
    byFile: [...files].map(([file, v]) => ({ file, ...v })).sort((a, b) => b.ms - a.ms),
    runErrors,
    goal: { ...SUITE_GOAL },
    goalMet: ran >= SUITE_GOAL.minTests && wallSeconds <= SUITE_GOAL.maxWallSeconds,
    reportFile,
    logFile,
  };
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
