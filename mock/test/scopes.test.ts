// Scopes: POST /oauth/token narrows a service token to the scopes asked for, and assigning an account
// (tutorial, "Assigning an account to a customer profile") needs customer.customer_update or
// customer.customer_manage.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import {
  TENANT,
  anonymousLogin,
  appForSuite,
  bearer,
  clientCredentials,
  createCustomer,
  employeeToken,
  expectForbidden,
  expectStatus,
  jsonObject,
  uniqueEmail,
} from './helpers.ts';

const serviceToken = async (
  app: FastifyInstance,
  scope: string,
): Promise<{ token: string; scope: string }> => {
  const res = await clientCredentials(app, { scope });
  expectStatus(res, 200, `service token for "${scope}"`);
  const body = jsonObject(res);
  assert.equal(typeof body.access_token, 'string');
  return { token: body.access_token as string, scope: String(body.scope) };
};

const assign = (app: FastifyInstance, token: string) =>
  app.inject({
    method: 'POST',
    url: `/customer/${TENANT}/me/accounts/internal`,
    headers: bearer(token),
    payload: { email: uniqueEmail('assigned'), password: 'Passw0rd-456' },
  });

describe('POST /oauth/token: the scope asked for', () => {
  const t = appForSuite();

  test('without scopes besides the tenant, grants every employee scope', async () => {
    const { scope } = await serviceToken(t.app, `tenant=${TENANT}`);
    assert.equal(scope, `tenant=${TENANT} customer.customer_manage customer.customer_read`);
  });

  test('narrows the token to the scopes asked for', async () => {
    const { scope } = await serviceToken(t.app, `tenant=${TENANT} customer.customer_read`);
    assert.equal(scope, `tenant=${TENANT} customer.customer_read`);
  });

  test('drops the scopes the client may not have and keeps the others', async () => {
    const { scope } = await serviceToken(
      t.app,
      `customer.customer_manage product.product_publish tenant=${TENANT}`,
    );
    assert.equal(scope, `tenant=${TENANT} customer.customer_manage`);
  });

  test('asking only for scopes the client may not have leaves the tenant alone', async () => {
    const { scope } = await serviceToken(t.app, `tenant=${TENANT} product.product_publish`);
    assert.equal(scope, `tenant=${TENANT}`);
  });
});

describe('POST /me/accounts/internal: the scope it needs', () => {
  const t = appForSuite();

  test('refuses a service token narrowed to customer.customer_read with 403 naming the scope', async () => {
    const { token } = await serviceToken(t.app, `tenant=${TENANT} customer.customer_read`);
    const res = await assign(t.app, token);
    expectStatus(res, 403, 'assign with customer.customer_read only');
    const body = jsonObject(res);
    assert.equal(body.type, 'Forbidden');
    assert.match(String(body.message), /customer\.customer_update or customer\.customer_manage/);
  });

  test('refuses a full service token with the plain 403: the operation needs a customer token', async () => {
    expectForbidden(await assign(t.app, await employeeToken(t.app)), 'assign with a service token');
  });

  test('refuses an anonymous token with the plain 403 of a token of the wrong kind', async () => {
    expectForbidden(await assign(t.app, (await anonymousLogin(t.app)).access_token), 'assign, anonymous');
  });

  test('accepts a customer token (customer.customer_manage_own) with 201', async () => {
    const c = await createCustomer(t.app, { label: 'assign-scope' });
    const res = await assign(t.app, c.token.access_token);
    expectStatus(res, 201, 'assign with a customer token');
    assert.equal(jsonObject(res).id, c.customerNumber);
  });
});
