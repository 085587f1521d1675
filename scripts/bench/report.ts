// The readable summary of a benchmark run: the same Markdown on stdout and in reports/bench.md.
import type { MachineInfo } from './machine.ts';
import type { EndpointFigures, MockFigures } from './mock.ts';
import type { RequestFigures } from './requests.ts';
import type { SuiteFigures } from './suite.ts';

export interface BenchResult {
  machine: MachineInfo;
  /** What was measured: the last commit or the working tree. */
  source: { kind: 'commit' | 'working-tree'; commit: string; uncommittedChanges: boolean } | null;
  suite: SuiteFigures | null;
  requests: RequestFigures | null;
  mock: MockFigures | null;
  /** Parts that could not be measured, with the reason. */
  failures: { part: string; error: string }[];
}

const mark = (met: boolean): string => (met ? 'met' : 'MISSED');

function table(header: string[], rows: (string | number)[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`),
  ];
}

function endpointRow(e: EndpointFigures): (string | number)[] {
  return [
    e.name,
    `\`${e.request}\``,
    e.requestsPerSecond,
    e.latencyMeanMs,
    e.latencyP50Ms,
    e.latencyP99Ms,
    e.serverCpuPercent ?? 'n/a',
    e.clientCpuPercent,
    e.valid ? 'ok' : `INVALID (${JSON.stringify(e.statusCodes)}, ${e.errors} errors, ${e.timeouts} timeouts)`,
  ];
}

export function renderSummary(result: BenchResult): string {
  const { machine, suite, requests, mock } = result;
  const lines: string[] = [
    '# Benchmark',
    '',
    `${machine.date} · ${machine.cpus} CPUs (${machine.cpuModel}) · ${machine.memoryGiB} GiB · ${machine.os} · Node ${machine.node}`,
    `Measured: ${
      result.source
        ? result.source.kind === 'commit'
          ? `commit ${result.source.commit.slice(0, 12)}`
          : `working tree on ${result.source.commit.slice(0, 12)}${result.source.uncommittedChanges ? ' with uncommitted changes' : ''}`
        : '?'
    }.`,
    `Load average (1, 5, 15 min): ${machine.loadAverage.start.join(', ')} at start, ${machine.loadAverage.end?.join(', ') ?? '?'} at end.`,
    '',
  ];
  if (suite) {
    lines.push(
      '## Suite (cold, embedded mock)',
      '',
      `- Goal: ≥ ${suite.goal.minTests} tests in ≤ ${suite.goal.maxWallSeconds} s on ${suite.goal.cores} cores: **${mark(suite.goalMet)}**` +
        (machine.cpus !== suite.goal.cores ? ` (this machine has ${machine.cpus} CPUs)` : ''),
      `- Wall time: **${suite.wallSeconds} s** (Playwright's own run: ${suite.reportedSeconds ?? '?'} s; exit code ${suite.exitCode})`,
      `- Tests: ${suite.tests} (${suite.ran} ran: ${suite.passed} passed, ${suite.failed} failed; ${suite.skipped} skipped), ${suite.workers ?? '?'} workers`,
      `- Per test: median ${suite.medianTestMs} ms; ${suite.totalTestMs} ms of test time in all`,
      `- Workers: ${suite.workersStarted} worker processes started for ${suite.workers ?? '?'} parallel slots (${Object.entries(
        suite.workersByProject,
      )
        .map(([project, n]) => `${project} ${n}`)
        .join(', ')}); first test ${suite.firstTestAfterSeconds ?? '?'} s after Playwright started`,
      ...(suite.cpu
        ? [
            `- CPU: ${suite.cpu.totalSeconds} s in all → no faster than **${suite.cpu.floorSeconds} s** on ${machine.cpus} CPUs; ` +
              (['runner', 'worker', 'mock', 'launcher', 'other'] as const)
                .map(
                  (kind) =>
                    `${kind} ${suite.cpu!.byKind[kind].cpuSeconds} s (${suite.cpu!.byKind[kind].processes})`,
                )
                .join(', ') +
              `; ${suite.cpu.meanPerWorkerSeconds} s per worker`,
          ]
        : []),
      '',
      'Slowest tests:',
      '',
      ...table(
        ['ms', 'test', 'project'],
        suite.slowest.map((t) => [t.ms, `${t.file} › ${t.title}`, t.project]),
      ),
      '',
      'Test time per file:',
      '',
      ...table(
        ['file', 'tests', 'ms'],
        suite.byFile.map((f) => [f.file, f.tests, f.ms]),
      ),
      '',
    );
    if (suite.runErrors.length > 0)
      lines.push('Errors outside tests:', '', ...suite.runErrors.map((e) => `- ${e}`), '');
  }
  if (requests) {
    lines.push(
      '## Requests per full run',
      '',
      `- Sent: **${requests.sent}** by ${requests.testsWithRequests} tests (${requests.perTestMean} per test), ${requests.transportErrors} without a response`,
      `- Minimum the checks need (distinct operation and status per test): ${requests.perTestMinimum} → ratio **${requests.ratioToMinimum}**`,
      `- Distinct operation and status in the whole run: ${requests.contractMinimum} → ratio ${requests.ratioToContractMinimum}`,
      `- Share of set-up operations (anonymous token, employee token, sign-up, activation, deletion, login, logout): ${Math.round(requests.setupOperationsShare * 100)} %`,
      '',
      ...table(
        ['operation', 'requests', 'tests', 'statuses'],
        requests.byOperation.map((o) => [
          o.operationId,
          o.requests,
          o.tests,
          Object.entries(o.statuses)
            .map(([s, n]) => `${s}×${n}`)
            .join(' '),
        ]),
      ),
      '',
    );
    if (requests.mostRepeating.length > 0) {
      lines.push(
        'Tests repeating an outcome they already saw:',
        '',
        ...table(
          ['test', 'requests', 'distinct', 'repeated'],
          requests.mostRepeating.map((t) => [t.test, t.requests, t.distinct, t.repeated.join(', ')]),
        ),
        '',
      );
    }
  }
  if (mock) {
    lines.push(
      '## Mock throughput',
      '',
      `- Goal: GET /me at ≥ ${mock.goal.minRatioToBare} × the bare server's req/s: **${mark(mock.goalMet)}** (ratio ${mock.ratioToBare}; anonymous login ${mock.anonymousRatioToBare})`,
      `- autocannon in this process, ${mock.load.connections} connections, ${mock.load.duration} s per endpoint after ${mock.load.warmup} s warm-up; mock RSS after the runs ${mock.mockRssMiB ?? '?'} MiB`,
      `- Mock: \`${mock.command}\`; bare server answers ${mock.meBodyBytes} bytes, as GET /me does`,
      '',
      ...table(
        [
          'endpoint',
          'request',
          'req/s',
          'mean ms',
          'p50 ms',
          'p99 ms',
          'server CPU %',
          'client CPU %',
          'responses',
        ],
        [...mock.endpoints, mock.bare].map(endpointRow),
      ),
      '',
    );
  }
  for (const failure of result.failures) lines.push(`**${failure.part} not measured:** ${failure.error}`, '');
  return `${lines.join('\n').trimEnd()}\n`;
}
