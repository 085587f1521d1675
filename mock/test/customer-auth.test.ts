// Sign-up, login, customer refresh, validate and logout (tutorial: "Creating a new customer",
// "Logging in a customer", "Refreshing a customer token", "Validating a token", "Logging out").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  OTHER_TENANT,
  SEED_EMAIL,
  SEED_PASSWORD,
  TENANT,
  activate,
  anonymousLogin,
  bearer,
  appForSuite,
  buildApp,
  createCustomer,
  employeeToken,
  expectError,
  expectFault,
  expectLoginRefused,
  expectForbidden,
  expectNoBody,
  expectStatus,
  getMe,
  jsonObject,
  login,
  loginRaw,
  outbox,
  refreshCustomerToken,
  signup,
  uniqueEmail,
  validate,
  type JsonObject,
  type TestApp,
} from './helpers.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeJwtPart(part: string | undefined): JsonObject {
  assert.ok(part, 'JWT part missing');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as JsonObject;
}

describe('signup', () => {
  let t: TestApp;
  let anon: string;
  before(async () => {
    t = await buildApp();
    anon = (await anonymousLogin(t.app)).access_token;
  });
  after(async () => {
    await t.app.close();
  });

  test('creates a customer and answers 201 with an 8-digit id @smoke', async () => {
    const res = await signup(t.app, anon, { email: uniqueEmail(), password: 'Passw0rd-1' });
    expectStatus(res, 201, 'signup');
    const body = jsonObject(res);
    assert.match(String(body.id), /^\d{8}$/);
  });

  test('accepts the tutorial example body with customerDetails and customerAddress', async () => {
    const email = uniqueEmail();
    const res = await signup(t.app, anon, {
      email,
      password: 'password123',
      customerDetails: {
        title: 'MR',
        firstName: 'John',
        middleName: '',
        lastName: 'Doe',
        contactEmail: email,
        contactPhone: '123456789',
        company: 'Emporix',
        preferredLanguage: 'en_US',
        preferredCurrency: 'EUR',
        preferredSite: 'main',
        b2b: { companyRegistrationId: '123-456-789' },
      },
      customerAddress: {
        contactName: 'John Doe',
        street: 'Platz der Republik',
        streetNumber: '1',
        zipCode: '11011',
        city: 'Berlin',
        country: 'DE',
        tags: ['BILLING', 'SHIPPING'],
      },
    });
    expectStatus(res, 201, 'signup with tutorial body');
    const customerNumber = jsonObject(res).id as string;
    await activate(t.app, await employeeToken(t.app), customerNumber);
    const token = await login(t.app, anon, email, 'password123');
    const me = jsonObject(await getMe(t.app, token.access_token, TENANT, { expand: 'addresses' }));
    assert.equal(me.firstName, 'John');
    assert.equal(me.businessModel, 'B2B');
    const addresses = me.addresses as JsonObject[];
    assert.ok(Array.isArray(addresses), 'addresses expanded');
    assert.equal(addresses.length, 1, 'customerAddress became the first address');
    assert.equal(addresses[0]?.isDefault, true, 'the first address is the default');
    assert.equal(addresses[0]?.city, 'Berlin');
  });

  test('emails an opt-in token on signup @email', async () => {
    const email = uniqueEmail();
    expectStatus(await signup(t.app, anon, { email, password: 'Passw0rd-1' }), 201);
    const messages = await outbox(t.app, email);
    const optin = messages.filter((m) => m.kind === 'opt-in');
    assert.equal(optin.length, 1, 'one opt-in message');
    assert.equal(typeof optin[0]?.token, 'string');
    assert.ok((optin[0]?.token.length ?? 0) > 0);
    assert.equal(optin[0]?.to.toLowerCase(), email.toLowerCase());
    assert.equal(typeof optin[0]?.subject, 'string');
    assert.ok(!Number.isNaN(Date.parse(String(optin[0]?.sentAt))), 'sentAt is a date');
  });

  test('refuses a duplicate email with 409 conflict_resource', async () => {
    const email = uniqueEmail();
    expectStatus(await signup(t.app, anon, { email, password: 'Passw0rd-1' }), 201);
    const res = await signup(t.app, anon, { email, password: 'Passw0rd-2' });
    const body = expectError(res, 409, 'conflict_resource');
    assert.equal(body.message, `Duplicate account '${email}' for tenant '${TENANT}'.`);
  });

  test('refuses a duplicate email that differs only in case with 409', async () => {
    const email = uniqueEmail('CaseTest');
    expectStatus(await signup(t.app, anon, { email, password: 'Passw0rd-1' }), 201);
    expectError(await signup(t.app, anon, { email: email.toUpperCase(), password: 'Passw0rd-1' }), 409);
  });

  test('refuses the seeded customer email with 409', async () => {
    expectError(await signup(t.app, anon, { email: SEED_EMAIL, password: 'Passw0rd-1' }), 409);
  });

  test('allows the same email on another tenant', async () => {
    const email = uniqueEmail();
    expectStatus(await signup(t.app, anon, { email, password: 'Passw0rd-1' }), 201);
    const otherAnon = (await anonymousLogin(t.app, OTHER_TENANT)).access_token;
    expectStatus(await signup(t.app, otherAnon, { email, password: 'Passw0rd-1' }, OTHER_TENANT), 201);
  });

  const invalid: [string, JsonObject][] = [
    ['no email', { password: 'Passw0rd-1' }],
    ['no password', { email: 'x@example.com' }],
    ['an empty email', { email: '', password: 'Passw0rd-1' }],
    ['an empty password', { email: 'x@example.com', password: '' }],
    ['an email that is not an email', { email: 'not-an-email', password: 'Passw0rd-1' }],
    ['a password of 5 characters', { email: 'x@example.com', password: '12345' }],
    ['a numeric email', { email: 42, password: 'Passw0rd-1' }],
    ['a contactEmail different from email', { customerDetails: { contactEmail: 'other@example.com' } }],
    [
      'a companyRegistrationId without names',
      { customerDetails: { b2b: { companyRegistrationId: '1-2-3' } } },
    ],
    ['a preferredCurrency of 4 letters', { customerDetails: { preferredCurrency: 'EURO' } }],
    ['an address country of 3 letters', { customerAddress: { contactName: 'A', country: 'DEU' } }],
    ['an unknown top-level field', { favouriteColour: 'blue' }],
  ];
  for (const [what, partial] of invalid) {
    test(`refuses a signup with ${what} with 400 and details`, async () => {
      const base: JsonObject = { email: uniqueEmail(), password: 'Passw0rd-1' };
      const body: JsonObject = { ...base, ...partial };
      if (what === 'no email') delete body.email;
      if (what === 'no password') delete body.password;
      const res = await signup(t.app, anon, body);
      const err = expectError(res, 400, 'bad_request', `signup with ${what}`);
      assert.ok(Array.isArray(err.details) && err.details.length > 0, `signup with ${what}: details listed`);
    });
  }

  test('accepts a companyRegistrationId with firstName, lastName and company', async () => {
    const res = await signup(t.app, anon, {
      email: uniqueEmail(),
      password: 'Passw0rd-1',
      customerDetails: {
        firstName: 'A',
        lastName: 'B',
        company: 'C',
        b2b: { companyRegistrationId: '1-2-3' },
      },
    });
    expectStatus(res, 201);
  });

  test('refuses signup without a token with 401 @security', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/customer/${TENANT}/signup`,
      payload: { email: uniqueEmail(), password: 'Passw0rd-1' },
    });
    expectFault(res);
  });

  test('refuses signup with a customer token with 403 @security', async () => {
    const c = await createCustomer(t.app);
    expectForbidden(
      await signup(t.app, c.token.access_token, { email: uniqueEmail(), password: 'Passw0rd-1' }),
    );
  });

  test('refuses signup with an employee token with 403 @security', async () => {
    const emp = await employeeToken(t.app);
    expectForbidden(await signup(t.app, emp, { email: uniqueEmail(), password: 'Passw0rd-1' }));
  });
});

describe('login', () => {
  const t = appForSuite();

  test('logs in the seeded customer with the documented fields @smoke', async () => {
    const anon = await anonymousLogin(t.app);
    const res = await loginRaw(t.app, anon.access_token, SEED_EMAIL, SEED_PASSWORD);
    expectStatus(res, 200, 'login');
    const body = jsonObject(res);
    assert.equal(typeof body.access_token, 'string');
    assert.equal(typeof body.refresh_token, 'string');
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 2591999);
    assert.equal(body.refresh_token_expires_in, 86399);
    assert.equal(body.initialPassword, false);
    assert.equal(body.session_id, anon.sessionId, 'session_id is the anonymous sessionId');
    assert.match(String(body.session_id), UUID);
    assert.equal(String(body.access_token).split('.').length, 1, 'access token is opaque');
  });

  test('answers a saas_token that is an HS256 JWT with sub, iat and exp', async () => {
    const c = await createCustomer(t.app);
    const parts = c.token.saas_token.split('.');
    assert.equal(parts.length, 3, 'saas_token has three parts');
    const header = decodeJwtPart(parts[0]);
    const payload = decodeJwtPart(parts[1]);
    assert.equal(header.alg, 'HS256');
    assert.equal(payload.sub, c.customerNumber);
    assert.equal(typeof payload.iat, 'number');
    assert.equal(typeof payload.exp, 'number');
    assert.ok((payload.exp as number) > (payload.iat as number), 'exp after iat');
    assert.ok((payload.iat as number) < 1e11, 'iat in seconds, not milliseconds');
  });

  test('accepts the email in another case', async () => {
    const anon = await anonymousLogin(t.app);
    expectStatus(await loginRaw(t.app, anon.access_token, SEED_EMAIL.toUpperCase(), SEED_PASSWORD), 200);
  });

  test('refuses a wrong password with 401 @security', async () => {
    const anon = await anonymousLogin(t.app);
    expectLoginRefused(await loginRaw(t.app, anon.access_token, SEED_EMAIL, 'wrong-password'));
  });

  test('refuses an unknown email with 401 @security', async () => {
    const anon = await anonymousLogin(t.app);
    expectLoginRefused(await loginRaw(t.app, anon.access_token, uniqueEmail('unknown'), SEED_PASSWORD));
  });

  test('refuses login before activation with 401', async () => {
    const anon = await anonymousLogin(t.app);
    const email = uniqueEmail();
    expectStatus(await signup(t.app, anon.access_token, { email, password: 'Passw0rd-1' }), 201);
    expectLoginRefused(await loginRaw(t.app, anon.access_token, email, 'Passw0rd-1'));
  });

  test('refuses login of an on-hold customer with 401', async () => {
    const c = await createCustomer(t.app);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/customer/${TENANT}/customers/${c.customerNumber}`,
      headers: bearer(await employeeToken(t.app)),
      payload: { onHold: true },
    });
    expectStatus(res, 200);
    expectLoginRefused(await loginRaw(t.app, c.anon.access_token, c.email, c.password));
  });

  test('gives no hint which: wrong password, unknown email, inactive and on-hold answer the same body @security', async () => {
    const anon = (await anonymousLogin(t.app)).access_token;
    const inactive = uniqueEmail('inactive');
    expectStatus(await signup(t.app, anon, { email: inactive, password: 'Passw0rd-1' }), 201);
    const held = await createCustomer(t.app);
    expectStatus(
      await t.app.inject({
        method: 'PATCH',
        url: `/customer/${TENANT}/customers/${held.customerNumber}`,
        headers: bearer(await employeeToken(t.app)),
        payload: { onHold: true },
      }),
      200,
    );
    const bodies = [
      expectLoginRefused(await loginRaw(t.app, anon, SEED_EMAIL, 'wrong-password'), 'wrong password'),
      expectLoginRefused(await loginRaw(t.app, anon, uniqueEmail('unknown'), SEED_PASSWORD), 'unknown email'),
      expectLoginRefused(await loginRaw(t.app, anon, inactive, 'Passw0rd-1'), 'inactive'),
      expectLoginRefused(await loginRaw(t.app, anon, held.email, held.password), 'on hold'),
    ];
    for (const body of bodies.slice(1)) assert.deepEqual(body, bodies[0], 'refusal bodies differ');
  });

  test('refuses a customer of another tenant with 401', async () => {
    const c = await createCustomer(t.app, { tenant: OTHER_TENANT });
    const anon = await anonymousLogin(t.app, TENANT);
    expectLoginRefused(await loginRaw(t.app, anon.access_token, c.email, c.password, TENANT));
  });

  for (const [what, body] of [
    ['without password', { email: SEED_EMAIL }],
    ['without email', { password: SEED_PASSWORD }],
    ['with an empty body', {}],
  ] as const) {
    test(`refuses a login ${what} with 400`, async () => {
      const anon = await anonymousLogin(t.app);
      const res = await t.app.inject({
        method: 'POST',
        url: `/customer/${TENANT}/login`,
        headers: bearer(anon.access_token),
        payload: body,
      });
      expectError(res, 400, 'bad_request');
    });
  }

  test('refuses login without a token with 401 @security', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/customer/${TENANT}/login`,
      payload: { email: SEED_EMAIL, password: SEED_PASSWORD },
    });
    expectFault(res);
  });

  test('refuses login with an anonymous token of another tenant @security', async () => {
    const anon = await anonymousLogin(t.app, OTHER_TENANT);
    expectFault(await loginRaw(t.app, anon.access_token, SEED_EMAIL, SEED_PASSWORD, TENANT));
  });

  test('refuses login with a customer token with 403 @security', async () => {
    const c = await createCustomer(t.app);
    expectForbidden(await loginRaw(t.app, c.token.access_token, SEED_EMAIL, SEED_PASSWORD));
  });

  test('refuses a bearer value that is not "Bearer <token>" with 401 @security', async () => {
    const anon = await anonymousLogin(t.app);
    for (const authorization of [anon.access_token, `Basic ${anon.access_token}`, 'Bearer', 'Bearer ']) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/customer/${TENANT}/login`,
        headers: { authorization },
        payload: { email: SEED_EMAIL, password: SEED_PASSWORD },
      });
      expectFault(res, undefined, undefined, `Authorization: "${authorization.slice(0, 12)}..."`);
    }
  });
});

describe('customer refresh, validate and logout', () => {
  const t = appForSuite();

  const refresh = (bearerToken: string, query: Record<string, string>) =>
    t.app.inject({
      method: 'GET',
      url: `/customer/${TENANT}/refreshauthtoken`,
      headers: bearer(bearerToken),
      query,
    });
  const logout = (bearerToken: string, query: Record<string, string>) =>
    t.app.inject({ method: 'GET', url: `/customer/${TENANT}/logout`, headers: bearer(bearerToken), query });

  test('refreshes a customer token with the anonymous token, keeping session_id', async () => {
    const c = await createCustomer(t.app);
    const res = await refresh(c.anon.access_token, { refreshToken: c.token.refresh_token });
    expectStatus(res, 200, 'refreshauthtoken');
    const body = jsonObject(res);
    assert.equal(typeof body.access_token, 'string');
    assert.notEqual(body.access_token, c.token.access_token);
    assert.equal(typeof body.refresh_token, 'string');
    assert.notEqual(body.refresh_token, c.token.refresh_token, 'refresh token rotated');
    assert.equal(body.expires_in, 2591999);
    assert.equal(body.refresh_token_expires_in, 86399);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.session_id, c.token.session_id);
    assert.equal('saas_token' in body, false, 'no saas_token on refresh');
    assert.equal('initialPassword' in body, false, 'no initialPassword on refresh');
    expectStatus(await validate(t.app, body.access_token as string), 200, 'new access token works');
  });

  test('refreshes a customer token with the customer token as bearer', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await refresh(c.token.access_token, { refreshToken: c.token.refresh_token }), 200);
  });

  test('the previous access token keeps working after a refresh', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await refresh(c.anon.access_token, { refreshToken: c.token.refresh_token }), 200);
    expectStatus(await validate(t.app, c.token.access_token), 200);
  });

  test('refuses a used customer refresh token with 401 @security', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await refresh(c.anon.access_token, { refreshToken: c.token.refresh_token }), 200);
    expectFault(await refresh(c.anon.access_token, { refreshToken: c.token.refresh_token }));
  });

  test('refuses an unknown refresh token with 401', async () => {
    const c = await createCustomer(t.app);
    expectFault(await refresh(c.anon.access_token, { refreshToken: 'nope' }));
  });

  test('refuses an anonymous refresh token as a customer refresh token with 401 @security', async () => {
    const anon = await anonymousLogin(t.app);
    expectFault(await refresh(anon.access_token, { refreshToken: anon.refresh_token }));
  });

  test('refuses a refresh without refreshToken with 400', async () => {
    const c = await createCustomer(t.app);
    expectError(await refresh(c.anon.access_token, {}), 400, 'bad_request');
  });

  test('refuses a legalEntityId the customer does not belong to with 400', async () => {
    const c = await createCustomer(t.app);
    expectError(
      await refresh(c.anon.access_token, { refreshToken: c.token.refresh_token, legalEntityId: 'not-mine' }),
      400,
    );
  });

  test('refuses a refresh with an employee token with 403 @security', async () => {
    const c = await createCustomer(t.app);
    expectForbidden(await refresh(await employeeToken(t.app), { refreshToken: c.token.refresh_token }));
  });

  test('validate answers the token details', async () => {
    const c = await createCustomer(t.app);
    const res = await validate(t.app, c.token.access_token);
    expectStatus(res, 200, 'validateauthtoken');
    const body = jsonObject(res);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(typeof body.expires_in, 'number');
    assert.ok((body.expires_in as number) <= 2591999 && (body.expires_in as number) > 2591000);
    assert.equal(typeof body.scope, 'string');
    assert.match(String(body.scope), new RegExp(`tenant=${TENANT}`));
    assert.equal(body.sessionId, c.token.session_id);
    assert.equal(String(body.email).toLowerCase(), c.email.toLowerCase());
  });

  test('validate answers the remaining lifetime', async () => {
    const c = await createCustomer(t.app);
    t.clock.advanceSeconds(1000);
    const body = jsonObject(await validate(t.app, c.token.access_token));
    assert.equal(body.expires_in, 2591999 - 1000);
  });

  test('validate refuses an unknown token with 401', async () => {
    expectFault(await validate(t.app, 'nope'));
  });

  test('validate refuses an anonymous token with 403 @security', async () => {
    const anon = await anonymousLogin(t.app);
    expectForbidden(await validate(t.app, anon.access_token));
  });

  test('logout answers 204 and revokes the access token', async () => {
    const c = await createCustomer(t.app);
    const res = await logout(c.token.access_token, { accessToken: c.token.access_token });
    expectStatus(res, 204, 'logout');
    expectNoBody(res);
    expectFault(await validate(t.app, c.token.access_token), undefined, undefined, 'validate after logout');
    expectFault(await getMe(t.app, c.token.access_token), undefined, undefined, 'GET /me after logout');
  });

  test('logout revokes the refresh token too', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await logout(c.token.access_token, { accessToken: c.token.access_token }), 204);
    expectFault(await refresh(c.anon.access_token, { refreshToken: c.token.refresh_token }));
  });

  test('logout leaves the other sessions of the customer working', async () => {
    const c = await createCustomer(t.app);
    const second = await login(t.app, c.anon.access_token, c.email, c.password);
    expectStatus(await logout(c.token.access_token, { accessToken: c.token.access_token }), 204);
    expectStatus(await validate(t.app, second.access_token), 200);
  });

  test('logout without accessToken answers 400', async () => {
    const c = await createCustomer(t.app);
    expectError(await logout(c.token.access_token, {}), 400, 'bad_request');
    expectStatus(await validate(t.app, c.token.access_token), 200, 'token still valid');
  });

  test('logout with an accessToken that is not the bearer token answers 400 and revokes nothing', async () => {
    const c = await createCustomer(t.app);
    const other = await createCustomer(t.app);
    expectError(await logout(c.token.access_token, { accessToken: other.token.access_token }), 400);
    expectStatus(await validate(t.app, other.token.access_token), 200);
    expectStatus(await validate(t.app, c.token.access_token), 200);
  });

  test('logout with an anonymous token answers 403 @security', async () => {
    const anon = await anonymousLogin(t.app);
    expectForbidden(await logout(anon.access_token, { accessToken: anon.access_token }));
  });

  test('a second logout with the same token answers 401', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await logout(c.token.access_token, { accessToken: c.token.access_token }), 204);
    expectFault(await logout(c.token.access_token, { accessToken: c.token.access_token }));
  });
});

describe('customer token binding and expiry @security', () => {
  const t = appForSuite();

  test('a customer token of one tenant is refused on another tenant with 401', async () => {
    const c = await createCustomer(t.app);
    expectFault(await getMe(t.app, c.token.access_token, OTHER_TENANT));
    expectFault(await validate(t.app, c.token.access_token, OTHER_TENANT));
  });

  test('an anonymous token of one tenant is refused on another tenant with 401', async () => {
    const anon = await anonymousLogin(t.app, TENANT);
    expectFault(await getMe(t.app, anon.access_token, OTHER_TENANT));
  });

  test('a customer refresh token of one tenant is refused on another tenant with 401', async () => {
    const c = await createCustomer(t.app);
    const otherAnon = await anonymousLogin(t.app, OTHER_TENANT);
    const res = await t.app.inject({
      method: 'GET',
      url: `/customer/${OTHER_TENANT}/refreshauthtoken`,
      headers: bearer(otherAnon.access_token),
      query: { refreshToken: c.token.refresh_token },
    });
    expectFault(res);
  });

  test('an employee token is refused on customer operations with 403', async () => {
    const emp = await employeeToken(t.app);
    expectForbidden(await getMe(t.app, emp));
    expectForbidden(await validate(t.app, emp));
  });

  test('a customer access token expires with the expired errorcode', async () => {
    const c = await createCustomer(t.app);
    t.clock.advanceSeconds(2591998);
    // The refresh token (86399 s) is long gone; the access token still works.
    expectStatus(await getMe(t.app, c.token.access_token), 200, 'just before expiry');
    t.clock.advanceSeconds(2);
    expectFault(await getMe(t.app, c.token.access_token), 'keymanagement.service.access_token_expired');
    expectFault(await validate(t.app, c.token.access_token), 'keymanagement.service.access_token_expired');
  });

  test('a customer refresh token expires after refresh_token_expires_in', async () => {
    const local = await buildApp();
    try {
      const c = await createCustomer(local.app);
      local.clock.advanceSeconds(86400);
      const anon = await anonymousLogin(local.app);
      const res = await refreshCustomerToken(local.app, anon.access_token, c.token.refresh_token);
      expectStatus(res, 401, 'expired customer refresh token');
    } finally {
      await local.app.close();
    }
  });
});
