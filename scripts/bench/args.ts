// Command-line flags of `npm run bench`. Every problem is reported; bad input exits with code 2.

export interface BenchArgs {
  /** Seconds measured per mock endpoint. */
  duration: number;
  /** Seconds of unmeasured load before each endpoint's measurement. */
  warmup: number;
  connections: number;
  /** Parts to run: the suite (with its requests) and the mock. */
  parts: { suite: boolean; mock: boolean };
  /** Measure the last commit (default) or the files on disk, uncommitted changes included. */
  source: 'commit' | 'working-tree';
  help: boolean;
}

export const BENCH_USAGE = `Usage: npm run bench -- [options]

Measures, in one run on this machine: the full suite against the embedded mock (cold), the
requests one run sends, and the mock's throughput against a bare node:http server. Writes
reports/bench.json and reports/bench.md and prints a summary.

Options:
  --duration <s>      seconds measured per mock endpoint, 1 to 60   (default 5)
  --warmup <s>        unmeasured seconds before each, 0 to 10        (default 1)
  --connections <n>   concurrent connections, 1 to 256              (default 10)
  --only <part>       run one part only: suite or mock
  --working-tree      measure the files on disk, uncommitted changes included
                      (default: the last commit)
  --help              print this text
`;

export type ParsedArgs = { ok: true; args: BenchArgs } | { ok: false; errors: string[] };

function numberIn(
  flag: string,
  raw: string,
  min: number,
  max: number,
  integer: boolean,
  errors: string[],
): number | undefined {
  const value = Number(raw);
  if (
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    value > max
  ) {
    errors.push(
      `${flag}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got '${raw}'`,
    );
    return undefined;
  }
  return value;
}

export function parseBenchArgs(argv: readonly string[]): ParsedArgs {
  const args: BenchArgs = {
    duration: 5,
    warmup: 1,
    connections: 10,
    parts: { suite: true, mock: true },
    source: 'commit',
    help: false,
  };
  const errors: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      args.help = true;
      continue;
    }
    if (arg === '--working-tree') {
      args.source = 'working-tree';
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!['--duration', '--warmup', '--connections', '--only'].includes(flag)) {
      errors.push(`unknown option '${arg}' (see --help)`);
      continue;
    }
    let value = eq > 0 && flag !== arg ? arg.slice(eq + 1) : argv[i + 1];
    if (flag === arg) {
      if (value === undefined || value.startsWith('--')) {
        errors.push(`${flag}: a value is required`);
        continue;
      }
      i++;
    }
    value = value ?? '';
    switch (flag) {
      case '--duration':
        args.duration = numberIn(flag, value, 1, 60, false, errors) ?? args.duration;
        break;
      case '--warmup':
        args.warmup = numberIn(flag, value, 0, 10, false, errors) ?? args.warmup;
        break;
      case '--connections':
        args.connections = numberIn(flag, value, 1, 256, true, errors) ?? args.connections;
        break;
      case '--only':
        if (value === 'suite') args.parts = { suite: true, mock: false };
        else if (value === 'mock') args.parts = { suite: false, mock: true };
        else errors.push(`--only: expected suite or mock, got '${value}'`);
        break;
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, args };
}
