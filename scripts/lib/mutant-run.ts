// One mutant run: a copy of the suite, a mock started with one fault, Playwright run against it,
// and the verdict read back from Playwright's JSON report.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

/** Top-level entries that are outputs or dependencies, not the suite: everything else is copied. */
const LEFT_OUT = new Set([
  '.git',
  'node_modules',
  'reports',
  'test-results',
  'allure-results',
  'allure-report',
  'playwright-report',
  'blob-report',
]);

export interface SuiteCopy {
  dir: string;
  remove(): void;
}

/**
 * Copies the project (without outputs) into a temporary directory with the project's node_modules
 * linked in. Each copy has its own reports/records/ and test-results/, so two runs at once (or a
 * colleague's run in the project) cannot clear each other's files; and the whole matrix runs one
 * version of the suite, whatever is edited meanwhile.
 */
export function copySuite(root: string): SuiteCopy {
  const dir = mkdtempSync(join(tmpdir(), 'emporix-mutants-'));
  cpSync(root, dir, {
    recursive: true,
    filter: (source) => !LEFT_OUT.has(relative(root, source).split(sep)[0] ?? ''),
  });
  // The same dependencies, not a copy: Playwright's test runner stays one module.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface MockHandle {
  baseUrl: string;
  stop(): Promise<void>;
}

const LISTENING = /listening on (http:\/\/\S+)/i;

/** The environment without the mock's and the suite's settings, so a developer's shell changes nothing. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (
      key.startsWith('EMPORIX_') ||
      key.startsWith('MOCK_') ||
      key === 'MAILBOX' ||
      key.startsWith('PLAYWRIGHT_')
    )
      delete env[key];
  }
  return env;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts `mock/src/cli.ts --port 0 [--fault name]` and waits for its listening line. */
export async function startMock(
  root: string,
  fault: string | undefined,
  timeoutMs = 30_000,
): Promise<MockHandle> {
  const args = ['--import', 'tsx', 'mock/src/cli.ts', '--port', '0', ...(fault ? ['--fault', fault] : [])];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const fail = (why: string): void => {
      clearInterval(poll);
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(
        new Error(
          `the mock did not start (node ${args.join(' ')}): ${why}${err.trim() ? `\nstderr: ${err.trim()}` : ''}`,
        ),
      );
    };
    const poll = setInterval(() => {
      const match = LISTENING.exec(out);
      if (match?.[1]) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(match[1]);
      }
    }, 20);
    const timer = setTimeout(() => fail(`no listening line within ${timeoutMs / 1000} s`), timeoutMs);
    child.once('exit', (code, signal) => fail(`it exited with ${signal ?? `code ${code}`}`));
  });
  return {
    baseUrl,
    stop: async () => {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    },
  };
}

export interface FailedTest {
  title: string;
  file: string;
  error: string;
}

export interface SuiteOutcome {
  exitCode: number | null;
  passed: number;
  failed: FailedTest[];
  skipped: number;
  /** Problems that are not test failures (configuration error, report missing, timeout). */
  problem?: string;
}

interface JsonError {
  message?: string;
}
interface JsonResult {
  status?: string;
  errors?: JsonError[];
  error?: JsonError;
}
interface JsonTest {
  status?: string;
  projectName?: string;
  results?: JsonResult[];
}
interface JsonSpec {
  title: string;
  file?: string;
  tests?: JsonTest[];
}
interface JsonSuite {
  title: string;
  file?: string;
  specs?: JsonSpec[];
  suites?: JsonSuite[];
}
interface JsonReport {
  suites?: JsonSuite[];
  errors?: JsonError[];
}

const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');

function firstLine(message: string | undefined): string {
  return (
    (message ?? '')
      .replace(ANSI, '')
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? 'no error message'
  );
}

/** Reads Playwright's JSON report: passed and skipped counts, and each failed test with its first error line. */
export function readJsonReport(path: string): Omit<SuiteOutcome, 'exitCode'> {
  const report = JSON.parse(readFileSync(path, 'utf8')) as JsonReport;
  let passed = 0;
  let skipped = 0;
  const failed: FailedTest[] = [];
  const walk = (suite: JsonSuite, titles: string[]): void => {
    const path = suite.title && !suite.file?.endsWith(suite.title) ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const results = test.results ?? [];
        const last = results.at(-1);
        if (test.status === 'skipped' || results.length === 0 || last?.status === 'skipped') skipped++;
        else if (test.status === 'expected' || test.status === 'flaky') passed++;
        else if (last?.status === 'interrupted') skipped++;
        else {
          const error = last?.errors?.[0] ?? last?.error;
          failed.push({
            title: [...path, spec.title].join(' › '),
            file: spec.file ?? suite.file ?? '',
            error: firstLine(error?.message),
          });
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child, path);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  const outcome: Omit<SuiteOutcome, 'exitCode'> = { passed, failed, skipped };
  const globalErrors = (report.errors ?? []).map((e) => firstLine(e.message));
  if (globalErrors.length > 0) outcome.problem = globalErrors.join('; ');
  return outcome;
}

export interface SuiteRunOptions {
  suiteDir: string;
  baseUrl: string;
  reportFile: string;
  stopAtFirstFailure: boolean;
  timeoutMs: number;
  /** Parallel Playwright workers: 1 keeps two mutant runs within two cores. */
  workers: number;
  /** How findings weigh (EMPORIX_PROFILE): strict fails every finding, documented only the vendor documents'. */
  profile: 'strict' | 'documented';
  /** Spec files to run instead of the whole conformance project (e.g. exploration alone). */
  specs?: readonly string[];
}

/**
 * The settings that point the suite at a running mock (docs/behaviour.md defaults). The profile is
 * always named: the mock runs on a URL, where the suite's default would be `documented`.
 */
export function suiteEnv(
  baseUrl: string,
  reportFile: string,
  profile: 'strict' | 'documented' = 'strict',
): NodeJS.ProcessEnv {
  return {
    ...cleanEnv(),
    EMPORIX_API_URL: baseUrl,
    EMPORIX_PROFILE: profile,
    EMPORIX_TENANT: 'mocktenant',
    EMPORIX_OTHER_TENANT: 'othertenant',
    EMPORIX_STOREFRONT_CLIENT_ID: 'mock-storefront-client',
    EMPORIX_CLIENT_ID: 'mock-service-client',
    EMPORIX_CLIENT_SECRET: 'mock-service-secret',
    EMPORIX_CUSTOMER_EMAIL: 'seed.customer@example.com',
    EMPORIX_CUSTOMER_PASSWORD: 'Seed-Passw0rd!',
    EMPORIX_ALLOW_DESTRUCTIVE: 'true',
    // The mock is reached by URL, where the suite would cap the request rate as for a tenant.
    EMPORIX_MAX_RPS: 'off',
    MAILBOX: 'mock',
    PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile,
    FORCE_COLOR: '0',
  };
}

/** `playwright test --reporter=json --workers=N [--max-failures=1]` in the suite copy. */
export async function runSuite(options: SuiteRunOptions): Promise<SuiteOutcome> {
  mkdirSync(join(options.reportFile, '..'), { recursive: true });
  rmSync(options.reportFile, { force: true });
  const args = [
    'test',
    '--reporter=json',
    `--workers=${options.workers}`,
    '--project=conformance',
    `--output=${join(options.suiteDir, 'test-results')}`,
    ...(options.stopAtFirstFailure ? ['--max-failures=1'] : []),
    ...(options.specs ?? []),
  ];
  const child = spawn(join(options.suiteDir, 'node_modules', '.bin', 'playwright'), args, {
    cwd: options.suiteDir,
    env: suiteEnv(options.baseUrl, options.reportFile, options.profile),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stdout?.resume();
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err = (err + chunk).slice(-4000)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
  }, options.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) =>
    child.once('close', (code) => resolve(code)),
  );
  clearTimeout(timer);
  if (!existsSync(options.reportFile)) {
    return {
      exitCode,
      passed: 0,
      failed: [],
      skipped: 0,
      problem: `no JSON report (exit code ${exitCode}${timedOut ? ', timed out' : ''}): ${firstLine(err)}`,
    };
  }
  const outcome = readJsonReport(options.reportFile);
  if (timedOut) outcome.problem = `timed out after ${options.timeoutMs / 1000} s`;
  else if (exitCode !== 0 && outcome.failed.length === 0 && !outcome.problem) {
    outcome.problem = `playwright exited with ${exitCode} without a failed test: ${firstLine(err)}`;
  }
  return { exitCode, ...outcome };
}
