// The suite's own plumbing: configuration checks, masking, the client's status message, and one call
// through the client against the target. Tests tagged @offline need no server.
import { writeFileSync } from 'node:fs';
import { expect, test } from '../fixtures/index.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiClient,
  checkResponse,
  checkStatusDocumented,
  formatStatusMismatch,
  operationSource,
  type ApiResponse,
  type ResponseUnderCheck,
} from '../helpers/api-client.ts';
import { documentedStatuses, operation, operations, type OperationInfo } from '../helpers/catalog.ts';
import {
  classify,
  FindingError,
  formatFinding,
  onFindingEvent,
  requirementOf,
  setProfile,
  type Finding,
} from '../helpers/findings.ts';
import { labelWarnings } from '../helpers/finding-observers.ts';
import { STATUS_DOCUMENTED } from '../helpers/requirements/index.ts';
import { ConfigError, configProblems, loadConfig, type Env } from '../helpers/config.ts';
import { newPassword, signupBody, uniqueEmail } from '../helpers/data.ts';
import {
  fingerprint,
  maskBodyText,
  maskFormString,
  maskHeaders,
  maskJson,
  maskText,
  maskUrl,
  registerExchangeSecrets,
  registerSecrets,
} from '../helpers/mask.ts';

/** A response with a status and a body, ready for one check of the pipeline. */
function underCheck(op: OperationInfo, status: number, text: string): ResponseUnderCheck {
  return {
    op,
    response: { operation: op, status, headers: {}, body: undefined, text, url: '' },
    outcome: { documented: true, schemaId: null, valid: null, undocumented: [] },
    stop: false,
  };
}

/** Whether an operation's status documents a body. */
const documentsBody = (op: OperationInfo, status: number): boolean =>
  op.responses[status] !== null && op.responses[status] !== undefined;

test.describe('configuration @offline', () => {
  test('defaults to the embedded mock with its seeded tenant, keys and customer', () => {
    const config = loadConfig({}, { envFile: null });
    expect(config).toMatchObject({
      target: 'embedded-mock',
      baseUrl: 'http://127.0.0.1:4010',
      tenant: 'mocktenant',
      otherTenant: 'othertenant',
      storefrontClientId: 'mock-storefront-client',
      employee: { clientId: 'mock-service-client', clientSecret: 'mock-service-secret' },
      customer: { email: 'seed.customer@example.com', password: 'Seed-Passw0rd!' },
      allowDestructive: true,
      mailbox: 'mock',
      mockPort: 4010,
    });
  });

  test('weighs findings strictly on the embedded mock and by the documents elsewhere', () => {
    expect(loadConfig({}, { envFile: null }).profile).toBe('strict');
    const remote = {
      EMPORIX_API_URL: 'https://api.example.com',
      EMPORIX_TENANT: 'acme',
      EMPORIX_STOREFRONT_CLIENT_ID: 'sf',
    };
    expect(loadConfig(remote, { envFile: null }).profile).toBe('documented');
    expect(loadConfig({ ...remote, EMPORIX_PROFILE: 'strict' }, { envFile: null }).profile).toBe('strict');
    expect(() => loadConfig({ EMPORIX_PROFILE: 'lenient' }, { envFile: null })).toThrow(
      /EMPORIX_PROFILE="lenient" must be strict or documented/,
    );
  });

  test('builds the embedded mock URL from MOCK_PORT', () => {
    expect(loadConfig({ MOCK_PORT: '4011' }, { envFile: null }).baseUrl).toBe('http://127.0.0.1:4011');
  });

  test('targets a real tenant without mock defaults, destructive tests or mailbox', () => {
    const config = loadConfig(
      {
        EMPORIX_API_URL: 'https://api.emporix.io/',
        EMPORIX_TENANT: 'shop1',
        EMPORIX_STOREFRONT_CLIENT_ID: 'key',
      },
      { envFile: null },
    );
    expect(config).toMatchObject({
      target: 'remote',
      baseUrl: 'https://api.emporix.io',
      allowDestructive: false,
      mailbox: 'none',
    });
    expect(config.employee).toBeUndefined();
    expect(config.customer).toBeUndefined();
  });

  test('leaves employee credentials out when both are set empty', () => {
    const config = loadConfig({ EMPORIX_CLIENT_ID: '', EMPORIX_CLIENT_SECRET: '' }, { envFile: null });
    expect(config.employee).toBeUndefined();
  });

  // eslint-disable-next-line no-empty-pattern -- Playwright passes testInfo second
  test('lets the environment win over the .env file', async ({}, testInfo) => {
    const file = testInfo.outputPath('test.env');
    writeFileSync(file, 'EMPORIX_TENANT=fromfile\nEMPORIX_OTHER_TENANT=otherfromfile\n');
    const config = loadConfig({ EMPORIX_TENANT: 'fromenv' }, { envFile: file });
    expect(config.tenant).toBe('fromenv');
    expect(config.otherTenant).toBe('otherfromfile');
  });

  const cases: { problem: string; env: Env; line: RegExp }[] = [
    {
      problem: 'a malformed URL',
      env: { EMPORIX_API_URL: 'not a url' },
      line: /^EMPORIX_API_URL="not a url" is not a URL/,
    },
    {
      problem: 'a URL of another scheme',
      env: { EMPORIX_API_URL: 'ftp://x.io' },
      line: /must use http or https/,
    },
    {
      problem: 'an upper-case tenant',
      env: { EMPORIX_TENANT: 'MyTenant' },
      line: /^EMPORIX_TENANT="MyTenant" is not a tenant name/,
    },
    {
      problem: 'a tenant too short',
      env: { EMPORIX_TENANT: 'ab' },
      line: /^EMPORIX_TENANT="ab" is not a tenant name/,
    },
    { problem: 'a tenant too long', env: { EMPORIX_TENANT: 'a'.repeat(17) }, line: /is not a tenant name/ },
    {
      problem: 'the same tenant twice',
      env: { EMPORIX_OTHER_TENANT: 'mocktenant' },
      line: /must differ from EMPORIX_TENANT/,
    },
    {
      problem: 'a client id without secret',
      env: { EMPORIX_CLIENT_SECRET: '' },
      line: /^EMPORIX_CLIENT_ID is set but EMPORIX_CLIENT_SECRET is empty/,
    },
    {
      problem: 'a customer password without email',
      env: { EMPORIX_CUSTOMER_EMAIL: '' },
      line: /^EMPORIX_CUSTOMER_PASSWORD is set but EMPORIX_CUSTOMER_EMAIL is empty/,
    },
    {
      problem: 'a bad boolean',
      env: { EMPORIX_ALLOW_DESTRUCTIVE: 'maybe' },
      line: /^EMPORIX_ALLOW_DESTRUCTIVE="maybe" is not a boolean/,
    },
    { problem: 'a bad port', env: { MOCK_PORT: '70000' }, line: /^MOCK_PORT="70000" is not a port/ },
    { problem: 'a non-numeric port', env: { MOCK_PORT: '40a' }, line: /^MOCK_PORT="40a" is not a port/ },
    {
      problem: 'a template without {n}',
      env: { EMPORIX_EMAIL_TEMPLATE: 'qa+{run}@example.com' },
      line: /lacks \{n\}/,
    },
    {
      problem: 'an unknown mailbox',
      env: { MAILBOX: 'gmail' },
      line: /^MAILBOX="gmail" is unknown: use mock, imap or none/,
    },
    {
      problem: 'a real tenant without a tenant name',
      env: { EMPORIX_API_URL: 'https://api.emporix.io' },
      line: /^EMPORIX_TENANT is required/,
    },
  ];
  for (const { problem, env, line } of cases) {
    test(`reports ${problem}`, () => {
      const problems = configProblems(env);
      expect(problems, `problems reported for ${JSON.stringify(env)}`).toContainEqual(
        expect.stringMatching(line),
      );
    });
  }

  test('reports every problem at once, one line each', () => {
    let error: unknown;
    try {
      loadConfig(
        { EMPORIX_TENANT: 'X', MOCK_PORT: '0', MAILBOX: 'imap', EMPORIX_ALLOW_DESTRUCTIVE: 'si' },
        { envFile: null },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.problems).toHaveLength(4);
    expect(configError.message.split('\n')).toHaveLength(5); // heading + one line per problem
  });
});

test.describe('masking @offline', () => {
  const access = 'tpYgJPZqddEQ2zwfzNtx79noBP65';
  const refresh = '7FnviYrxvQWYdzUVBVTvXeNAA4Jy1HPe';

  test('masks a secret quoted in an expect message, which reports show as a step title', () => {
    const quoted = 'Zq91ySuLxLIzQ0vd0QxiC7imAIHi';
    registerSecrets([{ value: quoted, cls: 'tok' }]);
    let message = '';
    try {
      expect(1, `received ${quoted}`).toBe(2);
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message, 'the failing check reports its message').toContain('received tok#');
    expect(message.includes(quoted), 'the token itself is not in the message').toBe(false);
  });

  test('gives a secret the same short fingerprint every time', () => {
    expect(fingerprint(access)).toMatch(/^tok#[0-9a-f]{4}$/);
    expect(fingerprint(access)).toBe(fingerprint(access));
    expect(fingerprint(access)).not.toBe(fingerprint(refresh));
    expect(fingerprint('Passw0rd!', 'pwd')).toMatch(/^pwd#/);
  });

  test('hides every token, password and secret in a JSON body, at any depth', () => {
    const body = {
      access_token: access,
      refresh_token: refresh,
      saas_token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMzg2OTAwMCJ9.sig',
      social_access_token: 'social-1234567',
      accessToken: 'legacy-1234567',
      password: 'Secret-123',
      nested: [{ newPassword: 'Other-123', currentPassword: 'Old-12345', token: 'emailed-token-1' }],
      client_secret: 'the-secret',
      sessionId: '6d4d4d5e-04b9-40c5-9074-4df1405c6081',
      expires_in: 3599,
      initialPassword: false,
    };
    const masked = JSON.stringify(maskJson(body));
    for (const secret of [
      access,
      refresh,
      'social-1234567',
      'legacy-1234567',
      'Secret-123',
      'Other-123',
      'Old-12345',
      'emailed-token-1',
      'the-secret',
      'eyJhbGci',
    ]) {
      expect(masked, `masked body still shows ${secret}`).not.toContain(secret);
    }
    expect(maskJson(body)).toMatchObject({
      access_token: fingerprint(access),
      sessionId: body.sessionId, // not a secret: tests correlate it
      expires_in: 3599,
      initialPassword: false,
    });
  });

  test('hides the Authorization header but keeps its scheme', () => {
    expect(maskHeaders({ Authorization: `Bearer ${access}`, 'Content-Type': 'application/json' })).toEqual({
      Authorization: `Bearer ${fingerprint(access)}`,
      'Content-Type': 'application/json',
    });
  });

  test('hides token-carrying query parameters of a URL', () => {
    const params = [
      'refresh_token',
      'refreshToken',
      'anonymous_token',
      'accessToken',
      'token',
      'code',
      'code_verifier',
      'client_secret',
    ];
    for (const name of params) {
      const url = maskUrl(`https://api.example.com/x?tenant=t&${name}=value-${name}-123&client_id=c`);
      expect(url, `query parameter ${name}`).not.toContain(`value-${name}-123`);
      expect(url).toContain('tenant=t');
      expect(url).toContain('client_id=c');
    }
  });

  test('hides secrets in a form body', () => {
    const form = maskFormString('grant_type=client_credentials&client_id=svc&client_secret=s3cr3t-value');
    expect(form).toBe(
      `grant_type=client_credentials&client_id=svc&client_secret=${fingerprint('s3cr3t-value', 'sec')}`,
    );
    expect(maskBodyText('password=hunter2hunter', 'application/x-www-form-urlencoded')).not.toContain(
      'hunter2',
    );
  });

  test('hides a secret an exchange registered wherever it appears later in free text', () => {
    registerExchangeSecrets({ body: JSON.stringify({ refresh_token: refresh }) });
    expect(maskText(`token ${refresh} was revoked`)).toBe(`token ${fingerprint(refresh)} was revoked`);
  });
});

test.describe('api client messages @offline', () => {
  test('names the operation, the received and the documented statuses, with the code', () => {
    const op = operation('GET-customer-retrieve-customer-profile');
    const [found] = checkStatusDocumented(underCheck(op, 500, '{"message":"boom"}'));
    const message = formatFinding(found!);
    expect(message).toBe(
      `[response.status.documented.customer-managed, R] GET /customer/{tenant}/me (${op.id}): status: ` +
        `expected one of ${documentedStatuses(op.id).join(', ')}, received 500; body: {"message":"boom"}`,
    );
  });

  test('quotes the start of the body, with secrets masked', () => {
    const op = operation('POST-customer-authenticate-customer');
    const text = JSON.stringify({ access_token: 'aYR3Lu3rpsQ9ODhBIR83b3txTr5K', filler: 'x'.repeat(1000) });
    const message = formatStatusMismatch(
      { operation: op, status: 200, text, headers: {} },
      401,
      'wrong password',
    );
    expect(message).toContain(
      'POST /customer/{tenant}/login → Expected status: 401, received: 200 (wrong password)',
    );
    expect(message).not.toContain('aYR3Lu3rpsQ9ODhBIR83b3txTr5K');
    expect(message.length).toBeLessThan(600);
  });
});

test.describe('response checks @offline', () => {
  const op = operation('GET-oauth-generate-anonymous-access-token');
  const token = {
    token_type: 'Bearer',
    access_token: 'tpYgJPZqddEQ2zwfzNtx79noBP65',
    expires_in: 3599,
    refresh_token: '7FnviYrxvQWYdzUVBVTvXeNAA4Jy1HPe',
    refresh_token_expires_in: 86399,
    sessionId: '6d4d4d5e-04b9-40c5-9074-4df1405c6081',
    scope: 'tenant=mocktenant',
  };
  const respond = (body: unknown, contentType = 'application/json; charset=utf-8'): ApiResponse => ({
    operation: op,
    status: 200,
    headers: { 'content-type': contentType },
    body,
    text: body === undefined ? '' : JSON.stringify(body),
    url: 'http://127.0.0.1/customerlogin/auth/anonymous/login',
  });
  const codes = (findings: readonly Finding[]) => findings.map((f) => f.code);

  test.afterEach(() => setProfile(undefined));

  test('passes the tutorial example of an anonymous token', () => {
    const result = checkResponse(op, respond(token));
    expect(result.findings).toEqual([]);
    expect(result.advisories).toEqual([]);
    expect(result.outcome).toEqual({
      documented: true,
      schemaId: op.responses[200],
      valid: true,
      undocumented: [],
    });
  });

  test('runs every check of the pipeline, each under its registered code', () => {
    const checked: string[] = [];
    onFindingEvent((event) => {
      if (event.kind === 'checked') checked.push(event.code);
    });
    checkResponse(op, respond(token));
    expect(checked).toEqual([
      'response.status.documented.customer-managed',
      'response.content-type.json.customer-managed',
      'response.body.json.customer-managed',
      'response.body.schema.customer-managed',
      'response.body.schema.beyond-reference',
      'response.fields.listed.customer-managed',
    ]);
    for (const code of checked) {
      // Constraints the schemas add beyond the reference are the project's reading (docs/discrepancies.md).
      expect(requirementOf(code)?.source).toBe(code === 'response.body.schema.beyond-reference' ? 'B' : 'R');
    }
  });

  test('weighs a value the reference allows but the project reads beyond it as B: fails strict, warns documented', () => {
    const address = operation('GET-customer-retrieve-address-by-id');
    const body = { id: 'a-1', contactName: 'Ada Lovelace', city: 'Berlin', country: 'Germany' };
    const result = checkResponse(address, { ...respond(body), operation: address });
    expect(result.findings.length, 'length and letters: two rules beyond the reference').toBeGreaterThan(0);
    for (const f of result.findings) {
      expect(f).toMatchObject({ code: 'response.body.schema.beyond-reference', field: '/country' });
    }
    expect(requirementOf('response.body.schema.beyond-reference')?.source).toBe('B');
    expect(result.outcome.valid, 'the reference reading accepts "Germany"').toBe(true);
    expect(classify(result.findings, 'strict')).toEqual({ failing: result.findings, warned: [] });
    expect(classify(result.findings, 'documented')).toEqual({ failing: [], warned: result.findings });
  });

  test('weighs a session id that is no UUID as B, beyond the reference', () => {
    const result = checkResponse(op, respond({ ...token, sessionId: 'session-42' }));
    expect(codes(result.findings)).toEqual(['response.body.schema.beyond-reference']);
    expect(classify(result.findings, 'documented').failing).toEqual([]);
    expect(classify(result.findings, 'strict').warned).toEqual([]);
  });

  test('still fails a value the reference refuses, under its R code, in both profiles', () => {
    const result = checkResponse(op, respond({ ...token, expires_in: '3599' }));
    expect(codes(result.findings)).toEqual(['response.body.schema.customer-managed']);
    expect(result.findings[0]).toMatchObject({ field: '/expires_in' });
    expect(requirementOf('response.body.schema.customer-managed')?.source).toBe('R');
    for (const profile of ['strict', 'documented'] as const) {
      expect(classify(result.findings, profile).failing, profile).toEqual(result.findings);
    }
  });

  test('names the source of the operation: tenant-managed, OAuth, or the mock', () => {
    expect(operationSource(operation('GET-customer-tenant-retrieve-customer'))).toBe('tenant-managed');
    expect(operationSource(operation('POST-oauth-request-client-credentials'))).toBe('oauth');
    expect(operationSource(operation('POST-mock-reset'))).toBe('mock');
    expect(STATUS_DOCUMENTED['tenant-managed'].source).toBe('TM');
    expect(STATUS_DOCUMENTED.oauth.source).toBe('O');
    expect(STATUS_DOCUMENTED.mock.source).toBe('B');
  });

  test('stops after an undocumented status: the other checks have nothing to say', () => {
    const result = checkResponse(op, { ...respond({ message: 'boom' }), status: 500 });
    expect(codes(result.findings)).toEqual(['response.status.documented.customer-managed']);
    expect(result.outcome.documented).toBe(false);
  });

  test('records a field the documentation does not list as an advisory finding, never a failing one', () => {
    const result = checkResponse(op, respond({ ...token, vendorExtra: 1 }));
    expect(result.findings).toEqual([]);
    expect(result.advisories).toEqual([
      expect.objectContaining({ code: 'response.fields.listed.customer-managed', field: '/vendorExtra' }),
    ]);
    expect(result.outcome.undocumented).toEqual(['/vendorExtra']);
  });

  test('fails a body that is not application/json', () => {
    const result = checkResponse(op, respond(token, 'text/plain'));
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'response.content-type.json.customer-managed',
        expected: 'application/json',
        received: '"text/plain"',
      }),
    ]);
  });

  test('fails a body that does not parse as JSON, once', () => {
    const result = checkResponse(op, { ...respond(token), body: undefined, text: '{"access_token":' }, 'cut');
    expect(codes(result.findings)).toEqual(['response.body.json.customer-managed']);
    expect(result.outcome.valid).toBe(false);
  });

  test('fails a documented body that is missing', () => {
    expect(checkResponse(op, respond(undefined)).findings).toEqual([
      expect.objectContaining({ code: 'response.body.schema.customer-managed', received: 'none' }),
    ]);
  });

  test('fails a body off its schema, one finding per field, with secrets masked', () => {
    const result = checkResponse(op, respond({ ...token, expires_in: '3599' }));
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'response.body.schema.customer-managed',
        field: '/expires_in',
        hint: 'a number sent as a string',
      }),
    ]);
    expect(result.findings.map(formatFinding).join('\n')).not.toContain(token.access_token);
    expect(result.outcome.valid).toBe(false);
  });

  test("holds the body of a status the project added to the project's reading (B)", () => {
    const added = Object.values(operations).find((o) => o.addedStatuses.some((s) => documentsBody(o, s)));
    if (!added) throw new Error('the catalog adds no status with a body beyond the reference');
    const status = added.addedStatuses.find((s) => documentsBody(added, s))!;
    const result = checkResponse(added, {
      operation: added,
      status,
      headers: { 'content-type': 'application/json' },
      body: [],
      text: '[]',
      url: '',
    });
    expect(codes(result.findings)).toContain('response.body.schema.added-status');
    expect(classify(result.findings, 'documented').failing).toEqual([]);
    expect(classify(result.findings, 'strict').warned).toEqual([]);
  });

  test("refuses to send a request body off the request schema: the suite's own mistake fails in every profile", async () => {
    setProfile('documented');
    const client = new ApiClient(loadConfig(), undefined, []);
    const error = await client
      .call('POST-customer-create-customer-account', { body: { email: 'no password' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FindingError);
    expect((error as FindingError).findings[0]?.code).toBe('request.body.schema.customer-managed');
    expect((error as Error).message).toContain('the suite built this body');
  });

  // eslint-disable-next-line no-empty-pattern -- Playwright passes testInfo second
  test('tells every observer of an exchange, in order, with its findings', async ({}, testInfo) => {
    const seen: string[] = [];
    const server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...token, extra: 1 }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const port = (server.address() as AddressInfo).port;
      const config = { ...loadConfig(), baseUrl: `http://127.0.0.1:${port}` };
      const client = new ApiClient(config, testInfo, [
        (x) => void seen.push(`first ${x.response?.status} ${x.checked.warned.map((f) => f.code).join()}`),
        (x) => void seen.push(`second ${x.problems.length}`),
        async (x) => {
          if (x.testInfo) await labelWarnings(x.testInfo);
        },
      ]);
      await client.call('GET-oauth-generate-anonymous-access-token', {
        query: { tenant: 'x', client_id: 'y' },
      });
    } finally {
      server.close();
    }
    expect(seen).toEqual(['first 200 response.fields.listed.customer-managed', 'second 0']);
    expect(testInfo.annotations).toContainEqual(
      expect.objectContaining({ type: 'warning: response.fields.listed.customer-managed' }),
    );
  });
});

test.describe('test data @offline', () => {
  test('makes a different email address each time from the template', () => {
    const a = uniqueEmail('qa+{run}-{n}@example.com');
    const b = uniqueEmail('qa+{run}-{n}@example.com');
    expect(a).toMatch(/^qa\+[a-z0-9-]+-\d+@example\.com$/);
    expect(a).not.toBe(b);
  });

  test('makes passwords of at least 6 characters', () => {
    expect(newPassword().length).toBeGreaterThanOrEqual(6);
  });

  test('makes signup bodies the signup schema accepts', () => {
    const op = operation('POST-customer-create-customer-account');
    const body = signupBody('qa+{run}-{n}@example.com', { withAddress: true, b2b: true });
    expect(body).toMatchSchema(op.requestSchema ?? 'missing request schema');
  });
});

test.describe('client against the target', () => {
  test('an anonymous login passes the client checks and is recorded @smoke', async ({
    api,
    config,
  }, testInfo) => {
    const response = await api.call('GET-oauth-generate-anonymous-access-token', {
      query: { tenant: config.tenant, client_id: config.storefrontClientId },
    });
    expect(response).toHaveStatus(200);
    expect(response).toMatchSchema(op200Schema());
    const attachment = testInfo.attachments.find((a) =>
      a.name.startsWith('GET-oauth-generate-anonymous-access-token'),
    );
    expect(attachment, 'the exchange is attached to the test').toBeDefined();
    const shown = attachment?.body?.toString() ?? '';
    expect(shown).not.toContain(String((response.body as Record<string, unknown>).access_token));
  });

  test('a status the test did not expect is reported with the operation and the body', async ({
    api,
    config,
  }) => {
    const response = await api.call('GET-oauth-generate-anonymous-access-token', {
      query: { tenant: config.tenant, client_id: 'no-such-client-id' },
    });
    expect(response).toHaveStatus(401);
    expect(() => expect(response).toHaveStatus(200)).toThrow(
      /GET \/customerlogin\/auth\/anonymous\/login → Expected status: 200, received: 401/,
    );
  });
});

test.describe('fixtures against the target', () => {
  test('a new customer is signed up, activated and logged in @destructive @employee', async ({
    api,
    customerSession,
  }) => {
    const response = await api.call('GET-customer-retrieve-customer-profile', {
      token: customerSession.accessToken,
    });
    expect(response).toHaveStatus(200);
    expect(response.body).toMatchObject({ customerNumber: customerSession.customer.customerNumber });
  });

  test('the mailbox hands over the opt-in token emailed at signup @email @destructive @employee', async ({
    newCustomer,
    mailbox,
  }) => {
    // Tutorial and docs/behaviour.md: signup emails an opt-in token (double opt-in).
    const mail = await mailbox.waitFor(newCustomer.email, 'opt-in');
    expect(mail.token, 'opt-in token from the outbox').not.toBe('');
    expect(mail.to.toLowerCase()).toBe(newCustomer.email.toLowerCase());
  });

  test('the mailbox says what it saw when no email arrives', async ({ mailbox }) => {
    await expect(mailbox.waitFor('nobody@example.com', 'opt-in', { timeoutMs: 300 })).rejects.toThrow(
      /No opt-in email to nobody@example.com arrived within 300 ms; the outbox holds for that address: no messages at all/,
    );
  });
});

function op200Schema(): string {
  const schema = operation('GET-oauth-generate-anonymous-access-token').responses[200];
  if (!schema) throw new Error('the catalog documents no body for the anonymous login');
  return schema;
}
