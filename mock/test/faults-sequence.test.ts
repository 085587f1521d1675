// The sequence faults are real: each check below walks the short sequence that shows its fault, and
// passes with the fault switched on; the same check must fail against the plain mock (else it would
// prove nothing). Each fault also answers a lone first request exactly as the plain mock does, which is
// why only a sequence or a second customer shows it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { FAULT_REGISTRY } from '../src/faults/index.ts';
import { SEQUENCE_FAULTS } from '../src/faults/sequence.ts';
import {
  TENANT,
  anonymousLogin,
  bearer,
  createCustomer,
  employeeToken,
  lastEmailedToken,
  login,
  uniqueEmail,
  validate,
  type Customer,
  expectCheckFailsWithout,
  expectCheckPassesWith,
  type EntryCheck,
} from './helpers.ts';

type Body = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

const me = `/customer/${TENANT}/me`;
const addresses = `${me}/addresses`;

function call(
  app: FastifyInstance,
  method: Method,
  url: string,
  token?: string,
  payload?: object,
  query?: Record<string, string>,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    ...(token ? { headers: bearer(token) } : {}),
    ...(payload ? { payload } : {}),
    ...(query ? { query } : {}),
  });
}

function status(res: LightMyRequestResponse, expected: number, context: string): void {
  assert.equal(
    res.statusCode,
    expected,
    `${context}: status ${res.statusCode}, body ${res.body.slice(0, 200)}`,
  );
}

async function json(res: Promise<LightMyRequestResponse>, context: string): Promise<Body> {
  const answer = await res;
  status(answer, 200, context);
  return JSON.parse(answer.body) as Body;
}

async function list(app: FastifyInstance, token: string): Promise<Body[]> {
  const res = await call(app, 'GET', addresses, token);
  status(res, 200, 'address list');
  return JSON.parse(res.body) as Body[];
}

async function addAddress(app: FastifyInstance, token: string, body: Body): Promise<string> {
  const res = await call(app, 'POST', addresses, token, { contactName: 'A Person', country: 'DE', ...body });
  status(res, 201, 'add address');
  return String((JSON.parse(res.body) as Body).id);
}

function tags(app: FastifyInstance, method: 'POST' | 'DELETE', token: string, id: string, names: string) {
  return call(app, method, `${addresses}/${id}/tags`, token, undefined, { tags: names });
}

/** A second customer logged in on the same anonymous session as `first`. */
async function onSameSession(app: FastifyInstance, first: Customer): Promise<Customer> {
  const other = await createCustomer(app, { label: 'peer' });
  const token = await login(app, first.anon.access_token, other.email, other.password);
  return { ...other, anon: first.anon, token };
}

const CHECKS: Record<string, EntryCheck> = {
  'profile-cache-keyed-by-session': async (app) => {
    const first = await createCustomer(app);
    const mine = await json(call(app, 'GET', me, first.token.access_token), 'first GET /me');
    assert.equal(mine.customerNumber, first.customerNumber);
    const second = await onSameSession(app, first);
    const theirs = await json(call(app, 'GET', me, second.token.access_token), "second customer's GET /me");
    assert.equal(
      theirs.customerNumber,
      first.customerNumber,
      "the second customer reads the first one's profile",
    );
  },

  'profile-addresses-stale': async (app) => {
    const customer = await createCustomer(app);
    const token = customer.token.access_token;
    const before = await json(call(app, 'GET', me, token, undefined, { expand: 'addresses' }), 'GET /me');
    assert.deepEqual(before.addresses, []);
    await addAddress(app, token, {});
    assert.equal((await list(app, token)).length, 1, 'the list shows the new address');
    const after = await json(
      call(app, 'GET', me, token, undefined, { expand: 'addresses' }),
      'GET /me again',
    );
    assert.deepEqual(after.addresses, [], 'GET /me?expand=addresses still shows no address');
  },

  'address-list-stale-after-tags': async (app) => {
    const customer = await createCustomer(app);
    const token = customer.token.access_token;
    const id = await addAddress(app, token, { tags: ['BILLING'] });
    assert.deepEqual((await list(app, token))[0]?.tags, ['BILLING']);
    status(await tags(app, 'POST', token, id, 'CUSTOM'), 204, 'add tag');
    const one = await json(call(app, 'GET', `${addresses}/${id}`, token), 'GET one address');
    assert.deepEqual(one.tags, ['BILLING', 'CUSTOM'], 'the address shows the new tag');
    assert.deepEqual((await list(app, token))[0]?.tags, ['BILLING'], 'the list still shows the old tags');
  },

  'address-read-stale-after-patch': async (app) => {
    const customer = await createCustomer(app);
    const token = customer.token.access_token;
    const id = await addAddress(app, token, { city: 'Bonn' });
    assert.equal((await json(call(app, 'GET', `${addresses}/${id}`, token), 'GET one')).city, 'Bonn');
    status(await call(app, 'PATCH', `${addresses}/${id}`, token, { city: 'Köln' }), 200, 'PATCH');
    assert.equal((await list(app, token))[0]?.city, 'Köln', 'the list shows the change');
    const one = await json(call(app, 'GET', `${addresses}/${id}`, token), 'GET one again');
    assert.equal(one.city, 'Bonn', 'the single address still shows the old city');
  },

  'profile-patch-on-stale-copy': async (app) => {
    const customer = await createCustomer(app);
    const token = customer.token.access_token;
    await json(call(app, 'GET', me, token), 'GET /me');
    status(await call(app, 'PATCH', me, token, { firstName: 'Ada' }), 200, 'first PATCH');
    status(await call(app, 'PATCH', me, token, { lastName: 'Lovelace' }), 200, 'second PATCH');
    const after = await json(call(app, 'GET', me, token), 'GET /me after');
    assert.equal(after.lastName, 'Lovelace');
    assert.notEqual(after.firstName, 'Ada', 'the first PATCH was undone by the second');
  },

  'profile-revert-ignored': async (app) => {
    const customer = await createCustomer(app, { body: { customerDetails: { firstName: 'Grace' } } });
    const token = customer.token.access_token;
    status(await call(app, 'PATCH', me, token, { firstName: 'Ada' }), 200, 'change');
    status(await call(app, 'PATCH', me, token, { firstName: 'Grace' }), 200, 'change back');
    const after = await json(call(app, 'GET', me, token), 'GET /me');
    assert.equal(after.firstName, 'Ada', 'the change back was skipped');
  },

  'tag-change-shared-by-equal-sets': async (app) => {
    const customer = await createCustomer(app);
    const token = customer.token.access_token;
    const first = await addAddress(app, token, { tags: ['BILLING', 'SHIPPING'] });
    const second = await addAddress(app, token, { tags: ['SHIPPING', 'BILLING'] });
    status(await tags(app, 'POST', token, second, 'CUSTOM'), 204, 'add tag to the second');
    const one = await json(call(app, 'GET', `${addresses}/${first}`, token), 'GET the first');
    assert.deepEqual(
      [...(one.tags as string[])].sort(),
      ['BILLING', 'CUSTOM', 'SHIPPING'],
      'the first got it too',
    );
  },

  'tag-removal-hits-default': async (app) => {
    const customer = await createCustomer(app);
    const token = customer.token.access_token;
    const main = await addAddress(app, token, { tags: ['BILLING'] });
    const other = await addAddress(app, token, { tags: ['BILLING'] });
    status(await tags(app, 'DELETE', token, other, 'BILLING'), 204, 'remove the tag from the second');
    const byId = new Map((await list(app, token)).map((a) => [a.id, a.tags]));
    assert.deepEqual(byId.get(other), ['BILLING'], 'the named address keeps the tag');
    assert.deepEqual(byId.get(main), [], 'the default address lost it');
  },

  'default-lost-on-delete': async (app) => {
    const customer = await createCustomer(app);
    const token = customer.token.access_token;
    const first = await addAddress(app, token, {});
    await addAddress(app, token, {});
    status(await call(app, 'DELETE', `${addresses}/${first}`, token), 204, 'delete the default');
    const left = await list(app, token);
    assert.equal(left.length, 1);
    assert.equal(left[0]?.isDefault, false, 'no address is the default any more');
  },

  'logout-ends-whole-session': async (app) => {
    const first = await createCustomer(app);
    const second = await onSameSession(app, first);
    const res = await call(app, 'GET', `/customer/${TENANT}/logout`, second.token.access_token, undefined, {
      accessToken: second.token.access_token,
    });
    status(res, 204, "second customer's logout");
    status(await call(app, 'GET', me, first.token.access_token), 401, "the first customer's token");
  },

  'employee-view-stale': async (app) => {
    const customer = await createCustomer(app);
    const employee = await employeeToken(app);
    const path = `/customer/${TENANT}/customers/${customer.customerNumber}`;
    const before = await json(call(app, 'GET', path, employee), 'employee GET');
    status(
      await call(app, 'PATCH', me, customer.token.access_token, { company: 'Changed GmbH' }),
      200,
      'PATCH /me',
    );
    const after = await json(call(app, 'GET', path, employee), 'employee GET again');
    assert.equal(after.company, before.company, "the employee view does not show the customer's change");
  },

  'token-validation-cached': async (app) => {
    const customer = await createCustomer(app);
    const token = customer.token.access_token;
    const first = await validate(app, token);
    status(first, 200, 'validate');
    const newEmail = uniqueEmail('changed');
    const change = await call(app, 'POST', `${me}/accounts/internal/email/change`, token, {
      email: customer.email,
      password: customer.password,
      newEmail,
    });
    status(change, 204, 'email change');
    const anon = await anonymousLogin(app);
    const confirm = await call(
      app,
      'POST',
      `${me}/accounts/internal/email/change/confirm`,
      anon.access_token,
      {
        token: await lastEmailedToken(app, newEmail, 'email-change'),
      },
    );
    status(confirm, 204, 'confirm');
    const again = await validate(app, token);
    status(again, 200, 'validate again');
    assert.equal(
      (JSON.parse(again.body) as Body).email,
      customer.email,
      'validate still reports the old email',
    );
  },
};

describe('sequence faults', () => {
  test('every sequence fault is in the registry with the category sequence, and has a check here', () => {
    const registered = FAULT_REGISTRY.filter((entry) => entry.category === 'sequence').map((e) => e.name);
    assert.deepEqual(
      registered,
      SEQUENCE_FAULTS.map((e) => e.name),
    );
    assert.deepEqual(Object.keys(CHECKS).sort(), [...registered].sort());
    assert.ok(registered.length >= 10, `${registered.length} sequence faults`);
  });

  for (const entry of SEQUENCE_FAULTS) {
    test(`${entry.name}: ${entry.description}`, () => expectCheckPassesWith(CHECKS, entry.name));

    test(`${entry.name}: the check fails against the plain mock`, () =>
      expectCheckFailsWithout(CHECKS, entry.name));
  }
});
