// Hostile and malformed input everywhere (docs/behaviour.md, "Errors everywhere"): documented 4xx with
// the documented body shape, JSON content type on every answer, never a 5xx.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import {
  STOREFRONT_CLIENT_ID,
  TENANT,
  bearer,
  buildApp,
  createCustomer,
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

  test('answers 400 to a body without Content-Type', async () => {
    const res = await raw({
      method: 'POST',
      url: `/customer/${TENANT}/login`,
      headers: { ...bearer(anon), 'content-type': '' },
      payload: '{"email":"a@example.com","password":"x"}',
    });
    expectError(res, 400, undefined, 'login without Content-Type');
  });

  test('answers 400 to a POST without a body where one is required', async () => {
    const res = await raw({ method: 'POST', url: `/customer/${TENANT}/login`, headers: bearer(anon) });
    expectError(res, 400, 'bad_request', 'login without body');
  });

  test('accepts Content-Type with a charset', async () => {
    const res = await raw({
      method: 'POST',
      url: `/customer/${TENANT}/login`,
      headers: { ...bearer(anon), 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify({ email: customer.email, password: customer.password }),
    });
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

  for (const tenant of ['MOCKTENANT', 'no', '..%2F', 'a'.repeat(300), encodeURIComponent('tenänt')]) {
    test(`refuses the customer token on the odd tenant "${tenant.slice(0, 20)}"`, async () => {
      const res = await getMe(t.app, customer.token.access_token, tenant);
      assert.ok([400, 401, 404].includes(res.statusCode), `tenant ${tenant}: status ${res.statusCode}`);
      expectDocumentedErrorShape(res, `tenant ${tenant.slice(0, 20)}`);
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
