// What a run against another target relies on, offline: the @contract selection leaves out every
// case whose verdict needs the target to remember what it issued (a mock replaying the vendor's
// examples accepts them all), a title names an operation and not its longer siblings, the report
// counts each test and skip on the operation it is about, the report's stateless notice comes from
// this target's probe only, and the doctor's plan stops only where the run's own start stops.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from '../fixtures/index.ts';
import { REMOTE_RUN_SETTINGS, testOutcome } from './data/runs.ts';
import { buildConformanceReport, renderMarkdown, type TestOutcome } from '../helpers/conformance.ts';
import { reportTarget } from '../helpers/conformance-files.ts';
import type { ExchangeRecord, SkipRecord } from '../helpers/records.ts';
import {
  configuredCapabilities,
  CONTRACT_NEEDS_STATE,
  operationsNamedIn,
  planRun,
  selectionSettings,
  verifiedCapabilities,
} from '../helpers/selection.ts';
import { probeOfTarget, probeTarget, type ProbeSend, type TargetProbe } from '../helpers/target-probe.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const remote = REMOTE_RUN_SETTINGS;
const stateless = { stateless: true, signs: ['two anonymous logins answered the same session id'] };

test.describe('the @contract selection @offline', () => {
  test('leaves out of the real matrix every case that needs the target to remember what it issued', async () => {
    test.setTimeout(120_000);
    // The conformance project's list under EMPORIX_SELECTION=contract, as playwright.config.ts plans it
    // (the embedded mock: nothing is probed; EMPORIX_PLAN_SHOWN keeps the last run's probe file as it is).
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js'),
        'test',
        '--list',
        '--project=conformance',
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          EMPORIX_API_URL: '',
          EMPORIX_SELECTION: 'contract',
          EMPORIX_OPERATIONS: '',
          EMPORIX_PLAN_SHOWN: '1',
        },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const titles = stdout.split('\n').filter((line) => line.includes('[conformance]'));
    expect(titles.length, 'the contract selection lists tests').toBeGreaterThan(100);
    const stateful = titles.filter((t) =>
      /unknown ids|never issued|refuses a valid \w+ token|token of another tenant/.test(t),
    );
    expect(stateful, 'cases whose verdict needs a target that remembers').toEqual([]);
    // What stays: the cases whose fault shows in the request itself.
    for (const kept of [
      /GET \/customer\/\{tenant\}\/me refuses a request without a token/,
      /GET \/customer\/\{tenant\}\/me refuses another scheme \(Basic xyz\)/,
      /POST \/customer\/\{tenant\}\/login refuses malformed JSON with 400/,
      /refuses a malformed tenant name/,
      /answers 404 or 405 for an unknown path/,
    ])
      expect(
        titles.some((t) => kept.test(t)),
        `${kept.source} stays selected`,
      ).toBe(true);
    expect(
      titles.every((t) => t.includes('negative.spec.ts')),
      'only the negative matrix',
    ).toBe(true);
  });

  test('says in the plan what it leaves out and why', () => {
    const plan = planRun(remote, configuredCapabilities(remote, stateless));
    expect(plan.mode).toBe('contract');
    expect(plan.leftOut).toBe(
      `the cases that need the target to remember what it issued: ${CONTRACT_NEEDS_STATE.map((c) => c.why).join('; ')}`,
    );
    const invert = plan.conformance.grepInvert as RegExp;
    expect(
      invert.test('tokens GET /customer/{tenant}/me refuses a valid anonymous token (accepts customer)'),
    ).toBe(true);
    expect(invert.test('tokens GET /customer/{tenant}/me refuses a request without a token @smoke')).toBe(
      false,
    );
    expect(planRun(remote, configuredCapabilities(remote)).leftOut).toBeUndefined();
  });
});

test.describe('operations named by a title @offline', () => {
  test('a title names GET /me, not GET /me/addresses, whose path only starts the same', () => {
    expect(
      operationsNamedIn('tokens › GET /customer/{tenant}/me refuses a request without a token @smoke'),
    ).toEqual(['GET-customer-retrieve-customer-profile']);
    expect(
      operationsNamedIn('tokens › GET /customer/{tenant}/me/addresses refuses a request without a token'),
    ).toEqual(['GET-customer-list-customer-addresses']);
    expect(operationsNamedIn('profile › reads the profile')).toEqual([]);
  });

  test('EMPORIX_OPERATIONS selects the tests of the operation named, not those of a longer path', () => {
    const settings = selectionSettings({ EMPORIX_OPERATIONS: 'GET-customer-retrieve-customer-profile' });
    const grep = planRun(remote, configuredCapabilities(remote), settings).conformance.grep as RegExp;
    expect(grep.test('tokens GET /customer/{tenant}/me refuses a request without a token @smoke')).toBe(true);
    expect(
      grep.test('tokens GET /customer/{tenant}/me/addresses refuses a request without a token @smoke'),
    ).toBe(false);
  });
});

const at = {
  durationMs: 5,
  project: 'conformance',
  at: '2026-12-01T00:00:00Z',
  file: 'specs/negative.spec.ts',
};
const exchange = (
  operationId: string,
  test: string,
  overrides: Partial<ExchangeRecord> = {},
): ExchangeRecord =>
  ({
    kind: 'exchange',
    operationId,
    method: 'GET',
    path: '/x',
    status: 200,
    documented: true,
    valid: true,
    undocumented: [],
    problems: [],
    test,
    calledBy: 'spec',
    ...at,
    ...overrides,
  }) as ExchangeRecord;
const outcome = (title: string, result: TestOutcome['outcome']): TestOutcome =>
  testOutcome(title, result, 'specs/negative.spec.ts');
const target = { url: 'http://127.0.0.1:4790', tenant: 'shop', kind: 'remote target' };

test.describe('the report on another target @offline', () => {
  test("counts a matrix test on the operation its title names, not on the shared token's login", () => {
    const title = 'tokens › GET /customer/{tenant}/me refuses an empty bearer token (Bearer ) @smoke';
    const report = buildConformanceReport({
      records: [
        exchange('GET-oauth-generate-anonymous-access-token', title),
        exchange('GET-customer-retrieve-customer-profile', title, { status: 200 }),
      ],
      tests: [outcome(title, 'failed')],
      target,
    });
    const op = (id: string) => report.operations.find((o) => o.id === id);
    expect(op('GET-customer-retrieve-customer-profile')?.tests).toMatchObject({ passed: 0, failed: 1 });
    expect(op('GET-oauth-generate-anonymous-access-token')?.tests).toMatchObject({ passed: 0, failed: 0 });
    expect(op('GET-oauth-generate-anonymous-access-token')?.exchanges.total).toBe(1);
  });

  test('counts a test named for an operation on it although its set-up failed before calling it', () => {
    const title = 'request bodies › POST /customer/{tenant}/me/addresses refuses malformed JSON with 400';
    const report = buildConformanceReport({
      records: [exchange('POST-customer-create-customer-account', title, { status: 500 })],
      tests: [outcome(title, 'failed')],
      target,
    });
    const add = report.operations.find((o) => o.id === 'POST-customer-add-address');
    expect(add?.tests.failed).toBe(1);
    const signup = report.operations.find((o) => o.id === 'POST-customer-create-customer-account');
    expect(signup?.tests.failed).toBe(0);
  });

  test('counts a skip of the matrix on the operation its title names, and shows a not-served 404 as such', () => {
    const reason = 'DELETE /customer/{tenant}/me is not in the 2026-08 contract, not served by the target';
    const titles = [
      'tokens › DELETE /customer/{tenant}/me refuses a request without a token',
      'tokens › DELETE /customer/{tenant}/me refuses another scheme (Basic xyz)',
    ];
    const skips: SkipRecord[] = titles.map((t) => ({ kind: 'skip', reason, by: 'contract', test: t, ...at }));
    const records = [
      ...skips,
      exchange('DELETE-customer-remove-customer-profile', titles[0] as string, { status: 404 }),
      // A target's body parser may refuse a malformed body before it looks up the route at all.
      exchange('DELETE-customer-remove-customer-profile', titles[1] as string, { status: 400 }),
    ];
    const report = buildConformanceReport({
      records,
      tests: titles.map((t) => ({ ...outcome(t, 'skipped'), skipReason: reason })),
      target,
    });
    const op = report.operations.find((o) => o.id === 'DELETE-customer-remove-customer-profile');
    expect(op?.tests.skipped).toBe(2);
    expect(op?.skipReasons).toEqual({ [reason]: 2 });
    const row = renderMarkdown(report)
      .split('\n')
      .find((l) => l.startsWith('| `DELETE /customer/{tenant}/me`'));
    expect(row).toContain('404×1 (not served)');
    expect(row).not.toContain('(undocumented)');
  });

  test('counts a skip recorded without outcomes (merged shards) on the operation its title names', () => {
    const skip: SkipRecord = {
      kind: 'skip',
      reason: 'no employee credentials: set EMPORIX_CLIENT_ID and EMPORIX_CLIENT_SECRET',
      by: 'matrix.token',
      test: 'tokens › GET /customer/{tenant}/me/addresses refuses a valid employee token (accepts customer)',
      ...at,
    };
    const report = buildConformanceReport({ records: [skip], target });
    const list = report.operations.find((o) => o.id === 'GET-customer-list-customer-addresses');
    expect(list?.tests.skipped).toBe(1);
  });
});

test.describe('the stateless notice and the doctor @offline', () => {
  const probe = (over: Partial<TargetProbe>): TargetProbe => ({
    target: 'http://127.0.0.1:4790',
    tenant: 'shop',
    checkedAt: '2026-12-01T00:00:00Z',
    probed: true,
    reachable: true,
    stateless: true,
    signs: ['two anonymous logins answered the same session id (s-1)'],
    refused: [],
    refusedCredentials: [],
    ...over,
  });
  const config = { baseUrl: 'http://127.0.0.1:4790', tenant: 'shop' };

  test("uses this target's probe only: the run's own, else the file when it names this target", () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-'));
    try {
      const file = join(dir, 'target-probe.json');
      writeFileSync(file, JSON.stringify(probe({ target: 'http://127.0.0.1:4107', tenant: 'mocktenant' })));
      expect(
        probeOfTarget(config, {}, file),
        'a file another command wrote for another target',
      ).toBeUndefined();
      expect(
        probeOfTarget(config, { EMPORIX_TARGET_PROBE: JSON.stringify(probe({})) }, file)?.stateless,
      ).toBe(true);
      writeFileSync(file, JSON.stringify(probe({})));
      expect(probeOfTarget(config, {}, file)?.signs).toEqual(probe({}).signs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("says no target test runs only where the run's own start refuses a credential", async () => {
    // A target answering every token request with the vendor's example: 200, scopes "tenant={tenant} ...".
    const send: ProbeSend = async (url, init) => {
      const path = `${init.method} ${new URL(url).pathname}`;
      if (path === 'GET /customerlogin/auth/anonymous/login')
        return { status: 200, body: { access_token: 'a', sessionId: 's-1' } };
      if (path === 'POST /oauth/token')
        return { status: 200, body: { access_token: 'e', scope: 'tenant={tenant} ...' } };
      if (path === 'POST /customer/shop/login') return { status: 200, body: { access_token: 'c' } };
      return { status: 204, body: {} };
    };
    const found = await probeTarget(
      { ...config, storefrontClientId: 'k', requestTimeoutMs: 1000, ...remote },
      send,
    );
    expect(found.refusedCredentials).toEqual([]);
    const caps = verifiedCapabilities(remote, configuredCapabilities(remote, found), {
      refused: found.refusedCredentials,
      mailboxReadable: false,
    });
    const plan = planRun(remote, caps);
    expect(plan.willRunTargetTests, 'the run starts with a token that lists no scopes').toBe(true);
    expect(plan.tags.find((t) => t.tag === '@employee')?.outcome).toBe('partly');

    const refusing: ProbeSend = async (url, init) =>
      new URL(url).pathname === '/oauth/token' ? { status: 401, body: {} } : send(url, init);
    const refused = await probeTarget(
      { ...config, storefrontClientId: 'k', requestTimeoutMs: 1000, ...remote },
      refusing,
    );
    expect(refused.refusedCredentials).toEqual(['employee']);
    const stopped = planRun(
      remote,
      verifiedCapabilities(remote, configuredCapabilities(remote, refused), {
        refused: refused.refusedCredentials,
        mailboxReadable: false,
      }),
    );
    expect(stopped.willRunTargetTests).toBe(false);
    expect(stopped.whyNone).toContain('EMPORIX_CLIENT_ID and EMPORIX_CLIENT_SECRET are refused');
  });
});

test.describe('report kinds @offline', () => {
  test('calls a remote target a remote target, and one the probe found stateless so', () => {
    const remoteConfig = { baseUrl: 'http://127.0.0.1:4790/', tenant: 'shop', target: 'remote' as const };
    expect(reportTarget(remoteConfig, { stateless: true }).kind).toBe('remote target, looks stateless');
    expect(reportTarget(remoteConfig, { stateless: false }).kind).toBe('remote target');
    expect(reportTarget(remoteConfig, undefined)).toEqual({
      url: 'http://127.0.0.1:4790',
      tenant: 'shop',
      kind: 'remote target',
    });
    expect(reportTarget({ ...remoteConfig, target: 'embedded-mock' }, undefined).kind).toBe('embedded mock');
  });

  test('states the stateless notice once, at the top', () => {
    const report = buildConformanceReport({
      records: [],
      target: { ...target, kind: 'remote target, looks stateless' },
      stateless: 'The target looks stateless (it replays examples): x.',
    });
    const markdown = renderMarkdown(report);
    expect(markdown.match(/The target looks stateless/g)).toHaveLength(1);
    expect(markdown.split('\n')[2]).toContain('The target looks stateless');
  });
});
