// `npm run bench`: measures, in one run on this machine, the full suite against the embedded mock
// (cold), the requests one run sends, and the mock's throughput against a bare node:http server.
// Writes reports/bench.json and reports/bench.md and prints the summary. docs/benchmarks.md
// explains each figure and its goal.
//
// Exit codes: 0 when every part was measured (a missed goal is a finding, not a failure), 1 when a
// part could not be measured, 2 on bad flags, 130/143 when interrupted. The processes the script
// starts are stopped in every case.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_USAGE, parseBenchArgs } from './bench/args.ts';
import { finishMachineInfo, machineInfo } from './bench/machine.ts';
import { runMockBench } from './bench/mock.ts';
import { killAllNow, stopAll } from './bench/processes.ts';
import { renderSummary, type BenchResult } from './bench/report.ts';
import { analyseRecords } from './bench/requests.ts';
import { snapshotProject, type Snapshot } from './bench/snapshot.ts';
import { runSuite } from './bench/suite.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPORTS_DIR = join(PROJECT_ROOT, 'reports');

let snapshot: Snapshot | undefined;
/** Set on SIGINT or SIGTERM: the parts still running end early, and no report is written. */
let interrupted = false;

function cleanUpSync(): void {
  killAllNow();
  snapshot?.remove();
  snapshot = undefined;
}

function onSignal(signal: NodeJS.Signals, code: number): void {
  interrupted = true;
  process.stderr.write(`\n${signal}: stopping the processes the benchmark started…\n`);
  stopAll().finally(() => {
    cleanUpSync();
    process.exit(code);
  });
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<number> {
  const parsed = parseBenchArgs(process.argv.slice(2));
  if (!parsed.ok) {
    for (const error of parsed.errors) process.stderr.write(`${error}\n`);
    return 2;
  }
  const { args } = parsed;
  if (args.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }

  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  process.once('exit', cleanUpSync);

  mkdirSync(REPORTS_DIR, { recursive: true });
  const machine = machineInfo();
  const result: BenchResult = {
    machine,
    source: null,
    suite: null,
    requests: null,
    mock: null,
    failures: [],
  };
  try {
    snapshot = snapshotProject(PROJECT_ROOT, args.source);
    result.source = {
      kind: snapshot.source,
      commit: snapshot.commit,
      uncommittedChanges: snapshot.uncommittedChanges,
    };
    progress(
      `snapshot of ${args.source === 'commit' ? `commit ${snapshot.commit.slice(0, 7)}` : 'the working tree'} in ${snapshot.dir}`,
    );

    if (args.parts.suite) {
      progress('running the full suite against the embedded mock (cold)…');
      try {
        result.suite = await runSuite({ cwd: snapshot.dir, reportsDir: REPORTS_DIR });
        if (interrupted) return new Promise<number>(() => {});
        progress(`suite: ${result.suite.tests} tests in ${result.suite.wallSeconds} s`);
        result.requests = analyseRecords(join(snapshot.dir, 'reports', 'records'));
      } catch (error) {
        result.failures.push({ part: 'suite', error: errorText(error) });
      }
    }
    if (args.parts.mock) {
      progress(`loading the mock: 5 endpoints × (${args.warmup} s warm-up + ${args.duration} s)…`);
      try {
        result.mock = await runMockBench(snapshot.dir, {
          duration: args.duration,
          warmup: args.warmup,
          connections: args.connections,
        });
      } catch (error) {
        result.failures.push({ part: 'mock', error: errorText(error) });
      }
    }
  } finally {
    await stopAll();
    cleanUpSync();
  }

  // onSignal exits once the processes are stopped; a half-measured run is not reported.
  if (interrupted) return new Promise<number>(() => {});
  const final: BenchResult = { ...result, machine: finishMachineInfo(machine) };
  const summary = renderSummary(final);
  writeFileSync(join(REPORTS_DIR, 'bench.json'), `${JSON.stringify(final, null, 2)}\n`);
  writeFileSync(join(REPORTS_DIR, 'bench.md'), summary);
  process.stdout.write(summary);
  process.stdout.write('\nWritten: reports/bench.json, reports/bench.md\n');
  return final.failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${errorText(error)}\n`);
    cleanUpSync();
    process.exitCode = 1;
  },
);
