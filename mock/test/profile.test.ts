// Customer profile: GET, PATCH and DELETE /customer/{tenant}/me (tutorial: "Retrieving a customer
// profile", "Updating a customer profile", "Deleting a customer profile").
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  OTHER_TENANT,
  TENANT,
  anonymousLogin,
  bearer,
  appForSuite,
  createCustomer,
  sharedCustomer,
  employeeToken,
  expectError,
  expectFault,
  expectLoginRefused,
  expectForbidden,
  expectNoBody,
  expectStatus,
  getMe,
  jsonObject,
  lastEmailedToken,
  loginRaw,
  outbox,
  refreshCustomerToken,
  validate,
  type Customer,
  type Json,
  type JsonObject,
} from './helpers.ts';

describe('GET /me', () => {
  const t = appForSuite();

  test('answers the customer profile with the documented fields @smoke', async () => {
    const c = await createCustomer(t.app, {
      body: { customerDetails: { firstName: 'Ada', lastName: 'Lovelace', preferredCurrency: 'EUR' } },
    });
    const res = await getMe(t.app, c.token.access_token);
    expectStatus(res, 200, 'GET /me');
    const me = jsonObject(res);
    assert.equal(me.id, c.customerNumber);
    assert.equal(me.customerNumber, c.customerNumber);
    assert.equal(me.firstName, 'Ada');
    assert.equal(me.lastName, 'Lovelace');
    assert.equal(me.preferredCurrency, 'EUR');
    assert.deepEqual(me.accounts, [{ id: c.email }]);
    assert.ok(me.businessModel === 'B2B' || me.businessModel === 'B2C', `businessModel ${me.businessModel}`);
    assert.equal(typeof me.mixins, 'object');
    const metadata = me.metadata as JsonObject;
    assert.equal(typeof metadata, 'object');
    assert.ok(Number.isInteger(metadata.version), 'metadata.version is an integer');
    assert.equal(typeof metadata.mixins, 'object');
    assert.equal('addresses' in me, false, 'addresses only with expand');
  });

  test('never answers a password or a hash', async () => {
    const c = await createCustomer(t.app);
    const text = (await getMe(t.app, c.token.access_token, TENANT, { expand: 'addresses,mixin:*' })).body;
    assert.equal(text.includes(c.password), false, 'the password appears in the profile');
    assert.doesNotMatch(text, /"(password|passwordHash|hash|salt)"/i);
  });

  test('a B2C customer has businessModel B2C and a B2B one B2B', async () => {
    const b2c = await createCustomer(t.app);
    assert.equal(jsonObject(await getMe(t.app, b2c.token.access_token)).businessModel, 'B2C');
    const b2b = await createCustomer(t.app, {
      body: {
        customerDetails: { firstName: 'A', lastName: 'B', company: 'C', b2b: { companyRegistrationId: '1' } },
      },
    });
    const me = jsonObject(await getMe(t.app, b2b.token.access_token));
    assert.equal(me.businessModel, 'B2B');
    assert.equal((me.b2b as JsonObject).companyRegistrationId, '1');
  });

  test('answers addresses with expand=addresses', async () => {
    const c = await createCustomer(t.app);
    const res = await getMe(t.app, c.token.access_token, TENANT, { expand: 'addresses,mixin:*' });
    expectStatus(res, 200);
    assert.ok(Array.isArray(jsonObject(res).addresses), 'addresses is an array');
  });

  test('answers the anonymous profile to an anonymous token', async () => {
    const anon = await anonymousLogin(t.app);
    const res = await getMe(t.app, anon.access_token);
    expectStatus(res, 200);
    const me = jsonObject(res);
    assert.equal(me.firstName, 'Anonymous');
    assert.equal(me.lastName, 'Anonymous');
    assert.equal(me.preferredSite, 'default');
    assert.equal(me.customerNumber, '00000000');
    assert.equal(me.id, '00000000');
    assert.deepEqual(me.accounts, []);
  });

  test('refuses an employee token with 403 @security', async () => {
    expectForbidden(await getMe(t.app, await employeeToken(t.app)));
  });

  test('refuses a request without Authorization with 401 @security', async () => {
    expectFault(await t.app.inject({ method: 'GET', url: `/customer/${TENANT}/me` }));
  });

  test('refuses a customer token on another tenant with 401 @security', async () => {
    const c = await createCustomer(t.app);
    expectFault(await getMe(t.app, c.token.access_token, OTHER_TENANT));
  });
});

describe('PATCH /me', () => {
  const t = appForSuite();

  const patch = (c: Customer, payload: Json, contentType = 'application/json') =>
    t.app.inject({
      method: 'PATCH',
      url: `/customer/${TENANT}/me`,
      headers: { ...bearer(c.token.access_token), 'content-type': contentType },
      payload: JSON.stringify(payload),
    });
  const me = async (c: Customer) => jsonObject(await getMe(t.app, c.token.access_token));
  const version = async (c: Customer) =>
    (await me(c)).metadata && ((await me(c)).metadata as JsonObject).version;

  test('updates profile fields and answers 200 with no body', async () => {
    const c = await createCustomer(t.app);
    const res = await patch(c, {
      title: 'MR',
      firstName: 'John',
      lastName: 'Doe',
      contactPhone: '123456789',
      company: 'Emporix',
      preferredLanguage: 'en_US',
      preferredCurrency: 'EUR',
      preferredSite: 'DE',
    });
    expectStatus(res, 200, 'PATCH /me');
    expectNoBody(res, 'PATCH /me');
    const after = await me(c);
    assert.equal(after.firstName, 'John');
    assert.equal(after.lastName, 'Doe');
    assert.equal(after.contactPhone, '123456789');
    assert.equal(after.preferredSite, 'DE');
  });

  test('leaves fields it was not given unchanged', async () => {
    const c = await createCustomer(t.app, {
      body: { customerDetails: { firstName: 'Keep', lastName: 'Me' } },
    });
    expectStatus(await patch(c, { lastName: 'Changed' }), 200);
    const after = await me(c);
    assert.equal(after.firstName, 'Keep');
    assert.equal(after.lastName, 'Changed');
  });

  test('accepts application/merge-patch+json', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await patch(c, { firstName: 'Merged' }, 'application/merge-patch+json'), 200);
    assert.equal((await me(c)).firstName, 'Merged');
  });

  test('adds 1 to metadata.version on every change', async () => {
    const c = await createCustomer(t.app);
    const v0 = (await version(c)) as number;
    expectStatus(await patch(c, { firstName: 'One' }), 200);
    assert.equal(await version(c), v0 + 1);
    expectStatus(await patch(c, { firstName: 'Two' }), 200);
    assert.equal(await version(c), v0 + 2);
  });

  test('accepts the current metadata.version', async () => {
    const c = await createCustomer(t.app);
    const v0 = (await version(c)) as number;
    expectStatus(await patch(c, { firstName: 'Versioned', metadata: { version: v0 } }), 200);
    assert.equal((await me(c)).firstName, 'Versioned');
    assert.equal(await version(c), v0 + 1);
  });

  test('refuses a stale metadata.version with 409 and changes nothing', async () => {
    const c = await createCustomer(t.app, { body: { customerDetails: { firstName: 'Before' } } });
    const v0 = (await version(c)) as number;
    expectStatus(await patch(c, { lastName: 'Bump' }), 200);
    const res = await patch(c, { firstName: 'Stale', metadata: { version: v0 } });
    expectError(res, 409, 'conflict_resource', 'PATCH /me with a stale version');
    const after = await me(c);
    assert.equal(after.firstName, 'Before');
    assert.equal((after.metadata as JsonObject).version, v0 + 1, 'version unchanged by the refused PATCH');
  });

  test('refuses a future metadata.version with 409', async () => {
    const c = await createCustomer(t.app);
    const v0 = (await version(c)) as number;
    expectError(await patch(c, { firstName: 'Future', metadata: { version: v0 + 5 } }), 409);
  });

  for (const [field, value] of [
    ['id', '12345678'],
    ['customerNumber', '12345678'],
    ['active', false],
    ['onHold', true],
    ['accounts', [{ id: 'x@example.com' }]],
    ['password', 'NewPassw0rd!'],
    ['favouriteColour', 'blue'],
  ] as [string, Json][]) {
    test(`refuses the field ${field} with 400 and changes nothing`, async () => {
      const c = await sharedCustomer(t.app);
      const before = await me(c);
      const res = await patch(c, { firstName: 'Changed', [field]: value });
      expectError(res, 400, 'bad_request', `PATCH /me with ${field}`);
      const after = await me(c);
      assert.deepEqual(after, before, `PATCH /me with ${field} changed the profile`);
      expectStatus(await loginRaw(t.app, c.anon.access_token, c.email, c.password), 200, 'still logs in');
    });
  }

  test('refuses an anonymous token with 403 @security', async () => {
    const anon = await anonymousLogin(t.app);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/customer/${TENANT}/me`,
      headers: bearer(anon.access_token),
      payload: { firstName: 'X' },
    });
    expectForbidden(res);
  });

  test('refuses a text/plain body with 400', async () => {
    const c = await createCustomer(t.app);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/customer/${TENANT}/me`,
      headers: { ...bearer(c.token.access_token), 'content-type': 'text/plain' },
      payload: '{"firstName":"X"}',
    });
    expectError(res, 400);
  });
});

describe('DELETE /me @destructive @email', () => {
  const t = appForSuite();

  const del = (c: Customer, query: Record<string, string> = {}) =>
    t.app.inject({
      method: 'DELETE',
      url: `/customer/${TENANT}/me`,
      headers: bearer(c.token.access_token),
      query,
    });

  test('without a token answers 202 and emails a profile-delete token', async () => {
    const c = await createCustomer(t.app);
    const res = await del(c);
    expectStatus(res, 202, 'DELETE /me');
    expectNoBody(res);
    const messages = (await outbox(t.app, c.email)).filter((m) => m.kind === 'profile-delete');
    assert.equal(messages.length, 1);
    expectStatus(await getMe(t.app, c.token.access_token), 200, 'profile still there');
  });

  test('with the emailed token answers 204 and the customer can no longer log in', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await del(c), 202);
    const token = await lastEmailedToken(t.app, c.email, 'profile-delete');
    const res = await del(c, { token });
    expectStatus(res, 204, 'DELETE /me with token');
    expectNoBody(res);
    expectLoginRefused(await loginRaw(t.app, c.anon.access_token, c.email, c.password), 'login');
  });

  test('deletion revokes the customer tokens', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await del(c), 202);
    expectStatus(await del(c, { token: await lastEmailedToken(t.app, c.email, 'profile-delete') }), 204);
    expectFault(await getMe(t.app, c.token.access_token), undefined, undefined, 'GET /me after deletion');
    expectFault(await validate(t.app, c.token.access_token), undefined, undefined, 'validate after deletion');
    const refresh = await refreshCustomerToken(t.app, c.anon.access_token, c.token.refresh_token);
    expectFault(refresh, undefined, undefined, 'refresh after deletion');
  });

  test('deletion removes the customer for the employee too', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await del(c), 202);
    expectStatus(await del(c, { token: await lastEmailedToken(t.app, c.email, 'profile-delete') }), 204);
    const res = await t.app.inject({
      method: 'GET',
      url: `/customer/${TENANT}/customers/${c.customerNumber}`,
      headers: bearer(await employeeToken(t.app)),
    });
    expectError(res, 404, 'resource_not_found');
  });

  test('refuses a wrong token with 400 and keeps the customer', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await del(c), 202);
    expectError(await del(c, { token: 'not-the-token' }), 400, 'bad_request');
    expectStatus(await getMe(t.app, c.token.access_token), 200);
  });

  test("refuses another customer's deletion token with 400", async () => {
    const a = await createCustomer(t.app);
    const b = await createCustomer(t.app);
    expectStatus(await del(a), 202);
    const tokenOfA = await lastEmailedToken(t.app, a.email, 'profile-delete');
    expectError(await del(b, { token: tokenOfA }), 400);
    expectStatus(await getMe(t.app, a.token.access_token), 200, 'A still exists');
    expectStatus(await getMe(t.app, b.token.access_token), 200, 'B still exists');
  });

  test('refuses an expired deletion token with 400', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await del(c), 202);
    const token = await lastEmailedToken(t.app, c.email, 'profile-delete');
    t.clock.advanceSeconds(3601);
    expectError(await del(c, { token }), 400);
  });

  test('refuses an anonymous token with 403 @security', async () => {
    const anon = await anonymousLogin(t.app);
    expectForbidden(
      await t.app.inject({
        method: 'DELETE',
        url: `/customer/${TENANT}/me`,
        headers: bearer(anon.access_token),
      }),
    );
  });
});
