// Double opt-in (operationIds GET-customer-signup-customer-optin, POST-customer-refresh-token) and the
// test-only outbox.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  OTHER_TENANT,
  TENANT,
  anonymousLogin,
  bearer,
  appForSuite,
  buildApp,
  createCustomer,
  expectError,
  expectLoginRefused,
  expectForbidden,
  expectNoBody,
  expectStatus,
  getMe,
  jsonObject,
  lastEmailedToken,
  loginRaw,
  outbox,
  signup,
  uniqueEmail,
} from './helpers.ts';

describe('double opt-in @email', () => {
  const t = appForSuite();

  const confirm = async (token: string, bearerToken?: string) =>
    t.app.inject({
      method: 'GET',
      url: `/customer/${TENANT}/signup/optin/${encodeURIComponent(token)}`,
      headers: bearer(bearerToken ?? (await anonymousLogin(t.app)).access_token),
    });
  const resend = async (email: string) =>
    t.app.inject({
      method: 'POST',
      url: `/customer/${TENANT}/signup/optin/refresh_token`,
      headers: bearer((await anonymousLogin(t.app)).access_token),
      payload: { email },
    });
  const newSignup = async () => {
    const anon = await anonymousLogin(t.app);
    const email = uniqueEmail('optin');
    const res = await signup(t.app, anon.access_token, { email, password: 'Opt-in-Pw1' });
    expectStatus(res, 201);
    return { anon, email, password: 'Opt-in-Pw1', customerNumber: jsonObject(res).id as string };
  };

  test('confirm activates the customer and logs it in with a customer token', async () => {
    const s = await newSignup();
    const res = await confirm(await lastEmailedToken(t.app, s.email, 'opt-in'), s.anon.access_token);
    expectStatus(res, 200, 'opt-in confirm');
    const body = jsonObject(res);
    assert.equal(typeof body.access_token, 'string');
    assert.equal(typeof body.refresh_token, 'string');
    assert.equal(typeof body.saas_token, 'string');
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 2591999);
    assert.equal(body.refresh_token_expires_in, 86399);
    const me = await getMe(t.app, body.access_token as string);
    expectStatus(me, 200);
    assert.equal(jsonObject(me).customerNumber, s.customerNumber);
    expectStatus(await loginRaw(t.app, s.anon.access_token, s.email, s.password), 200, 'login after opt-in');
  });

  test('an opt-in token is single-use', async () => {
    const s = await newSignup();
    const token = await lastEmailedToken(t.app, s.email, 'opt-in');
    expectStatus(await confirm(token), 200);
    expectError(await confirm(token), 400, 'bad_request');
  });

  test('an opt-in token expires', async () => {
    const s = await newSignup();
    const token = await lastEmailedToken(t.app, s.email, 'opt-in');
    t.clock.advanceSeconds(3601);
    expectError(await confirm(token), 400);
    expectLoginRefused(
      await loginRaw(t.app, (await anonymousLogin(t.app)).access_token, s.email, s.password),
    );
  });

  test('confirm refuses an unknown token with 400', async () => {
    expectError(await confirm('not-a-real-token'), 400, 'bad_request');
  });

  test('confirm refuses a customer token with 403 @security', async () => {
    const c = await createCustomer(t.app);
    const s = await newSignup();
    expectForbidden(await confirm(await lastEmailedToken(t.app, s.email, 'opt-in'), c.token.access_token));
  });

  test('an opt-in token of another tenant is refused', async () => {
    const anon = await anonymousLogin(t.app, OTHER_TENANT);
    const email = uniqueEmail('optin-other');
    expectStatus(
      await signup(t.app, anon.access_token, { email, password: 'Opt-in-Pw1' }, OTHER_TENANT),
      201,
    );
    const token = await lastEmailedToken(t.app, email, 'opt-in', OTHER_TENANT);
    expectError(await confirm(token), 400);
  });

  test('resend answers 202 and emails a new opt-in token to an inactive customer', async () => {
    const s = await newSignup();
    const first = await lastEmailedToken(t.app, s.email, 'opt-in');
    const res = await resend(s.email);
    expectStatus(res, 202, 'opt-in resend');
    expectNoBody(res);
    const second = await lastEmailedToken(t.app, s.email, 'opt-in');
    assert.notEqual(second, first, 'a new token');
    expectStatus(await confirm(second), 200);
  });

  test('resend answers 202 for an unknown email and emails nothing', async () => {
    const email = uniqueEmail('nobody');
    expectStatus(await resend(email), 202);
    assert.equal((await outbox(t.app, email)).length, 0);
  });

  test('resend answers 202 for an active customer and emails nothing', async () => {
    const c = await createCustomer(t.app);
    const before = (await outbox(t.app, c.email)).length;
    expectStatus(await resend(c.email), 202);
    assert.equal((await outbox(t.app, c.email)).length, before);
  });

  test('resend refuses a body without email with 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/customer/${TENANT}/signup/optin/refresh_token`,
      headers: bearer((await anonymousLogin(t.app)).access_token),
      payload: {},
    });
    expectError(res, 400, 'bad_request');
  });
});

describe('outbox and reset (test-only paths)', () => {
  const t = appForSuite();

  test('lists messages oldest first with to, kind, token, sentAt and subject', async () => {
    const anon = await anonymousLogin(t.app);
    const email = uniqueEmail('box');
    expectStatus(await signup(t.app, anon.access_token, { email, password: 'Passw0rd-1' }), 201);
    t.clock.advanceSeconds(5);
    expectStatus(
      await t.app.inject({
        method: 'POST',
        url: `/customer/${TENANT}/signup/optin/refresh_token`,
        headers: bearer(anon.access_token),
        payload: { email },
      }),
      202,
    );
    const messages = await outbox(t.app, email);
    assert.equal(messages.length, 2);
    for (const m of messages) {
      assert.equal(m.to.toLowerCase(), email.toLowerCase());
      assert.equal(m.kind, 'opt-in');
      assert.equal(typeof m.token, 'string');
      assert.equal(typeof m.subject, 'string');
      assert.ok(!Number.isNaN(Date.parse(m.sentAt)), `sentAt ${m.sentAt}`);
    }
    assert.ok(Date.parse(messages[0]!.sentAt) < Date.parse(messages[1]!.sentAt), 'oldest first');
  });

  test('compares to case-insensitively', async () => {
    const anon = await anonymousLogin(t.app);
    const email = uniqueEmail('CaseBox');
    expectStatus(await signup(t.app, anon.access_token, { email, password: 'Passw0rd-1' }), 201);
    assert.equal((await outbox(t.app, email.toUpperCase())).length, 1);
    assert.equal((await outbox(t.app, email.toLowerCase())).length, 1);
  });

  test('without to lists every message of the tenant, and only of that tenant', async () => {
    const a = uniqueEmail('all-a');
    const b = uniqueEmail('all-b');
    expectStatus(
      await signup(t.app, (await anonymousLogin(t.app)).access_token, { email: a, password: 'Pw-123456' }),
      201,
    );
    expectStatus(
      await signup(
        t.app,
        (await anonymousLogin(t.app, OTHER_TENANT)).access_token,
        { email: b, password: 'Pw-123456' },
        OTHER_TENANT,
      ),
      201,
    );
    const all = await outbox(t.app);
    assert.ok(all.some((m) => m.to.toLowerCase() === a.toLowerCase()));
    assert.equal(
      all.some((m) => m.to.toLowerCase() === b.toLowerCase()),
      false,
      'no message of another tenant',
    );
  });

  test('POST /_mock/reset answers 204 and brings back the seeded start', async () => {
    const local = await buildApp();
    try {
      const c = await createCustomer(local.app);
      const res = await local.app.inject({ method: 'POST', url: '/_mock/reset' });
      expectStatus(res, 204);
      expectNoBody(res);
      const anon = await anonymousLogin(local.app);
      assert.equal(res.statusCode, 204);
      const login = await loginRaw(local.app, anon.access_token, c.email, c.password);
      assert.equal(login.statusCode, 401, 'the created customer is gone');
      assert.equal((await outbox(local.app)).length, 0, 'the outbox is empty');
      expectStatus(
        await loginRaw(local.app, anon.access_token, 'seed.customer@example.com', 'Seed-Passw0rd!'),
        200,
        'the seed customer is back',
      );
      assert.equal((await getMe(local.app, c.token.access_token)).statusCode, 401, 'old tokens are gone');
    } finally {
      await local.app.close();
    }
  });
});
