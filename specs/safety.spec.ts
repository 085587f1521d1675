// Running against real tenants safely: the settings for it, the guard that refuses writing requests
// without EMPORIX_ALLOW_DESTRUCTIVE=true, request retries, the cleanup ledger and its sweep, and
// `npm run doctor`. The unit tests (@offline) need no server; the doctor is run against the mock.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '../fixtures/index.ts';
import { operation, operationIds, operations } from '../helpers/catalog.ts';
import { configProblems, loadConfig, type Env } from '../helpers/config.ts';
import { RUN_ID, uniqueEmail } from '../helpers/data.ts';
import {
  openEntries,
  otherRunsWithOpenEntries,
  readLedger,
  recordCreatedCustomer,
  recordFromExchange,
  recheckEarlierRuns,
  sweepLedger,
} from '../helpers/ledger.ts';
import { findToken, inferKind } from '../helpers/mailbox-imap.ts';
import { isIdempotent, parseRetryAfter, withRetry, type RetryEvent } from '../helpers/retry.ts';
import { assertMaySend, effectOf, OPERATION_EFFECTS, UnsafeRequestError } from '../helpers/safety.ts';

const REMOTE: Env = {
  EMPORIX_API_URL: 'https://api.example.test',
  EMPORIX_TENANT: 'shop1',
  EMPORIX_STOREFRONT_CLIENT_ID: 'key',
};

test.describe('real-tenant settings @offline', () => {
  test('reads the IMAP mailbox settings, secure on port 993 by default', () => {
    const config = loadConfig(
      { ...REMOTE, MAILBOX: 'imap', IMAP_HOST: 'mail.example.test', IMAP_USER: 'qa', IMAP_PASSWORD: 'pw' },
      { envFile: null },
    );
    expect(config.mailbox).toBe('imap');
    expect(config.imap).toEqual({
      host: 'mail.example.test',
      port: 993,
      secure: true,
      user: 'qa',
      password: 'pw',
      mailbox: 'INBOX',
    });
  });

  test('reads timeouts and retries in seconds and counts, with defaults', () => {
    expect(loadConfig({}, { envFile: null })).toMatchObject({
      mailTimeoutMs: 10_000,
      requestTimeoutMs: 15_000,
      maxRetries: 2,
    });
    expect(
      loadConfig(
        { MAILBOX_TIMEOUT_SECONDS: '60', EMPORIX_REQUEST_TIMEOUT_SECONDS: '5', EMPORIX_MAX_RETRIES: '0' },
        { envFile: null },
      ),
    ).toMatchObject({ mailTimeoutMs: 60_000, requestTimeoutMs: 5_000, maxRetries: 0 });
  });

  test('keeps one run id for the whole run, from EMPORIX_RUN_ID', ({ config }) => {
    expect(loadConfig({ EMPORIX_RUN_ID: 'nightly-42' }, { envFile: null }).runId).toBe('nightly-42');
    // The Playwright main process set it before the workers started: this worker inherited it, and
    // the addresses it makes carry it.
    expect(config.runId).toBe(process.env.EMPORIX_RUN_ID);
    expect(RUN_ID).toBe(config.runId);
    expect(uniqueEmail('qa+{run}-{n}@example.com')).toMatch(
      new RegExp(`^qa\\+${config.runId}-\\d+-\\d+@example\\.com$`),
    );
  });

  const cases: { problem: string; env: Env; line: RegExp }[] = [
    {
      problem: 'IMAP settings incomplete',
      env: { MAILBOX: 'imap', IMAP_HOST: 'mail.example.test' },
      line: /^MAILBOX=imap needs IMAP_USER, IMAP_PASSWORD$/,
    },
    {
      problem: 'an unknown mailbox',
      env: { MAILBOX: 'pop3' },
      line: /^MAILBOX="pop3" is unknown: use mock, imap or none/,
    },
    {
      problem: 'a token pattern that is no regex',
      env: { MAILBOX_TOKEN_PATTERN: '([a-z]' },
      line: /^MAILBOX_TOKEN_PATTERN="\(\[a-z\]" is not a regular expression/,
    },
    {
      problem: 'a token pattern without a capture group',
      env: { MAILBOX_TOKEN_PATTERN: 'token=\\w+' },
      line: /has 0 capture groups: exactly one must capture the token/,
    },
    {
      problem: 'a kind rule for an unknown kind',
      env: { MAILBOX_KINDS: 'welcome=hello' },
      line: /^MAILBOX_KINDS part "welcome=hello" must be kind=regex/,
    },
    {
      problem: 'a request timeout that is no number',
      env: { EMPORIX_REQUEST_TIMEOUT_SECONDS: '15s' },
      line: /^EMPORIX_REQUEST_TIMEOUT_SECONDS="15s" is not a number of seconds/,
    },
    {
      problem: 'too many retries',
      env: { EMPORIX_MAX_RETRIES: '50' },
      line: /^EMPORIX_MAX_RETRIES="50" is not a number of retries: an integer from 0 to 10/,
    },
    {
      problem: 'a run id unfit for an email address',
      env: { EMPORIX_RUN_ID: 'Run 1' },
      line: /^EMPORIX_RUN_ID="Run 1" must be 1 to 32 lowercase letters/,
    },
    {
      problem: 'a real tenant without a storefront client id',
      env: { EMPORIX_API_URL: 'https://api.example.test', EMPORIX_TENANT: 'shop1' },
      line: /^EMPORIX_STOREFRONT_CLIENT_ID is required when EMPORIX_API_URL is set$/,
    },
  ];
  for (const { problem, env, line } of cases) {
    test(`reports ${problem} in one line`, () => {
      const problems = configProblems(env);
      expect(problems, `problems for ${JSON.stringify(env)}`).toContainEqual(expect.stringMatching(line));
    });
  }
});

test.describe('safety guard @offline', () => {
  const remote = { target: 'remote', allowDestructive: false, baseUrl: 'https://api.example.test' } as const;

  test('classifies every catalog operation with the catalog method', () => {
    for (const id of operationIds) {
      expect(OPERATION_EFFECTS[id].method, `${id}: method in helpers/safety.ts`).toBe(operation(id).method);
    }
  });

  test('counts every operation that is not a GET as writing, except logins and token requests', () => {
    const readingNonGets = Object.values(operations)
      .filter((op) => op.method !== 'GET' && effectOf(op) !== 'write')
      .map((op) => op.id)
      .sort();
    expect(readingNonGets).toEqual([
      'POST-customer-authenticate-customer',
      'POST-oauth-request-client-credentials',
    ]);
  });

  test('counts the opt-in confirmation as writing although it is a GET (it activates the customer)', () => {
    expect(effectOf(operation('GET-customer-signup-customer-optin'))).toBe('write');
  });

  test('lets a read-only run end its own session (logout revokes only the calling token)', () => {
    expect(effectOf(operation('GET-customer-logout-customer'))).toBe('own-session');
    expect(() => assertMaySend(remote, operation('GET-customer-logout-customer'))).not.toThrow();
  });

  for (const id of operationIds.filter((i) => OPERATION_EFFECTS[i].effect === 'write')) {
    test(`refuses ${id} to a real tenant without EMPORIX_ALLOW_DESTRUCTIVE`, () => {
      const op = operation(id);
      expect(() => assertMaySend(remote, op)).toThrow(UnsafeRequestError);
      expect(() => assertMaySend(remote, op)).toThrow(`${op.method} ${op.path} (${id})`);
      expect(() => assertMaySend({ ...remote, allowDestructive: true }, op)).not.toThrow();
      expect(() => assertMaySend({ ...remote, target: 'embedded-mock' }, op)).not.toThrow();
    });
  }

  test('sends every reading operation to a real tenant without the flag', () => {
    for (const id of operationIds.filter((i) => OPERATION_EFFECTS[i].effect === 'read')) {
      expect(() => assertMaySend(remote, operation(id)), id).not.toThrow();
    }
  });

  test('counts an operation it does not know as writing unless it is a GET', () => {
    expect(effectOf({ id: 'POST-something-new', method: 'POST' })).toBe('write');
    expect(effectOf({ id: 'GET-something-new', method: 'GET' })).toBe('read');
    // A known id sent with another method is not trusted.
    expect(effectOf({ id: 'GET-customer-retrieve-customer-profile', method: 'DELETE' })).toBe('write');
  });
});

/** A fake response for withRetry. */
function answer(status: number, headers: Record<string, string> = {}) {
  return { status, headers };
}

/** withRetry with a fake clock and sleep; returns the statuses seen, the waits and the events. */
async function retrying(
  statuses: (number | Error)[],
  options: {
    idempotent: boolean;
    maxRetries?: number;
    headers?: Record<string, string>[];
    maxTotalWaitMs?: number;
  },
) {
  const waits: number[] = [];
  const events: RetryEvent[] = [];
  let calls = 0;
  let outcome: number | string;
  try {
    const last = await withRetry(
      async (attempt) => {
        calls += 1;
        const s = statuses[Math.min(attempt, statuses.length - 1)] as number | Error;
        if (s instanceof Error) throw s;
        return answer(s, options.headers?.[attempt] ?? {});
      },
      {
        idempotent: options.idempotent,
        maxRetries: options.maxRetries ?? 2,
        ...(options.maxTotalWaitMs !== undefined ? { maxTotalWaitMs: options.maxTotalWaitMs } : {}),
        sleep: async (ms) => void waits.push(ms),
        now: () => Date.parse('2025-12-01T12:00:00Z'),
        random: () => 0.5,
        onRetry: (e) => events.push(e),
      },
    );
    outcome = last.status;
  } catch (error) {
    outcome = (error as Error).message;
  }
  return { calls, waits, events, outcome };
}

test.describe('request retries @offline', () => {
  test('treats GET and DELETE as idempotent, POST and PATCH not (RFC 9110 §9.2.2)', () => {
    expect(['GET', 'DELETE', 'HEAD', 'PUT'].map(isIdempotent)).toEqual([true, true, true, true]);
    expect(['POST', 'PATCH'].map(isIdempotent)).toEqual([false, false]);
  });

  test('repeats an idempotent request after 503 until it succeeds, backing off with jitter', async () => {
    const r = await retrying([503, 502, 200], { idempotent: true });
    expect(r.outcome).toBe(200);
    expect(r.calls).toBe(3);
    // Full jitter with random() = 0.5: half of 500 ms, then half of 1000 ms.
    expect(r.waits).toEqual([250, 500]);
    expect(r.events.map((e) => [e.attempt, e.status, e.basis])).toEqual([
      [1, 503, 'backoff'],
      [2, 502, 'backoff'],
    ]);
  });

  test('gives up after EMPORIX_MAX_RETRIES and returns the last answer', async () => {
    const r = await retrying([504], { idempotent: true, maxRetries: 2 });
    expect(r).toMatchObject({ outcome: 504, calls: 3 });
  });

  test('sends once with EMPORIX_MAX_RETRIES=0', async () => {
    expect(await retrying([503, 200], { idempotent: true, maxRetries: 0 })).toMatchObject({
      outcome: 503,
      calls: 1,
    });
  });

  test('honours Retry-After in seconds', async () => {
    const r = await retrying([429, 200], { idempotent: true, headers: [{ 'retry-after': '3' }] });
    expect(r.waits).toEqual([3000]);
    expect(r.events[0]?.basis).toBe('retry-after');
  });

  test('honours Retry-After as an HTTP date', async () => {
    const r = await retrying([503, 200], {
      idempotent: true,
      headers: [{ 'retry-after': 'Mon, 01 Dec 2025 12:00:04 GMT' }],
    });
    expect(r.waits).toEqual([4000]);
  });

  test('does not wait longer than allowed: a Retry-After beyond 10 s ends the retries', async () => {
    const r = await retrying([429, 200], { idempotent: true, headers: [{ 'retry-after': '120' }] });
    expect(r).toMatchObject({ outcome: 429, calls: 1, waits: [] });
  });

  test('bounds the total wait across retries', async () => {
    const r = await retrying([503], {
      idempotent: true,
      maxRetries: 5,
      maxTotalWaitMs: 5000,
      headers: Array(6).fill({ 'retry-after': '2' }),
    });
    expect(r.waits).toEqual([2000, 2000]);
    expect(r.outcome).toBe(503);
  });

  test('never repeats a signup or a PATCH after 502, 503 or 504 (the service may have acted)', async () => {
    for (const status of [502, 503, 504]) {
      expect(await retrying([status, 201], { idempotent: false })).toMatchObject({
        outcome: status,
        calls: 1,
      });
    }
  });

  test('repeats any request after 429 (a rate limit answers before acting)', async () => {
    expect(await retrying([429, 201], { idempotent: false })).toMatchObject({ outcome: 201, calls: 2 });
  });

  test('does not repeat other statuses', async () => {
    for (const status of [400, 401, 404, 409, 500]) {
      expect(await retrying([status, 200], { idempotent: true })).toMatchObject({
        outcome: status,
        calls: 1,
      });
    }
  });

  test('repeats an idempotent request whose connection was reset, not a POST', async () => {
    // As Node's fetch reports it: "fetch failed", the cause says what.
    const reset = new Error('fetch failed', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    expect(await retrying([reset, 200], { idempotent: true })).toMatchObject({ outcome: 200, calls: 2 });
    expect(await retrying([reset, 200], { idempotent: false })).toMatchObject({
      outcome: 'fetch failed',
      calls: 1,
    });
    const timedOut = Object.assign(new Error('The operation was aborted due to timeout'), {
      name: 'TimeoutError',
    });
    expect(await retrying([timedOut, 200], { idempotent: true }), 'a timeout is not repeated').toMatchObject({
      calls: 1,
    });
  });

  test('reads Retry-After forms and refuses malformed ones', () => {
    const now = Date.parse('2025-12-01T12:00:00Z');
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Mon, 01 Dec 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

test.describe('cleanup ledger @offline', () => {
  const target = 'https://api.example.test';
  function freshLedger() {
    return { runId: 'r1', dir: mkdtempSync(join(tmpdir(), 'ledger-')) };
  }

  test('writes down a customer when its signup answers 201, with tenant, email and the test', () => {
    const ledger = freshLedger();
    recordFromExchangeIn(ledger, {
      operationId: 'POST-customer-create-customer-account',
      requestBody: { email: 'qa+r1-1@example.com', password: 'x' },
      status: 201,
      responseBody: { id: '12345678' },
      by: 'a test',
    });
    expect(readLedger(ledger)).toEqual([
      {
        event: 'created',
        target,
        tenant: 'shop1',
        customerNumber: '12345678',
        email: 'qa+r1-1@example.com',
        by: 'a test',
        createdAt: expect.any(String),
      },
    ]);
  });

  test('keeps created minus deleted, across entries written by several workers', () => {
    const ledger = freshLedger();
    const created = (n: string) =>
      recordCreatedCustomer(
        { target, tenant: 'shop1', customerNumber: n, email: `qa+r1-${n}@example.com`, by: 't' },
        ledger,
      );
    created('1');
    created('2');
    created('2'); // ApiClient and a fixture may both write it down
    recordFromExchangeIn(ledger, {
      operationId: 'DELETE-customer-tenant-remove-customer',
      path: { customerNumber: '1' },
      status: 202,
      by: 't',
    });
    expect(openEntries(ledger).map((e) => e.customerNumber)).toEqual(['2']);
  });

  test('ignores a signup that failed and a deletion that was refused', () => {
    const ledger = freshLedger();
    recordFromExchangeIn(ledger, {
      operationId: 'POST-customer-create-customer-account',
      requestBody: { email: 'a@example.com' },
      status: 409,
      responseBody: { status: 409 },
      by: 't',
    });
    expect(readLedger(ledger)).toEqual([]);
    recordCreatedCustomer(
      { target, tenant: 'shop1', customerNumber: '7', email: 'b@example.com', by: 't' },
      ledger,
    );
    recordFromExchangeIn(ledger, {
      operationId: 'DELETE-customer-tenant-remove-customer',
      path: { customerNumber: '7' },
      status: 403,
      by: 't',
    });
    expect(openEntries(ledger)).toHaveLength(1);
  });

  test('sweeps open customers: deleted, already gone, or unconfirmed without a fresh look', async () => {
    const ledger = freshLedger();
    for (const n of ['1', '2', '3']) {
      recordCreatedCustomer(
        { target, tenant: 'shop1', customerNumber: n, email: `${n}@example.com`, by: 't' },
        ledger,
      );
    }
    recordCreatedCustomer(
      { target, tenant: 'othershop', customerNumber: '4', email: '4@example.com', by: 't' },
      ledger,
    );
    const answers: Record<string, number> = { '1': 202, '2': 404, '3': 500 };
    const asked: string[] = [];
    const results = await sweepLedger({ ...ledger, target, tenant: 'shop1', by: 'sweep' }, async (e) => {
      asked.push(e.customerNumber);
      return answers[e.customerNumber] ?? 0;
    });
    expect(asked, 'never deletes on another tenant').toEqual(['1', '2', '3']);
    expect(results.map((r) => [r.entry.customerNumber, r.outcome])).toEqual([
      ['1', 'deleted'],
      ['2', 'already gone'],
      ['3', 'unconfirmed'],
      ['4', 'unconfirmed'],
    ]);
    expect(openEntries(ledger).map((e) => e.customerNumber)).toEqual(['3', '4']);
  });

  test('raises the alarm only for a customer a fresh look still finds, each customer once', async () => {
    const ledger = freshLedger();
    for (const n of ['5', '6', '7', '8', '6']) {
      recordCreatedCustomer(
        { target, tenant: 'shop1', customerNumber: n, email: `${n}@example.com`, by: 't' },
        ledger,
      );
    }
    // Every DELETE refused; the fresh GET: 5 gone, 6 still there, 7 an odd answer, 8 no answer at all.
    const looks: Record<string, number> = { '5': 404, '6': 200, '7': 500 };
    const looked: string[] = [];
    const results = await sweepLedger(
      { ...ledger, target, tenant: 'shop1', by: 'sweep' },
      async () => 403,
      async (e) => {
        looked.push(e.customerNumber);
        const status = looks[e.customerNumber];
        if (status === undefined) throw new Error('connect ECONNREFUSED');
        return status;
      },
    );
    expect(looked).toEqual(['5', '6', '7', '8']);
    expect(results.map((r) => [r.entry.customerNumber, r.outcome, r.detail])).toEqual([
      ['5', 'already gone', 'DELETE answered 403; a fresh look answers 404'],
      ['6', 'left behind', 'DELETE answered 403; a fresh look finds it (200)'],
      ['7', 'unconfirmed', 'DELETE answered 403; a fresh look answered 500'],
      ['8', 'unconfirmed', 'DELETE answered 403; looking it up again failed: connect ECONNREFUSED'],
    ]);
    expect(
      openEntries(ledger).map((e) => e.customerNumber),
      'the one gone is crossed out',
    ).toEqual(['6', '7', '8']);
  });

  test("looks again at earlier runs' open customers: crosses out the gone, warns once about the rest", async () => {
    const ledger = freshLedger();
    const create = (n: string, runId: string, tenant = 'shop1') =>
      recordCreatedCustomer(
        { target, tenant, customerNumber: n, email: `${n}@example.com`, by: 't' },
        { ...ledger, runId },
      );
    create('1', 'last-night'); // gone since
    create('2', 'last-night'); // still there
    create('2', 'killed'); // the same customer in a second ledger: warned about once
    create('3', 'killed'); // also open in this run: left to this run's sweep
    create('3', ledger.runId);
    create('4', 'killed', 'othershop'); // another tenant: not ours to look at
    const looked: string[] = [];
    const results = await recheckEarlierRuns(
      { ...ledger, target, tenant: 'shop1', by: 'sweep' },
      async (e) => {
        looked.push(e.customerNumber);
        return e.customerNumber === '1' ? 404 : 200;
      },
    );
    expect(looked.sort()).toEqual(['1', '2']);
    expect(results.map((r) => [r.entry.customerNumber, r.outcome])).toEqual([['2', 'left behind']]);
    expect(openEntries({ ...ledger, runId: 'last-night' }).map((e) => e.customerNumber)).toEqual(['2']);
  });

  test('finds the open customers of earlier runs, apart from this run', () => {
    const ledger = freshLedger();
    recordCreatedCustomer(
      { target, tenant: 'shop1', customerNumber: '9', email: '9@example.com', by: 't' },
      { ...ledger, runId: 'killed' },
    );
    recordCreatedCustomer(
      { target, tenant: 'shop1', customerNumber: '8', email: '8@example.com', by: 't' },
      ledger,
    );
    expect(otherRunsWithOpenEntries(ledger).map((r) => [r.runId, r.open.length])).toEqual([['killed', 1]]);
  });
});

/** recordFromExchange writing into a test's own ledger directory. */
function recordFromExchangeIn(
  ledger: { runId: string; dir: string },
  exchange: Parameters<typeof recordFromExchange>[1],
): void {
  recordFromExchange(
    { baseUrl: 'https://api.example.test', tenant: 'shop1', runId: ledger.runId, dir: ledger.dir },
    exchange,
  );
}

test.describe('mail kinds and tokens @offline', () => {
  const rules = loadConfig({}, { envFile: null }).mailKindRules;
  const cases: [string, string][] = [
    ['Please confirm your registration', 'opt-in'],
    ['Activate your account', 'opt-in'],
    ['Reset your password', 'password-reset'],
    ['Confirm your new email address', 'email-change'],
    ['Your login email change', 'email-change'],
    ['Confirm the deletion of your account', 'profile-delete'],
  ];
  for (const [subject, kind] of cases) {
    test(`reads "${subject}" as ${kind}`, () => {
      expect(inferKind(subject, '', rules)).toBe(kind);
    });
  }

  test('finds a 64-character token in the text, else in the HTML', () => {
    const token = 'A'.repeat(32) + 'b9'.repeat(16);
    const pattern = loadConfig({}, { envFile: null }).mailTokenPattern;
    expect(findToken(`Open https://shop.example/confirm?token=${token}&x=1`, '', pattern)).toBe(token);
    expect(findToken('no token here', `<a href="https://shop.example/t/${token}">go</a>`, pattern)).toBe(
      token,
    );
    expect(findToken(`a longer run ${token}XYZ is not a token`, '', pattern)).toBeUndefined();
  });
});

const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

interface DoctorRun {
  code: number | null;
  out: string;
  /** Every request that reached the target: `METHOD path`. */
  requests: string[];
}

/** Runs `npm run doctor` with `env`, through a recording proxy in front of `upstream` when given. */
async function runDoctor(env: Env, upstream?: string): Promise<DoctorRun> {
  const requests: string[] = [];
  let proxy: Server | undefined;
  let url = env.EMPORIX_API_URL;
  if (upstream) {
    proxy = createServer((req, res) => {
      requests.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
      const forward = httpRequest(
        new URL(req.url ?? '/', upstream),
        { method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      req.pipe(forward);
    });
    await new Promise<void>((r) => proxy?.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  }
  try {
    return await new Promise<DoctorRun>((resolvePromise) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/doctor.ts'], {
        cwd: PROJECT_ROOT,
        // Only what the test gives (it wins over a .env), none of the surrounding run's EMPORIX_* settings.
        env: Object.fromEntries(
          Object.entries({
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            ...env,
            ...(url ? { EMPORIX_API_URL: url } : {}),
          }).filter((e): e is [string, string] => e[1] !== undefined),
        ),
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('close', (code) => resolvePromise({ code, out, requests }));
    });
  } finally {
    if (proxy) await new Promise((r) => proxy?.close(r));
  }
}

test.describe('npm run doctor', () => {
  test('reports every part OK against the mock and sends no writing request', async ({ config }) => {
    test.skip(config.target !== 'embedded-mock', 'the doctor is tested against the embedded mock');
    const run = await runDoctor(
      {
        EMPORIX_TENANT: config.tenant,
        EMPORIX_STOREFRONT_CLIENT_ID: config.storefrontClientId,
        EMPORIX_CLIENT_ID: config.employee?.clientId,
        EMPORIX_CLIENT_SECRET: config.employee?.clientSecret,
        EMPORIX_CUSTOMER_EMAIL: config.customer?.email,
        EMPORIX_CUSTOMER_PASSWORD: config.customer?.password,
        MAILBOX: 'mock',
      },
      config.baseUrl,
    );
    expect(run.code, run.out).toBe(0);
    for (const part of [
      'target reachable',
      'anonymous token',
      'employee token',
      'seed customer login',
      'mailbox',
    ]) {
      expect(run.out, run.out).toMatch(new RegExp(`^  OK +${part}: `, 'm'));
    }
    expect(run.out).toMatch(/^ {2}@smoke +run$/m);
    expect(run.out).toMatch(/^ {2}@destructive +skipped: EMPORIX_ALLOW_DESTRUCTIVE is not true/m);
    expect(run.out, 'the scopes the employee token got').toMatch(/customer\.customer_manage/);
    const writing = run.requests.filter((r) => {
      const [method, path] = r.split(' ');
      const op = Object.values(operations).find(
        (o) =>
          o.method === method && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path ?? ''),
      );
      return !op || effectOf(op) === 'write';
    });
    expect(run.requests.length, 'requests the doctor sent').toBeGreaterThanOrEqual(5);
    expect(writing, `writing requests among ${run.requests.join(', ')}`).toEqual([]);
  });

  test('exits 1 when the target does not answer', async () => {
    const run = await runDoctor({
      EMPORIX_API_URL: 'http://127.0.0.1:9',
      EMPORIX_TENANT: 'shop1',
      EMPORIX_STOREFRONT_CLIENT_ID: 'key',
    });
    expect(run.code, run.out).toBe(1);
    expect(run.out).toMatch(
      /FAIL +target reachable: target unreachable: http:\/\/127\.0\.0\.1:9 \(EMPORIX_API_URL\): /,
    );
    expect(run.out).toMatch(/No target test would run: the target cannot be used/);
  });

  test('exits 2 on invalid configuration, one line per problem', async () => {
    const run = await runDoctor({ EMPORIX_API_URL: 'api.example', MAILBOX: 'imap' });
    expect(run.code, run.out).toBe(2);
    expect(run.out).toMatch(/^ {2}- EMPORIX_API_URL="api\.example" is not a URL/m);
    expect(run.out).toMatch(/^ {2}- MAILBOX=imap needs IMAP_HOST, IMAP_USER, IMAP_PASSWORD$/m);
  });
});
