// Addresses and address tags (tutorial: "Adding an address to a customer profile" to "Deleting a
// customer address"; operationIds POST-customer-add-address ... DELETE-customer-remove-address-tags).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TENANT,
  anonymousLogin,
  bearer,
  appForSuite,
  createCustomer,
  sharedCustomer,
  employeeToken,
  expectError,
  expectFault,
  expectForbidden,
  expectNoBody,
  expectStatus,
  getMe,
  jsonBody,
  jsonObject,
  type Customer,
  type Json,
  type JsonObject,
} from './helpers.ts';

const ADDRESS: JsonObject = {
  contactName: 'John Doe',
  companyName: 'Emporix',
  street: 'Platz der Republik',
  streetNumber: '1',
  zipCode: '11011',
  city: 'Berlin',
  country: 'DE',
  state: 'Berlin',
  contactPhone: '123456789',
  tags: ['BILLING', 'SHIPPING'],
};

/** Exactly one address of the list is the default: `id`, and not `previous`. */
function expectOnlyDefault(all: JsonObject[], id: string, previous: string): void {
  assert.equal(all.filter((a) => a.isDefault === true).length, 1, 'exactly one default');
  assert.equal(all.find((a) => a.id === id)?.isDefault, true, `${id} is the default`);
  assert.equal(all.find((a) => a.id === previous)?.isDefault, false, `${previous} is no longer the default`);
}

describe('addresses', () => {
  const t = appForSuite();

  const base = `/customer/${TENANT}/me/addresses`;
  const add = (c: Customer, payload: Json = ADDRESS) =>
    t.app.inject({
      method: 'POST',
      url: base,
      headers: bearer(c.token.access_token),
      payload: payload as object,
    });
  const list = async (c: Customer): Promise<JsonObject[]> => {
    const res = await t.app.inject({ method: 'GET', url: base, headers: bearer(c.token.access_token) });
    expectStatus(res, 200, 'GET addresses');
    const body = jsonBody(res);
    assert.ok(Array.isArray(body), 'address list is an array');
    return body as JsonObject[];
  };
  const one = (c: Customer, id: string) =>
    t.app.inject({ method: 'GET', url: `${base}/${id}`, headers: bearer(c.token.access_token) });
  const patch = (c: Customer, id: string, payload: JsonObject) =>
    t.app.inject({ method: 'PATCH', url: `${base}/${id}`, headers: bearer(c.token.access_token), payload });
  const remove = (c: Customer, id: string) =>
    t.app.inject({ method: 'DELETE', url: `${base}/${id}`, headers: bearer(c.token.access_token) });
  const tags = (c: Customer, id: string, method: 'POST' | 'DELETE', query: Record<string, string>) =>
    t.app.inject({ method, url: `${base}/${id}/tags`, headers: bearer(c.token.access_token), query });
  const addId = async (c: Customer, payload: JsonObject = ADDRESS): Promise<string> => {
    const res = await add(c, payload);
    expectStatus(res, 201, 'POST address');
    return jsonObject(res).id as string;
  };

  test('adds an address and answers 201 with a 10-hex-character id @smoke', async () => {
    const c = await createCustomer(t.app);
    const res = await add(c);
    expectStatus(res, 201, 'POST address');
    assert.match(String(jsonObject(res).id), /^[0-9a-f]{10}$/);
  });

  test('the first address becomes the default', async () => {
    const c = await createCustomer(t.app);
    const id = await addId(c, { ...ADDRESS, isDefault: false });
    const res = await one(c, id);
    expectStatus(res, 200);
    assert.equal(jsonObject(res).isDefault, true);
  });

  test('a second address is not the default unless asked', async () => {
    const c = await createCustomer(t.app);
    const first = await addId(c);
    const second = await addId(c, { ...ADDRESS, contactName: 'Second' });
    const all = await list(c);
    assert.equal(all.find((a) => a.id === first)?.isDefault, true);
    assert.equal(all.find((a) => a.id === second)?.isDefault, false);
  });

  test('lists addresses with id, isDefault and tags', async () => {
    const c = await createCustomer(t.app);
    await addId(c);
    await addId(c, { contactName: 'Bare', country: 'FR' });
    const all = await list(c);
    assert.equal(all.length, 2);
    for (const a of all) {
      assert.match(String(a.id), /^[0-9a-f]{10}$/);
      assert.equal(typeof a.isDefault, 'boolean');
      assert.ok(Array.isArray(a.tags), 'tags is an array');
    }
    assert.deepEqual(all.find((a) => a.contactName === 'Bare')?.tags, []);
  });

  test('answers one address with the fields it was given', async () => {
    const c = await createCustomer(t.app);
    const id = await addId(c);
    const res = await one(c, id);
    expectStatus(res, 200);
    const a = jsonObject(res);
    assert.equal(a.id, id);
    for (const [key, value] of Object.entries(ADDRESS)) assert.deepEqual(a[key], value, `address.${key}`);
  });

  test('updates only the fields given and answers 200 with no body', async () => {
    const c = await createCustomer(t.app);
    const id = await addId(c);
    const res = await patch(c, id, { streetNumber: '2', streetAppendix: 'Platz' });
    expectStatus(res, 200, 'PATCH address');
    expectNoBody(res);
    const a = jsonObject(await one(c, id));
    assert.equal(a.streetNumber, '2');
    assert.equal(a.streetAppendix, 'Platz');
    assert.equal(a.street, 'Platz der Republik');
    assert.equal(a.city, 'Berlin');
  });

  test('isDefault true on another address moves the default (one default at most)', async () => {
    const c = await createCustomer(t.app);
    const first = await addId(c);
    const second = await addId(c, { ...ADDRESS, contactName: 'Second' });
    expectStatus(await patch(c, second, { isDefault: true }), 200);
    expectOnlyDefault(await list(c), second, first);
  });

  test('adding an address with isDefault true moves the default', async () => {
    const c = await createCustomer(t.app);
    const first = await addId(c);
    const second = await addId(c, { ...ADDRESS, isDefault: true });
    expectOnlyDefault(await list(c), second, first);
  });

  test('deletes an address with 204 and it is gone', async () => {
    const c = await createCustomer(t.app);
    const id = await addId(c);
    const res = await remove(c, id);
    expectStatus(res, 204);
    expectNoBody(res);
    expectError(await one(c, id), 404, 'resource_not_found');
    assert.equal((await list(c)).length, 0);
  });

  test('GET /me?expand=addresses lists the addresses', async () => {
    const c = await createCustomer(t.app);
    const id = await addId(c);
    const me = jsonObject(await getMe(t.app, c.token.access_token, TENANT, { expand: 'addresses' }));
    assert.deepEqual(
      (me.addresses as JsonObject[]).map((a) => a.id),
      [id],
    );
  });

  /** `method` on one address id as customer `c`; a PATCH sends `patchBody`. */
  const byId = (method: 'GET' | 'PATCH' | 'DELETE', c: Customer, id: string, patchBody: JsonObject) =>
    t.app.inject({
      method,
      url: `${base}/${id}`,
      headers: bearer(c.token.access_token),
      ...(method === 'PATCH' ? { payload: patchBody } : {}),
    });

  for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
    test(`${method} of an unknown address answers 404 with the documented message`, async () => {
      const c = await sharedCustomer(t.app);
      const id = '0123456789';
      const res = await byId(method, c, id, { city: 'X' });
      const body = expectError(res, 404, 'resource_not_found');
      assert.equal(body.message, `Address ${id} of customer ${c.customerNumber} not found.`);
    });

    test(`${method} of another customer's address answers 404 @security`, async () => {
      const owner = await sharedCustomer(t.app, 'owner');
      const other = await sharedCustomer(t.app, 'other');
      const id = await addId(owner);
      const res = await byId(method, other, id, { city: 'Stolen' });
      const body = expectError(res, 404, 'resource_not_found');
      assert.equal(body.message, `Address ${id} of customer ${other.customerNumber} not found.`);
      const still = jsonObject(await one(owner, id));
      assert.equal(still.city, 'Berlin', "the owner's address is unchanged");
    });
  }

  const invalidCreate: [string, JsonObject][] = [
    ['without contactName', { country: 'DE', city: 'Berlin' }],
    ['with a 3-letter country', { ...ADDRESS, country: 'DEU' }],
    ['with a 1-letter country', { ...ADDRESS, country: 'D' }],
    ['with a numeric country', { ...ADDRESS, country: 12 }],
    ['with tags that are not an array of strings', { ...ADDRESS, tags: 'BILLING' }],
  ];
  for (const [what, payload] of invalidCreate) {
    test(`refuses an address ${what} with 400`, async () => {
      const c = await sharedCustomer(t.app);
      const before = (await list(c)).length;
      expectError(await add(c, payload), 400, 'bad_request', `POST address ${what}`);
      assert.equal((await list(c)).length, before, 'nothing created');
    });
  }

  test('refuses a PATCH with a 3-letter country with 400 and changes nothing', async () => {
    const c = await sharedCustomer(t.app);
    const id = await addId(c);
    expectError(await patch(c, id, { country: 'DEU', city: 'Paris' }), 400);
    const a = jsonObject(await one(c, id));
    assert.equal(a.country, 'DE');
    assert.equal(a.city, 'Berlin');
  });

  test('refuses an anonymous token with 403 @security', async () => {
    const anon = await anonymousLogin(t.app);
    expectForbidden(await t.app.inject({ method: 'GET', url: base, headers: bearer(anon.access_token) }));
    expectForbidden(
      await t.app.inject({ method: 'POST', url: base, headers: bearer(anon.access_token), payload: ADDRESS }),
    );
  });

  test('refuses an employee token with 403 @security', async () => {
    const emp = await employeeToken(t.app);
    expectForbidden(await t.app.inject({ method: 'GET', url: base, headers: bearer(emp) }));
  });

  test('refuses a request without a token with 401 @security', async () => {
    expectFault(await t.app.inject({ method: 'GET', url: base }));
  });

  // ---- tags ----

  test('POST tags merges without duplicates and answers 204', async () => {
    const c = await createCustomer(t.app);
    const id = await addId(c, { ...ADDRESS, tags: ['BILLING'] });
    const res = await tags(c, id, 'POST', { tags: 'BILLING,SHIPPING,CUSTOM' });
    expectStatus(res, 204, 'POST tags');
    expectNoBody(res);
    const after = jsonObject(await one(c, id)).tags as string[];
    assert.deepEqual([...after].sort(), ['BILLING', 'CUSTOM', 'SHIPPING']);
  });

  test('POST tags with a repeated tag stores it once', async () => {
    const c = await createCustomer(t.app);
    const id = await addId(c, { ...ADDRESS, tags: [] });
    expectStatus(await tags(c, id, 'POST', { tags: 'A,A,B' }), 204);
    assert.deepEqual([...(jsonObject(await one(c, id)).tags as string[])].sort(), ['A', 'B']);
  });

  test('DELETE tags removes only the named tags', async () => {
    const c = await createCustomer(t.app);
    const id = await addId(c, { ...ADDRESS, tags: ['BILLING', 'SHIPPING', 'CUSTOM'] });
    const res = await tags(c, id, 'DELETE', { tags: 'SHIPPING,NOT-THERE' });
    expectStatus(res, 204, 'DELETE tags');
    expectNoBody(res);
    assert.deepEqual([...(jsonObject(await one(c, id)).tags as string[])].sort(), ['BILLING', 'CUSTOM']);
  });

  for (const method of ['POST', 'DELETE'] as const) {
    test(`${method} tags without tags answers 400`, async () => {
      const c = await sharedCustomer(t.app);
      const id = await addId(c);
      expectError(await tags(c, id, method, {}), 400, 'bad_request');
    });

    test(`${method} tags with empty tags answers 400 and changes nothing`, async () => {
      const c = await sharedCustomer(t.app);
      const id = await addId(c);
      expectError(await tags(c, id, method, { tags: '' }), 400, 'bad_request');
      assert.deepEqual(jsonObject(await one(c, id)).tags, ADDRESS.tags);
    });

    test(`${method} tags on an unknown address answers 404`, async () => {
      const c = await sharedCustomer(t.app);
      expectError(await tags(c, 'abcdef0123', method, { tags: 'A' }), 404, 'resource_not_found');
    });

    test(`${method} tags on another customer's address answers 404 @security`, async () => {
      const owner = await sharedCustomer(t.app, 'owner');
      const other = await sharedCustomer(t.app, 'other');
      const id = await addId(owner);
      expectError(await tags(other, id, method, { tags: 'BILLING' }), 404);
      assert.deepEqual(jsonObject(await one(owner, id)).tags, ADDRESS.tags);
    });
  }
});
