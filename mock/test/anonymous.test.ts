// Anonymous login and refresh (tutorial: "Requesting an anonymous token", "Refreshing an anonymous
// token"; operationIds GET-oauth-generate-anonymous-access-token, GET-oauth-refresh-anonymous-access-token).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import {
  OTHER_TENANT,
  STOREFRONT_CLIENT_ID,
  TENANT,
  anonymousLogin,
  appForSuite,
  createCustomer,
  expectError,
  expectFault,
  expectStatus,
  withApp,
  getMe,
  jsonObject,
} from './helpers.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('anonymous token', () => {
  const t = appForSuite();

  const login = (query: Record<string, string>) =>
    t.app.inject({ method: 'GET', url: '/customerlogin/auth/anonymous/login', query });
  const refresh = (query: Record<string, string>) =>
    t.app.inject({ method: 'GET', url: '/customerlogin/auth/anonymous/refresh', query });

  test('issues an anonymous token with the documented fields @smoke', async () => {
    const res = await login({ tenant: TENANT, client_id: STOREFRONT_CLIENT_ID });
    expectStatus(res, 200, 'anonymous login');
    const body = jsonObject(res, 'anonymous login');
    assert.equal(body.token_type, 'Bearer');
    assert.equal(typeof body.access_token, 'string');
    assert.ok((body.access_token as string).length >= 16, 'access_token is a long random string');
    assert.equal(typeof body.refresh_token, 'string');
    assert.notEqual(body.refresh_token, body.access_token);
    assert.equal(body.expires_in, 3599);
    assert.equal(body.refresh_token_expires_in, 86399);
    assert.match(String(body.sessionId), UUID);
    assert.equal(body.scope, `tenant=${TENANT}`);
  });

  test('answers the scope of the tenant asked for', async () => {
    const body = await anonymousLogin(t.app, OTHER_TENANT);
    assert.equal((body as unknown as { scope: string }).scope, `tenant=${OTHER_TENANT}`);
  });

  test('issues a new session and new tokens on every login', async () => {
    const a = await anonymousLogin(t.app);
    const b = await anonymousLogin(t.app);
    assert.notEqual(a.sessionId, b.sessionId);
    assert.notEqual(a.access_token, b.access_token);
    assert.notEqual(a.refresh_token, b.refresh_token);
  });

  test('accepts the optional session parameters', async () => {
    const res = await login({
      tenant: TENANT,
      client_id: STOREFRONT_CLIENT_ID,
      currency: 'EUR',
      siteCode: 'main',
      language: 'en',
      targetLocation: 'DE',
    });
    expectStatus(res, 200);
  });

  test('access tokens are opaque, not JWTs', async () => {
    const a = await anonymousLogin(t.app);
    assert.equal(a.access_token.split('.').length, 1, 'access token should not be a JWT');
    assert.equal(a.refresh_token.split('.').length, 1, 'refresh token should not be a JWT');
  });

  for (const missing of ['tenant', 'client_id'] as const) {
    test(`refuses a login without ${missing} with 400`, async () => {
      const query: Record<string, string> = { tenant: TENANT, client_id: STOREFRONT_CLIENT_ID };
      delete query[missing];
      expectError(await login(query), 400, 'bad_request', `login without ${missing}`);
    });
  }

  test('refuses an unknown client id with 401 Invalid ApiKey @security', async () => {
    expectFault(await login({ tenant: TENANT, client_id: 'not-a-client' }), 'oauth.v2.InvalidApiKey');
  });

  test('refuses an unknown tenant with 401 Invalid ApiKey @security', async () => {
    expectFault(
      await login({ tenant: 'nosuchtenant', client_id: STOREFRONT_CLIENT_ID }),
      'oauth.v2.InvalidApiKey',
    );
  });

  test('keeps the session id when the anonymous token is refreshed', async () => {
    const first = await anonymousLogin(t.app);
    const res = await refresh({
      tenant: TENANT,
      client_id: STOREFRONT_CLIENT_ID,
      refresh_token: first.refresh_token,
    });
    expectStatus(res, 200, 'anonymous refresh');
    const body = jsonObject(res, 'anonymous refresh');
    assert.equal(body.sessionId, first.sessionId);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3599);
    assert.equal(body.refresh_token_expires_in, 86399);
    assert.equal(body.scope, `tenant=${TENANT}`);
    assert.equal(typeof body.access_token, 'string');
    assert.notEqual(body.access_token, first.access_token, 'a new access token');
    assert.equal(typeof body.refresh_token, 'string');
    assert.notEqual(body.refresh_token, first.refresh_token, 'the refresh token is rotated');
  });

  test('the new anonymous access token works after a refresh', async () => {
    const first = await anonymousLogin(t.app);
    const body = jsonObject(
      await refresh({ tenant: TENANT, client_id: STOREFRONT_CLIENT_ID, refresh_token: first.refresh_token }),
    );
    expectStatus(await getMe(t.app, body.access_token as string), 200, 'GET /me with refreshed token');
  });

  test('refuses a refresh token that was already used @security', async () => {
    const first = await anonymousLogin(t.app);
    const q = { tenant: TENANT, client_id: STOREFRONT_CLIENT_ID, refresh_token: first.refresh_token };
    expectStatus(await refresh(q), 200);
    expectFault(await refresh(q), 'oauth.v2.InvalidAccessToken', undefined, 'reused refresh token');
  });

  test('the rotated refresh token can be used again', async () => {
    const first = await anonymousLogin(t.app);
    const second = jsonObject(
      await refresh({ tenant: TENANT, client_id: STOREFRONT_CLIENT_ID, refresh_token: first.refresh_token }),
    );
    const third = await refresh({
      tenant: TENANT,
      client_id: STOREFRONT_CLIENT_ID,
      refresh_token: second.refresh_token as string,
    });
    expectStatus(third, 200);
    assert.equal(jsonObject(third).sessionId, first.sessionId);
  });

  test('refuses an unknown refresh token with 401 @security', async () => {
    expectFault(
      await refresh({ tenant: TENANT, client_id: STOREFRONT_CLIENT_ID, refresh_token: 'no-such-token' }),
    );
  });

  test('refuses a refresh token of another tenant @security', async () => {
    const first = await anonymousLogin(t.app, TENANT);
    const res = await refresh({
      tenant: OTHER_TENANT,
      client_id: STOREFRONT_CLIENT_ID,
      refresh_token: first.refresh_token,
    });
    expectFault(res);
  });

  test('keeps the session id with the deprecated anonymous_token parameter and answers no refresh fields', async () => {
    const first = await anonymousLogin(t.app);
    const res = await refresh({
      tenant: TENANT,
      client_id: STOREFRONT_CLIENT_ID,
      anonymous_token: first.access_token,
    });
    expectStatus(res, 200, 'refresh with anonymous_token');
    const body = jsonObject(res);
    assert.equal(body.sessionId, first.sessionId);
    assert.equal(typeof body.access_token, 'string');
    assert.equal(body.expires_in, 3599);
    assert.equal(body.token_type, 'Bearer');
    assert.equal('refresh_token' in body, false, 'no refresh_token with anonymous_token');
    assert.equal(
      'refresh_token_expires_in' in body,
      false,
      'no refresh_token_expires_in with anonymous_token',
    );
  });

  test('refuses an unknown anonymous_token with 401 @security', async () => {
    expectFault(
      await refresh({ tenant: TENANT, client_id: STOREFRONT_CLIENT_ID, anonymous_token: 'no-such-token' }),
    );
  });

  // A customer's tokens are not anonymous ones, in either parameter of the refresh.
  for (const [what, parameter, token] of [
    ['refresh token as an anonymous refresh token', 'refresh_token', 'refresh_token'],
    ['access token as anonymous_token', 'anonymous_token', 'access_token'],
  ] as const) {
    test(`refuses a customer ${what} with 401 @security`, async () => {
      const c = await createCustomer(t.app);
      expectFault(
        await refresh({ tenant: TENANT, client_id: STOREFRONT_CLIENT_ID, [parameter]: c.token[token] }),
      );
    });
  }

  test('refuses a tenant name in upper case as an unknown tenant @security', async () => {
    expectFault(
      await login({ tenant: TENANT.toUpperCase(), client_id: STOREFRONT_CLIENT_ID }),
      'oauth.v2.InvalidApiKey',
    );
  });

  for (const missing of ['tenant', 'client_id', 'refresh_token'] as const) {
    test(`refuses a refresh without ${missing} with 400`, async () => {
      const first = await anonymousLogin(t.app);
      const query: Record<string, string> = {
        tenant: TENANT,
        client_id: STOREFRONT_CLIENT_ID,
        refresh_token: first.refresh_token,
      };
      delete query[missing];
      expectError(await refresh(query), 400, 'bad_request', `refresh without ${missing}`);
    });
  }

  test('refuses a refresh with an unknown client id with 401 Invalid ApiKey @security', async () => {
    const first = await anonymousLogin(t.app);
    const res = await refresh({ tenant: TENANT, client_id: 'nope', refresh_token: first.refresh_token });
    expectFault(res, 'oauth.v2.InvalidApiKey');
  });
});

describe('anonymous token lifetimes', () => {
  const refreshAnonymous = (app: FastifyInstance, refreshToken: string) =>
    app.inject({
      method: 'GET',
      url: '/customerlogin/auth/anonymous/refresh',
      query: { tenant: TENANT, client_id: STOREFRONT_CLIENT_ID, refresh_token: refreshToken },
    });

  test('the anonymous access token expires after expires_in with the expired errorcode', () =>
    withApp({}, async (t) => {
      const anon = await anonymousLogin(t.app);
      t.clock.advanceSeconds(3598);
      expectStatus(await getMe(t.app, anon.access_token), 200, 'just before expiry');
      t.clock.advanceSeconds(2);
      expectFault(await getMe(t.app, anon.access_token), 'keymanagement.service.access_token_expired');
      const login = await t.app.inject({
        method: 'POST',
        url: `/customer/${TENANT}/login`,
        headers: { authorization: `Bearer ${anon.access_token}` },
        payload: { email: 'seed.customer@example.com', password: 'Seed-Passw0rd!' },
      });
      expectFault(login, 'keymanagement.service.access_token_expired', undefined, 'login with expired token');
    }));

  test('the anonymous refresh token expires after refresh_token_expires_in', () =>
    withApp({}, async (t) => {
      const anon = await anonymousLogin(t.app);
      t.clock.advanceSeconds(86400);
      const res = await refreshAnonymous(t.app, anon.refresh_token);
      expectStatus(res, 401, 'expired refresh token');
      assert.equal(typeof jsonObject(res).fault, 'object', 'expired refresh token: fault body');
    }));

  test('an expired anonymous token can still be refreshed within the refresh lifetime', () =>
    withApp({}, async (t) => {
      const anon = await anonymousLogin(t.app);
      t.clock.advanceSeconds(7200);
      const res = await refreshAnonymous(t.app, anon.refresh_token);
      expectStatus(res, 200);
      assert.equal(jsonObject(res).sessionId, anon.sessionId);
    }));

  test('answers the configured lifetimes', () =>
    withApp({ behaviour: { lifetimes: { anonymousAccess: 60, anonymousRefresh: 120 } } }, async (t) => {
      const anon = await anonymousLogin(t.app);
      assert.equal(anon.expires_in, 60);
      assert.equal(anon.refresh_token_expires_in, 120);
      t.clock.advanceSeconds(61);
      expectFault(await getMe(t.app, anon.access_token), 'keymanagement.service.access_token_expired');
    }));
});
