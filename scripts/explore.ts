// `npm run explore`: model-based exploration with a budget of your choosing. Runs Playwright on
// specs/explore.spec.ts with the settings in the environment (EXPLORE_*), so every exchange is checked,
// masked and reported like the rest of the suite; prints a progress line while it runs and, at the
// end, the numbers, the story of a failure and the command that replays it.
//
//   npm run explore -- [--runs N] [--seed S] [--max-requests M] [--max-shrink-requests M]
//                      [--max-commands N] [--time-limit SECONDS] [--path P --replay-path R] [--help]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPLORE_REPORTS, SETTING_VARIABLES, settingsFromEnv } from '../helpers/model/explore.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const HELP = `Usage: npm run explore -- [options]

Explores random lifecycles of three customers on two anonymous sessions, each request held to the
suite's model of the customer-managed API; a failure is shrunk to the shortest sequence and written to
reports/explore/ as a story with the command that replays it.

Options:
  --runs N                 sequences to try (default 200)
  --seed S                 seed of the search (default: a new one, printed); the same seed, the same sequences
  --max-requests M         requests the search may send (default 150 per sequence)
  --max-shrink-requests M  requests the shrinking of a failure may send on top (default: --max-requests)
  --max-commands N         commands per sequence, at most (default 25)
  --time-limit SECONDS     wall-clock limit of the search, and again of the shrinking (default 1800)
  --path P                 replay one case: the path printed with a failure (needs --seed)
  --replay-path R          the commands' replay path printed with a failure (with --path)
  --help                   this text

Targets: the embedded mock by default; another server (EMPORIX_API_URL) only with
EMPORIX_ALLOW_DESTRUCTIVE=true, since exploration signs up, changes and deletes customers. Every
customer it makes is in the cleanup ledger and is deleted when its sequence ends.
`;

type Flag = keyof typeof SETTING_VARIABLES;

const FLAGS: Record<string, Flag> = {
  '--runs': 'runs',
  '--seed': 'seed',
  '--max-requests': 'maxRequests',
  '--max-shrink-requests': 'maxShrinkRequests',
  '--max-commands': 'maxCommands',
  '--time-limit': 'timeLimitSeconds',
  '--path': 'path',
  '--replay-path': 'replayPath',
};

function parseArgs(argv: string[]): { env: Record<string, string>; problems: string[]; help: boolean } {
  const values: Partial<Record<Flag, string>> = {};
  const problems: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === '--help' || flag === '-h') {
      help = true;
      continue;
    }
    const key = FLAGS[flag];
    if (!key) {
      problems.push(`unknown argument '${argv[i]}' (npm run explore -- --help lists the options)`);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) {
      problems.push(`${flag} needs a value`);
      if (value !== undefined) i--;
      continue;
    }
    values[key] = value;
  }
  const runs = values.runs ?? '200';
  const env: Record<string, string> = {
    [SETTING_VARIABLES.runs]: runs,
    [SETTING_VARIABLES.maxCommands]: values.maxCommands ?? '25',
    [SETTING_VARIABLES.timeLimitSeconds]: values.timeLimitSeconds ?? '1800',
  };
  const perRun = /^\d+$/.test(runs) ? String(Math.max(50, Number(runs) * 150)) : '50';
  env[SETTING_VARIABLES.maxRequests] = values.maxRequests ?? perRun;
  env[SETTING_VARIABLES.maxShrinkRequests] = values.maxShrinkRequests ?? env[SETTING_VARIABLES.maxRequests]!;
  // A seed chosen here, so it can be printed before the run starts.
  env[SETTING_VARIABLES.seed] = values.seed ?? String((Date.now() ^ (Math.random() * 0x7fffffff)) | 0);
  if (values.path) env[SETTING_VARIABLES.path] = values.path;
  if (values.replayPath) env[SETTING_VARIABLES.replayPath] = values.replayPath;
  if (values.replayPath && !values.path) problems.push('--replay-path needs --path');
  try {
    settingsFromEnv(env);
  } catch (error) {
    // The same checks the spec applies, in the flags' own names.
    const byVariable = Object.fromEntries(Object.entries(FLAGS).map(([f, k]) => [SETTING_VARIABLES[k], f]));
    for (const line of (error as Error).message.split('\n').slice(1))
      problems.push(line.replace(/^\s*-\s*/, '').replace(/EXPLORE_[A-Z_]+/g, (v) => byVariable[v] ?? v));
  }
  return { env, problems, help };
}

interface LastRun {
  sequences: number;
  requests: number;
  seconds: number;
  stoppedBy?: string;
  story?: string;
  replay: string;
  failure?: { steps: unknown[]; error: string };
}

async function main(): Promise<number> {
  const { env, problems, help } = parseArgs(process.argv.slice(2));
  if (help) {
    process.stdout.write(HELP);
    return problems.length > 0 ? 2 : 0;
  }
  if (problems.length > 0) {
    for (const problem of problems) process.stderr.write(`explore: ${problem}\n`);
    return 2;
  }
  const last = join(EXPLORE_REPORTS, 'last.json');
  rmSync(last, { force: true });
  process.stdout.write(
    `explore: ${env[SETTING_VARIABLES.runs]} sequences, seed ${env[SETTING_VARIABLES.seed]}, at most ` +
      `${env[SETTING_VARIABLES.maxRequests]} requests, target ${process.env.EMPORIX_API_URL || 'the embedded mock'}\n`,
  );
  const started = Date.now();
  const child = spawn(
    join(ROOT, 'node_modules', '.bin', 'playwright'),
    ['test', 'specs/explore.spec.ts', '--project=conformance', '--workers=1', '--reporter=list'],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' },
  );
  const code = await new Promise<number>((resolve) => child.once('close', (c) => resolve(c ?? 1)));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!existsSync(last)) {
    process.stderr.write(
      `explore: no result was written (Playwright exited with ${code} after ${seconds} s)\n`,
    );
    return code === 0 ? 1 : code;
  }
  const result = JSON.parse(readFileSync(last, 'utf8')) as LastRun;
  process.stdout.write(
    `\nexplore: ${result.sequences} sequences, ${result.requests} requests, ${result.seconds} s exploring ` +
      `(${seconds} s in all)${result.stoppedBy ? `; stopped early: ${result.stoppedBy}` : ''}\n`,
  );
  if (result.failure) {
    process.stdout.write(
      `explore: FAILED: a sequence of ${result.failure.steps.length} steps breaks the model\n` +
        `  story:  ${result.story}\n  replay: ${result.replay}\n`,
    );
  } else process.stdout.write(`explore: no failure; the same run again: ${result.replay}\n`);
  return code;
}

process.exitCode = await main();
