// The suite's own reporting of fixture failures: when a fixture's set-up fails and its clean-up fails
// too, the set-up error is the test's headline in every report, and the clean-up failure is reported
// beside it, naming what may be left behind (fixtures/cleanup.ts). Proved on a child Playwright run
// of the project's real fixtures against a tiny server started here, read back from its JSON, JUnit
// and Allure results. Needs no target (@offline).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '../fixtures/index.ts';
import { CLEANUP_FAILED, cleanUp } from '../fixtures/cleanup.ts';
import { ledgerFile } from '../helpers/ledger.ts';
import { RECORDS_DIR } from '../helpers/records.ts';

const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const CHILD_PROJECT = 'self-test child';
const CUSTOMER_NUMBER = 'C-4711';

/** The fields every token answer of the self-test target shares. */
function bearerToken(
  access_token: string,
  expires_in: number,
  refresh_token: string,
  refresh_token_expires_in: number,
) {
  return { access_token, token_type: 'Bearer', expires_in, refresh_token, refresh_token_expires_in };
}

/** A target whose employee activation answers an undocumented 418 and whose deletion is refused (403). */
function refusingTarget(request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const json = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (request.method === 'GET' && path === '/customerlogin/auth/anonymous/login') {
    return json(200, {
      ...bearerToken('anon-access-1', 3599, 'anon-refresh-1', 86399),
      sessionId: '6d4d4d5e-04b9-40c5-9074-4df1405c6081',
      scope: 'tenant=selftest',
    });
  }
  if (request.method === 'POST' && path === '/oauth/token') {
    return json(200, {
      ...bearerToken('employee-access-1', 14399, '', 0),
      session_idle_time: 0,
      scope: 'tenant=selftest customer.customer_manage customer.customer_read',
    });
  }
  if (request.method === 'POST' && path === '/customer/selftest/signup')
    return json(201, { id: CUSTOMER_NUMBER });
  if (request.method === 'PATCH' && path === `/customer/selftest/customers/${CUSTOMER_NUMBER}`) {
    return json(418, { status: 418, type: 'teapot', message: 'activation refused by the self-test' });
  }
  if (request.method === 'DELETE' && path === `/customer/selftest/customers/${CUSTOMER_NUMBER}`) {
    return json(403, { status: 403, type: 'forbidden', message: 'deletion refused by the self-test' });
  }
  json(404, { status: 404, type: 'not_found', message: `no route ${request.method} ${path}` });
}

interface ChildOutcome {
  error: string;
  errors: string[];
  annotations: { type: string; description?: string }[];
  junitMessage: string;
  allureMessage: string;
}

/** Runs the child spec against the server and reads its reports. */
async function runChild(baseUrl: string, out: string, runId: string): Promise<ChildOutcome> {
  const env: NodeJS.ProcessEnv = {};
  // The parent's Playwright variables would make the child believe it is one of the parent's workers.
  for (const [name, value] of Object.entries(process.env))
    if (!/^(PW_|PLAYWRIGHT_|TEST_)/.test(name)) env[name] = value;
  Object.assign(env, {
    EMPORIX_API_URL: baseUrl,
    EMPORIX_TENANT: 'selftest',
    EMPORIX_STOREFRONT_CLIENT_ID: 'selftest-storefront',
    EMPORIX_CLIENT_ID: 'selftest-client',
    EMPORIX_CLIENT_SECRET: 'selftest-secret',
    EMPORIX_CUSTOMER_EMAIL: '',
    EMPORIX_CUSTOMER_PASSWORD: '',
    EMPORIX_ALLOW_DESTRUCTIVE: 'true',
    EMPORIX_MAX_RETRIES: '0',
    EMPORIX_RUN_ID: runId,
    MAILBOX: 'none',
    SELF_TEST_OUT: out,
    FORCE_COLOR: '0',
  });
  const cli = join(PROJECT_ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
  const child = spawn(process.execPath, [cli, 'test', '-c', 'specs/self-test/child.config.ts'], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  expect(code, `the child run fails (its one test must fail); its output:\n${output}`).toBe(1);

  type JsonResult = {
    error?: { message?: string };
    errors: { message?: string }[];
    annotations: { type: string; description?: string }[];
  };
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
    suites: { specs: { tests: { results: JsonResult[]; annotations: JsonResult['annotations'] }[] }[] }[];
  };
  const testResult = report.suites[0]?.specs[0]?.tests[0];
  const result = testResult?.results[0];
  expect(result, `the child's JSON report holds its test's result; output:\n${output}`).toBeDefined();

  const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
  const allureFile = readdirSync(join(out, 'allure-results')).find((f) => f.endsWith('-result.json'));
  const allure = allureFile
    ? (JSON.parse(readFileSync(join(out, 'allure-results', allureFile), 'utf8')) as {
        statusDetails?: { message?: string };
      })
    : {};
  return {
    error: result?.error?.message ?? '',
    errors: (result?.errors ?? []).map((e) => e.message ?? ''),
    // The same annotations appear on the test and on its result: read the result's.
    annotations: result?.annotations ?? [],
    junitMessage: /<(?:failure|error) message="([^"]*)"/.exec(junit)?.[1] ?? '',
    allureMessage: allure.statusDetails?.message ?? '',
  };
}

/** Removes what the child run wrote into the project's shared report folders. */
function removeChildTraces(runId: string): void {
  rmSync(ledgerFile({ runId }), { force: true });
  let files: string[] = [];
  try {
    files = readdirSync(RECORDS_DIR).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return;
  }
  for (const file of files) {
    const path = join(RECORDS_DIR, file);
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    if (lines.length > 0 && lines.every((l) => l.includes(`"project":"${CHILD_PROJECT}"`))) rmSync(path);
  }
}

test.describe('fixture failures @offline', () => {
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring pattern
  test('a failed set-up stays the headline when the clean-up after it fails too', async ({}, testInfo) => {
    test.setTimeout(90_000);
    const server = createServer(refusingTarget);
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const runId = `selftest-${process.pid}`;
    try {
      const { port } = server.address() as AddressInfo;
      const outcome = await runChild(`http://127.0.0.1:${port}`, testInfo.outputPath('child'), runId);
      const setUpError =
        /PATCH \/customer\/\{tenant\}\/customers\/\{customerNumber\} .*status: expected one of .*, received 418/;
      const everywhere = { json: outcome.error, junit: outcome.junitMessage, allure: outcome.allureMessage };
      for (const [report, headline] of Object.entries(everywhere)) {
        expect(headline, `the ${report} headline is the refused activation, not the deletion`).toMatch(
          setUpError,
        );
      }
      expect(outcome.errors, 'the deletion is no error of its own: only reported beside').toHaveLength(1);
      const beside = outcome.annotations.filter((a) => a.type === CLEANUP_FAILED);
      expect(beside, 'one clean-up-failed annotation').toHaveLength(1);
      expect(beside[0]?.description, 'the annotation names what may be left behind').toContain(
        `May be left behind: customer ${CUSTOMER_NUMBER}`,
      );
      expect(beside[0]?.description).toContain('delete the customer as an employee');
    } finally {
      await new Promise((closed) => server.close(closed));
      removeChildTraces(runId);
    }
  });

  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring pattern
  test('a clean-up that fails after an earlier failure is annotated, not thrown', async ({}, testInfo) => {
    await cleanUp(
      {
        title: 'remove the example',
        leftBehind: 'the example',
        run: async () => {
          throw new Error('refused');
        },
      },
      { earlierFailure: new Error('set-up failed') },
    );
    expect(testInfo.annotations).toContainEqual({
      type: CLEANUP_FAILED,
      description: expect.stringContaining(
        'clean-up "remove the example" failed: refused. May be left behind: the example',
      ),
    });
  });

  test('a clean-up that fails in a passing test fails it with that message', async () => {
    await expect(
      cleanUp({
        title: 'remove the example',
        leftBehind: 'the example',
        run: async () => {
          throw new Error('refused');
        },
      }),
    ).rejects.toThrow(/clean-up "remove the example" failed: refused\. May be left behind: the example/);
  });
});
