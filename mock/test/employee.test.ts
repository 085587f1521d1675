// Employee token (POST /oauth/token, client credentials) and the tenant-managed customer operations
// the tutorial uses to activate a customer ("Activating customer account as an employee").
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EMPLOYEE_CLIENT_ID,
  EMPLOYEE_CLIENT_SECRET,
  OTHER_TENANT,
  TENANT,
  anonymousLogin,
  bearer,
  appForSuite,
  buildApp,
  clientCredentials,
  createCustomer,
  sharedCustomer,
  employeeToken,
  expectError,
  expectFault,
  expectLoginRefused,
  expectForbidden,
  expectNoBody,
  expectStatus,
  jsonObject,
  loginRaw,
  signup,
  uniqueEmail,
} from './helpers.ts';

const form = (fields: Record<string, string>) => ({
  method: 'POST' as const,
  url: '/oauth/token',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});

describe('employee token @employee', () => {
  const t = appForSuite();

  test('issues a client-credentials token with the documented fields', async () => {
    const res = await clientCredentials(t.app, { scope: `tenant=${TENANT}` });
    expectStatus(res, 200, 'employee token');
    const body = jsonObject(res);
    assert.equal(typeof body.access_token, 'string');
    assert.ok((body.access_token as string).length >= 16);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 14399);
    assert.equal(body.refresh_token, '');
    assert.equal(body.refresh_token_expires_in, 0);
    assert.equal(body.session_idle_time, 120);
    assert.equal(body.scope, `tenant=${TENANT} customer.customer_manage customer.customer_read`);
  });

  test('binds the token to the first configured tenant when the scope names none', async () => {
    const res = await clientCredentials(t.app);
    expectStatus(res, 200);
    assert.match(String(jsonObject(res).scope), new RegExp(`^tenant=${TENANT}( |$)`));
  });

  test('binds the token to the tenant named in the scope', async () => {
    const res = await clientCredentials(t.app, { scope: `tenant=${OTHER_TENANT}` });
    expectStatus(res, 200);
    assert.match(String(jsonObject(res).scope), new RegExp(`^tenant=${OTHER_TENANT} `));
  });

  test('refuses a wrong client secret with 401 Invalid ApiKey @security', async () => {
    const res = await t.app.inject(
      form({ grant_type: 'client_credentials', client_id: EMPLOYEE_CLIENT_ID, client_secret: 'wrong' }),
    );
    expectFault(res, 'oauth.v2.InvalidApiKey');
  });

  test('refuses an unknown client with 401 Invalid ApiKey @security', async () => {
    const res = await t.app.inject(
      form({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: EMPLOYEE_CLIENT_SECRET }),
    );
    expectFault(res, 'oauth.v2.InvalidApiKey');
  });

  test('refuses another grant type with 400', async () => {
    const res = await t.app.inject(
      form({ grant_type: 'password', client_id: EMPLOYEE_CLIENT_ID, client_secret: EMPLOYEE_CLIENT_SECRET }),
    );
    expectError(res, 400, 'bad_request');
  });

  test('refuses a request without grant_type with 400', async () => {
    const res = await t.app.inject(
      form({ client_id: EMPLOYEE_CLIENT_ID, client_secret: EMPLOYEE_CLIENT_SECRET }),
    );
    expectError(res, 400, 'bad_request');
  });

  test('refuses a JSON body (not form-encoded) with 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: {
        grant_type: 'client_credentials',
        client_id: EMPLOYEE_CLIENT_ID,
        client_secret: EMPLOYEE_CLIENT_SECRET,
      },
    });
    expectError(res, 400, 'bad_request');
  });

  test('the employee token expires after expires_in', async () => {
    const local = await buildApp();
    try {
      const token = await employeeToken(local.app);
      const { customerNumber } = await createCustomer(local.app);
      const get = () =>
        local.app.inject({
          method: 'GET',
          url: `/customer/${TENANT}/customers/${customerNumber}`,
          headers: bearer(token),
        });
      local.clock.advanceSeconds(14398);
      expectStatus(await get(), 200);
      local.clock.advanceSeconds(2);
      expectFault(await get(), 'keymanagement.service.access_token_expired');
    } finally {
      await local.app.close();
    }
  });
});

describe('tenant-managed customer operations @employee', () => {
  const t = appForSuite();

  const url = (customerNumber: string, tenant = TENANT) => `/customer/${tenant}/customers/${customerNumber}`;
  /** An employee's request on one customer of the tenant. */
  const asEmployee = async (method: 'GET' | 'PATCH' | 'DELETE', customerNumber: string, payload?: object) =>
    t.app.inject({
      method,
      url: url(customerNumber),
      headers: bearer(await employeeToken(t.app)),
      ...(payload ? { payload } : {}),
    });

  test('answers the profile with active and onHold to an employee', async () => {
    const c = await createCustomer(t.app);
    const res = await asEmployee('GET', c.customerNumber);
    expectStatus(res, 200);
    const body = jsonObject(res);
    assert.equal(body.customerNumber, c.customerNumber);
    assert.equal(body.id, c.customerNumber);
    assert.equal(body.active, true);
    assert.equal(body.onHold, false);
    assert.equal('password' in body, false, 'no password in the profile');
  });

  test('a new customer starts inactive and not on hold', async () => {
    const anon = await anonymousLogin(t.app);
    const res = await signup(t.app, anon.access_token, { email: uniqueEmail(), password: 'Passw0rd-1' });
    expectStatus(res, 201);
    const get = await asEmployee('GET', jsonObject(res).id as string);
    expectStatus(get, 200);
    assert.equal(jsonObject(get).active, false);
    assert.equal(jsonObject(get).onHold, false);
  });

  test('PATCH activates a customer so that it can log in, with no body', async () => {
    const anon = await anonymousLogin(t.app);
    const email = uniqueEmail();
    const res = await signup(t.app, anon.access_token, { email, password: 'Passw0rd-1' });
    const customerNumber = jsonObject(res).id as string;
    expectLoginRefused(await loginRaw(t.app, anon.access_token, email, 'Passw0rd-1'), 'before');
    const patch = await asEmployee('PATCH', customerNumber, { active: true, onHold: false });
    expectStatus(patch, 200);
    expectNoBody(patch, 'employee PATCH');
    expectStatus(
      await loginRaw(t.app, anon.access_token, email, 'Passw0rd-1'),
      200,
      'login after activation',
    );
  });

  test('PATCH onHold blocks the login of an active customer', async () => {
    const c = await createCustomer(t.app);
    const patch = await asEmployee('PATCH', c.customerNumber, { onHold: true });
    expectStatus(patch, 200);
    expectLoginRefused(await loginRaw(t.app, c.anon.access_token, c.email, c.password));
  });

  test('PATCH sets profile fields', async () => {
    const c = await createCustomer(t.app);
    const emp = await employeeToken(t.app);
    expectStatus(
      await t.app.inject({
        method: 'PATCH',
        url: url(c.customerNumber),
        headers: bearer(emp),
        payload: { firstName: 'Edited' },
      }),
      200,
    );
    const get = await t.app.inject({ method: 'GET', url: url(c.customerNumber), headers: bearer(emp) });
    assert.equal(jsonObject(get).firstName, 'Edited');
  });

  test('DELETE answers 202 with no body and the customer is gone', async () => {
    const c = await createCustomer(t.app);
    const emp = await employeeToken(t.app);
    const del = await t.app.inject({ method: 'DELETE', url: url(c.customerNumber), headers: bearer(emp) });
    expectStatus(del, 202);
    expectNoBody(del, 'employee DELETE');
    expectError(
      await t.app.inject({ method: 'GET', url: url(c.customerNumber), headers: bearer(emp) }),
      404,
      'resource_not_found',
    );
    expectLoginRefused(await loginRaw(t.app, c.anon.access_token, c.email, c.password));
  });

  for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
    test(`${method} of an unknown customer answers 404 resource_not_found`, async () => {
      const res = await asEmployee(method, '99999998', method === 'PATCH' ? { active: true } : undefined);
      expectError(res, 404, 'resource_not_found');
    });

    test(`${method} with a customer token answers 403 @security`, async () => {
      const c = await sharedCustomer(t.app);
      const res = await t.app.inject({
        method,
        url: url(c.customerNumber),
        headers: bearer(c.token.access_token),
        ...(method === 'PATCH' ? { payload: { active: true } } : {}),
      });
      expectForbidden(res);
    });

    test(`${method} with an anonymous token answers 403 @security`, async () => {
      const anon = await anonymousLogin(t.app);
      const res = await t.app.inject({
        method,
        url: url('12345678'),
        headers: bearer(anon.access_token),
        ...(method === 'PATCH' ? { payload: { active: true } } : {}),
      });
      expectForbidden(res);
    });

    test(`${method} without a token answers 401 @security`, async () => {
      const res = await t.app.inject({
        method,
        url: url('12345678'),
        ...(method === 'PATCH' ? { payload: { active: true } } : {}),
      });
      expectFault(res);
    });
  }

  test('an employee token of one tenant is refused on another tenant @security', async () => {
    const c = await createCustomer(t.app, { tenant: OTHER_TENANT });
    const res = await t.app.inject({
      method: 'GET',
      url: url(c.customerNumber, OTHER_TENANT),
      headers: bearer(await employeeToken(t.app, TENANT)),
    });
    expectFault(res);
  });
});
