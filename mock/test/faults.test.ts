// The fault layer: every registry entry is real. A fault must show its deviation through inject (a
// fault that changes nothing would let a blind suite look strong); a benign variant must show its
// difference and still carry the documented fields.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { parseMockOptions } from '../src/cli-options.ts';
import { CONTRACT_FAULTS } from '../src/faults/contract.ts';
import { FAULT_REGISTRY as FULL_REGISTRY, faultLayers, formatFaultList } from '../src/faults/index.ts';
import {
  SEED_EMAIL,
  SEED_PASSWORD,
  TENANT,
  OTHER_TENANT,
  activate,
  anonymousLogin,
  bearer,
  createCustomer,
  employeeToken,
  getMe,
  lastEmailedToken,
  login,
  loginRaw,
  outbox,
  refreshCustomerToken,
  signup,
  uniqueEmail,
  validate,
  type Customer,
  expectCheckFailsWithout,
  expectCheckPassesWith,
  type EntryCheck,
} from './helpers.ts';

// The 2026-08 contract's entries have their checks in faults-contract.test.ts.
const FAULT_REGISTRY = FULL_REGISTRY.filter(
  (entry) => !CONTRACT_FAULTS.some((own) => own.name === entry.name),
);

type Body = Record<string, unknown>;

function parse(res: LightMyRequestResponse): Body {
  return JSON.parse(res.body) as Body;
}

function list(res: LightMyRequestResponse): Body[] {
  const body: unknown = JSON.parse(res.body);
  assert.ok(Array.isArray(body), `expected a JSON array, got ${res.body.slice(0, 200)}`);
  return body as Body[];
}

function status(res: LightMyRequestResponse, expected: number, context: string): void {
  assert.equal(
    res.statusCode,
    expected,
    `${context}: status ${res.statusCode}, body ${res.body.slice(0, 200)}`,
  );
}

const me = `/customer/${TENANT}/me`;
const addresses = `${me}/addresses`;

function call(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  token?: string,
  payload?: object,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    ...(token ? { headers: bearer(token) } : {}),
    ...(payload ? { payload } : {}),
  });
}

/** The seed customer's token and its seeded address (tags BILLING, SHIPPING). */
async function seed(app: FastifyInstance): Promise<{ token: string; addressId: string }> {
  const anon = await anonymousLogin(app);
  const token = (await login(app, anon.access_token, SEED_EMAIL, SEED_PASSWORD)).access_token;
  const res = await call(app, 'GET', addresses, token);
  const first = list(res)[0] ?? {};
  return { token, addressId: String(first.id ?? (await seedAddressId(app, token))) };
}

/** Seed address id when the list hides it (address-list-id-missing): read it from GET /me?expand. */
async function seedAddressId(app: FastifyInstance, token: string): Promise<string> {
  const profile = parse(await getMe(app, token, TENANT, { expand: 'addresses' }));
  return String((profile.addresses as Body[])[0]?.id);
}

async function createAddress(app: FastifyInstance, token: string, extra: Body = {}): Promise<string> {
  const res = await call(app, 'POST', addresses, token, {
    contactName: 'Ada Lovelace',
    country: 'DE',
    ...extra,
  });
  assert.ok(
    res.statusCode === 201 || res.statusCode === 200,
    `address create: ${res.statusCode} ${res.body}`,
  );
  return String(parse(res).id);
}

function refreshCustomer(app: FastifyInstance, c: Customer, refreshToken: string) {
  return refreshCustomerToken(app, c.anon.access_token, refreshToken);
}

async function refreshAnonymous(app: FastifyInstance, refreshToken: string) {
  return app.inject({
    method: 'GET',
    url: '/customerlogin/auth/anonymous/refresh',
    query: { tenant: TENANT, client_id: 'mock-storefront-client', refresh_token: refreshToken },
  });
}

async function anonRaw(app: FastifyInstance): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url: '/customerlogin/auth/anonymous/login',
    query: { tenant: TENANT, client_id: 'mock-storefront-client' },
  });
}

async function signupRaw(app: FastifyInstance, body: Body): Promise<LightMyRequestResponse> {
  const anon = await anonymousLogin(app);
  return signup(app, anon.access_token, body as never);
}

async function changePassword(
  app: FastifyInstance,
  token: string,
  currentPassword: string,
  newPassword: string,
) {
  return call(app, 'POST', `/customer/${TENANT}/password/change`, token, { currentPassword, newPassword });
}

async function resetPassword(app: FastifyInstance, email: string): Promise<string> {
  const anon = await anonymousLogin(app);
  status(
    await call(app, 'POST', `/customer/${TENANT}/password/reset`, anon.access_token, { email }),
    204,
    'reset',
  );
  return lastEmailedToken(app, email, 'password-reset');
}

async function loginStatus(app: FastifyInstance, email: string, password: string): Promise<number> {
  const anon = await anonymousLogin(app);
  return (await loginRaw(app, anon.access_token, email, password)).statusCode;
}

const NEW_PASSWORD = 'Changed-Passw0rd!';
const ANON_FIELDS = ['access_token', 'expires_in', 'refresh_token', 'sessionId', 'scope', 'token_type'];

function assertFields(body: Body, fields: readonly string[], context: string): void {
  for (const field of fields) assert.ok(field in body, `${context}: documented field ${field} missing`);
}

/** For each registry entry: how its deviation (or its conforming difference) shows. */
const CHECKS: Record<string, EntryCheck> = {
  // ---- missing or renamed fields ----
  'anonymous-session-id-missing': async (app) => {
    assert.equal((await anonymousLogin(app)).sessionId, undefined);
  },
  'anonymous-refresh-token-missing': async (app) => {
    const body = parse(await anonRaw(app));
    assert.equal(body.refresh_token, undefined);
    assert.equal(body.refresh_token_expires_in, undefined);
  },
  'login-saas-token-renamed': async (app) => {
    const c = await createCustomer(app);
    assert.equal(c.token.saas_token, undefined);
    assert.equal(typeof (c.token as unknown as Body).saasToken, 'string');
  },
  'refresh-access-token-missing': async (app) => {
    const c = await createCustomer(app);
    const res = await refreshCustomer(app, c, c.token.refresh_token);
    status(res, 200, 'refresh');
    assert.equal(parse(res).access_token, undefined);
  },
  'profile-customer-number-missing': async (app) => {
    const c = await createCustomer(app);
    assert.equal(parse(await getMe(app, c.token.access_token)).customerNumber, undefined);
  },
  'address-list-id-missing': async (app) => {
    const { token } = await seed(app);
    const items = list(await call(app, 'GET', addresses, token));
    assert.ok(
      items.length > 0 && items.every((item) => !('id' in item)),
      `items should come without id: ${JSON.stringify(items).slice(0, 200)}`,
    );
  },
  'validate-session-id-missing': async (app) => {
    const c = await createCustomer(app);
    const res = await validate(app, c.token.access_token);
    status(res, 200, 'validate');
    assert.equal(parse(res).sessionId, undefined);
  },
  'signup-id-renamed': async (app) => {
    const res = await signupRaw(app, { email: uniqueEmail(), password: 'Passw0rd-1' });
    status(res, 201, 'signup');
    assert.equal(parse(res).id, undefined);
    assert.match(String(parse(res).customerNumber), /^\d{8}$/);
  },
  'employee-token-scope-missing': async (app) => {
    const res = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload:
        'grant_type=client_credentials&client_id=mock-service-client&client_secret=mock-service-secret',
    });
    status(res, 200, 'oauth');
    assert.equal(parse(res).scope, undefined);
  },

  // ---- wrong types ----
  'anonymous-expires-in-string': async (app) => {
    assert.equal((await anonymousLogin(app)).expires_in, '3599' as unknown as number);
  },
  'address-is-default-string': async (app) => {
    const { token, addressId } = await seed(app);
    assert.equal(list(await call(app, 'GET', addresses, token))[0]?.isDefault, 'true');
    assert.equal(parse(await call(app, 'GET', `${addresses}/${addressId}`, token)).isDefault, 'true');
  },
  'profile-customer-number-number': async (app) => {
    const c = await createCustomer(app);
    assert.equal(parse(await getMe(app, c.token.access_token)).customerNumber, Number(c.customerNumber));
  },
  'login-initial-password-string': async (app) => {
    const c = await createCustomer(app);
    assert.equal((c.token as unknown as Body).initialPassword, 'false');
  },
  'address-tags-string': async (app) => {
    const { token } = await seed(app);
    assert.equal(list(await call(app, 'GET', addresses, token))[0]?.tags, 'BILLING,SHIPPING');
  },

  // ---- wrong statuses ----
  'signup-200': async (app) => {
    status(await signupRaw(app, { email: uniqueEmail(), password: 'Passw0rd-1' }), 200, 'signup');
  },
  'address-create-200': async (app) => {
    const { token } = await seed(app);
    status(await call(app, 'POST', addresses, token, { contactName: 'Ada', country: 'DE' }), 200, 'create');
  },
  'logout-200-with-body': async (app) => {
    const c = await createCustomer(app);
    const token = c.token.access_token;
    const res = await call(app, 'GET', `/customer/${TENANT}/logout?accessToken=${token}`, token);
    status(res, 200, 'logout');
    assert.equal(parse(res).message, 'Logged out');
  },
  'address-delete-200': async (app) => {
    const { token, addressId } = await seed(app);
    status(await call(app, 'DELETE', `${addresses}/${addressId}`, token), 200, 'delete address');
  },
  'delete-me-request-200': async (app) => {
    const c = await createCustomer(app);
    status(await call(app, 'DELETE', me, c.token.access_token), 200, 'DELETE /me');
  },
  'tags-add-200': async (app) => {
    const { token, addressId } = await seed(app);
    status(await call(app, 'POST', `${addresses}/${addressId}/tags?tags=GIFT`, token), 200, 'tags');
  },
  'validation-error-422': async (app) => {
    const res = await signupRaw(app, { email: uniqueEmail() });
    status(res, 422, 'signup without password');
    assert.equal(parse(res).status, 422);
  },

  // ---- content types ----
  'json-as-text-plain': async (app) => {
    assert.match(String((await anonRaw(app)).headers['content-type']), /^text\/plain/);
  },
  'error-as-html': async (app) => {
    const res = await call(app, 'GET', me);
    status(res, 401, 'GET /me without token');
    assert.match(String(res.headers['content-type']), /^text\/html/);
  },

  // ---- error bodies ----
  'unauthorized-error-shape': async (app) => {
    const body = parse(await call(app, 'GET', me));
    assert.equal(body.fault, undefined);
    assert.equal(body.status, 401);
  },
  'fault-errorcode-missing': async (app) => {
    const body = parse(await call(app, 'GET', me));
    assert.deepEqual(Object.keys(body.fault as Body), ['faultstring']);
  },
  'bad-request-status-missing': async (app) => {
    const res = await signupRaw(app, { email: uniqueEmail() });
    status(res, 400, 'signup without password');
    assert.equal(parse(res).status, undefined);
  },
  'not-found-as-fault': async (app) => {
    const res = await call(app, 'GET', '/no/such/route');
    status(res, 404, 'unknown route');
    assert.equal(typeof parse(res).fault, 'object');
  },
  'error-details-not-array': async (app) => {
    const res = await signupRaw(app, { email: uniqueEmail() });
    status(res, 400, 'signup without password');
    const details = parse(res).details;
    assert.ok(
      details && typeof details === 'object' && !Array.isArray(details),
      `details ${JSON.stringify(details)}`,
    );
  },

  // ---- state not applied ----
  'logout-keeps-token': async (app) => {
    const c = await createCustomer(app);
    const token = c.token.access_token;
    status(await call(app, 'GET', `/customer/${TENANT}/logout?accessToken=${token}`, token), 204, 'logout');
    status(await validate(app, token), 200, 'validate after logout');
  },
  'password-change-not-applied': async (app) => {
    const c = await createCustomer(app);
    status(await changePassword(app, c.token.access_token, c.password, NEW_PASSWORD), 204, 'change');
    assert.equal(await loginStatus(app, c.email, NEW_PASSWORD), 401, 'new password');
    assert.equal(await loginStatus(app, c.email, c.password), 200, 'old password');
  },
  'password-change-keeps-sessions': async (app) => {
    const c = await createCustomer(app);
    const other = await login(app, c.anon.access_token, c.email, c.password);
    status(await changePassword(app, c.token.access_token, c.password, NEW_PASSWORD), 204, 'change');
    status(await validate(app, other.access_token), 200, 'other session after the change');
  },
  'password-reset-not-applied': async (app) => {
    const c = await createCustomer(app);
    const token = await resetPassword(app, c.email);
    const anon = await anonymousLogin(app);
    const update = { token, password: NEW_PASSWORD };
    status(
      await call(app, 'POST', `/customer/${TENANT}/password/reset/update`, anon.access_token, update),
      204,
      'update',
    );
    assert.equal(await loginStatus(app, c.email, NEW_PASSWORD), 401, 'new password');
  },
  'email-change-confirm-not-applied': async (app) => {
    const c = await createCustomer(app);
    const newEmail = uniqueEmail('new');
    const request = { email: c.email, password: c.password, newEmail };
    const url = `${me}/accounts/internal/email/change`;
    status(await call(app, 'POST', url, c.token.access_token, request), 204, 'email change');
    const token = await lastEmailedToken(app, newEmail, 'email-change');
    const anon = await anonymousLogin(app);
    status(await call(app, 'POST', `${url}/confirm`, anon.access_token, { token }), 204, 'confirm');
    assert.equal(await loginStatus(app, c.email, c.password), 200, 'old email');
    assert.equal(await loginStatus(app, newEmail, c.password), 401, 'new email');
  },
  'profile-delete-not-applied': async (app) => {
    const c = await createCustomer(app);
    status(await call(app, 'DELETE', me, c.token.access_token), 202, 'DELETE /me');
    const token = await lastEmailedToken(app, c.email, 'profile-delete');
    status(await call(app, 'DELETE', `${me}?token=${token}`, c.token.access_token), 204, 'confirm');
    assert.equal(await loginStatus(app, c.email, c.password), 200, 'login after deletion');
  },
  'address-delete-not-applied': async (app) => {
    const { token, addressId } = await seed(app);
    status(await call(app, 'DELETE', `${addresses}/${addressId}`, token), 204, 'delete');
    status(await call(app, 'GET', `${addresses}/${addressId}`, token), 200, 'read after delete');
  },
  'tag-add-not-applied': async (app) => {
    const { token, addressId } = await seed(app);
    status(await call(app, 'POST', `${addresses}/${addressId}/tags?tags=GIFT`, token), 204, 'tags');
    assert.deepEqual(parse(await call(app, 'GET', `${addresses}/${addressId}`, token)).tags, [
      'BILLING',
      'SHIPPING',
    ]);
  },
  'activation-patch-ignored': async (app) => {
    const email = uniqueEmail();
    const res = await signupRaw(app, { email, password: 'Passw0rd-1' });
    await activate(app, await employeeToken(app), String(parse(res).id));
    assert.equal(await loginStatus(app, email, 'Passw0rd-1'), 401, 'login after activation');
  },
  'patch-me-not-applied': async (app) => {
    const c = await createCustomer(app);
    status(await call(app, 'PATCH', me, c.token.access_token, { firstName: 'Changed' }), 200, 'PATCH /me');
    assert.notEqual(parse(await getMe(app, c.token.access_token)).firstName, 'Changed');
  },

  // ---- state changed wrongly ----
  'anonymous-refresh-new-session': async (app) => {
    const anon = await anonymousLogin(app);
    const res = await refreshAnonymous(app, anon.refresh_token);
    status(res, 200, 'refresh');
    assert.notEqual(parse(res).sessionId, anon.sessionId);
  },
  'anonymous-refresh-not-rotated': async (app) => {
    const anon = await anonymousLogin(app);
    status(await refreshAnonymous(app, anon.refresh_token), 200, 'first refresh');
    status(await refreshAnonymous(app, anon.refresh_token), 200, 'second refresh with the same token');
  },
  'customer-refresh-new-session': async (app) => {
    const c = await createCustomer(app);
    const res = await refreshCustomer(app, c, c.token.refresh_token);
    status(res, 200, 'refresh');
    assert.notEqual(parse(res).session_id, c.token.session_id);
  },
  'customer-refresh-not-rotated': async (app) => {
    const c = await createCustomer(app);
    status(await refreshCustomer(app, c, c.token.refresh_token), 200, 'first refresh');
    status(await refreshCustomer(app, c, c.token.refresh_token), 200, 'second refresh with the same token');
  },
  'tags-replaced-not-merged': async (app) => {
    const { token, addressId } = await seed(app);
    status(await call(app, 'POST', `${addresses}/${addressId}/tags?tags=GIFT`, token), 204, 'tags');
    assert.deepEqual(parse(await call(app, 'GET', `${addresses}/${addressId}`, token)).tags, ['GIFT']);
  },
  'tag-delete-removes-all': async (app) => {
    const { token, addressId } = await seed(app);
    status(await call(app, 'DELETE', `${addresses}/${addressId}/tags?tags=BILLING`, token), 204, 'tags');
    assert.deepEqual(parse(await call(app, 'GET', `${addresses}/${addressId}`, token)).tags, []);
  },
  'two-default-addresses': async (app) => {
    const c = await createCustomer(app);
    const token = c.token.access_token;
    await createAddress(app, token);
    await createAddress(app, token, { isDefault: true });
    const third = await createAddress(app, token);
    status(await call(app, 'PATCH', `${addresses}/${third}`, token, { isDefault: true }), 200, 'PATCH');
    const defaults = list(await call(app, 'GET', addresses, token)).filter((a) => a.isDefault === true);
    assert.equal(defaults.length, 3);
  },
  'logout-keeps-refresh-token': async (app) => {
    const c = await createCustomer(app);
    const token = c.token.access_token;
    status(await call(app, 'GET', `/customer/${TENANT}/logout?accessToken=${token}`, token), 204, 'logout');
    status(await validate(app, token), 401, 'access token after logout');
    status(await refreshCustomer(app, c, c.token.refresh_token), 200, 'refresh token after logout');
  },

  // ---- auth holes ----
  'missing-token-accepted': async (app) => {
    const res = await call(app, 'GET', me);
    status(res, 200, 'GET /me without token');
    assert.equal(parse(res).customerNumber, '10000001');
  },
  'anonymous-token-accepted': async (app) => {
    const anon = await anonymousLogin(app);
    status(await call(app, 'GET', addresses, anon.access_token), 200, 'addresses with an anonymous token');
  },
  'other-tenant-token-accepted': async (app) => {
    const c = await createCustomer(app);
    const res = await call(app, 'GET', `/customer/${OTHER_TENANT}/me`, c.token.access_token);
    status(res, 200, 'GET /me on the other tenant');
  },
  'foreign-address-readable': async (app) => {
    const { addressId } = await seed(app);
    const c = await createCustomer(app);
    status(
      await call(app, 'GET', `${addresses}/${addressId}`, c.token.access_token),
      200,
      "another's address",
    );
  },
  'foreign-address-deletable': async (app) => {
    const { token, addressId } = await seed(app);
    const c = await createCustomer(app);
    status(await call(app, 'DELETE', `${addresses}/${addressId}`, c.token.access_token), 204, 'delete');
    status(await call(app, 'GET', `${addresses}/${addressId}`, token), 404, 'owner reads it');
  },
  'foreign-address-updatable': async (app) => {
    const { token, addressId } = await seed(app);
    const c = await createCustomer(app);
    status(
      await call(app, 'PATCH', `${addresses}/${addressId}`, c.token.access_token, { city: 'Elsewhere' }),
      200,
      'patch',
    );
    assert.equal(parse(await call(app, 'GET', `${addresses}/${addressId}`, token)).city, 'Elsewhere');
  },

  // ---- validation holes ----
  'duplicate-signup-accepted': async (app) => {
    status(await signupRaw(app, { email: SEED_EMAIL, password: 'Passw0rd-1' }), 201, 'duplicate signup');
  },
  'signup-without-password-accepted': async (app) => {
    status(await signupRaw(app, { email: uniqueEmail() }), 201, 'signup without password');
  },
  'signup-short-password-accepted': async (app) => {
    status(await signupRaw(app, { email: uniqueEmail(), password: 'abc' }), 201, 'signup with 3 characters');
  },
  'malformed-json-500': async (app) => {
    const anon = await anonymousLogin(app);
    const res = await app.inject({
      method: 'POST',
      url: `/customer/${TENANT}/signup`,
      headers: { ...bearer(anon.access_token), 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    status(res, 500, 'malformed JSON');
  },
  'emailed-token-reusable': async (app) => {
    const c = await createCustomer(app);
    const token = await resetPassword(app, c.email);
    const anon = await anonymousLogin(app);
    const url = `/customer/${TENANT}/password/reset/update`;
    status(
      await call(app, 'POST', url, anon.access_token, { token, password: NEW_PASSWORD }),
      204,
      'first use',
    );
    status(
      await call(app, 'POST', url, anon.access_token, { token, password: 'Third-Passw0rd' }),
      204,
      'second use',
    );
  },
  'login-before-activation': async (app) => {
    const email = uniqueEmail();
    status(await signupRaw(app, { email, password: 'Passw0rd-1' }), 201, 'signup');
    assert.equal(await loginStatus(app, email, 'Passw0rd-1'), 200, 'login before activation');
  },
  'wrong-current-password-accepted': async (app) => {
    const c = await createCustomer(app);
    status(await changePassword(app, c.token.access_token, 'Not-The-Passw0rd', NEW_PASSWORD), 204, 'change');
  },

  // ---- lifetimes, sensitive data, formats ----
  'anonymous-expires-in-milliseconds': async (app) => {
    assert.equal((await anonymousLogin(app)).expires_in, 3599000);
  },
  'customer-expires-in-3599': async (app) => {
    assert.equal((await createCustomer(app)).token.expires_in, 3599);
  },
  'profile-password-hash-exposed': async (app) => {
    const c = await createCustomer(app);
    assert.match(String(parse(await getMe(app, c.token.access_token)).password), /\S{20,}/);
  },
  'signup-echoes-password': async (app) => {
    const res = await signupRaw(app, { email: uniqueEmail(), password: 'Echo-Passw0rd' });
    assert.equal(parse(res).password, 'Echo-Passw0rd');
  },
  'saas-token-not-jwt': async (app) => {
    const c = await createCustomer(app);
    assert.doesNotMatch(c.token.saas_token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  },
  'session-id-not-uuid': async (app) => {
    assert.match((await anonymousLogin(app)).sessionId, /^[0-9a-f]{32}$/);
  },

  // ---- benign variants: different, still documented ----
  'extra-fields': async (app) => {
    const anon = parse(await anonRaw(app));
    assertFields(anon, ANON_FIELDS, 'anonymous login');
    assert.match(String(anon.vendorTrace), /^[0-9a-f-]{36}$/);
    const { token } = await seed(app);
    for (const item of list(await call(app, 'GET', addresses, token))) {
      assertFields(item, ['id', 'isDefault', 'tags', 'vendorTrace'], 'address');
    }
  },
  'reversed-key-order': async (app) => {
    const body = parse(await anonRaw(app));
    assertFields(body, ANON_FIELDS, 'anonymous login');
    assert.equal(Object.keys(body)[0], 'scope');
  },
  'pretty-json': async (app) => {
    const res = await anonRaw(app);
    assert.match(res.body, /^\{\n {2}"/);
    assertFields(parse(res), ANON_FIELDS, 'anonymous login');
  },
  'charset-upper-case': async (app) => {
    const res = await anonRaw(app);
    assert.equal(res.headers['content-type'], 'application/json; charset=UTF-8');
    assertFields(parse(res), ANON_FIELDS, 'anonymous login');
  },
  'no-charset': async (app) => {
    const res = await anonRaw(app);
    assert.equal(res.headers['content-type'], 'application/json');
    assertFields(parse(res), ANON_FIELDS, 'anonymous login');
  },
  'extra-headers': async (app) => {
    const res = await anonRaw(app);
    assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assertFields(parse(res), ANON_FIELDS, 'anonymous login');
  },
  'long-tokens': async (app) => {
    const c = await createCustomer(app);
    assert.equal(c.token.access_token.length, 40);
    assert.equal(c.token.refresh_token.length, 40);
    status(await validate(app, c.token.access_token), 200, 'validate a 40-character token');
  },
  'other-id-formats': async (app) => {
    const c = await createCustomer(app);
    assert.match(c.customerNumber, /^\d{12}$/);
    const id = await createAddress(app, c.token.access_token);
    assert.match(id, /^[0-9a-f]{16}$/);
    status(await call(app, 'GET', `${addresses}/${id}`, c.token.access_token), 200, 'read the address');
  },
  'addresses-newest-first': async (app) => {
    const c = await createCustomer(app);
    const first = await createAddress(app, c.token.access_token);
    const second = await createAddress(app, c.token.access_token);
    const items = list(await call(app, 'GET', addresses, c.token.access_token));
    assert.deepEqual(
      items.map((a) => a.id),
      [second, first],
    );
    for (const item of items) assertFields(item, ['id', 'isDefault', 'tags'], 'address');
  },
  latency: async (app) => {
    const started = Date.now();
    const res = await anonRaw(app);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 95 && elapsed < 1000, `answered after ${elapsed} ms`);
    assertFields(parse(res), ANON_FIELDS, 'anonymous login');
  },
  'lifetimes-slightly-lower': async (app) => {
    const anon = await anonymousLogin(app);
    assert.equal(anon.expires_in, 3597);
    assert.equal(anon.refresh_token_expires_in, 86397);
    assert.equal((await createCustomer(app)).token.expires_in, 2591997);
  },
  'deprecated-camelcase-fields': async (app) => {
    const token = (await createCustomer(app)).token as unknown as Body;
    assertFields(token, ['access_token', 'saas_token', 'expires_in', 'refresh_token', 'session_id'], 'login');
    assert.equal(token.accessToken, token.access_token);
    assert.equal(token.saasToken, token.saas_token);
  },
  'token-type-lower-case': async (app) => {
    const anon = await anonymousLogin(app);
    assert.equal((anon as unknown as Body).token_type, 'bearer');
    status(await getMe(app, anon.access_token), 200, 'GET /me with the token');
  },
  'social-lifetimes-integers': async (app) => {
    const anon = await anonymousLogin(app);
    const redirect = 'https://shop.example.com/callback';
    const authorize = await call(app, 'POST', `/_mock/${TENANT}/idp/authorize`, undefined, {
      email: uniqueEmail('social'),
      redirect_uri: redirect,
    });
    const { code } = parse(authorize);
    const res = await app.inject({
      method: 'POST',
      url: `/customer/${TENANT}/socialLogin`,
      query: { code: String(code), redirect_uri: redirect },
      headers: bearer(anon.access_token),
    });
    status(res, 200, 'social login');
    const body = parse(res);
    assert.equal(body.expires_in, 2591999);
    assert.equal(body.refresh_token_expires_in, 86399);
    assertFields(body, ['access_token', 'saas_token', 'refresh_token', 'token_type'], 'social login');
  },

  // ---- benign variants that make a choice the documents leave open (profile: documented) ----
  'lifetimes-4h-180d': async (app) => {
    const c = await createCustomer(app);
    assert.equal(c.token.expires_in, 14399);
    assert.equal(c.token.refresh_token_expires_in, 15551999);
    const refreshed = await refreshCustomer(app, c, c.token.refresh_token);
    status(refreshed, 200, 'refresh');
    assert.equal(parse(refreshed).expires_in, 14399, 'refresh keeps the access lifetime');
    assert.equal(parse(refreshed).refresh_token_expires_in, 15551999, 'refresh keeps the refresh lifetime');
    const anon = await anonymousLogin(app);
    assert.equal(anon.expires_in, 3599, 'anonymous access lifetime stays the documented hour');
    assert.equal(anon.refresh_token_expires_in, 86399, 'anonymous refresh lifetime stays the documented day');
  },
  'delete-me-immediate': async (app) => {
    const c = await createCustomer(app);
    const res = await call(app, 'DELETE', me, c.token.access_token);
    status(res, 204, 'DELETE /me');
    assert.equal(res.body, '', 'a 204 has no body');
    const mails = (await outbox(app, c.email)).filter((m) => m.kind === 'profile-delete');
    assert.equal(mails.length, 0, 'no confirmation token is emailed');
    status(await validate(app, c.token.access_token), 401, 'the token of the deleted customer');
    assert.equal(await loginStatus(app, c.email, c.password), 401, 'login after deletion');
  },
  'gateway-fault-unknown-route': async (app) => {
    const unknown = await call(app, 'GET', '/no/such/route');
    status(unknown, 404, 'unknown route');
    const notFound = parse(unknown).fault as Body | undefined;
    assert.equal(typeof notFound?.faultstring, 'string', `404 fault body: ${unknown.body}`);
    assert.equal(typeof (notFound?.detail as Body | undefined)?.errorcode, 'string', '404 errorcode');
    const wrongMethod = await call(app, 'PUT', addresses);
    status(wrongMethod, 405, 'wrong method');
    assert.match(String(wrongMethod.headers.allow), /GET/, 'the Allow header stays');
    const notAllowed = parse(wrongMethod).fault as Body | undefined;
    assert.equal(typeof (notAllowed?.detail as Body | undefined)?.errorcode, 'string', '405 errorcode');
    const { token, addressId } = await seed(app);
    const missing = await call(app, 'GET', `${addresses}/${addressId}0`, token);
    status(missing, 404, 'an unknown address of a known route');
    assert.equal(parse(missing).type, 'resource_not_found', 'documented 404s keep the error body');
  },
  'validate-401-empty': async (app) => {
    const res = await validate(app, 'unknown-access-token-0000000000');
    status(res, 401, 'validate with an unknown token');
    assert.equal(res.body, '', 'no body');
    assert.equal(res.headers['content-type'], undefined, 'no content type without a body');
    const other = await call(app, 'GET', me);
    status(other, 401, 'GET /me without token');
    assert.equal(typeof parse(other).fault, 'object', 'other 401s keep the fault body');
    const c = await createCustomer(app);
    status(await validate(app, c.token.access_token), 200, 'validate a good token');
  },
  'tm-404-type': async (app) => {
    const token = await employeeToken(app);
    const res = await call(app, 'GET', `/customer/${TENANT}/customers/99999999`, token);
    status(res, 404, 'unknown customer');
    const body = parse(res);
    assert.equal(body.type, 'application/json');
    assert.equal(body.status, 404);
    assert.equal(typeof body.message, 'string');
  },
  'refresh-not-rotated': async (app) => {
    const c = await createCustomer(app);
    const first = await refreshCustomer(app, c, c.token.refresh_token);
    status(first, 200, 'first refresh');
    assert.equal(parse(first).refresh_token, c.token.refresh_token, 'the same refresh token comes back');
    assert.notEqual(parse(first).access_token, c.token.access_token, 'a new access token');
    const second = await refreshCustomer(app, c, c.token.refresh_token);
    status(second, 200, 'second refresh with the same token');
    const access = String(parse(second).access_token);
    status(await validate(app, access), 200, 'the refreshed access token works');
    status(await call(app, 'GET', `/customer/${TENANT}/logout?accessToken=${access}`, access), 204, 'logout');
    status(await validate(app, access), 401, 'the access token after logout');
    status(await refreshCustomer(app, c, c.token.refresh_token), 200, 'the refresh token after logout');
  },
  'country-free-text': async (app) => {
    const c = await createCustomer(app);
    const token = c.token.access_token;
    for (const country of ['Germany', 'DEU', 'de']) {
      const id = await createAddress(app, token, { country });
      assert.equal(parse(await call(app, 'GET', `${addresses}/${id}`, token)).country, country, country);
    }
    const blank = await call(app, 'POST', addresses, token, { contactName: 'Ada', country: '  ' });
    status(blank, 400, 'a blank country');
  },
  'version-jumps': async (app) => {
    const c = await createCustomer(app);
    const token = c.token.access_token;
    const before = (parse(await getMe(app, token)).metadata as Body).version as number;
    status(await call(app, 'PATCH', me, token, { firstName: 'Jump' }), 200, 'PATCH /me');
    const after = (parse(await getMe(app, token)).metadata as Body).version as number;
    assert.equal(after, before + 2, 'the profile version grows by 2');
    const id = await createAddress(app, token);
    status(await call(app, 'PATCH', `${addresses}/${id}`, token, { city: 'Bonn' }), 200, 'PATCH address');
    const address = parse(await call(app, 'GET', `${addresses}/${id}`, token));
    assert.equal((address.metadata as Body).version, 3, 'the address version grows by 2');
    status(
      await call(app, 'PATCH', me, token, { firstName: 'Stale', metadata: { version: after - 1 } }),
      409,
      'a stale version is still refused',
    );
  },
  'logout-ignores-foreign-token': async (app) => {
    const c = await createCustomer(app);
    const other = await login(app, c.anon.access_token, SEED_EMAIL, SEED_PASSWORD);
    const token = c.token.access_token;
    const res = await call(app, 'GET', `/customer/${TENANT}/logout?accessToken=${other.access_token}`, token);
    status(res, 204, "logout naming another session's token");
    status(await validate(app, other.access_token), 200, 'the token named in the logout');
    status(await validate(app, token), 200, 'the bearer token of the logout');
    status(
      await call(app, 'GET', `/customer/${TENANT}/logout?accessToken=${token}`, token),
      204,
      'own logout',
    );
    status(await validate(app, token), 401, 'a real logout still revokes');
  },
  'token-before-tenant': async (app) => {
    const c = await createCustomer(app);
    const res = await getMe(app, c.token.access_token, 'Bad_Tenant!');
    status(res, 401, 'a malformed tenant with a valid token');
    assert.equal(typeof parse(res).fault, 'object', 'the 401 fault body');
    status(await call(app, 'GET', '/customer/Bad_Tenant!/me'), 401, 'a malformed tenant without token');
    status(await getMe(app, c.token.access_token), 200, 'the token on its own tenant');
  },
  'anonymous-refusals-401': async (app) => {
    const errorcode = (res: LightMyRequestResponse): unknown =>
      ((parse(res).fault as Body | undefined)?.detail as Body | undefined)?.errorcode;
    const anon = (query: Record<string, string>) =>
      app.inject({ method: 'GET', url: '/customerlogin/auth/anonymous/login', query });
    for (const [what, query] of [
      ['without client_id', { tenant: TENANT }],
      ['without tenant', { client_id: 'mock-storefront-client' }],
      ['for an unknown tenant', { tenant: 'nosuchtenant', client_id: 'mock-storefront-client' }],
    ] as const) {
      const res = await anon(query);
      status(res, 401, `anonymous login ${what}`);
      const code = errorcode(res);
      assert.equal(typeof code, 'string', `${what}: errorcode`);
      assert.notEqual(code, 'oauth.v2.InvalidApiKey', `${what}: another errorcode than the mock's default`);
    }
    const unknownClient = await anon({ client_id: 'no-such-client' });
    status(unknownClient, 401, 'an unknown client id without tenant');
    assert.equal(
      errorcode(unknownClient),
      'oauth.v2.InvalidApiKey',
      'an unknown client id keeps its errorcode',
    );
    status(await anonRaw(app), 200, 'a good anonymous login');
  },
};

// The sequence faults (mock/src/faults/sequence.ts) are proved by their own checks, in
// faults-sequence.test.ts; this file checks every other entry.
const CHECKED_HERE = FAULT_REGISTRY.filter((entry) => entry.category !== 'sequence');

describe('fault registry', () => {
  test('holds at least 40 faults and 10 benign variants', () => {
    const faults = FAULT_REGISTRY.filter((entry) => entry.kind === 'fault');
    const benign = FAULT_REGISTRY.filter((entry) => entry.kind === 'benign');
    assert.ok(faults.length >= 40, `${faults.length} faults`);
    assert.ok(benign.length >= 10, `${benign.length} benign variants`);
  });

  test('names are unique and kebab-case; every entry has a category and a one-sentence description', () => {
    const names = FULL_REGISTRY.map((entry) => entry.name);
    assert.equal(new Set(names).size, names.length, 'duplicate names');
    for (const entry of FULL_REGISTRY) {
      assert.match(entry.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, entry.name);
      assert.ok(entry.category.trim() !== '', `${entry.name}: category`);
      assert.match(entry.description, /^\S[^\n]*\.$/, `${entry.name}: description`);
    }
  });

  test('every entry has a check below, and every check an entry', () => {
    const names = new Set(CHECKED_HERE.map((entry) => entry.name));
    assert.deepEqual(
      CHECKED_HERE.filter((entry) => !CHECKS[entry.name]).map((entry) => entry.name),
      [],
      'entries without a check',
    );
    assert.deepEqual(
      Object.keys(CHECKS).filter((name) => !names.has(name)),
      [],
      'checks without an entry',
    );
  });

  test('unknown fault names are refused by the flag and by MOCK_FAULT', () => {
    const flag = parseMockOptions(['--fault', 'logout-keeps-token,no-such-fault'], {});
    assert.equal(flag.ok, false);
    assert.match(flag.ok ? '' : flag.errors.join('\n'), /unknown fault 'no-such-fault'/);
    const env = parseMockOptions([], { MOCK_FAULT: 'typo-fault' });
    assert.match(env.ok ? '' : env.errors.join('\n'), /unknown fault 'typo-fault'/);
    const good = parseMockOptions(['--fault', 'signup-200', '--fault', 'latency'], {});
    assert.deepEqual(good.ok ? good.faults : [], ['signup-200', 'latency']);
  });

  test('faultLayers refuses an unknown fault name', () => {
    assert.throws(() => faultLayers(['no-such-fault']), /unknown fault/);
  });

  test('--list-faults names every entry', () => {
    const listed = parseMockOptions(['--list-faults'], {});
    assert.equal(listed.ok && listed.listFaults, true);
    const text = formatFaultList();
    for (const entry of FULL_REGISTRY) assert.ok(text.includes(entry.name), entry.name);
  });

  test('only benign variants name a profile, and --list-faults shows it', () => {
    const withProfile = FAULT_REGISTRY.filter((entry) => entry.profile !== undefined);
    assert.ok(withProfile.length >= 11, `${withProfile.length} entries with a profile`);
    const lines = formatFaultList().split('\n');
    for (const entry of FAULT_REGISTRY) {
      const line = lines.find((l) => l.trimStart().startsWith(`${entry.name} `)) ?? '';
      if (entry.profile) {
        assert.equal(entry.kind, 'benign', `${entry.name}: a fault is always run in the strict profile`);
        assert.match(line, /\(profile: documented\)/, `${entry.name}: its line names the profile`);
      } else {
        assert.doesNotMatch(line, /profile:/, `${entry.name}: no profile on its line`);
      }
    }
  });

  test('without faults there is no layer, so the mock adds no hook', () => {
    assert.deepEqual(faultLayers([]), []);
  });
});

for (const kind of ['fault', 'benign'] as const) {
  describe(
    kind === 'fault' ? 'each fault is observable' : 'each benign variant differs and stays documented',
    () => {
      for (const entry of CHECKED_HERE.filter((e) => e.kind === kind)) {
        test(`${entry.name}: ${entry.description}`, () => expectCheckPassesWith(CHECKS, entry.name));
      }
    },
  );
}

describe('each check tells its entry apart from the plain mock', () => {
  // Without this, a check that passes anyway would prove nothing about its fault.
  for (const entry of CHECKED_HERE) {
    test(`${entry.name}: the check fails against the plain mock`, () =>
      expectCheckFailsWithout(CHECKS, entry.name));
  }
});
