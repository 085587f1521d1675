// The test-only expiry of one token: POST /_mock/{tenant}/tokens/expire (docs/mock-protocol.md).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import {
  OTHER_TENANT,
  TENANT,
  anonymousLogin,
  appForSuite,
  createCustomer,
  expectError,
  expectFault,
  expectStatus,
  getMe,
  jsonObject,
  refreshCustomerToken,
  validate,
  type Customer,
} from './helpers.ts';

const expire = (app: FastifyInstance, payload: unknown, tenant = TENANT) =>
  app.inject({
    method: 'POST',
    url: `/_mock/${tenant}/tokens/expire`,
    headers: { 'content-type': 'application/json' },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

const refreshCustomer = (app: FastifyInstance, c: Customer) =>
  refreshCustomerToken(app, c.anon.access_token, c.token.refresh_token);

describe('POST /_mock/{tenant}/tokens/expire', () => {
  const t = appForSuite();

  test('expires one access token now: 204, then 401 expired, its refresh token and others unharmed', async () => {
    const c = await createCustomer(t.app, { label: 'expire-access' });
    const other = await createCustomer(t.app, { label: 'expire-other' });
    const before = t.clock.ms;
    const res = await expire(t.app, { token: c.token.access_token });
    expectStatus(res, 204, 'expire an access token');
    assert.equal(res.body, '', '204 has no body');
    assert.equal(t.clock.ms, before, 'the clock is not moved');
    expectFault(
      await validate(t.app, c.token.access_token),
      'keymanagement.service.access_token_expired',
      undefined,
      'validate the expired token',
    );
    expectStatus(await getMe(t.app, other.token.access_token), 200, 'another customer token');
    const refreshed = await refreshCustomer(t.app, c);
    expectStatus(refreshed, 200, 'the refresh token of the expired access token');
    const renewed = jsonObject(refreshed).access_token;
    assert.equal(typeof renewed, 'string');
    expectStatus(await getMe(t.app, renewed as string), 200, 'the renewed access token');
  });

  test('expires a refresh token: the refresh is refused, its access token keeps working', async () => {
    const c = await createCustomer(t.app, { label: 'expire-refresh' });
    expectStatus(await expire(t.app, { token: c.token.refresh_token }), 204, 'expire a refresh token');
    expectFault(
      await refreshCustomer(t.app, c),
      undefined,
      undefined,
      'refresh with the expired refresh token',
    );
    expectStatus(await getMe(t.app, c.token.access_token), 200, 'the access token of the pair');
  });

  test('expires an anonymous token', async () => {
    const anon = await anonymousLogin(t.app);
    expectStatus(await expire(t.app, { token: anon.access_token }), 204, 'expire an anonymous token');
    expectFault(
      await getMe(t.app, anon.access_token),
      'keymanagement.service.access_token_expired',
      undefined,
      'GET /me with the expired anonymous token',
    );
  });

  test('answers 404 for an unknown token', async () => {
    expectError(await expire(t.app, { token: 'no-such-token-0000000000' }), 404, undefined, 'unknown token');
  });

  test('answers 404 for a token of another tenant and leaves it alone', async () => {
    const c = await createCustomer(t.app, { label: 'expire-tenant' });
    expectError(
      await expire(t.app, { token: c.token.access_token }, OTHER_TENANT),
      404,
      undefined,
      'a token of another tenant',
    );
    expectStatus(await getMe(t.app, c.token.access_token), 200, 'the token is still live');
  });

  test('answers 404 for an unknown tenant', async () => {
    const c = await createCustomer(t.app, { label: 'expire-no-tenant' });
    expectError(await expire(t.app, { token: c.token.access_token }, 'nosuchtenant'), 404, undefined);
  });

  for (const [label, payload] of [
    ['an empty object', {}],
    ['a token that is a number', { token: 42 }],
    ['an empty token', { token: '' }],
    ['an unknown field', { token: 'x', extra: true }],
    ['an array', ['token']],
    ['JSON null', 'null'],
    ['broken JSON', '{"token":'],
  ] as const) {
    test(`answers 400 for ${label}, never 500`, async () => {
      expectError(await expire(t.app, payload), 400, 'bad_request', label);
    });
  }
});
