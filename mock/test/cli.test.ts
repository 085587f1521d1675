// The command-line entry point: starts, answers, stops cleanly on SIGTERM; bad flags exit with 2 and a
// clear message on stderr, and nothing listens.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LISTENING = /listening on (http:\/\/\S+)/i;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startCli(args: string[], extraEnv: Record<string, string> = {}): Run {
  // A clean environment for the mock's settings, so a developer's shell does not change the outcome.
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('EMPORIX_') || key.startsWith('MOCK_')) delete env[key];
  }
  Object.assign(env, extraEnv);
  const child = spawn(process.execPath, ['--import', 'tsx', 'mock/src/cli.ts', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitForListening(run: Run, timeoutMs = 20000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void run.exit.then(() => (exited = true));
  while (Date.now() < deadline) {
    const match = LISTENING.exec(run.stdout());
    if (match?.[1]) return match[1];
    if (exited) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  run.child.kill('SIGKILL');
  assert.fail(`no listening line; stdout: ${run.stdout()} stderr: ${run.stderr()}`);
}

describe('mock command line', { concurrency: 2 }, () => {
  test('starts on a free port, answers HTTP and exits 0 on SIGTERM', async () => {
    const run = startCli(['--port', '0']);
    const base = await waitForListening(run);
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/, `listening address ${base}`);
    assert.notEqual(base.endsWith(':0'), true, 'the real port is printed, not 0');
    const res = await fetch(
      `${base}/customerlogin/auth/anonymous/login?tenant=mocktenant&client_id=mock-storefront-client`,
    );
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await res.json()) as { access_token?: unknown; scope?: unknown };
    assert.equal(typeof body.access_token, 'string');
    assert.equal(body.scope, 'tenant=mocktenant');
    run.child.kill('SIGTERM');
    const { code } = await run.exit;
    assert.equal(code, 0, `exit code after SIGTERM; stderr: ${run.stderr()}`);
  });

  test('serves the tenant given by --tenant', async () => {
    const run = startCli(['--port', '0', '--tenant', 'shopone']);
    try {
      const base = await waitForListening(run);
      const ok = await fetch(
        `${base}/customerlogin/auth/anonymous/login?tenant=shopone&client_id=mock-storefront-client`,
      );
      assert.equal(ok.status, 200);
      const refused = await fetch(
        `${base}/customerlogin/auth/anonymous/login?tenant=mocktenant&client_id=mock-storefront-client`,
      );
      assert.equal(refused.status, 401, 'a tenant not configured is refused');
    } finally {
      run.child.kill('SIGTERM');
      await run.exit;
    }
  });

  const badArgs: [string, string[], RegExp][] = [
    ['a port that is not a number', ['--port', 'abc'], /port/i],
    ['an upper-case tenant', ['--port', '0', '--tenant', 'BAD'], /tenant/i],
    ['an unknown flag', ['--port', '0', '--no-such-flag'], /no-such-flag/],
    ['a flag without its value', ['--port'], /port/i],
  ];
  for (const [what, args, message] of badArgs) {
    test(`exits 2 with a clear message and does not listen for ${what}`, async () => {
      const run = startCli(args);
      const timer = setTimeout(() => run.child.kill('SIGKILL'), 20000);
      const { code } = await run.exit;
      clearTimeout(timer);
      assert.equal(code, 2, `exit code for ${args.join(' ')}; stderr: ${run.stderr()}`);
      assert.match(run.stderr(), message, `stderr names the problem: ${run.stderr()}`);
      assert.doesNotMatch(run.stdout(), LISTENING, 'no listening line');
    });
  }

  test('reports every problem, not only the first', async () => {
    const run = startCli(['--port', 'abc', '--tenant', 'BAD']);
    const { code } = await run.exit;
    assert.equal(code, 2);
    assert.match(run.stderr(), /port/i);
    assert.match(run.stderr(), /tenant/i);
  });

  test('environment variables configure the mock (MOCK_PORT, EMPORIX_TENANT)', async () => {
    const run = startCli([], { MOCK_PORT: '0', EMPORIX_TENANT: 'envtenant' });
    try {
      const base = await waitForListening(run);
      const res = await fetch(
        `${base}/customerlogin/auth/anonymous/login?tenant=envtenant&client_id=mock-storefront-client`,
      );
      assert.equal(res.status, 200);
    } finally {
      run.child.kill('SIGTERM');
      assert.equal((await run.exit).code, 0);
    }
  });
});
