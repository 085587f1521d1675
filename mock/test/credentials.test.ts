// Credentials: assign account, password reset and update, password change, email change and confirm
// (tutorial: "Assigning an account to a customer profile", "How to manage customer credentials").
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SEED_EMAIL,
  TENANT,
  anonymousLogin,
  bearer,
  appForSuite,
  createCustomer,
  sharedCustomer,
  expectError,
  expectFault,
  expectLoginRefused,
  expectForbidden,
  expectNoBody,
  expectStatus,
  getMe,
  jsonObject,
  lastEmailedToken,
  login,
  loginRaw,
  outbox,
  refreshCustomerToken,
  uniqueEmail,
  validate,
  type Customer,
  type JsonObject,
  type TestApp,
} from './helpers.ts';

function post(t: TestApp, path: string, token: string, payload: JsonObject) {
  return t.app.inject({ method: 'POST', url: `/customer/${TENANT}${path}`, headers: bearer(token), payload });
}

describe('assign account', () => {
  const t = appForSuite();

  /** POST /me/accounts/internal with `token`: a login `email` with `password` for its customer. */
  const assign = (token: string, email: string, password = 'Passw0rd-1') =>
    post(t, '/me/accounts/internal', token, { email, password });

  test('adds a second login to the same customer and answers 201 with the customer number', async () => {
    const c = await createCustomer(t.app);
    const email = uniqueEmail('second');
    const res = await assign(c.token.access_token, email, 'Second-Pw1');
    expectStatus(res, 201, 'assign account');
    assert.equal(jsonObject(res).id, c.customerNumber);
    const second = await login(t.app, c.anon.access_token, email, 'Second-Pw1');
    const me = jsonObject(await getMe(t.app, second.access_token));
    assert.equal(me.customerNumber, c.customerNumber);
    const ids = (me.accounts as JsonObject[]).map((a) => String(a.id).toLowerCase());
    assert.ok(ids.includes(email.toLowerCase()) && ids.includes(c.email.toLowerCase()), `accounts ${ids}`);
    expectStatus(
      await loginRaw(t.app, c.anon.access_token, c.email, c.password),
      200,
      'first login still works',
    );
  });

  test('refuses an email that is already a login with 409', async () => {
    const c = await sharedCustomer(t.app);
    expectError(await assign(c.token.access_token, SEED_EMAIL), 409, 'conflict_resource');
  });

  test('refuses an email that differs only in case from a login with 409', async () => {
    const c = await sharedCustomer(t.app);
    expectError(await assign(c.token.access_token, c.email.toUpperCase()), 409);
  });

  for (const [what, payload] of [
    ['without password', { email: 'a@example.com' }],
    ['without email', { password: 'Passw0rd-1' }],
    ['with an invalid email', { email: 'nope', password: 'Passw0rd-1' }],
    ['with a short password', { email: 'short@example.com', password: '123' }],
  ] as [string, JsonObject][]) {
    test(`refuses a body ${what} with 400`, async () => {
      const c = await sharedCustomer(t.app);
      expectError(await post(t, '/me/accounts/internal', c.token.access_token, payload), 400, 'bad_request');
    });
  }

  test('refuses an anonymous token with 403 @security', async () => {
    const anon = await anonymousLogin(t.app);
    expectForbidden(await assign(anon.access_token, uniqueEmail()));
  });
});

describe('password reset @email', () => {
  const t = appForSuite();

  const requestReset = async (c: Customer, email = c.email) =>
    post(t, '/password/reset', (await anonymousLogin(t.app)).access_token, { email, site: 'main' });
  const update = async (payload: JsonObject) =>
    post(t, '/password/reset/update', (await anonymousLogin(t.app)).access_token, payload);

  test('answers 204 and emails a password-reset token', async () => {
    const c = await createCustomer(t.app);
    const res = await requestReset(c);
    expectStatus(res, 204, 'password reset');
    expectNoBody(res);
    const token = await lastEmailedToken(t.app, c.email, 'password-reset');
    assert.ok(token.length > 0);
  });

  test('answers 204 for an unknown email and emails nothing (no account enumeration)', async () => {
    const email = uniqueEmail('ghost');
    const anon = await anonymousLogin(t.app);
    const res = await post(t, '/password/reset', anon.access_token, { email });
    expectStatus(res, 204);
    assert.equal((await outbox(t.app, email)).length, 0);
  });

  test('sets the new password: the new one logs in, the old one no longer does', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await requestReset(c), 204);
    const token = await lastEmailedToken(t.app, c.email, 'password-reset');
    const res = await update({ token, password: 'Brand-New-Pw1' });
    expectStatus(res, 204, 'password reset update');
    expectNoBody(res);
    expectStatus(await loginRaw(t.app, c.anon.access_token, c.email, 'Brand-New-Pw1'), 200, 'new password');
    expectLoginRefused(await loginRaw(t.app, c.anon.access_token, c.email, c.password), 'old');
  });

  test('revokes every customer token of that customer', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await requestReset(c), 204);
    expectStatus(
      await update({
        token: await lastEmailedToken(t.app, c.email, 'password-reset'),
        password: 'Pw-reset-1',
      }),
      204,
    );
    expectFault(
      await validate(t.app, c.token.access_token),
      undefined,
      undefined,
      'access token after reset',
    );
    const refresh = await refreshCustomerToken(t.app, c.anon.access_token, c.token.refresh_token);
    expectFault(refresh, undefined, undefined, 'refresh token after reset');
  });

  test('a reset token is single-use', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await requestReset(c), 204);
    const token = await lastEmailedToken(t.app, c.email, 'password-reset');
    expectStatus(await update({ token, password: 'First-Reset-1' }), 204);
    expectError(await update({ token, password: 'Second-Reset-1' }), 400, 'bad_request');
    expectStatus(await loginRaw(t.app, c.anon.access_token, c.email, 'First-Reset-1'), 200);
  });

  test('a reset token expires after one hour', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await requestReset(c), 204);
    const token = await lastEmailedToken(t.app, c.email, 'password-reset');
    t.clock.advanceSeconds(3601);
    expectError(await update({ token, password: 'Too-Late-Pw1' }), 400);
    expectLoginRefused(
      await loginRaw(t.app, (await anonymousLogin(t.app)).access_token, c.email, 'Too-Late-Pw1'),
    );
  });

  test('a reset token works just before it expires', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await requestReset(c), 204);
    const token = await lastEmailedToken(t.app, c.email, 'password-reset');
    t.clock.advanceSeconds(3500);
    expectStatus(await update({ token, password: 'Just-In-Time1' }), 204);
  });

  test('refuses an unknown token with 400', async () => {
    expectError(await update({ token: 'not-a-token', password: 'Passw0rd-1' }), 400, 'bad_request');
  });

  test('refuses a password shorter than 6 characters with 400 and keeps the old password', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await requestReset(c), 204);
    const token = await lastEmailedToken(t.app, c.email, 'password-reset');
    expectError(await update({ token, password: '12345' }), 400, 'bad_request');
    expectStatus(await loginRaw(t.app, c.anon.access_token, c.email, c.password), 200, 'old password kept');
  });

  test('refuses a request with a customer token with 403 @security', async () => {
    const c = await createCustomer(t.app);
    expectForbidden(await post(t, '/password/reset', c.token.access_token, { email: c.email }));
    expectForbidden(
      await post(t, '/password/reset/update', c.token.access_token, { token: 'x', password: 'Pw1234' }),
    );
  });
});

describe('password change', () => {
  const t = appForSuite();

  test('answers 204; the new password logs in and the old one no longer does', async () => {
    const c = await createCustomer(t.app);
    const res = await post(t, '/password/change', c.token.access_token, {
      currentPassword: c.password,
      newPassword: 'Changed-Pw-1',
    });
    expectStatus(res, 204, 'password change');
    expectNoBody(res);
    expectStatus(await loginRaw(t.app, c.anon.access_token, c.email, 'Changed-Pw-1'), 200);
    expectLoginRefused(await loginRaw(t.app, c.anon.access_token, c.email, c.password));
  });

  test('keeps the calling token working and revokes the other tokens of the customer', async () => {
    const c = await createCustomer(t.app);
    const other = await login(t.app, c.anon.access_token, c.email, c.password);
    expectStatus(
      await post(t, '/password/change', c.token.access_token, {
        currentPassword: c.password,
        newPassword: 'Pw-change-2',
      }),
      204,
    );
    expectStatus(await validate(t.app, c.token.access_token), 200, 'calling token');
    expectFault(await validate(t.app, other.access_token), undefined, undefined, 'other token');
    const refreshOther = await refreshCustomerToken(t.app, c.anon.access_token, other.refresh_token);
    expectFault(refreshOther, undefined, undefined, 'refresh token of the other session');
  });

  test('refuses a wrong current password with 400 and changes nothing', async () => {
    const c = await sharedCustomer(t.app);
    const res = await post(t, '/password/change', c.token.access_token, {
      currentPassword: 'not-my-password',
      newPassword: 'Changed-Pw-1',
    });
    expectError(res, 400, 'bad_request');
    expectStatus(await loginRaw(t.app, c.anon.access_token, c.email, c.password), 200);
  });

  test('refuses a new password shorter than 6 characters with 400', async () => {
    const c = await sharedCustomer(t.app);
    expectError(
      await post(t, '/password/change', c.token.access_token, {
        currentPassword: c.password,
        newPassword: '123',
      }),
      400,
    );
  });

  test('refuses a body without newPassword with 400', async () => {
    const c = await createCustomer(t.app);
    expectError(
      await post(t, '/password/change', c.token.access_token, { currentPassword: c.password }),
      400,
    );
  });

  test('refuses an anonymous token with 403 @security', async () => {
    const anon = await anonymousLogin(t.app);
    expectForbidden(
      await post(t, '/password/change', anon.access_token, {
        currentPassword: 'a',
        newPassword: 'Passw0rd-1',
      }),
    );
  });
});

describe('email change @email', () => {
  const t = appForSuite();

  const request = (c: Customer, payload: JsonObject) =>
    post(t, '/me/accounts/internal/email/change', c.token.access_token, payload);
  const confirm = async (token: string) =>
    post(t, '/me/accounts/internal/email/change/confirm', (await anonymousLogin(t.app)).access_token, {
      token,
    });

  test('answers 204 and emails an email-change token to the new address', async () => {
    const c = await createCustomer(t.app);
    const newEmail = uniqueEmail('new');
    const res = await request(c, { email: c.email, password: c.password, newEmail });
    expectStatus(res, 204, 'email change');
    expectNoBody(res);
    const token = await lastEmailedToken(t.app, newEmail, 'email-change');
    assert.ok(token.length > 0);
    assert.equal(
      (await outbox(t.app, c.email)).filter((m) => m.kind === 'email-change').length,
      0,
      'the token goes to the new address, not the old one',
    );
  });

  test('confirm makes the new email the login and the old one fails', async () => {
    const c = await createCustomer(t.app);
    const newEmail = uniqueEmail('new');
    expectStatus(await request(c, { email: c.email, password: c.password, newEmail }), 204);
    const res = await confirm(await lastEmailedToken(t.app, newEmail, 'email-change'));
    expectStatus(res, 204, 'email change confirm');
    expectNoBody(res);
    const anon = await anonymousLogin(t.app);
    const token = await login(t.app, anon.access_token, newEmail, c.password);
    expectLoginRefused(await loginRaw(t.app, anon.access_token, c.email, c.password), 'old email');
    const me = jsonObject(await getMe(t.app, token.access_token));
    assert.deepEqual(
      (me.accounts as JsonObject[]).map((a) => String(a.id).toLowerCase()),
      [newEmail.toLowerCase()],
    );
    assert.equal(me.customerNumber, c.customerNumber);
  });

  test('syncContactEmail true changes contactEmail too', async () => {
    const c = await createCustomer(t.app);
    const newEmail = uniqueEmail('sync');
    expectStatus(
      await request(c, { email: c.email, password: c.password, newEmail, syncContactEmail: true }),
      204,
    );
    expectStatus(await confirm(await lastEmailedToken(t.app, newEmail, 'email-change')), 204);
    const token = await login(t.app, (await anonymousLogin(t.app)).access_token, newEmail, c.password);
    assert.equal(jsonObject(await getMe(t.app, token.access_token)).contactEmail, newEmail);
  });

  test('without syncContactEmail the contactEmail stays', async () => {
    const c = await createCustomer(t.app, { body: {} });
    const before = jsonObject(await getMe(t.app, c.token.access_token)).contactEmail;
    const newEmail = uniqueEmail('nosync');
    expectStatus(await request(c, { email: c.email, password: c.password, newEmail }), 204);
    expectStatus(await confirm(await lastEmailedToken(t.app, newEmail, 'email-change')), 204);
    const token = await login(t.app, (await anonymousLogin(t.app)).access_token, newEmail, c.password);
    assert.equal(jsonObject(await getMe(t.app, token.access_token)).contactEmail, before);
  });

  test('a confirm token is single-use', async () => {
    const c = await createCustomer(t.app);
    const newEmail = uniqueEmail('once');
    expectStatus(await request(c, { email: c.email, password: c.password, newEmail }), 204);
    const token = await lastEmailedToken(t.app, newEmail, 'email-change');
    expectStatus(await confirm(token), 204);
    expectError(await confirm(token), 400, 'bad_request');
  });

  test('a confirm token expires', async () => {
    const c = await createCustomer(t.app);
    const newEmail = uniqueEmail('late');
    expectStatus(await request(c, { email: c.email, password: c.password, newEmail }), 204);
    const token = await lastEmailedToken(t.app, newEmail, 'email-change');
    t.clock.advanceSeconds(3601);
    expectError(await confirm(token), 400);
    expectStatus(await loginRaw(t.app, (await anonymousLogin(t.app)).access_token, c.email, c.password), 200);
  });

  test('confirm refuses an unknown token with 400', async () => {
    expectError(await confirm('not-a-token'), 400, 'bad_request');
  });

  test('refuses a wrong password with 400 and emails nothing', async () => {
    const c = await createCustomer(t.app);
    const newEmail = uniqueEmail('wrongpw');
    expectError(
      await request(c, { email: c.email, password: 'wrong-password', newEmail }),
      400,
      'bad_request',
    );
    assert.equal((await outbox(t.app, newEmail)).length, 0);
  });

  test("refuses an email that is not the customer's login with 400", async () => {
    const c = await createCustomer(t.app);
    expectError(
      await request(c, { email: SEED_EMAIL, password: 'Seed-Passw0rd!', newEmail: uniqueEmail('x') }),
      400,
    );
  });

  test('refuses a newEmail that is already a login on the tenant with 400 (no 409 documented)', async () => {
    const c = await createCustomer(t.app);
    expectError(await request(c, { email: c.email, password: c.password, newEmail: SEED_EMAIL }), 400);
  });

  test('refuses an anonymous token on the request with 403 @security', async () => {
    const anon = await anonymousLogin(t.app);
    expectForbidden(
      await post(t, '/me/accounts/internal/email/change', anon.access_token, {
        email: 'a@example.com',
        password: 'Passw0rd-1',
        newEmail: 'b@example.com',
      }),
    );
  });

  test('refuses a customer token on confirm with 403 @security', async () => {
    const c = await createCustomer(t.app);
    expectForbidden(
      await post(t, '/me/accounts/internal/email/change/confirm', c.token.access_token, { token: 'x' }),
    );
  });
});
