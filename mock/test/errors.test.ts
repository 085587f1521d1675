// Hostile and malformed input everywhere (docs/behaviour.md, "Errors everywhere"): documented 4xx with
// the documented body shape, JSON content type on every answer, never a 5xx.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import {
  STOREFRONT_CLIENT_ID,
  TENANT,
  bearer,
  buildApp,
  createCustomer,
  employeeToken,
  anonymousLogin,
  expectDocumentedErrorShape,
  expectError,
  expectFault,
  expectStatus,
  getMe,
  expectLoginRefused,
  loginRaw,
  jsonBody,
  jsonObject,
  signup,
  uniqueEmail,
  type Customer,
  type TestApp,
} from './helpers.ts';

describe('errors everywhere', () => {
  let t: TestApp;
  let customer: Customer;
  let anon: string;
  before(async () => {
    t = await buildApp();
    customer = await createCustomer(t.app);
    anon = (await anonymousLogin(t.app)).access_token;
  });
  after(async () => {
    await t.app.close();
  });

  const raw = (opts: InjectOptions) => t.app.inject(opts);

  /** JSON-body operations with the token kind they accept. */
  const bodyRoutes = (): { method: 'POST' | 'PATCH'; url: string; token: string }[] => [
    { method: 'POST', url: `/customer/${TENANT}/signup`, token: anon },
    { method: 'POST', url: `/customer/${TENANT}/login`, token: anon },
    { method: 'PATCH', url: `/customer/${TENANT}/me`, token: customer.token.access_token },
    { method: 'POST', url: `/customer/${TENANT}/me/addresses`, token: customer.token.access_token },
    { method: 'POST', url: `/customer/${TENANT}/password/reset`, token: anon },
    { method: 'POST', url: `/customer/${TENANT}/password/reset/update`, token: anon },
    { method: 'POST', url: `/customer/${TENANT}/password/change`, token: customer.token.access_token },
    { method: 'POST', url: `/customer/${TENANT}/me/accounts/internal`, token: customer.token.access_token },
    {
      method: 'POST',
      url: `/customer/${TENANT}/me/accounts/internal/email/change`,
      token: customer.token.access_token,
    },
    { method: 'POST', url: `/customer/${TENANT}/me/accounts/internal/email/change/confirm`, token: anon },
    { method: 'POST', url: `/customer/${TENANT}/signup/optin/refresh_token`, token: anon },
  ];

  const badBodies: [string, string, string][] = [
    ['malformed JSON', 'application/json', '{"email": "a@example.com",'],
    ['a JSON array', 'application/json', '[{"email":"a@example.com"}]'],
    ['a JSON number', 'application/json', '42'],
    ['a JSON string', 'application/json', '"hello"'],
    ['JSON null', 'application/json', 'null'],
    ['a text/plain body', 'text/plain', '{"email":"a@example.com"}'],
    ['an XML body', 'application/xml', '<email>a@example.com</email>'],
    ['a form body', 'application/x-www-form-urlencoded', 'email=a%40example.com'],
  ];

  for (const [what, contentType, payload] of badBodies) {
    test(`answers 400 bad_request to ${what} on every JSON operation`, async () => {
      for (const route of bodyRoutes()) {
        const res = await raw({
          method: route.method,
          url: route.url,
          headers: { ...bearer(route.token), 'content-type': contentType },
          payload,
        });
        expectError(res, 400, 'bad_request', `${route.method} ${route.url} with ${what}`);
      }
    });
  }

  test('answers 400 to a body of more than 1 MiB, not 413 or 5xx', async () => {
    const huge = JSON.stringify({
      email: uniqueEmail(),
      password: 'Passw0rd-1',
      padding: 'x'.repeat(2_000_000),
    });
    const res = await raw({
      method: 'POST',
      url: `/customer/${TENANT}/signup`,
      headers: { ...bearer(anon), 'content-type': 'application/json' },
      payload: huge,
    });
    expectError(res, 400, 'bad_request', 'huge signup body');
  });

  /** A login whose body is sent as it is, with the Content-Type given (none: the header is empty). */
  const loginAs = (contentType: string, payload: string) =>
    raw({
      method: 'POST',
      url: `/customer/${TENANT}/login`,
      headers: { ...bearer(anon), 'content-type': contentType },
      payload,
    });

  test('answers 400 to a body without Content-Type', async () => {
    const res = await loginAs('', '{"email":"a@example.com","password":"x"}');
    expectError(res, 400, undefined, 'login without Content-Type');
  });

  test('answers 400 to a POST without a body where one is required', async () => {
    const res = await raw({ method: 'POST', url: `/customer/${TENANT}/login`, headers: bearer(anon) });
    expectError(res, 400, 'bad_request', 'login without body');
  });

  test('accepts Content-Type with a charset', async () => {
    const res = await loginAs(
      'application/json; charset=utf-8',
      JSON.stringify({ email: customer.email, password: customer.password }),
    );
    expectStatus(res, 200, 'login with charset');
  });

  test('stores and answers unicode profile fields unchanged', async () => {
    const name = 'Zoë Ångström 李小龍 🚀 \u202Eevil';
    const c = await createCustomer(t.app, {
      body: { customerDetails: { firstName: name, lastName: 'Ünïcödé' } },
    });
    const me = jsonObject(await getMe(t.app, c.token.access_token));
    assert.equal(me.firstName, name);
    assert.equal(me.lastName, 'Ünïcödé');
  });

  test('accepts a unicode password and logs in with it', async () => {
    const c = await createCustomer(t.app, { password: 'Pässwörd-🔑-1' });
    expectStatus(await loginRaw(t.app, anon, c.email, 'Pässwörd-🔑-1'), 200);
    expectLoginRefused(await loginRaw(t.app, anon, c.email, 'Passwort-🔑-1'));
  });

  test('answers 400 to a unicode email that is not an email', async () => {
    expectError(await signup(t.app, anon, { email: '💥@💥', password: 'Passw0rd-1' }), 400);
  });

  test('answers 401 without Authorization on every token-protected operation', async () => {
    for (const route of bodyRoutes()) {
      const res = await raw({ method: route.method, url: route.url, payload: {} });
      expectFault(res, undefined, undefined, `${route.method} ${route.url} without Authorization`);
    }
  });

  test('answers 401 to an Authorization header of 10 000 characters', async () => {
    expectFault(await getMe(t.app, 'x'.repeat(10_000)));
  });

  test('answers 401 to a token with characters outside the token alphabet', async () => {
    expectFault(await getMe(t.app, '../../etc/passwd'));
    expectFault(await getMe(t.app, "' OR '1'='1"));
  });

  const oddIds = [
    ['a path traversal', '..%2F..%2Fetc%2Fpasswd'],
    ['a very long id', 'a'.repeat(3000)],
    ['a unicode id', encodeURIComponent('адрес-🚀')],
    ['a NUL byte', 'abc%00def'],
    ['an encoded query', 'x%3Fy%3D1'],
    ['JSON', encodeURIComponent('{"$ne":null}')],
  ];
  for (const [what, id] of oddIds) {
    test(`answers a documented 4xx to ${what} as an address id`, async () => {
      const res = await raw({
        method: 'GET',
        url: `/customer/${TENANT}/me/addresses/${id}`,
        headers: bearer(customer.token.access_token),
      });
      assert.ok(
        [400, 404].includes(res.statusCode),
        `address id ${what}: status ${res.statusCode} ${res.body}`,
      );
      expectDocumentedErrorShape(res, `address id ${what}`);
    });

    test(`answers a documented 4xx to ${what} as a customer number`, async () => {
      const emp = await t.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload:
          'grant_type=client_credentials&client_id=mock-service-client&client_secret=mock-service-secret',
      });
      const res = await raw({
        method: 'GET',
        url: `/customer/${TENANT}/customers/${id}`,
        headers: bearer(jsonObject(emp).access_token as string),
      });
      assert.ok([400, 404].includes(res.statusCode), `customer number ${what}: status ${res.statusCode}`);
      expectDocumentedErrorShape(res, `customer number ${what}`);
    });

    test(`answers a documented 4xx to ${what} as an opt-in token`, async () => {
      const res = await raw({
        method: 'GET',
        url: `/customer/${TENANT}/signup/optin/${id}`,
        headers: bearer(anon),
      });
      assert.ok([400, 404].includes(res.statusCode), `opt-in token ${what}: status ${res.statusCode}`);
      expectDocumentedErrorShape(res, `opt-in token ${what}`);
    });
  }

  // None of these is a tenant name (behaviour.md "Errors everywhere"): 400, whatever the token.
  for (const tenant of ['MOCKTENANT', 'no', '..%2F', 'a'.repeat(300), encodeURIComponent('tenänt')]) {
    test(`refuses the customer token on the odd tenant "${tenant.slice(0, 20)}" with 400`, async () => {
      const res = await getMe(t.app, customer.token.access_token, tenant);
      expectInvalidTenant(res, `GET /me on tenant ${tenant.slice(0, 20)}`);
    });
  }

  test('answers 400 to repeated query parameters on anonymous login, never 5xx', async () => {
    const res = await raw({
      method: 'GET',
      url: `/customerlogin/auth/anonymous/login?tenant=${TENANT}&tenant=othertenant&client_id=${STOREFRONT_CLIENT_ID}`,
    });
    assert.ok(res.statusCode < 500, `status ${res.statusCode}`);
    if (res.statusCode !== 200) expectDocumentedErrorShape(res);
    else jsonBody(res);
  });

  test('answers 404 JSON resource_not_found to an unknown route', async () => {
    for (const url of ['/nothing-here', `/customer/${TENANT}/nothing`, '/customer', '/']) {
      const res = await raw({ method: 'GET', url, headers: bearer(customer.token.access_token) });
      expectError(res, 404, 'resource_not_found', `GET ${url}`);
    }
  });

  const wrongMethods: ['DELETE' | 'PUT' | 'POST' | 'GET' | 'PATCH', string][] = [
    ['DELETE', `/customer/${TENANT}/signup`],
    ['PUT', `/customer/${TENANT}/me`],
    ['POST', '/customerlogin/auth/anonymous/login'],
    ['GET', `/customer/${TENANT}/login`],
    ['POST', `/customer/${TENANT}/validateauthtoken`],
    ['PUT', `/customer/${TENANT}/me/addresses/0123456789`],
    ['GET', `/customer/${TENANT}/me/addresses/0123456789/tags`],
    ['GET', '/oauth/token'],
    ['PATCH', `/customer/${TENANT}/password/change`],
  ];
  test('answers OPTIONS and HEAD on a known path without a 5xx', async () => {
    for (const method of ['OPTIONS', 'HEAD'] as const) {
      const res = await raw({ method, url: `/customer/${TENANT}/signup`, headers: bearer(anon) });
      assert.ok(res.statusCode < 500, `${method}: status ${res.statusCode}`);
      if (method === 'OPTIONS') {
        expectStatus(res, 405, 'OPTIONS on a known path');
        jsonObject(res, 'OPTIONS');
      }
    }
  });

  for (const [method, url] of wrongMethods) {
    test(`answers 405 JSON to ${method} ${url}`, async () => {
      const res = await raw({ method, url, headers: bearer(customer.token.access_token) });
      expectStatus(res, 405, `${method} ${url}`);
      const body = jsonObject(res, `${method} ${url}`);
      assert.equal(body.status, 405);
      assert.equal(typeof body.type, 'string');
      assert.equal(body.type, String(body.type).toLowerCase(), '405 type is lowercase');
      assert.equal(typeof body.message, 'string');
    });
  }
});

/** The reference's own 400 example, "Invalid tenant" (components/responses/400_bad_request). */
function expectInvalidTenant(res: LightMyRequestResponse, context: string): void {
  const body = expectError(res, 400, 'bad_request', context);
  assert.equal(body.message, 'The tenant information provided with the request is not valid.', context);
  const details = Array.isArray(body.details) ? body.details : [];
  assert.ok(
    details.some((d) => d !== null && typeof d === 'object' && !Array.isArray(d) && d.field === 'tenant'),
    `${context}: details should name the field "tenant", received ${JSON.stringify(body.details)}`,
  );
}

// behaviour.md "Errors everywhere": a {tenant} that is not a tenant name (^[a-z][a-z0-9]+$, 3 to 16
// characters) is a 400 before any token is looked at; a well-formed unknown tenant is not (401).
describe('malformed tenant in the path', () => {
  let t: TestApp;
  let customer: Customer;
  let anon: string;
  let employee: string;
  let addressId: string;
  before(async () => {
    t = await buildApp();
    customer = await createCustomer(t.app, { label: 'tenant-check' });
    anon = (await anonymousLogin(t.app)).access_token;
    employee = await employeeToken(t.app);
    const created = await t.app.inject({
      method: 'POST',
      url: `/customer/${TENANT}/me/addresses`,
      headers: bearer(customer.token.access_token),
      payload: { contactName: 'Tenant Check', street: 'Main Street', city: 'Berlin', country: 'DE' },
    });
    expectStatus(created, 201, 'address for the tenant checks');
    addressId = String(jsonObject(created).id);
  });
  after(async () => {
    await t.app.close();
  });

  const MALFORMED = ['MockTenant', '1mocktenant', 'ab', 'a'.repeat(17), 'a-b', 'Not_A_Tenant'];

  /** Routes of several chapters with a request that is otherwise valid, and the token kind each accepts. */
  const routes = (): {
    method: 'GET' | 'POST' | 'DELETE';
    path: string;
    token: string;
    payload?: object;
  }[] => [
    { method: 'GET', path: '/me', token: customer.token.access_token },
    { method: 'GET', path: '/me/addresses', token: customer.token.access_token },
    { method: 'GET', path: `/me/addresses/${addressId}`, token: customer.token.access_token },
    { method: 'DELETE', path: `/me/addresses/${addressId}`, token: customer.token.access_token },
    { method: 'GET', path: '/validateauthtoken', token: customer.token.access_token },
    { method: 'GET', path: `/customers/${customer.customerNumber}`, token: employee },
    { method: 'DELETE', path: `/customers/${customer.customerNumber}`, token: employee },
    {
      method: 'POST',
      path: '/signup',
      token: anon,
      payload: { email: uniqueEmail('tenant-check'), password: 'Passw0rd-123' },
    },
  ];

  for (const tenant of MALFORMED) {
    for (const withToken of [true, false]) {
      test(`answers 400 "invalid tenant" for tenant "${tenant}" ${withToken ? 'with a valid token' : 'without a token'} on every route`, async () => {
        for (const route of routes()) {
          const options: InjectOptions = {
            method: route.method,
            url: `/customer/${encodeURIComponent(tenant)}${route.path}`,
            headers: withToken ? bearer(route.token) : {},
          };
          if (route.payload) options.payload = route.payload;
          const res = await t.app.inject(options);
          expectInvalidTenant(res, `${route.method} /customer/${tenant}${route.path}`);
        }
      });
    }
  }

  test('changes nothing: the address and the customer a refused DELETE named are still there', async () => {
    for (const tenant of MALFORMED) {
      await t.app.inject({
        method: 'DELETE',
        url: `/customer/${encodeURIComponent(tenant)}/me/addresses/${addressId}`,
        headers: bearer(customer.token.access_token),
      });
      await t.app.inject({
        method: 'DELETE',
        url: `/customer/${encodeURIComponent(tenant)}/customers/${customer.customerNumber}`,
        headers: bearer(employee),
      });
    }
    const address = await t.app.inject({
      method: 'GET',
      url: `/customer/${TENANT}/me/addresses/${addressId}`,
      headers: bearer(customer.token.access_token),
    });
    expectStatus(address, 200, 'the address after refused deletes');
    expectStatus(await getMe(t.app, customer.token.access_token), 200, 'the customer after refused deletes');
  });

  test('keeps 401 for a well-formed tenant the token does not belong to', async () => {
    const res = await getMe(t.app, customer.token.access_token, 'nosuchtenant');
    expectFault(res, 'oauth.v2.InvalidAccessToken', 'Invalid access token', 'GET /me on nosuchtenant');
  });

  test('accepts the longest and shortest well-formed tenant names as names (401, not 400)', async () => {
    for (const tenant of ['abc', 'a'.repeat(16), 'a1b2c3']) {
      const res = await getMe(t.app, customer.token.access_token, tenant);
      expectStatus(res, 401, `GET /me on the well-formed tenant ${tenant}`);
    }
  });
});
