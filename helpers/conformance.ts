// The conformance report: what a run says about the target, per catalog operation and per
// requirement, built from the records the workers wrote (reports/records: exchanges, skips, and what
// each test did with each requirement) and, when known, the tests' outcomes. Written as Markdown (fit
// for $GITHUB_STEP_SUMMARY) and JSON. A run that exercised nothing, or skipped most of its tests, says
// so at the top instead of looking green; the failed tests are listed with their first error line.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { entryLabel, isExpired, type Baseline } from './baseline.ts';
import {
  contractLabel,
  documentedStatuses,
  notServedStatuses,
  operations,
  type Chapter,
  type OperationId,
  type OperationInfo,
} from './catalog.ts';
import { CHAPTER_TITLES } from './allure.ts';
import type { Profile } from './config.ts';
import { severityOf, SOURCE_NAMES, type Requirement, type Source } from './findings.ts';
import {
  readRecords,
  type Exchange,
  type RequirementRecord,
  type RunRecord,
  type SkipRecord,
} from './records.ts';
import { operationsNamedIn } from './selection.ts';

/** What the report needs to know of one test's result. */
export interface TestOutcome {
  /** `describe › title`, as records name it. */
  title: string;
  /** Relative to the project, e.g. `specs/profile.spec.ts`. */
  file: string;
  project: string;
  /** passed, failed (unexpectedly), skipped, flaky, or expected-failure (a baseline deviation). */
  outcome: 'passed' | 'failed' | 'skipped' | 'flaky' | 'expected-failure';
  /** The skip reason, when skipped. */
  skipReason?: string;
  /** Operation ids the test declares it checks (`{ type: 'operation', description: id }` annotations). */
  operations: string[];
  /** The first line of the test's first error, when it failed (masked as the error was). */
  error?: string;
  /** The requirement code of that error, when it was a finding (`[code, source] …`). */
  code?: string;
}

/** One registered requirement in this run: how the tests that checked it fared. */
export interface RequirementReport {
  code: string;
  source: Source;
  reference: string;
  summary: string;
  /** Its weight in this run's profile. */
  severity: 'fail' | 'warn';
  /** Tests that checked it with no finding, with a failing finding, with a warning only. */
  passed: number;
  failed: number;
  warned: number;
  /** True when no test of the run checked it. */
  notRun: boolean;
}

/** Warnings of one code: how many tests saw them, and the first few, as examples. */
export interface WarningReport {
  code: string;
  source?: Source;
  tests: number;
  examples: string[];
}

/** A failed test: where, and its first error line (and code, when the error was a finding). */
export interface FailedTest {
  title: string;
  file: string;
  project: string;
  error: string;
  code?: string;
}

export interface OperationReport {
  id: string;
  method: string;
  path: string;
  summary: string;
  chapter: Chapter;
  testOnly: boolean;
  laterRemoved?: string;
  /** Not in the selected contract, and the target answered 404/405 only: "not in this contract, not served". */
  notServed?: boolean;
  exchanges: { total: number; conforming: number; failing: number; expectedDeviation: number };
  /**
   * The tests about the operation: those whose title names it (`POST /customer/{tenant}/login refuses
   * ...`), and those that name none and called it from their own body (not only through a fixture).
   */
  tests: { passed: number; failed: number; expectedFailure: number; skipped: number };
  skipReasons: Record<string, number>;
  statusesSeen: Record<string, number>;
  documented: number[];
  /** Documented statuses no exchange provoked. */
  neverProvoked: number[];
  /** Statuses received that the operation does not document. */
  undocumentedStatuses: number[];
  schemas: string[];
  /** Fields the documentation does not list, as JSON pointers, with how often they came. */
  undocumentedFields: Record<string, number>;
  /** First problems seen (masked), at most five. */
  problems: string[];
  transportErrors: number;
}

export interface BaselineReport {
  file: string;
  entries: {
    label: string;
    owner: string;
    expires: string;
    expired: boolean;
    /** seen: the deviation happened; not-needed: the operation answered without it; not-checked: not exercised. */
    state: 'seen' | 'not-needed' | 'not-checked';
    times: number;
  }[];
}

export interface ConformanceReport {
  generatedAt: string;
  target: { url: string; tenant: string; kind: string };
  /** Said when the target looks stateless (helpers/target-probe.ts): why lifecycle checks cannot pass there. */
  stateless?: string;
  verdict: { pass: boolean; banner?: string; reasons: string[] };
  totals: {
    operations: number;
    operationsExercised: number;
    exchanges: number;
    exchangesConforming: number;
    exchangesExpectedDeviation: number;
    tests?: {
      total: number;
      passed: number;
      failed: number;
      skipped: number;
      flaky: number;
      expectedFailure: number;
    };
    skipped: number;
  };
  operations: OperationReport[];
  testOnly: OperationReport[];
  skipsByReason: { reason: string; count: number; files: string[] }[];
  baseline?: BaselineReport;
  /** The weighing profile and the contract the catalog follows. */
  profile?: Profile;
  contract?: string;
  /** One row per registered requirement (and per code seen in records but not registered). */
  requirements: RequirementReport[];
  /** Warnings by code, most frequent first. */
  warnings: WarningReport[];
  failedTests: FailedTest[];
  /** `N passed, N failed, N warnings (profile documented, contract 2025-12)`: target tests only. */
  summary: string;
}

export interface BuildOptions {
  records: RunRecord[];
  /** Test outcomes; absent when only records are known (then test counts come from records). */
  tests?: TestOutcome[];
  baseline?: Baseline | null;
  target: { url: string; tenant: string; kind: string };
  now?: Date;
  /** Every registered requirement (helpers/requirements/index.ts): the table's rows. */
  requirements?: readonly Requirement[];
  profile?: Profile;
  /** The contract version the catalog follows, e.g. `2025-12`. */
  contract?: string;
  /** The paragraph that says the target looks stateless, when the run's probe found so. */
  stateless?: string;
}

/** Share of skipped tests above which a run is not a pass, whatever else it shows. */
export const MOST_SKIPPED = 0.5;

/** Reads every `.jsonl` file under a records folder, its sub-folders included (one per shard). */
export function readRecordsTree(dir: string): RunRecord[] {
  if (!existsSync(dir)) return [];
  const records = readRecords(dir);
  for (const name of readdirSync(dir).sort()) {
    const sub = join(dir, name);
    if (statSync(sub).isDirectory()) records.push(...readRecordsTree(sub));
  }
  return records;
}

/** The chapter a spec file covers, from its name (`specs/addresses.spec.ts` → addresses). */
function chapterOfFile(file: string): Chapter | undefined {
  const name = basename(file).replace(/\.spec\.ts$/, '');
  if (name === 'social-login') return 'authentication';
  return (Object.keys(CHAPTER_TITLES) as Chapter[]).find((c) => c === name);
}

function emptyOperation(op: OperationInfo): OperationReport {
  return {
    id: op.id,
    method: op.method,
    path: op.path,
    summary: op.summary,
    chapter: op.chapter,
    testOnly: op.testOnly,
    ...(op.laterRemoved ? { laterRemoved: op.laterRemoved } : {}),
    exchanges: { total: 0, conforming: 0, failing: 0, expectedDeviation: 0 },
    tests: { passed: 0, failed: 0, expectedFailure: 0, skipped: 0 },
    skipReasons: {},
    statusesSeen: {},
    documented: documentedStatuses(op.id),
    neverProvoked: [],
    undocumentedStatuses: [],
    schemas: [],
    undocumentedFields: {},
    problems: [],
    transportErrors: 0,
  };
}

/** Joins a test's outcome with its records: project, file and title path. */
const testKey = (t: { project: string; file: string; title?: string; test?: string }): string =>
  `${t.project}\u0000${t.file}\u0000${t.title ?? t.test ?? ''}`;

/** Builds the report from a run's records and test outcomes. */
export function buildConformanceReport(options: BuildOptions): ConformanceReport {
  const { records, tests, baseline, target } = options;
  const now = options.now ?? new Date();
  const exchanges = records.filter((r): r is Exchange => r.kind === 'exchange');
  const skips = records.filter((r): r is SkipRecord => r.kind === 'skip');
  const requirementRecords = records.filter((r): r is RequirementRecord => r.kind === 'requirement');

  const byId = new Map<string, OperationReport>();
  for (const op of Object.values(operations)) byId.set(op.id, emptyOperation(op));

  const outcomeOf = new Map<string, TestOutcome>();
  for (const t of tests ?? []) outcomeOf.set(testKey(t), t);

  // Which tests are about which operation: a test whose title names operations is about those alone
  // (the matrix's shared anonymous token, taken in its first test, does not make that test one about
  // the anonymous login); any other test is about what its own body called. Records older than
  // `calledBy` count as called by the spec.
  const testsByOperation = new Map<string, Map<string, boolean>>();
  const about = (id: string, key: string, off: boolean) => {
    const calls = testsByOperation.get(id) ?? new Map<string, boolean>();
    calls.set(key, (calls.get(key) ?? false) || off);
    testsByOperation.set(id, calls);
  };
  for (const x of exchanges) {
    const report = byId.get(x.operationId);
    if (!report) continue;
    report.exchanges.total += 1;
    if (x.deviation && !x.deviation.expired) report.exchanges.expectedDeviation += 1;
    else if (x.problems.length === 0) report.exchanges.conforming += 1;
    else report.exchanges.failing += 1;
    if (x.status === null) report.transportErrors += 1;
    else report.statusesSeen[String(x.status)] = (report.statusesSeen[String(x.status)] ?? 0) + 1;
    if (x.schemaId && !report.schemas.includes(x.schemaId)) report.schemas.push(x.schemaId);
    for (const pointer of x.undocumented)
      report.undocumentedFields[pointer] = (report.undocumentedFields[pointer] ?? 0) + 1;
    for (const problem of x.problems) {
      const first = problem.split('\n')[0] ?? problem;
      if (report.problems.length < 5 && !report.problems.includes(first)) report.problems.push(first);
    }
    const named = operationsNamedIn(x.test);
    if (named.length > 0 ? named.includes(x.operationId as OperationId) : x.calledBy !== 'fixture') {
      // Per operation: each test about it, and whether one of its exchanges was off the contract.
      about(x.operationId, testKey(x), x.problems.length > 0 && !(x.deviation && !x.deviation.expired));
    }
  }
  // A test named for an operation is about it even when it stopped before calling it (its set-up failed).
  for (const t of tests ?? []) {
    if (t.outcome === 'skipped') continue;
    for (const id of operationsNamedIn(t.title)) if (byId.has(id)) about(id, testKey(t), false);
  }

  for (const report of byId.values()) {
    const seen = Object.keys(report.statusesSeen).map(Number);
    report.neverProvoked = report.documented.filter((s) => !seen.includes(s));
    // A 404/405 of an operation the selected contract does not document means "not served".
    const notServed = notServedStatuses(report.id as OperationInfo['id']);
    report.undocumentedStatuses = seen
      .filter((s) => !report.documented.includes(s) && !notServed.includes(s))
      .sort((a, b) => a - b);
    if (notServed.length > 0 && seen.length > 0 && seen.every((s) => notServed.includes(s))) {
      report.notServed = true;
    }
    report.schemas.sort();
    for (const [key, off] of testsByOperation.get(report.id) ?? []) {
      // Without outcomes (records only), a test counts as failed when one of its exchanges was off.
      const outcome = tests ? outcomeOf.get(key)?.outcome : off ? 'failed' : 'passed';
      if (outcome === 'failed') report.tests.failed += 1;
      else if (outcome === 'expected-failure') report.tests.expectedFailure += 1;
      else if (outcome === 'passed' || outcome === 'flaky') report.tests.passed += 1;
    }
  }

  // Skips: by their records (reason, file), and attributed to operations a test declares it checks.
  const skipped = tests ? tests.filter((t) => t.outcome === 'skipped') : [];
  const skipReasonOf = new Map<string, string>();
  for (const s of skips) skipReasonOf.set(testKey(s), s.reason);
  // A skip counts for the operations the test declares (annotations) or its title names.
  const skipList: { key: string; file: string; reason: string; operations: string[] }[] = tests
    ? skipped.map((t) => ({
        key: testKey(t),
        file: t.file,
        reason: skipReasonOf.get(testKey(t)) ?? t.skipReason ?? '(no reason stated)',
        operations: [...new Set([...t.operations, ...operationsNamedIn(t.title)])],
      }))
    : skips.map((s) => ({
        key: testKey(s),
        file: s.file,
        reason: s.reason,
        operations: operationsNamedIn(s.test),
      }));
  const byReason = new Map<string, { count: number; files: Set<string> }>();
  for (const s of skipList) {
    const entry = byReason.get(s.reason) ?? { count: 0, files: new Set<string>() };
    entry.count += 1;
    entry.files.add(s.file);
    byReason.set(s.reason, entry);
    const declared = s.operations.filter((id) => byId.has(id));
    // Without declared operations, a skip counts for the operations of its file's chapter that this
    // run never exercised: that is the coverage the skip cost.
    const chapter = chapterOfFile(s.file);
    const attributed = declared.length
      ? declared
      : [...byId.values()]
          .filter((r) => chapter !== undefined && r.chapter === chapter && r.exchanges.total === 0)
          .map((r) => r.id);
    for (const id of attributed) {
      const report = byId.get(id);
      if (!report) continue;
      report.tests.skipped += 1;
      report.skipReasons[s.reason] = (report.skipReasons[s.reason] ?? 0) + 1;
    }
  }

  const all = [...byId.values()];
  const contract = all.filter((r) => !r.testOnly);
  const testOnly = all.filter((r) => r.testOnly);
  const exercised = contract.filter((r) => r.exchanges.total > 0).length;
  const contractExchanges = contract.reduce((n, r) => n + r.exchanges.total, 0);
  const conforming = contract.reduce((n, r) => n + r.exchanges.conforming, 0);
  const expectedDeviation = contract.reduce((n, r) => n + r.exchanges.expectedDeviation, 0);

  const testTotals = tests
    ? {
        total: tests.length,
        passed: tests.filter((t) => t.outcome === 'passed').length,
        failed: tests.filter((t) => t.outcome === 'failed').length,
        skipped: skipped.length,
        flaky: tests.filter((t) => t.outcome === 'flaky').length,
        expectedFailure: tests.filter((t) => t.outcome === 'expected-failure').length,
      }
    : undefined;

  const reasons: string[] = [];
  if (testTotals && testTotals.total === 0) reasons.push('no test ran');
  if (exercised === 0) reasons.push('no operation of the contract was exercised');
  if (testTotals && testTotals.total > 0 && testTotals.skipped / testTotals.total > MOST_SKIPPED) {
    reasons.push(`${testTotals.skipped} of ${testTotals.total} tests were skipped`);
  }
  if (!testTotals && skipList.length > 0 && skipList.length >= exchanges.length) {
    reasons.push(`${skipList.length} tests were skipped`);
  }
  const failing = contract.reduce((n, r) => n + r.exchanges.failing, 0);
  const failed = testTotals?.failed ?? 0;
  const pass = reasons.length === 0 && failing === 0 && failed === 0;
  const banner = reasons.length
    ? `NOT A PASS: ${reasons.join('; ')}.`
    : failing > 0 || failed > 0
      ? `FAILED: ${failed} test${failed === 1 ? '' : 's'} failed, ${failing} exchange${failing === 1 ? '' : 's'} off the contract.`
      : undefined;

  return {
    generatedAt: now.toISOString(),
    target,
    ...(options.stateless ? { stateless: options.stateless } : {}),
    verdict: { pass, ...(banner ? { banner } : {}), reasons },
    totals: {
      operations: contract.length,
      operationsExercised: exercised,
      exchanges: contractExchanges,
      exchangesConforming: conforming,
      exchangesExpectedDeviation: expectedDeviation,
      ...(testTotals ? { tests: testTotals } : {}),
      skipped: skipList.length,
    },
    operations: contract,
    testOnly,
    skipsByReason: [...byReason.entries()]
      .map(([reason, v]) => ({ reason, count: v.count, files: [...v.files].sort() }))
      .sort((a, b) => b.count - a.count),
    ...(baseline ? { baseline: baselineReport(baseline, exchanges, byId, now) } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.contract ? { contract: options.contract } : {}),
    requirements: requirementTable(requirementRecords, options.requirements ?? [], options.profile),
    warnings: warningsByCode(requirementRecords, options.requirements ?? []),
    failedTests: (tests ?? [])
      .filter((t) => t.outcome === 'failed')
      .map((t) => ({
        title: t.title,
        file: t.file,
        project: t.project,
        error: t.error ?? '(no error message)',
        ...(t.code ? { code: t.code } : {}),
      })),
    summary: summaryLine(tests, requirementRecords, options.profile, options.contract),
  };
}

/** The projects whose tests exercise the target (the suite's own unit tests and set-up are apart). */
const isTargetTest = (t: { project: string }): boolean => t.project !== 'offline';

/** `N passed, N failed, N warnings (profile documented, contract 2025-12)`. */
function summaryLine(
  tests: TestOutcome[] | undefined,
  records: RequirementRecord[],
  profile: Profile | undefined,
  contract: string | undefined,
): string {
  const target = (tests ?? []).filter(isTargetTest);
  const passed = target.filter((t) => t.outcome === 'passed' || t.outcome === 'flaky').length;
  const failed = target.filter((t) => t.outcome === 'failed').length;
  const warnings = records.filter((r) => r.event === 'warn').length;
  const context = [profile ? `profile ${profile}` : '', contract ? `contract ${contract}` : '']
    .filter(Boolean)
    .join(', ');
  return (
    `${tests ? `${passed} passed, ${failed} failed, ` : ''}${warnings} warning${warnings === 1 ? '' : 's'}` +
    (context ? ` (${context})` : '')
  );
}

/** Per requirement: the tests that checked it and passed, failed, or only warned; or not run. */
function requirementTable(
  records: RequirementRecord[],
  registered: readonly Requirement[],
  profile: Profile | undefined,
): RequirementReport[] {
  // Per code, per test: the worst event the test recorded.
  const worst = new Map<string, Map<string, 'checked' | 'warn' | 'fail'>>();
  const rank = { checked: 0, warn: 1, fail: 2 } as const;
  for (const r of records) {
    const byTest = worst.get(r.code) ?? new Map<string, 'checked' | 'warn' | 'fail'>();
    const key = testKey(r);
    const before = byTest.get(key);
    if (before === undefined || rank[r.event] > rank[before]) byTest.set(key, r.event);
    worst.set(r.code, byTest);
  }
  const rows: RequirementReport[] = registered.map((req) => {
    const events = [...(worst.get(req.code)?.values() ?? [])];
    return {
      code: req.code,
      source: req.source,
      reference: req.reference,
      summary: req.summary,
      severity: severityOf(req, profile ?? 'strict'),
      passed: events.filter((e) => e === 'checked').length,
      failed: events.filter((e) => e === 'fail').length,
      warned: events.filter((e) => e === 'warn').length,
      notRun: events.length === 0,
    };
  });
  return rows.sort((a, b) => a.code.localeCompare(b.code));
}

function warningsByCode(records: RequirementRecord[], registered: readonly Requirement[]): WarningReport[] {
  const byCode = new Map<string, WarningReport>();
  for (const r of records) {
    if (r.event !== 'warn') continue;
    const source = registered.find((req) => req.code === r.code)?.source;
    const entry = byCode.get(r.code) ?? {
      code: r.code,
      ...(source ? { source } : {}),
      tests: 0,
      examples: [],
    };
    entry.tests += 1;
    if (r.example && entry.examples.length < 3 && !entry.examples.includes(r.example))
      entry.examples.push(r.example);
    byCode.set(r.code, entry);
  }
  return [...byCode.values()].sort((a, b) => b.tests - a.tests || a.code.localeCompare(b.code));
}

function baselineReport(
  baseline: Baseline,
  exchanges: Exchange[],
  byId: Map<string, OperationReport>,
  now: Date,
): BaselineReport {
  return {
    file: baseline.file,
    entries: baseline.deviations.map((entry, index) => {
      const times = exchanges.filter((x) => x.deviation?.entry === index).length;
      const exercised = (byId.get(entry.operationId)?.exchanges.total ?? 0) > 0;
      return {
        label: entryLabel(entry, index),
        owner: entry.owner,
        expires: entry.expires,
        expired: isExpired(entry, now),
        state: times > 0 ? 'seen' : exercised ? 'not-needed' : 'not-checked',
        times,
      };
    }),
  };
}

const pct = (part: number, whole: number): string =>
  whole === 0 ? '–' : `${Math.round((part / whole) * 100)}%`;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function operationRow(r: OperationReport): string {
  // A status neither documented nor counted undocumented is a "not served" answer (404/405) of an
  // operation the contract does not document, also when the target answered it something else too.
  const seen = Object.entries(r.statusesSeen)
    .map(([s, n]) =>
      r.documented.includes(Number(s))
        ? `${s}×${n}`
        : r.undocumentedStatuses.includes(Number(s))
          ? `**${s}×${n}** (undocumented)`
          : `${s}×${n} (not served)`,
    )
    .join(', ');
  const warnings = Object.keys(r.undocumentedFields).length;
  const state = r.notServed
    ? '⏭ not in this contract, not served'
    : r.exchanges.total === 0
      ? r.tests.skipped > 0
        ? '⏭ skipped'
        : '∅ not exercised'
      : r.exchanges.failing > 0
        ? '❌ off contract'
        : r.tests.failed > 0
          ? '⚠ tests failed, exchanges conform'
          : r.exchanges.expectedDeviation > 0
            ? '⚠ expected deviation'
            : warnings > 0
              ? '✅ (warnings)'
              : '✅ conforms';
  return (
    `| \`${r.method} ${cell(r.path)}\` | ${state} | ${r.tests.passed} / ${r.tests.failed} / ${r.tests.skipped}` +
    `${r.tests.expectedFailure ? ` (+${r.tests.expectedFailure} expected)` : ''} | ` +
    `${r.exchanges.conforming}/${r.exchanges.total} | ${seen || '–'} | ${r.neverProvoked.join(', ') || '–'} | ` +
    `${r.schemas.map((id) => id.replace(/^.*\//, '').replace(/\.json$/, '')).join(', ') || '–'} |`
  );
}

/** The report as Markdown, fit for $GITHUB_STEP_SUMMARY. */
export function renderMarkdown(report: ConformanceReport): string {
  const t = report.totals;
  const lines: string[] = [];
  lines.push('# Conformance report: Customer Service (customer-managed)', '');
  if (report.stateless) lines.push(`> ⚠️ ${report.stateless}`, '');
  if (report.verdict.banner) {
    const mark = report.verdict.reasons.length ? '🛑' : '❌';
    lines.push(`> ## ${mark} ${report.verdict.banner}`, '');
    if (report.verdict.reasons.length)
      lines.push(
        '> A run that exercised little proves little: see the skip reasons below and configure what they name.',
        '',
      );
  } else {
    const expected = t.exchangesExpectedDeviation;
    lines.push(
      expected
        ? `> ✅ Passed, with ${expected} expected deviation${expected === 1 ? '' : 's'} listed in the baseline (see below).`
        : '> ✅ Every exchange conformed and every test passed.',
      '',
    );
  }
  if (!report.verdict.reasons.length && t.operationsExercised < t.operations / 2) {
    lines.push(
      `> ⚠ Partial run: ${t.operationsExercised} of ${t.operations} operations exercised (a read-only run selects the @smoke tests only).`,
      '',
    );
  }
  lines.push(
    `**${report.summary}**`,
    '',
    `Target: ${report.target.url} · tenant \`${report.target.tenant}\` · ${report.target.kind} · ${report.generatedAt}`,
    '',
    `Held to the ${contractLabel()}.`,
    '',
    '| Figure | Value |',
    '| --- | --- |',
    `| Operations exercised | ${t.operationsExercised} / ${t.operations} (${pct(t.operationsExercised, t.operations)}) |`,
    `| Exchanges conforming | ${t.exchangesConforming} / ${t.exchanges} (${pct(t.exchangesConforming, t.exchanges)})` +
      `${t.exchangesExpectedDeviation ? `, ${t.exchangesExpectedDeviation} expected deviations` : ''} |`,
  );
  if (t.tests) {
    lines.push(
      `| Tests | ${t.tests.passed} passed, ${t.tests.failed} failed, ${t.tests.skipped} skipped` +
        `${t.tests.flaky ? `, ${t.tests.flaky} flaky` : ''}${t.tests.expectedFailure ? `, ${t.tests.expectedFailure} expected deviations` : ''} of ${t.tests.total} |`,
    );
  } else {
    lines.push(`| Tests skipped (from records) | ${t.skipped} |`);
  }
  lines.push('');

  if (report.failedTests.length) {
    lines.push('## Failed tests', '', '| Test | Code | First error line |', '| --- | --- | --- |');
    for (const f of report.failedTests)
      lines.push(
        `| \`${cell(f.file)}\` ${cell(f.title)} | ${f.code ? `\`${f.code}\`` : '–'} | ${cell(f.error)} |`,
      );
    lines.push('');
  }

  const byChapter = new Map<Chapter, OperationReport[]>();
  for (const r of report.operations) byChapter.set(r.chapter, [...(byChapter.get(r.chapter) ?? []), r]);
  lines.push(
    '## Operations',
    '',
    'Tests: passed / failed / skipped among the tests about the operation (those whose title names it, else those that call it themselves). Exchanges: conforming / all (fixtures included). Statuses in bold are not documented.',
    '',
  );
  for (const [chapter, list] of byChapter) {
    lines.push(
      `### ${CHAPTER_TITLES[chapter]}`,
      '',
      '| Operation | State | Tests | Exchanges | Statuses seen | Documented, never provoked | Schemas |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...list.map(operationRow),
      '',
    );
  }

  const offContract = report.operations.filter((r) => r.problems.length > 0);
  if (offContract.length) {
    lines.push('## Problems (first of each operation, secrets masked)', '');
    for (const r of offContract) {
      lines.push(`- \`${r.method} ${r.path}\`:`);
      for (const p of r.problems) lines.push(`  - ${cell(p)}`);
      if (r.laterRemoved && r.undocumentedStatuses.some((s) => s === 404 || s === 405))
        lines.push(`  - note: ${r.laterRemoved}`);
    }
    lines.push('');
  }

  lines.push('## Warnings by code', '');
  if (report.warnings.length === 0) lines.push('None.', '');
  else {
    lines.push(
      `Findings that did not fail a test: advisory ones, and, in the documented profile, those against the vendor's other pages (F) or the project's reading (B).`,
      '',
    );
    for (const w of report.warnings) {
      lines.push(
        `### \`${w.code}\`${w.source ? ` (${w.source})` : ''}: ${w.tests} test${w.tests === 1 ? '' : 's'}`,
        '',
      );
      for (const example of w.examples) lines.push(`- ${cell(example)}`);
      lines.push('');
    }
  }
  const warned = report.operations.filter((r) => Object.keys(r.undocumentedFields).length > 0);
  if (warned.length > 0) {
    lines.push('### Fields the documentation does not list, by operation', '');
    for (const r of warned) {
      const fields = Object.entries(r.undocumentedFields)
        .map(([p, n]) => `\`${p}\` (${n}×)`)
        .join(', ');
      lines.push(`- \`${r.method} ${r.path}\`: ${fields}`);
    }
    lines.push('');
  }

  lines.push('## Skipped tests by reason', '');
  if (report.skipsByReason.length === 0) lines.push('None.', '');
  else {
    lines.push('| Tests | Reason | Files |', '| --- | --- | --- |');
    for (const s of report.skipsByReason)
      lines.push(`| ${s.count} | ${cell(s.reason)} | ${s.files.map((f) => `\`${f}\``).join(', ')} |`);
    lines.push('');
  }

  if (report.baseline) {
    lines.push(`## Baseline \`${report.baseline.file}\``, '');
    lines.push('| Entry | Owner | Expires | State |', '| --- | --- | --- | --- |');
    for (const e of report.baseline.entries) {
      const state =
        e.state === 'seen'
          ? e.expired
            ? `❌ expired, still happens (${e.times}×)`
            : `⚠ expected deviation (${e.times}×)`
          : e.state === 'not-needed'
            ? '🧹 baseline entry no longer needed: the operation answered without it'
            : 'not checked in this run';
      lines.push(
        `| ${cell(e.label)} | ${cell(e.owner)} | ${e.expires}${e.expired ? ' (expired)' : ''} | ${state} |`,
      );
    }
    lines.push('');
  }

  if (report.requirements.length > 0) {
    const run = report.requirements.filter((r) => !r.notRun).length;
    lines.push(
      '## Requirements',
      '',
      `${run} of ${report.requirements.length} requirements checked in this run${report.profile ? `, weighed by the ${report.profile} profile` : ''}. ` +
        'Tests: those that checked the requirement with no finding (passed), with a failing finding (failed), with a warning only (warned). ' +
        'Sources: ' +
        (Object.entries(SOURCE_NAMES) as [Source, string][]).map(([k, v]) => `${k} ${v}`).join(', ') +
        '. docs/requirements.md quotes each reference.',
      '',
      '| Code | Source | Severity | Passed | Failed | Warned | State |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...report.requirements.map(
        (r) =>
          `| \`${r.code}\` | ${r.source} | ${r.severity} | ${r.passed} | ${r.failed} | ${r.warned} | ` +
          `${r.notRun ? 'not run' : r.failed > 0 ? '❌ failed' : r.warned > 0 ? '⚠ warned' : '✅ passed'} |`,
      ),
      '',
    );
  }

  if (report.testOnly.some((r) => r.exchanges.total > 0)) {
    lines.push('## Test-only operations (mock)', '');
    lines.push(
      '| Operation | Exchanges | Statuses seen |',
      '| --- | --- | --- |',
      ...report.testOnly.map(
        (r) =>
          `| \`${r.method} ${r.path}\` | ${r.exchanges.conforming}/${r.exchanges.total} | ${
            Object.entries(r.statusesSeen)
              .map(([s, n]) => `${s}×${n}`)
              .join(', ') || '–'
          } |`,
      ),
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
