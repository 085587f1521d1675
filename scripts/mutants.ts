// `npm run mutants`: the suite's detection power. For every fault of the mock's registry the suite
// must fail (the fault is "killed"); for every benign variant it must pass (else a "false failure").
// A baseline run against the plain mock comes first: if it fails, the matrix would mean nothing.
//
// Every run names its profile (EMPORIX_PROFILE): `strict`, except for benign variants whose registry
// entry says `profile: 'documented'` (they make a choice the vendor's documents allow and the
// project's own reading does not: they must pass where only the documents fail a test). With
// --documented-kills every fault runs a second time in the `documented` profile, and the report
// counts how many faults that profile, the one a real tenant is tested with, still kills.
//
//   npm run mutants -- [--only a,b] [--kind fault|benign] [--jobs N] [--documented-kills]
//
// Writes reports/mutants/<name>.json (Playwright's report per run), reports/mutants.json and
// reports/mutants.md (a Markdown summary fit for a CI job summary). Exit code 0 only when every fault
// is killed, every variant passes and the baseline passes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAULT_REGISTRY, type FaultDefinition } from '../mock/src/faults/index.ts';
import { copySuite, runSuite, startMock, type FailedTest, type SuiteCopy } from './lib/mutant-run.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPORTS = join(ROOT, 'reports');
const RUN_DIR = join(REPORTS, 'mutants');
/** One suite run's ceiling: a benign variant with latency runs the whole suite slowly. */
const SUITE_TIMEOUT_MS = 20 * 60_000;

/** The model-based exploration spec (docs/exploration.md): the one spec run against sequence faults. */
const EXPLORATION_SPEC = 'specs/explore.spec.ts';

type Verdict = 'killed' | 'survived' | 'passed' | 'false failure' | 'error';
type Profile = 'strict' | 'documented';

/** The profile a registry entry runs in: `documented` when its entry says so, else strict. */
function profileOf(entry: Pick<FaultDefinition, 'profile'>): Profile {
  return entry.profile === 'documented' ? 'documented' : 'strict';
}

/** A fault's second run, in the documented profile (--documented-kills). */
interface DocumentedRun {
  verdict: Verdict;
  seconds: number;
  /** The first test that failed, when one did. */
  killedBy?: string;
  problem?: string;
}

interface MutantResult {
  name: string;
  kind: FaultDefinition['kind'] | 'baseline';
  category: string;
  description: string;
  /** The profile the run weighed findings by. */
  profile: Profile;
  verdict: Verdict;
  seconds: number;
  passed: number;
  skipped: number;
  failed: FailedTest[];
  problem?: string;
  report: string;
  /** Faults only, with --documented-kills. */
  documented?: DocumentedRun;
}

interface Args {
  only?: string[];
  kind?: 'fault' | 'benign';
  jobs: number;
  /** Runs every fault a second time in the documented profile. */
  documentedKills: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { jobs: 2, documentedKills: false };
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) problems.push(`${flag} needs a value`);
      return v ?? '';
    };
    switch (flag) {
      case '--only':
        args.only = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case '--kind': {
        const kind = value();
        if (kind === 'fault' || kind === 'benign') args.kind = kind;
        else problems.push(`--kind must be fault or benign, got '${kind}'`);
        break;
      }
      case '--jobs': {
        const jobs = Number(value());
        if (Number.isInteger(jobs) && jobs >= 1) args.jobs = jobs;
        else problems.push('--jobs must be a positive integer');
        break;
      }
      case '--documented-kills':
        args.documentedKills = true;
        break;
      default:
        problems.push(
          `unknown argument '${argv[i]}' (use --only a,b  --kind fault|benign  --jobs N  --documented-kills)`,
        );
    }
  }
  const unknown = (args.only ?? []).filter((name) => !FAULT_REGISTRY.some((entry) => entry.name === name));
  if (unknown.length > 0)
    problems.push(`unknown fault(s): ${unknown.join(', ')} (npm run mock -- --list-faults)`);
  if (problems.length > 0) {
    for (const problem of problems) process.stderr.write(`${problem}\n`);
    process.exit(2);
  }
  return args;
}

function classify(kind: MutantResult['kind'], failed: FailedTest[], problem: string | undefined): Verdict {
  if (problem && failed.length === 0) return 'error';
  if (kind === 'fault') return failed.length > 0 ? 'killed' : 'survived';
  return failed.length > 0 ? 'false failure' : 'passed';
}

async function runMutant(
  suite: SuiteCopy,
  entry: Pick<FaultDefinition, 'name' | 'category' | 'description' | 'waitBound' | 'profile'> & {
    kind: MutantResult['kind'];
  },
  options: { documentedKills: boolean } = { documentedKills: false },
): Promise<MutantResult> {
  const started = Date.now();
  const profile = profileOf(entry);
  const reportFile = join(RUN_DIR, `${entry.name}.json`);
  const base = {
    name: entry.name,
    kind: entry.kind,
    category: entry.category,
    description: entry.description,
    profile,
    report: relative(ROOT, reportFile),
  };
  let mock;
  try {
    mock = await startMock(ROOT, entry.kind === 'baseline' ? undefined : entry.name);
  } catch (error) {
    const problem = (error as Error).message;
    return { ...base, verdict: 'error', seconds: 0, passed: 0, skipped: 0, failed: [], problem };
  }
  try {
    const run = (runProfile: Profile, file: string, baseUrl: string) =>
      runSuite({
        suiteDir: suite.dir,
        baseUrl,
        reportFile: file,
        stopAtFirstFailure: entry.kind === 'fault',
        timeoutMs: SUITE_TIMEOUT_MS,
        // A variant that only adds latency waits rather than computes: more workers overlap the waits.
        workers: entry.waitBound ? 4 : 1,
        profile: runProfile,
        // A sequence fault survives the example specs (checked when it was written): only
        // exploration runs against it, so its kill shows what exploration alone detects.
        ...(entry.category === 'sequence' ? { specs: [EXPLORATION_SPEC] } : {}),
      });
    const outcome = await run(profile, reportFile, mock.baseUrl);
    const result: MutantResult = {
      ...base,
      verdict: classify(entry.kind, outcome.failed, outcome.problem),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      passed: outcome.passed,
      skipped: outcome.skipped,
      failed: outcome.failed,
    };
    if (outcome.problem) result.problem = outcome.problem;
    if (entry.kind === 'fault' && options.documentedKills) {
      // A fresh mock with the same fault; the second run's report sits beside the first.
      await mock.stop();
      const second = Date.now();
      mock = await startMock(ROOT, entry.name);
      const again = await run('documented', join(RUN_DIR, `${entry.name}.documented.json`), mock.baseUrl);
      result.documented = {
        verdict: classify('fault', again.failed, again.problem),
        seconds: Math.round((Date.now() - second) / 100) / 10,
        ...(again.failed[0] ? { killedBy: again.failed[0].title } : {}),
        ...(again.problem ? { problem: again.problem } : {}),
      };
    }
    return result;
  } finally {
    await mock.stop();
  }
}

function detail(result: MutantResult): string {
  if (result.verdict === 'error') return result.problem ?? '';
  const first = result.failed[0];
  if (!first)
    return result.kind === 'fault' ? `no test failed (${result.passed} passed)` : `${result.passed} passed`;
  return result.verdict === 'killed' ? first.title : `${first.title}: ${first.error}`;
}

function progressLine(done: number, total: number, result: MutantResult): string {
  const count = `[${String(done).padStart(String(total).length)}/${total}]`;
  const second = result.documented
    ? `  · documented: ${result.documented.verdict} in ${result.documented.seconds} s`
    : '';
  return (
    `${count} ${result.verdict.padEnd(13)} ${result.name.padEnd(36)} ${result.seconds.toFixed(1).padStart(6)} s  ` +
    `${result.profile === 'documented' ? '[documented] ' : ''}${detail(result)}${second}`
  );
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 240);
}

function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

function markdownReport(
  baseline: MutantResult,
  results: MutantResult[],
  wallSeconds: number,
  meta: { commit: string; jobs: number; total: number },
): string {
  const faults = results.filter((r) => r.kind === 'fault');
  const benign = results.filter((r) => r.kind === 'benign');
  const count = (list: MutantResult[], verdict: Verdict): number =>
    list.filter((r) => r.verdict === verdict).length;
  const secondRuns = faults.filter((r) => r.documented);
  const documentedBenign = benign.filter((r) => r.profile === 'documented');
  const lines = [
    '# Mutation matrix: what the conformance suite detects',
    '',
    `Baseline (plain mock): **${baseline.verdict}** (${baseline.passed} passed, ${baseline.skipped} skipped, ${baseline.seconds} s).`,
    '',
    `| | total | as expected | not as expected | errors |`,
    `| --- | --- | --- | --- | --- |`,
    `| faults | ${faults.length} | ${count(faults, 'killed')} killed | ${count(faults, 'survived')} survived | ${count(faults, 'error')} |`,
    `| benign variants | ${benign.length} | ${count(benign, 'passed')} passed | ${count(benign, 'false failure')} false failures | ${count(benign, 'error')} |`,
    '',
    `Faults run in the strict profile; ${documentedBenign.length} benign variant(s) in the documented profile (the others strict).`,
    '',
  ];
  const sequence = faults.filter((r) => r.category === 'sequence');
  if (sequence.length > 0) {
    lines.push(
      `**Exploration alone kills ${count(sequence, 'killed')} of ${sequence.length} sequence faults** ` +
        `(faults the example specs miss; only ${EXPLORATION_SPEC} runs against them).`,
      '',
    );
  }
  if (secondRuns.length > 0) {
    const killed = secondRuns.filter((r) => r.documented?.verdict === 'killed').length;
    const extra = secondRuns.reduce((n, r) => n + (r.documented?.seconds ?? 0), 0);
    lines.push(
      `**The documented profile still kills ${killed} of ${secondRuns.length} faults** ` +
        `(the profile a real tenant is tested with; a fault it misses breaks only the project's reading or the vendor's other pages). ` +
        `The second runs took ${formatDuration(extra)} in all.`,
      '',
    );
  }
  lines.push(
    results.length < meta.total
      ? `**Partial: ${results.length} of ${meta.total} mutants so far** (${formatDuration(wallSeconds)}; the run was stopped or is still going).`
      : `Wall time: ${formatDuration(wallSeconds)} with ${meta.jobs} run(s) at a time; suite at ${meta.commit}.`,
    '',
  );
  const table = (title: string, list: MutantResult[]): void => {
    if (list.length === 0) return;
    lines.push(
      `## ${title}`,
      '',
      '| mutant | category | profile | verdict | seconds | detail | documented profile |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const r of list) {
      const mark = r.verdict === 'killed' || r.verdict === 'passed' ? '✅' : '❌';
      const second = r.documented
        ? `${r.documented.verdict} (${r.documented.seconds} s)${r.documented.killedBy ? `: ${markdownCell(r.documented.killedBy)}` : ''}`
        : '–';
      lines.push(
        `| \`${r.name}\` | ${r.category} | ${r.profile} | ${mark} ${r.verdict} | ${r.seconds} | ${markdownCell(detail(r))} | ${second} |`,
      );
    }
    lines.push('');
  };
  const survivors = faults.filter((r) => r.verdict === 'survived');
  if (survivors.length > 0) {
    lines.push('## Survivors: faults no test detects', '');
    for (const r of survivors) lines.push(`- \`${r.name}\` (${r.category}): ${r.description}`);
    lines.push('');
  }
  table('Faults', faults);
  table('Benign variants', benign);
  return `${lines.join('\n')}\n`;
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync(
      'git',
      ['status', '--porcelain', '--', 'specs', 'helpers', 'fixtures', 'schemas'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    ).trim();
    return dirty ? `${head} with uncommitted changes` : head;
  } catch {
    return 'unknown commit';
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const wallStart = Date.now();
  const selected = FAULT_REGISTRY.filter(
    (entry) => (!args.only || args.only.includes(entry.name)) && (!args.kind || entry.kind === args.kind),
  );
  mkdirSync(RUN_DIR, { recursive: true });
  const commit = gitCommit();
  const jobs = Math.max(1, Math.min(args.jobs, selected.length));
  const copies = Array.from({ length: jobs }, () => copySuite(ROOT));
  const cleanup = (): void => copies.forEach((copy) => copy.remove());
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });

  try {
    process.stdout.write(`Baseline: the suite against the plain mock (suite at ${commit})...\n`);
    const baseline = await runMutant(copies[0]!, {
      name: 'baseline',
      kind: 'baseline',
      category: 'baseline',
      description: 'The mock without any fault.',
    });
    process.stdout.write(
      `Baseline: ${baseline.verdict === 'passed' ? 'passed' : baseline.verdict} (${baseline.passed} passed, ${baseline.failed.length} failed, ${baseline.skipped} skipped) in ${baseline.seconds} s\n`,
    );
    if (baseline.verdict !== 'passed') {
      for (const failure of baseline.failed) process.stderr.write(`  ✗ ${failure.title}: ${failure.error}\n`);
      if (baseline.problem) process.stderr.write(`  ${baseline.problem}\n`);
      process.stderr.write(
        '\nThe suite fails against the plain mock, so a mutation matrix would mean nothing. Fix the baseline first.\n',
      );
      writeFileSync(join(REPORTS, 'mutants.json'), `${JSON.stringify({ baseline, results: [] }, null, 2)}\n`);
      process.exitCode = 1;
      return;
    }

    process.stdout.write(`\n${selected.length} mutant(s), ${jobs} at a time:\n`);
    const results: MutantResult[] = [];
    let next = 0;
    const order = new Map(selected.map((entry, index) => [entry.name, index]));
    /** Written after every mutant, so a stopped run still leaves its partial matrix. */
    const writeReports = (): string => {
      results.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
      const wallSeconds = Math.round((Date.now() - wallStart) / 1000);
      const meta = { commit, jobs, total: selected.length };
      const markdown = markdownReport(baseline, results, wallSeconds, meta);
      writeFileSync(
        join(REPORTS, 'mutants.json'),
        `${JSON.stringify({ ...meta, complete: results.length === selected.length, wallSeconds, baseline, results }, null, 2)}\n`,
      );
      writeFileSync(join(REPORTS, 'mutants.md'), markdown);
      return markdown;
    };
    const worker = async (copy: SuiteCopy): Promise<void> => {
      while (next < selected.length) {
        const entry = selected[next++]!;
        const result = await runMutant(copy, entry, { documentedKills: args.documentedKills });
        results.push(result);
        process.stdout.write(`${progressLine(results.length, selected.length, result)}\n`);
        writeReports();
      }
    };
    await Promise.all(copies.map(worker));
    const markdown = writeReports();
    process.stdout.write(`\n${markdown}`);
    process.stdout.write(`Written: reports/mutants.md, reports/mutants.json, reports/mutants/<name>.json\n`);
    const bad = results.filter((r) => r.verdict !== 'killed' && r.verdict !== 'passed');
    if (bad.length > 0) process.exitCode = 1;
  } finally {
    cleanup();
  }
}

await main();
