// Shared set-up for the mock's own tests: an app with a fake clock, and the tutorial's steps
// (anonymous token, sign up, activate, log in, read the outbox) as small functions.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { faultLayers } from '../src/faults/index.ts';
import type { MockOptionsInput } from '../src/options.ts';
import { buildMockServer } from '../src/server.ts';

export const TENANT = 'mocktenant';
export const OTHER_TENANT = 'othertenant';
export const STOREFRONT_CLIENT_ID = 'mock-storefront-client';
export const EMPLOYEE_CLIENT_ID = 'mock-service-client';
export const EMPLOYEE_CLIENT_SECRET = 'mock-service-secret';
export const SEED_EMAIL = 'seed.customer@example.com';
export const SEED_PASSWORD = 'Seed-Passw0rd!';

/** A clock the tests move by hand, so expiry is tested without waiting. */
export class FakeClock {
  ms = Date.UTC(2025, 11, 1, 12, 0, 0);
  readonly now = (): number => this.ms;
  advanceSeconds(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export interface TestApp {
  app: FastifyInstance;
  clock: FakeClock;
}

/** Options of a test app: the mock's options, and the registry entries to switch on (as layers). */
export type TestAppOptions = MockOptionsInput & { faults?: readonly string[] };

export async function buildApp({ faults = [], ...options }: TestAppOptions = {}): Promise<TestApp> {
  const clock = new FakeClock();
  const layers = [...(options.layers ?? []), ...faultLayers(faults)];
  const app = buildMockServer({ now: clock.now, logger: false, ...options, layers });
  await app.ready();
  return { app, clock };
}

/**
 * One app for the enclosing `describe`: built before its first test, closed after its last. The
 * returned object reads through to that app, so tests use it as a TestApp.
 */
export function appForSuite(options: TestAppOptions = {}): TestApp {
  let built: TestApp | undefined;
  const current = (): TestApp => {
    if (!built) throw new Error('appForSuite: the app is built in a before hook; use it inside tests');
    return built;
  };
  before(async () => {
    built = await buildApp(options);
  });
  after(async () => {
    await built?.app.close();
  });
  return {
    get app() {
      return current().app;
    },
    get clock() {
      return current().clock;
    },
  };
}

/** Builds an app of its own with `options`, hands it to `use`, and closes it whatever `use` does. */
export async function withApp<T>(options: TestAppOptions, use: (t: TestApp) => Promise<T>): Promise<T> {
  const t = await buildApp(options);
  try {
    return await use(t);
  } finally {
    await t.app.close();
  }
}

/** A fault check: walks the requests that show one registry entry, and throws where it does not. */
export type EntryCheck = (app: FastifyInstance) => Promise<void>;

function checkOf(checks: Readonly<Record<string, EntryCheck>>, name: string): EntryCheck {
  const check = checks[name];
  assert.ok(check, `no check for ${name}`);
  return check;
}

/** The check of a registry entry passes with that entry switched on. */
export async function expectCheckPassesWith(
  checks: Readonly<Record<string, EntryCheck>>,
  name: string,
): Promise<void> {
  const check = checkOf(checks, name);
  await withApp({ faults: [name] }, (t) => check(t.app));
}

/** The check of a registry entry fails against the plain mock (else it would prove nothing). */
export async function expectCheckFailsWithout(
  checks: Readonly<Record<string, EntryCheck>>,
  name: string,
): Promise<void> {
  const check = checkOf(checks, name);
  await withApp({}, (t) => assert.rejects(check(t.app), `the check of ${name} passes without the fault`));
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

let counter = 0;
/** A fresh email address, unique within this process. */
export function uniqueEmail(label = 'customer'): string {
  counter += 1;
  return `${label}-${process.pid}-${Date.now().toString(36)}-${counter}@example.com`;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Asserts the response is JSON (charset allowed) and returns the parsed body. */
export function jsonBody(res: LightMyRequestResponse, context = ''): Json {
  const type = String(res.headers['content-type'] ?? '');
  assert.match(
    type,
    /^application\/json(;\s*charset=utf-8)?$/i,
    `${context} ${res.statusCode}: Content-Type should be application/json, got "${type}" (body ${res.body.slice(0, 200)})`,
  );
  try {
    return JSON.parse(res.body) as Json;
  } catch {
    assert.fail(`${context} ${res.statusCode}: body is not JSON: ${res.body.slice(0, 200)}`);
  }
}

export function jsonObject(res: LightMyRequestResponse, context = ''): JsonObject {
  const body = jsonBody(res, context);
  assert.ok(
    body !== null && typeof body === 'object' && !Array.isArray(body),
    `${context}: body should be a JSON object, got ${res.body.slice(0, 200)}`,
  );
  return body;
}

export function expectStatus(res: LightMyRequestResponse, status: number, context = ''): void {
  assert.equal(
    res.statusCode,
    status,
    `${context}: expected status ${status}, got ${res.statusCode} with body ${res.body.slice(0, 300)}`,
  );
}

/** A 2xx answer documented without body: nothing, or at most an empty body. */
export function expectNoBody(res: LightMyRequestResponse, context = ''): void {
  assert.equal(res.body, '', `${context}: expected no body, got ${res.body.slice(0, 200)}`);
}

/** 401 fault body: `{"fault":{"faultstring","detail":{"errorcode"}}}`. */
export function expectFault(
  res: LightMyRequestResponse,
  errorcode = 'oauth.v2.InvalidAccessToken',
  faultstring?: string,
  context = '',
): void {
  expectStatus(res, 401, context);
  const body = jsonObject(res, context);
  const fault = body.fault as JsonObject | undefined;
  assert.ok(fault && typeof fault === 'object', `${context}: 401 body should have "fault", got ${res.body}`);
  const detail = fault.detail as JsonObject | undefined;
  assert.equal(typeof fault.faultstring, 'string', `${context}: fault.faultstring should be a string`);
  assert.ok(detail && typeof detail === 'object', `${context}: fault.detail should be an object`);
  assert.equal(detail.errorcode, errorcode, `${context}: fault.detail.errorcode`);
  const expectedString =
    faultstring ??
    {
      'oauth.v2.InvalidAccessToken': 'Invalid access token',
      'keymanagement.service.access_token_expired': 'Access Token expired',
      'oauth.v2.InvalidApiKey': 'Invalid ApiKey',
    }[errorcode];
  if (expectedString !== undefined)
    assert.equal(fault.faultstring, expectedString, `${context}: faultstring`);
}

/**
 * A refused login: 401 with the fault body. The errorcode for bad credentials is not fixed by the
 * contract, so any errorcode is accepted here; "no hint which" is checked by comparing bodies.
 */
export function expectLoginRefused(res: LightMyRequestResponse, context = 'login'): JsonObject {
  expectStatus(res, 401, context);
  const body = jsonObject(res, context);
  const fault = body.fault as JsonObject | undefined;
  assert.ok(fault && typeof fault === 'object', `${context}: 401 body should have "fault", got ${res.body}`);
  assert.equal(typeof fault.faultstring, 'string', `${context}: fault.faultstring should be a string`);
  const detail = fault.detail as JsonObject | undefined;
  assert.ok(detail && typeof detail === 'object', `${context}: fault.detail should be an object`);
  assert.equal(typeof detail.errorcode, 'string', `${context}: fault.detail.errorcode should be a string`);
  return body;
}

/** 403 body: `{"status":403,"type":"Forbidden","message":"User not authorized."}`. */
export function expectForbidden(res: LightMyRequestResponse, context = ''): void {
  expectStatus(res, 403, context);
  const body = jsonObject(res, context);
  assert.equal(body.status, 403, `${context}: 403 body status`);
  assert.equal(body.type, 'Forbidden', `${context}: 403 body type`);
  assert.equal(body.message, 'User not authorized.', `${context}: 403 body message`);
}

/** Error body `{status,type,message,details?:[{field,type,message}]}` with the given status and type. */
export function expectError(
  res: LightMyRequestResponse,
  status: number,
  type?: string,
  context = '',
): JsonObject {
  expectStatus(res, status, context);
  const body = jsonObject(res, context);
  assert.equal(body.status, status, `${context}: error body "status" should equal the HTTP status`);
  assert.equal(typeof body.type, 'string', `${context}: error body "type" should be a string`);
  assert.equal(typeof body.message, 'string', `${context}: error body "message" should be a string`);
  const defaultType: Record<number, string> = {
    400: 'bad_request',
    404: 'resource_not_found',
    409: 'conflict_resource',
  };
  const expectedType = type ?? defaultType[status];
  if (expectedType !== undefined) assert.equal(body.type, expectedType, `${context}: error body "type"`);
  if (status !== 403) {
    assert.equal(body.type, String(body.type).toLowerCase(), `${context}: error type should be lowercase`);
  }
  if (body.details !== undefined) {
    assert.ok(Array.isArray(body.details), `${context}: "details" should be an array`);
    for (const d of body.details) {
      assert.ok(d && typeof d === 'object' && !Array.isArray(d), `${context}: each detail is an object`);
      for (const key of ['field', 'type', 'message'] as const) {
        assert.equal(typeof d[key], 'string', `${context}: detail.${key} should be a string`);
      }
    }
  }
  return body;
}

/** Any documented refusal body for a given status (used by the fuzz and error tests). */
export function expectDocumentedErrorShape(res: LightMyRequestResponse, context = ''): void {
  const body = jsonBody(res, context);
  if (res.statusCode === 401) {
    assert.ok(
      body !== null && typeof body === 'object' && !Array.isArray(body) && typeof body.fault === 'object',
      `${context}: 401 should carry the fault body, got ${res.body.slice(0, 200)}`,
    );
    return;
  }
  expectError(res, res.statusCode, undefined, context);
}

// ---- the tutorial's steps ----

export interface AnonymousToken {
  access_token: string;
  refresh_token: string;
  sessionId: string;
  expires_in: number;
  refresh_token_expires_in: number;
}

export async function anonymousLogin(app: FastifyInstance, tenant = TENANT): Promise<AnonymousToken> {
  const res = await app.inject({
    method: 'GET',
    url: '/customerlogin/auth/anonymous/login',
    query: { tenant, client_id: STOREFRONT_CLIENT_ID },
  });
  expectStatus(res, 200, 'anonymous login');
  return jsonObject(res, 'anonymous login') as unknown as AnonymousToken;
}

/** POST /oauth/token: the service client's client-credentials grant, with `fields` added (a scope). */
export function clientCredentials(
  app: FastifyInstance,
  fields: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: EMPLOYEE_CLIENT_ID,
      client_secret: EMPLOYEE_CLIENT_SECRET,
      ...fields,
    }).toString(),
  });
}

export async function employeeToken(app: FastifyInstance, tenant = TENANT): Promise<string> {
  const res = await clientCredentials(app, { scope: `tenant=${tenant}` });
  expectStatus(res, 200, 'employee token');
  const token = jsonObject(res, 'employee token').access_token;
  assert.equal(typeof token, 'string');
  return token as string;
}

export async function signup(
  app: FastifyInstance,
  anonToken: string,
  body: JsonObject,
  tenant = TENANT,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/customer/${tenant}/signup`,
    headers: bearer(anonToken),
    payload: body,
  });
}

export async function activate(
  app: FastifyInstance,
  empToken: string,
  customerNumber: string,
  tenant = TENANT,
): Promise<void> {
  const res = await app.inject({
    method: 'PATCH',
    url: `/customer/${tenant}/customers/${customerNumber}`,
    headers: bearer(empToken),
    payload: { active: true, onHold: false },
  });
  expectStatus(res, 200, 'employee activation');
}

export interface CustomerToken {
  access_token: string;
  refresh_token: string;
  saas_token: string;
  session_id: string;
  expires_in: number;
  refresh_token_expires_in: number;
}

export async function loginRaw(
  app: FastifyInstance,
  anonToken: string,
  email: string,
  password: string,
  tenant = TENANT,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/customer/${tenant}/login`,
    headers: bearer(anonToken),
    payload: { email, password },
  });
}

export async function login(
  app: FastifyInstance,
  anonToken: string,
  email: string,
  password: string,
  tenant = TENANT,
): Promise<CustomerToken> {
  const res = await loginRaw(app, anonToken, email, password, tenant);
  expectStatus(res, 200, `login ${email}`);
  return jsonObject(res, 'login') as unknown as CustomerToken;
}

export interface Customer {
  email: string;
  password: string;
  customerNumber: string;
  anon: AnonymousToken;
  token: CustomerToken;
}

/** anonymous token → sign up → activate (employee) → log in. */
export async function createCustomer(
  app: FastifyInstance,
  options: { tenant?: string; body?: JsonObject; label?: string; password?: string } = {},
): Promise<Customer> {
  const tenant = options.tenant ?? TENANT;
  const email = uniqueEmail(options.label);
  const password = options.password ?? 'Passw0rd-123';
  const anon = await anonymousLogin(app, tenant);
  const res = await signup(app, anon.access_token, { email, password, ...options.body }, tenant);
  expectStatus(res, 201, 'signup');
  const customerNumber = jsonObject(res, 'signup').id as string;
  await activate(app, await employeeToken(app, tenant), customerNumber, tenant);
  const token = await login(app, anon.access_token, email, password, tenant);
  return { email, password, customerNumber, anon, token };
}

export interface OutboxMessage {
  to: string;
  kind: string;
  token: string;
  sentAt: string;
  subject: string;
}

export async function outbox(app: FastifyInstance, to?: string, tenant = TENANT): Promise<OutboxMessage[]> {
  const res = await app.inject({
    method: 'GET',
    url: `/_mock/${tenant}/outbox`,
    query: to === undefined ? {} : { to },
  });
  expectStatus(res, 200, 'outbox');
  const body = jsonBody(res, 'outbox');
  assert.ok(Array.isArray(body), 'outbox should be an array');
  return body as unknown as OutboxMessage[];
}

/** The newest emailed token of a kind sent to an address. */
export async function lastEmailedToken(
  app: FastifyInstance,
  to: string,
  kind: string,
  tenant = TENANT,
): Promise<string> {
  const messages = (await outbox(app, to, tenant)).filter((m) => m.kind === kind);
  const last = messages.at(-1);
  assert.ok(last, `no "${kind}" message in the outbox for ${to}`);
  assert.equal(typeof last.token, 'string');
  return last.token;
}

export async function getMe(
  app: FastifyInstance,
  accessToken: string,
  tenant = TENANT,
  query: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: `/customer/${tenant}/me`, headers: bearer(accessToken), query });
}

/** GET refreshauthtoken: a customer's `refreshToken`, refreshed with the anonymous token `anonToken`. */
export function refreshCustomerToken(
  app: FastifyInstance,
  anonToken: string,
  refreshToken: string,
  tenant = TENANT,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url: `/customer/${tenant}/refreshauthtoken`,
    headers: bearer(anonToken),
    query: { refreshToken },
  });
}

export async function validate(
  app: FastifyInstance,
  accessToken: string,
  tenant = TENANT,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url: `/customer/${tenant}/validateauthtoken`,
    headers: bearer(accessToken),
  });
}

/** base64url(sha256(verifier)), the PKCE S256 challenge. */
export async function s256(verifier: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(verifier).digest('base64url');
}

const shared = new WeakMap<FastifyInstance, Map<string, Promise<Customer>>>();
/**
 * One customer per app and name, created on first use: for tests that only read or are refused, so
 * that not every test pays for a sign-up and a login.
 */
export function sharedCustomer(app: FastifyInstance, name = 'shared'): Promise<Customer> {
  let byName = shared.get(app);
  if (!byName) {
    byName = new Map();
    shared.set(app, byName);
  }
  let customer = byName.get(name);
  if (!customer) {
    customer = createCustomer(app, { label: name });
    byName.set(name, customer);
  }
  return customer;
}
