// Social login (tutorial: "Logging in a customer using social login"; operationId
// POST-customer-login-customer-by-auth0) against the mock's test-only identity provider.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  OTHER_TENANT,
  TENANT,
  anonymousLogin,
  bearer,
  appForSuite,
  createCustomer,
  expectError,
  expectFault,
  expectForbidden,
  expectStatus,
  getMe,
  jsonObject,
  s256,
  uniqueEmail,
  validate,
  type JsonObject,
} from './helpers.ts';

const REDIRECT = 'https://shop.example.com/callback';

describe('social login', () => {
  const t = appForSuite();

  async function authorize(body: JsonObject, tenant = TENANT): Promise<string> {
    const res = await t.app.inject({ method: 'POST', url: `/_mock/${tenant}/idp/authorize`, payload: body });
    expectStatus(res, 200, 'idp authorize');
    const code = jsonObject(res).code;
    assert.equal(typeof code, 'string');
    return code as string;
  }

  /** An authorization code for a new email, bound to the S256 `challenge` (RFC 7636). */
  const pkceCode = (challenge: string): Promise<string> =>
    authorize({
      email: uniqueEmail('pkce'),
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });

  function socialLogin(
    anonToken: string,
    query: Record<string, string>,
    headers: Record<string, string> = {},
    tenant = TENANT,
  ) {
    return t.app.inject({
      method: 'POST',
      url: `/customer/${tenant}/socialLogin`,
      headers: { ...bearer(anonToken), ...headers },
      query,
    });
  }

  test('logs in a new customer with a code and answers the documented social fields', async () => {
    const anon = await anonymousLogin(t.app);
    const email = uniqueEmail('social');
    const code = await authorize({ email, redirect_uri: REDIRECT });
    const res = await socialLogin(anon.access_token, { code, redirect_uri: REDIRECT });
    expectStatus(res, 200, 'socialLogin');
    const body = jsonObject(res);
    for (const field of [
      'social_access_token',
      'social_id_token',
      'refresh_token',
      'token_type',
      'access_token',
      'saas_token',
      'scope',
    ]) {
      assert.equal(typeof body[field], 'string', `socialLogin: ${field} should be a string`);
    }
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, '2591999', 'expires_in is a string, as the reference types it');
    assert.equal(body.refresh_token_expires_in, '86399', 'refresh_token_expires_in is a string');
    assert.equal(typeof body.session_idle_time, 'number');
    assert.ok(Number.isInteger(body.session_idle_time));
    assert.match(String(body.scope), new RegExp(`tenant=${TENANT}`));
    // The customer was created active and the token is a customer token.
    const me = await getMe(t.app, body.access_token as string);
    expectStatus(me, 200);
    const profile = jsonObject(me);
    assert.match(String(profile.customerNumber), /^\d{8}$/);
    assert.notEqual(profile.customerNumber, '00000000');
    const accounts = profile.accounts as JsonObject[];
    assert.equal(String(accounts[0]?.id).toLowerCase(), email.toLowerCase());
    expectStatus(await validate(t.app, body.access_token as string), 200);
  });

  test('logs the same customer in again on the second use of the identity', async () => {
    const anon = await anonymousLogin(t.app);
    const email = uniqueEmail('social');
    const first = jsonObject(
      await socialLogin(anon.access_token, {
        code: await authorize({ email, redirect_uri: REDIRECT }),
        redirect_uri: REDIRECT,
      }),
    );
    const second = jsonObject(
      await socialLogin(anon.access_token, {
        code: await authorize({ email, redirect_uri: REDIRECT }),
        redirect_uri: REDIRECT,
      }),
    );
    const me1 = jsonObject(await getMe(t.app, first.access_token as string));
    const me2 = jsonObject(await getMe(t.app, second.access_token as string));
    assert.equal(me1.customerNumber, me2.customerNumber);
  });

  test('accepts the session-id header', async () => {
    const anon = await anonymousLogin(t.app);
    const code = await authorize({ email: uniqueEmail('social'), redirect_uri: REDIRECT });
    const res = await socialLogin(
      anon.access_token,
      { code, redirect_uri: REDIRECT },
      { 'session-id': anon.sessionId },
    );
    expectStatus(res, 200);
  });

  test('refuses a code used a second time with 400 @security', async () => {
    const anon = await anonymousLogin(t.app);
    const code = await authorize({ email: uniqueEmail('social'), redirect_uri: REDIRECT });
    expectStatus(await socialLogin(anon.access_token, { code, redirect_uri: REDIRECT }), 200);
    expectError(await socialLogin(anon.access_token, { code, redirect_uri: REDIRECT }), 400, 'bad_request');
  });

  test('refuses an unknown code with 400', async () => {
    const anon = await anonymousLogin(t.app);
    expectError(await socialLogin(anon.access_token, { code: 'made-up', redirect_uri: REDIRECT }), 400);
  });

  test('refuses a code with another redirect_uri with 400 @security', async () => {
    const anon = await anonymousLogin(t.app);
    const code = await authorize({ email: uniqueEmail('social'), redirect_uri: REDIRECT });
    expectError(
      await socialLogin(anon.access_token, { code, redirect_uri: 'https://evil.example.com/callback' }),
      400,
    );
  });

  test('refuses a code after a wrong redirect_uri attempt consumed or kept it, never logging in twice', async () => {
    const anon = await anonymousLogin(t.app);
    const code = await authorize({ email: uniqueEmail('social'), redirect_uri: REDIRECT });
    await socialLogin(anon.access_token, { code, redirect_uri: 'https://evil.example.com/cb' });
    const ok = await socialLogin(anon.access_token, { code, redirect_uri: REDIRECT });
    if (ok.statusCode === 200) {
      expectError(await socialLogin(anon.access_token, { code, redirect_uri: REDIRECT }), 400);
    } else {
      expectError(ok, 400);
    }
  });

  test('accepts the PKCE S256 verifier that matches the challenge', async () => {
    const anon = await anonymousLogin(t.app);
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const code = await pkceCode(await s256(verifier));
    expectStatus(
      await socialLogin(anon.access_token, { code, redirect_uri: REDIRECT, code_verifier: verifier }),
      200,
    );
  });

  test('computes the RFC 7636 appendix B challenge', async () => {
    // RFC 7636, Appendix B: the verifier below has this S256 challenge.
    assert.equal(
      await s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    const anon = await anonymousLogin(t.app);
    const code = await pkceCode('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expectStatus(
      await socialLogin(anon.access_token, {
        code,
        redirect_uri: REDIRECT,
        code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      }),
      200,
    );
  });

  test('refuses a PKCE verifier that does not match with 400 @security', async () => {
    const anon = await anonymousLogin(t.app);
    const code = await pkceCode(await s256('the-right-verifier-0123456789-0123456789-abc'));
    expectError(
      await socialLogin(anon.access_token, {
        code,
        redirect_uri: REDIRECT,
        code_verifier: 'a-wrong-verifier-0123456789-0123456789-abcdef',
      }),
      400,
    );
  });

  test('refuses a PKCE code without a verifier with 400 @security', async () => {
    const anon = await anonymousLogin(t.app);
    const code = await pkceCode(await s256('the-right-verifier-0123456789-0123456789-abc'));
    expectError(await socialLogin(anon.access_token, { code, redirect_uri: REDIRECT }), 400);
  });

  test('refuses a code older than 60 seconds with 400', async () => {
    const anon = await anonymousLogin(t.app);
    const code = await authorize({ email: uniqueEmail('social'), redirect_uri: REDIRECT });
    t.clock.advanceSeconds(61);
    expectError(await socialLogin(anon.access_token, { code, redirect_uri: REDIRECT }), 400);
  });

  test('refuses a code issued for another tenant with 400', async () => {
    const anon = await anonymousLogin(t.app, TENANT);
    const code = await authorize({ email: uniqueEmail('social'), redirect_uri: REDIRECT }, OTHER_TENANT);
    expectError(await socialLogin(anon.access_token, { code, redirect_uri: REDIRECT }), 400);
  });

  for (const missing of ['code', 'redirect_uri'] as const) {
    test(`refuses a social login without ${missing} with 400`, async () => {
      const anon = await anonymousLogin(t.app);
      const code = await authorize({ email: uniqueEmail('social'), redirect_uri: REDIRECT });
      const query: Record<string, string> = { code, redirect_uri: REDIRECT };
      delete query[missing];
      expectError(await socialLogin(anon.access_token, query), 400, 'bad_request');
    });
  }

  test('refuses a social login without a token with 401 @security', async () => {
    const code = await authorize({ email: uniqueEmail('social'), redirect_uri: REDIRECT });
    const res = await t.app.inject({
      method: 'POST',
      url: `/customer/${TENANT}/socialLogin`,
      query: { code, redirect_uri: REDIRECT },
    });
    expectFault(res);
  });

  test('refuses a social login with a customer token with 403 @security', async () => {
    const c = await createCustomer(t.app);
    const code = await authorize({ email: uniqueEmail('social'), redirect_uri: REDIRECT });
    expectForbidden(await socialLogin(c.token.access_token, { code, redirect_uri: REDIRECT }));
  });

  test('the identity provider refuses an authorize request without email with 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/_mock/${TENANT}/idp/authorize`,
      payload: { redirect_uri: REDIRECT },
    });
    expectError(res, 400);
  });
});
