// How a run is shaped before and while it runs: the transport settings (proxy, extra headers, CA
// file), the plan of what runs and why (helpers/selection.ts), the target probe that recognises a
// stateless target, and the stop after a target stops answering. Needs no target (@offline).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../fixtures/index.ts';
import { MOCK_RUN_SETTINGS, REMOTE_RUN_SETTINGS } from './data/runs.ts';
import { mockIdpAvailable, mockIdpMissing } from '../helpers/checks/auth.ts';
import { maskText, maskUrl } from '../helpers/mask.ts';
import {
  configuredCapabilities,
  planRun,
  SelectionError,
  selectionSettings,
  writeOperationIndex,
  readOperationIndex,
  type Capabilities,
} from '../helpers/selection.ts';
import { jwtExpiry, probeTarget, type ProbeSend } from '../helpers/target-probe.ts';
import {
  assertTargetAlive,
  noteTestOutcome,
  readUnreachable,
  resetTargetHealth,
} from '../helpers/target-health.ts';
import {
  dispatcherFor,
  loadTransportOptions,
  parseExtraHeaders,
  transportFetch,
  TransportOptionsError,
  withExtraHeaders,
} from '../helpers/transport-options.ts';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}
function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

test.describe('transport options @offline', () => {
  test('reads extra headers written "Name: value; Name2: value2"', () => {
    const problems: string[] = [];
    expect(parseExtraHeaders('X-Gateway-Key: abc; X-Other: v\\;w ;', problems)).toEqual({
      'X-Gateway-Key': 'abc',
      'X-Other': 'v;w',
    });
    expect(problems).toEqual([]);
  });

  test('names every malformed extra header, and refuses the headers the client owns', () => {
    const problems: string[] = [];
    parseExtraHeaders('NoColon; Bad Name: x; Authorization: Bearer x; X-A: 1; x-a: 2; X-Empty:', problems);
    expect(problems).toEqual([
      expect.stringContaining('EMPORIX_EXTRA_HEADERS part "NoColon" is not "Name: value"'),
      expect.stringContaining('EMPORIX_EXTRA_HEADERS part "Bad Name" is not "Name: value"'),
      'EMPORIX_EXTRA_HEADERS may not set Authorization: the client sets it per request',
      'EMPORIX_EXTRA_HEADERS names x-a twice',
      'EMPORIX_EXTRA_HEADERS value of X-Empty is empty or holds a line break',
    ]);
  });

  test('collects every bad setting into one error naming the variables', () => {
    let error: unknown;
    try {
      loadTransportOptions({
        HTTPS_PROXY: 'proxy:3128',
        HTTP_PROXY: 'ftp://p',
        EMPORIX_CA_FILE: '/nonexistent/ca.pem',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TransportOptionsError);
    expect((error as TransportOptionsError).problems).toEqual([
      expect.stringMatching(/^HTTPS_PROXY="proxy:3128" (is not a URL|must be an http)/),
      'HTTP_PROXY="ftp://p" must be an http:// or https:// proxy URL',
      'EMPORIX_CA_FILE="/nonexistent/ca.pem" cannot be read: ENOENT',
    ]);
  });

  test('refuses a CA file without a PEM certificate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), 'not a certificate');
      expect(() => loadTransportOptions({ EMPORIX_CA_FILE: join(dir, 'ca.pem') })).toThrow(
        /EMPORIX_CA_FILE=".*ca\.pem" holds no PEM certificate/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('masks the values of extra headers wherever the suite writes text', () => {
    loadTransportOptions({ EMPORIX_EXTRA_HEADERS: 'X-Gateway-Key: gw-secret-4711' });
    expect(maskText('sent X-Gateway-Key: gw-secret-4711')).not.toContain('gw-secret-4711');
  });

  test("adds extra headers beneath the request's own", () => {
    expect(
      withExtraHeaders(
        { 'x-other': 'own', Accept: 'a' },
        { extraHeaders: { 'X-Other': 'extra', 'X-Key': 'k' } },
      ),
    ).toEqual({
      'X-Key': 'k',
      'x-other': 'own',
      Accept: 'a',
    });
  });

  test("needs no dispatcher without proxy or CA: Node's own fetch is used", () => {
    expect(dispatcherFor({ extraHeaders: {} })).toBeUndefined();
  });

  test('sends through the HTTP(S) proxy, with the extra headers, and past it for NO_PROXY hosts', async () => {
    const seen: { path: string; key: string | undefined }[] = [];
    const target = createServer((req, res) => {
      seen.push({ path: req.url ?? '', key: req.headers['x-gateway-key'] as string | undefined });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const tunnels: string[] = [];
    // A CONNECT proxy, as undici's ProxyAgent speaks to (it tunnels plain http too).
    const proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, socket, head) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
    });
    const targetPort = await listen(target);
    const proxyPort = await listen(proxy);
    try {
      const via = loadTransportOptions({
        HTTP_PROXY: `http://127.0.0.1:${proxyPort}`,
        EMPORIX_EXTRA_HEADERS: 'X-Gateway-Key: abc',
      });
      const answer = await transportFetch(
        `http://127.0.0.1:${targetPort}/through`,
        { method: 'GET', headers: {} },
        via,
      );
      expect(answer.status).toBe(200);
      expect(tunnels, 'the request went through the proxy').toEqual([`127.0.0.1:${targetPort}`]);

      const bypass = loadTransportOptions({
        HTTP_PROXY: `http://127.0.0.1:${proxyPort}`,
        NO_PROXY: '127.0.0.1',
      });
      await transportFetch(`http://127.0.0.1:${targetPort}/direct`, { method: 'GET', headers: {} }, bypass);
      expect(tunnels, 'NO_PROXY sends directly').toHaveLength(1);
      expect(seen).toEqual([
        { path: '/through', key: 'abc' },
        { path: '/direct', key: undefined },
      ]);
    } finally {
      await close(proxy);
      await close(target);
    }
  });
});

const mockConfig = MOCK_RUN_SETTINGS;
const remoteReadOnly = { ...REMOTE_RUN_SETTINGS, allowDestructive: false };

test.describe('the plan of a run @offline', () => {
  test('runs everything against the embedded mock', () => {
    const plan = planRun(mockConfig, configuredCapabilities(mockConfig));
    expect(plan.mode).toBe('full');
    expect(plan.missing).toEqual([]);
    expect(plan.conformance).toEqual({ grepInvert: /@offline/ });
    expect(plan.willRunTargetTests).toBe(true);
  });

  test('selects @smoke and never @destructive in a read-only run, and says what is missing', () => {
    const plan = planRun(remoteReadOnly, configuredCapabilities(remoteReadOnly));
    expect(plan.mode).toBe('read-only');
    expect(plan.conformance.grep?.source).toBe('@smoke');
    expect(plan.conformance.grepInvert?.test('x @destructive')).toBe(true);
    expect(plan.missing.map((m) => m.capability)).toEqual(['destructive', 'mailbox', 'mockIdp']);
    expect(plan.tags.find((t) => t.tag === '@destructive')).toMatchObject({ outcome: 'skipped' });
  });

  test('selects the @contract checks on a stateless target, saying why and how to run everything', () => {
    const remote = { ...mockConfig, target: 'remote' as const };
    const caps = configuredCapabilities(remote, {
      stateless: true,
      signs: ['two anonymous logins answered the same session id'],
    });
    const plan = planRun(remote, caps);
    expect(plan.mode).toBe('contract');
    expect(plan.why).toMatch(
      /looks stateless, so only the per-exchange @contract checks run \(EMPORIX_SELECTION=full runs everything/,
    );
    expect(plan.missing).toContainEqual({
      capability: 'stateful',
      reason: expect.stringContaining('two anonymous logins'),
    });
    expect(plan.conformance.testMatch?.test('specs/negative.spec.ts')).toBe(true);
    expect(plan.conformance.grepInvert?.test('unknown ids GET /x answers 404')).toBe(true);
    expect(planRun(remote, caps, { selection: 'full', operations: [] }).mode).toBe('full');
  });

  test('selects the tests of the named operations: titles naming them and those an earlier run recorded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'index-'));
    try {
      const file = join(dir, 'operation-tests.json');
      writeOperationIndex(
        [
          {
            kind: 'exchange',
            operationId: 'POST-customer-add-address',
            test: 'Adding › answers 201 @destructive',
            calledBy: 'spec',
          },
          {
            kind: 'exchange',
            operationId: 'POST-customer-add-address',
            test: 'Other › made by a fixture',
            calledBy: 'fixture',
          },
        ],
        file,
      );
      const settings = selectionSettings({ EMPORIX_OPERATIONS: 'POST-customer-add-address' });
      const plan = planRun(
        mockConfig,
        configuredCapabilities(mockConfig),
        settings,
        readOperationIndex(file),
      );
      const grep = plan.conformance.grep as RegExp;
      expect(grep.test('tokens POST /customer/{tenant}/me/addresses refuses a request without a token')).toBe(
        true,
      );
      expect(grep.test('Adding answers 201 @destructive')).toBe(true);
      expect(grep.test('Other made by a fixture')).toBe(false);
      expect(plan.operations).toMatch(
        /POST \/customer\/\{tenant\}\/me\/addresses, and 1 test whose own steps called it/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('combines a read-only run with an operation selection: both must match', () => {
    const settings = selectionSettings({ EMPORIX_OPERATIONS: 'POST-customer-authenticate-customer' });
    const grep = planRun(remoteReadOnly, configuredCapabilities(remoteReadOnly), settings).conformance
      .grep as RegExp;
    expect(grep.test('POST /customer/{tenant}/login refuses a request without a token @smoke')).toBe(true);
    expect(grep.test('POST /customer/{tenant}/login refuses malformed JSON')).toBe(false);
    expect(grep.test('GET /customer/{tenant}/me answers @smoke')).toBe(false);
  });

  test('names an unknown operation id and suggests the one meant', () => {
    expect(() => selectionSettings({ EMPORIX_OPERATIONS: 'POST-customer-add-adress, GET-nothing' })).toThrow(
      SelectionError,
    );
    let error: unknown;
    try {
      selectionSettings({ EMPORIX_OPERATIONS: 'POST-customer-add-adress', EMPORIX_SELECTION: 'some' });
    } catch (e) {
      error = e;
    }
    expect((error as SelectionError).problems).toEqual([
      'EMPORIX_SELECTION="some" must be auto, full or contract',
      'EMPORIX_OPERATIONS names "POST-customer-add-adress", which is no operation of the catalog; did you mean POST-customer-add-address, POST-customer-add-address-tags?',
    ]);
  });

  test('runs no target test when a configured credential is refused (as the doctor finds it)', () => {
    const caps: Capabilities = {
      ...configuredCapabilities(mockConfig),
      customerLogin: {
        ok: false,
        broken: true,
        reason: 'the existing customer cannot log in: check EMPORIX_CUSTOMER_PASSWORD',
      },
    };
    const plan = planRun(mockConfig, caps);
    expect(plan.willRunTargetTests).toBe(false);
    expect(plan.whyNone).toBe(
      'the set-up fails: the existing customer cannot log in: check EMPORIX_CUSTOMER_PASSWORD',
    );
  });
});

function fakeTarget(answers: Record<string, { status: number; body: Record<string, unknown> }[]>): ProbeSend {
  return async (url, init) => {
    const key = `${init.method} ${new URL(url).pathname}`;
    const next = answers[key]?.shift();
    if (!next) throw new Error(`unexpected ${key}`);
    return next;
  };
}
const probeConfig = {
  baseUrl: 'http://target.example',
  tenant: 'shop',
  storefrontClientId: 'k',
  requestTimeoutMs: 1000,
};
const anonymous = (sessionId: string) => ({
  status: 200,
  body: { access_token: `a-${sessionId}`, sessionId },
});

test.describe('target probe @offline', () => {
  test('recognises a target replaying examples: one session id, any password, an expired saas_token', async () => {
    const expired = `x.${Buffer.from(JSON.stringify({ exp: 1640444032 })).toString('base64url')}.y`;
    const probe = await probeTarget(
      probeConfig,
      fakeTarget({
        'GET /customerlogin/auth/anonymous/login': [anonymous('s-1'), anonymous('s-1')],
        'POST /customer/shop/login': [{ status: 200, body: { saas_token: expired } }],
      }),
      new Date('2026-12-01T00:00:00Z'),
    );
    expect(probe).toMatchObject({ reachable: true, anonymousStatus: 200, stateless: true });
    expect(probe.signs).toEqual([
      'two anonymous logins answered the same session id (s-1)',
      'a login with an unknown email and a random password was accepted (HTTP 200)',
      "the login's saas_token expired on 2021-12-25",
    ]);
  });

  test('finds a target that keeps state stateful', async () => {
    const probe = await probeTarget(
      probeConfig,
      fakeTarget({
        'GET /customerlogin/auth/anonymous/login': [anonymous('s-1'), anonymous('s-2')],
        'POST /customer/shop/login': [{ status: 401, body: {} }],
      }),
    );
    expect(probe).toMatchObject({ reachable: true, stateless: false, signs: [] });
  });

  test('asks a MAILBOX=mock target which identity-provider paths of /_mock/ it serves, and no other target', async () => {
    const statefulLogins = {
      'GET /customerlogin/auth/anonymous/login': [anonymous('s-1'), anonymous('s-2')],
      'POST /customer/shop/login': [{ status: 401, body: {} }],
    };
    const probe = await probeTarget(
      { ...probeConfig, mailbox: 'mock', allowDestructive: true },
      fakeTarget({
        ...structuredClone(statefulLogins),
        // Served: the empty body is refused. Not served: 404.
        'POST /_mock/shop/idp/authorize': [{ status: 400, body: {} }],
        'POST /_mock/shop/external-idp/token': [{ status: 404, body: {} }],
      }),
    );
    expect(probe.mockPaths).toEqual({ idpAuthorize: true, externalIdp: false });
    const caps = configuredCapabilities(
      { ...MOCK_RUN_SETTINGS, target: 'remote', mailbox: 'mock' },
      { ...probe, mockPaths: { idpAuthorize: false, externalIdp: false } },
    );
    expect(caps.mockIdp).toEqual({
      ok: false,
      reason: 'no mock identity provider: the target does not serve POST /_mock/{tenant}/idp/authorize',
    });
    // Another mailbox, or a read-only run (the paths count as writing): never asked for (fakeTarget
    // throws on an unexpected request).
    for (const settings of [
      { mailbox: 'imap' as const, allowDestructive: true },
      { mailbox: 'mock' as const, allowDestructive: false },
    ]) {
      const probed = await probeTarget(
        { ...probeConfig, ...settings },
        fakeTarget(structuredClone(statefulLogins)),
      );
      expect(probed.mockPaths, JSON.stringify(settings)).toBeUndefined();
    }
  });

  test('skips, naming the path, the tests that need an identity-provider path the probe found missing', () => {
    const target = { target: 'remote' as const, baseUrl: 'http://mock.example', tenant: 'shop' };
    const saved = process.env.EMPORIX_TARGET_PROBE;
    // The run's probe reaches the workers through this variable (playwright.config.ts).
    process.env.EMPORIX_TARGET_PROBE = JSON.stringify({
      target: maskUrl(target.baseUrl),
      tenant: 'shop',
      mockPaths: { idpAuthorize: false, externalIdp: true },
    });
    try {
      const mock = { ...target, mailbox: 'mock' as const };
      expect(mockIdpMissing(mock, 'idpAuthorize', 'no MAILBOX=mock')).toBe(
        "the target does not serve POST /_mock/{tenant}/idp/authorize (the run's probe was answered 404 or 405; docs/mock-protocol.md)",
      );
      expect(mockIdpMissing(mock, 'externalIdp', 'no MAILBOX=mock')).toBeUndefined();
      expect(mockIdpMissing({ ...target, mailbox: 'imap' }, 'externalIdp', 'no MAILBOX=mock')).toBe(
        'no MAILBOX=mock',
      );
      expect(mockIdpAvailable({ ...target, target: 'embedded-mock', mailbox: 'none' }, 'idpAuthorize')).toBe(
        true,
      );
    } finally {
      if (saved === undefined) delete process.env.EMPORIX_TARGET_PROBE;
      else process.env.EMPORIX_TARGET_PROBE = saved;
    }
  });

  test('names the setting of every configured credential the target refuses', async () => {
    const probe = await probeTarget(
      {
        ...probeConfig,
        employee: { clientId: 'id', clientSecret: 'wrong' },
        customer: { email: 'c@example.com', password: 'wrong' },
      },
      fakeTarget({
        'GET /customerlogin/auth/anonymous/login': [anonymous('s-1'), anonymous('s-2')],
        'POST /customer/shop/login': [
          { status: 401, body: {} },
          { status: 401, body: {} },
        ],
        'POST /oauth/token': [{ status: 401, body: {} }],
      }),
    );
    expect(probe.refused).toEqual([
      'the employee token was refused (HTTP 401): check EMPORIX_CLIENT_ID and EMPORIX_CLIENT_SECRET (a service API key of tenant shop)',
      'the existing customer c@example.com cannot log in (HTTP 401): check EMPORIX_CUSTOMER_PASSWORD (and that EMPORIX_CUSTOMER_EMAIL is an active customer of tenant shop)',
    ]);
  });

  test('names the tenant and storefront key when the anonymous login is refused', async () => {
    const probe = await probeTarget(
      probeConfig,
      fakeTarget({ 'GET /customerlogin/auth/anonymous/login': [{ status: 401, body: {} }] }),
    );
    expect(probe.refused).toEqual([
      'the anonymous login on http://target.example answered HTTP 401: check EMPORIX_TENANT ("shop") and EMPORIX_STOREFRONT_CLIENT_ID (the storefront API key)',
    ]);
  });

  test('reports an unreachable target with the cause', async () => {
    const probe = await probeTarget(probeConfig, async () => {
      throw new Error('fetch failed', { cause: new Error('connect ECONNREFUSED 10.0.0.1:443') });
    });
    expect(probe).toMatchObject({
      reachable: false,
      unreachable: 'fetch failed: connect ECONNREFUSED 10.0.0.1:443',
    });
  });

  test('reads the expiry of a JWT and nothing from other tokens', () => {
    expect(jwtExpiry(`a.${Buffer.from('{"exp":5}').toString('base64url')}.c`)).toBe(5);
    expect(jwtExpiry('opaque-token')).toBeUndefined();
    expect(jwtExpiry(undefined)).toBeUndefined();
  });
});

test.describe('target health @offline', () => {
  const noAnswer = 'GET http://t/x → no response (GET-x): fetch failed: connect ECONNREFUSED 127.0.0.1:9';

  test('stops the run after N tests in a row got no answer, and not before', () => {
    const dir = mkdtempSync(join(tmpdir(), 'health-'));
    const file = join(dir, 'unreachable.json');
    const outcomesFile = join(dir, 'outcomes.txt');
    try {
      resetTargetHealth(file, outcomesFile);
      expect(
        noteTestOutcome('http://t', 'failed', [noAnswer], { file, outcomesFile, threshold: 3 }),
      ).toBeUndefined();
      expect(noteTestOutcome('http://t', 'passed', [], { file, outcomesFile, threshold: 3 })).toBeUndefined();
      expect(
        noteTestOutcome('http://t', 'failed', [noAnswer], { file, outcomesFile, threshold: 3 }),
      ).toBeUndefined();
      expect(
        noteTestOutcome('http://t', 'skipped', [], { file, outcomesFile, threshold: 3 }),
      ).toBeUndefined();
      expect(
        noteTestOutcome('http://t', 'failed', ['expected 200, received 500'], {
          file,
          outcomesFile,
          threshold: 3,
        }),
      ).toBeUndefined();
      noteTestOutcome('http://t', 'failed', [noAnswer], { file, outcomesFile, threshold: 3 });
      noteTestOutcome('http://t', 'failed', [noAnswer], { file, outcomesFile, threshold: 3 });
      expect(readUnreachable(file)).toBeUndefined();
      const marker = noteTestOutcome('http://t', 'timedOut', [noAnswer], {
        file,
        outcomesFile,
        threshold: 3,
      });
      expect(marker).toMatchObject({
        target: 'http://t',
        after: 3,
        lastCause: 'fetch failed: connect ECONNREFUSED 127.0.0.1:9',
      });
      expect(() => assertTargetAlive(file)).toThrow(
        /^target unreachable: http:\/\/t \(EMPORIX_API_URL\): 3 tests in a row got no answer/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
