// Token exchange (2026-08 reference, POST-customer-exchange-authtoken) and the mock's external
// identity provider that signs its subject tokens (POST /_mock/{tenant}/external-idp/token).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signSubjectToken, issuerOf } from '../src/external-idp.ts';
import {
  OTHER_TENANT,
  SEED_EMAIL,
  TENANT,
  activate,
  anonymousLogin,
  appForSuite,
  bearer,
  createCustomer,
  employeeToken,
  expectDocumentedErrorShape,
  expectError,
  expectFault,
  expectForbidden,
  expectLoginRefused,
  expectStatus,
  getMe,
  jsonObject,
  refreshCustomerToken,
  signup,
  uniqueEmail,
  validate,
  type JsonObject,
} from './helpers.ts';
import {
  claimsOf,
  exchange,
  headerOf,
  subjectToken,
  subjectTokenRaw,
  withBadSignature,
  withClaims,
} from './exchange-helpers.ts';

const INVALID = 'oauth.v2.InvalidAccessToken';
const NOT_A_JWT = 'Invalid subject access token';
const BAD_SIGNATURE = 'Invalid subject access token signature';
const UNTRUSTED = 'Subject access token issuer is not trusted';
const NO_EMAIL = 'Subject access token names no email';
const SUBJECT_EXPIRED = 'Subject access token expired';

/** The login emails (`accounts[].id`) of a profile. */
function accountIds(profile: JsonObject): unknown[] {
  return ((profile.accounts ?? []) as JsonObject[]).map((account) => account.id);
}
const EXPIRED = 'keymanagement.service.access_token_expired';

describe('external identity provider (test-only)', () => {
  const t = appForSuite();

  test('answers {token}: an RS256 JWT with iss, sub, email, iat and exp', async () => {
    const email = uniqueEmail('idp');
    const res = await subjectTokenRaw(t.app, { email });
    expectStatus(res, 200, 'external-idp token');
    const body = jsonObject(res);
    assert.deepEqual(Object.keys(body), ['token']);
    const token = String(body.token);
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'three base64url parts');
    assert.equal(headerOf(token).alg, 'RS256');
    const claims = claimsOf(token);
    assert.equal(claims.iss, issuerOf(TENANT));
    assert.equal(claims.email, email);
    assert.equal(typeof claims.sub, 'string');
    assert.equal(claims.iat, Math.floor(t.clock.ms / 1000));
    assert.equal(claims.exp, Number(claims.iat) + 300, 'five minutes by default');
  });

  test('gives the same email the same sub, another email another sub', async () => {
    const email = uniqueEmail('idp');
    const first = claimsOf(await subjectToken(t.app, email));
    const again = claimsOf(await subjectToken(t.app, email.toUpperCase()));
    const other = claimsOf(await subjectToken(t.app, uniqueEmail('idp')));
    assert.equal(first.sub, again.sub);
    assert.notEqual(first.sub, other.sub);
  });

  test('honours expiresInSeconds, negative ones included', async () => {
    for (const seconds of [60, 0, -60]) {
      const claims = claimsOf(await subjectToken(t.app, uniqueEmail('idp'), { expiresInSeconds: seconds }));
      assert.equal(Number(claims.exp) - Number(claims.iat), seconds, `expiresInSeconds ${seconds}`);
    }
  });

  test('signs with the issuer the request names', async () => {
    const claims = claimsOf(
      await subjectToken(t.app, uniqueEmail('idp'), { issuer: 'https://elsewhere.example.com' }),
    );
    assert.equal(claims.iss, 'https://elsewhere.example.com');
  });

  test('names the tenant in the default issuer', async () => {
    const claims = claimsOf(await subjectToken(t.app, uniqueEmail('idp'), { tenant: OTHER_TENANT }));
    assert.equal(claims.iss, issuerOf(OTHER_TENANT));
    assert.notEqual(issuerOf(OTHER_TENANT), issuerOf(TENANT));
  });

  const badBodies: [string, unknown, string][] = [
    ['no email', {}, 'email'],
    ['email not a string', { email: 42 }, 'email'],
    ['empty email', { email: '' }, 'email'],
    ['email not an address', { email: 'not-an-email' }, 'email'],
    ['expiresInSeconds a string', { email: 'a@example.com', expiresInSeconds: '60' }, 'expiresInSeconds'],
    ['expiresInSeconds a fraction', { email: 'a@example.com', expiresInSeconds: 1.5 }, 'expiresInSeconds'],
    [
      'expiresInSeconds beyond a year',
      { email: 'a@example.com', expiresInSeconds: 1e12 },
      'expiresInSeconds',
    ],
    ['expiresInSeconds null', { email: 'a@example.com', expiresInSeconds: null }, 'expiresInSeconds'],
    ['empty issuer', { email: 'a@example.com', issuer: '' }, 'issuer'],
    ['issuer not a string', { email: 'a@example.com', issuer: ['x'] }, 'issuer'],
    ['unknown field', { email: 'a@example.com', audience: 'x' }, 'audience'],
  ];
  for (const [name, payload, field] of badBodies) {
    test(`refuses a body with ${name}: 400 naming ${field}`, async () => {
      const body = expectError(await subjectTokenRaw(t.app, payload), 400, 'bad_request', name);
      const details = (body.details ?? []) as JsonObject[];
      assert.ok(
        details.some((detail) => detail.field === field),
        `${name}: details should name ${field}, got ${JSON.stringify(body)}`,
      );
    });
  }

  test('refuses a body that is not a JSON object, and no body at all, with 400', async () => {
    for (const payload of [[], 'text', 7]) {
      expectError(await subjectTokenRaw(t.app, payload), 400, 'bad_request', JSON.stringify(payload));
    }
    const malformed = await t.app.inject({
      method: 'POST',
      url: `/_mock/${TENANT}/external-idp/token`,
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expectError(malformed, 400, 'bad_request', 'malformed JSON');
    expectError(await subjectTokenRaw(t.app, undefined), 400, 'bad_request', 'no body');
  });

  test('answers 404 for a tenant the mock does not serve', async () => {
    expectError(await subjectTokenRaw(t.app, { email: 'a@example.com' }, 'nosuchtenant'), 404);
  });
});

describe('token exchange', () => {
  const t = appForSuite();

  test('answers 200 with the ExchangeAuthTokenResponse fields @smoke', async () => {
    const anon = await anonymousLogin(t.app);
    const subject = await subjectToken(t.app, uniqueEmail('exchange'));
    const res = await exchange(t.app, anon.access_token, subject);
    expectStatus(res, 200, 'exchange');
    const body = jsonObject(res, 'exchange');
    assert.equal(body.subject_access_token, subject);
    for (const field of ['access_token', 'saas_token', 'refresh_token', 'scope', 'session_id']) {
      assert.equal(typeof body[field], 'string', `${field} is a string`);
      assert.notEqual(body[field], '', `${field} is not empty`);
    }
    for (const field of ['expires_in', 'refresh_token_expires_in', 'session_idle_time']) {
      assert.ok(Number.isInteger(body[field]), `${field} is an integer, got ${JSON.stringify(body[field])}`);
    }
    assert.equal(body.expires_in, 2591999);
    assert.equal(body.refresh_token_expires_in, 86399);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.session_id, anon.sessionId, 'the customer session keeps the anonymous session id');
    assert.match(String(body.scope), new RegExp(`(^| )tenant=${TENANT}( |$)`));
    assert.equal(claimsOf(String(body.saas_token)).exp, Math.floor(t.clock.ms / 1000) + 2591999);
  });

  test('creates an active customer for an email the tenant does not know', async () => {
    const email = uniqueEmail('exchange-new');
    const anon = await anonymousLogin(t.app);
    const token = jsonObject(await exchange(t.app, anon.access_token, await subjectToken(t.app, email)));
    const me = jsonObject(await getMe(t.app, String(token.access_token)));
    assert.deepEqual(accountIds(me), [email]);
    assert.equal(me.contactEmail, email);
    assert.equal(claimsOf(String(token.saas_token)).sub, me.customerNumber);
  });

  test('maps the same email to the same customer on every exchange', async () => {
    const email = uniqueEmail('exchange-again');
    const numbers: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const anon = await anonymousLogin(t.app);
      const token = jsonObject(await exchange(t.app, anon.access_token, await subjectToken(t.app, email)));
      numbers.push(jsonObject(await getMe(t.app, String(token.access_token))).customerNumber);
    }
    assert.equal(numbers[0], numbers[1]);
  });

  test("maps an existing customer's login email to that customer, case-insensitively", async () => {
    const c = await createCustomer(t.app, { label: 'exchange-existing' });
    const anon = await anonymousLogin(t.app);
    const subject = await subjectToken(t.app, c.email.toUpperCase());
    const token = jsonObject(await exchange(t.app, anon.access_token, subject));
    const me = jsonObject(await getMe(t.app, String(token.access_token)));
    assert.equal(me.customerNumber, c.customerNumber);
    const validated = jsonObject(await validate(t.app, String(token.access_token)));
    assert.equal(validated.email, c.email, 'validate names the login email as stored');
  });

  test('maps the seed customer by its email', async () => {
    const anon = await anonymousLogin(t.app);
    const token = jsonObject(await exchange(t.app, anon.access_token, await subjectToken(t.app, SEED_EMAIL)));
    const me = jsonObject(await getMe(t.app, String(token.access_token)));
    assert.deepEqual(accountIds(me), [SEED_EMAIL]);
  });

  test('refuses a customer that signed up but is not active yet, as login does (401)', async () => {
    const email = uniqueEmail('exchange-inactive');
    const anon = await anonymousLogin(t.app);
    expectStatus(await signup(t.app, anon.access_token, { email, password: 'Passw0rd-123' }), 201, 'signup');
    expectLoginRefused(
      await exchange(t.app, anon.access_token, await subjectToken(t.app, email)),
      'exchange',
    );
  });

  test('refuses a customer on hold (401)', async () => {
    const c = await createCustomer(t.app, { label: 'exchange-hold' });
    const employee = await employeeToken(t.app);
    const hold = await t.app.inject({
      method: 'PATCH',
      url: `/customer/${TENANT}/customers/${c.customerNumber}`,
      headers: bearer(employee),
      payload: { onHold: true },
    });
    expectStatus(hold, 200, 'on hold');
    const anon = await anonymousLogin(t.app);
    expectLoginRefused(
      await exchange(t.app, anon.access_token, await subjectToken(t.app, c.email)),
      'exchange',
    );
    await activate(t.app, employee, c.customerNumber);
  });

  test('accepts a subject token whose sub is the email when it has no email claim', async () => {
    const email = uniqueEmail('exchange-sub');
    const now = Math.floor(t.clock.ms / 1000);
    const subject = signSubjectToken(t.app.store, {
      iss: issuerOf(TENANT),
      sub: email,
      iat: now,
      exp: now + 60,
    });
    const anon = await anonymousLogin(t.app);
    const token = jsonObject(await exchange(t.app, anon.access_token, subject));
    assert.deepEqual(accountIds(jsonObject(await getMe(t.app, String(token.access_token)))), [email]);
  });

  describe('the customer token it answers is a customer token of the tenant', () => {
    async function exchanged(): Promise<{ body: JsonObject; anon: string }> {
      const anon = await anonymousLogin(t.app);
      const res = await exchange(t.app, anon.access_token, await subjectToken(t.app, uniqueEmail('bound')));
      expectStatus(res, 200, 'exchange');
      return { body: jsonObject(res), anon: anon.access_token };
    }

    test('GET /me answers the profile with it', async () => {
      const { body } = await exchanged();
      expectStatus(await getMe(t.app, String(body.access_token)), 200, 'GET /me');
    });

    test('another tenant refuses it (401)', async () => {
      const { body } = await exchanged();
      expectFault(
        await getMe(t.app, String(body.access_token), OTHER_TENANT),
        INVALID,
        undefined,
        'other tenant',
      );
    });

    test('validateauthtoken answers its session and email', async () => {
      const { body } = await exchanged();
      const res = await validate(t.app, String(body.access_token));
      expectStatus(res, 200, 'validate');
      assert.equal(jsonObject(res).sessionId, body.session_id);
    });

    test('its refresh token buys a new token in the same session', async () => {
      const { body, anon } = await exchanged();
      const res = await refreshCustomerToken(t.app, anon, String(body.refresh_token));
      expectStatus(res, 200, 'refresh');
      const refreshed = jsonObject(res);
      assert.equal(refreshed.session_id, body.session_id);
      expectStatus(
        await getMe(t.app, String(refreshed.access_token)),
        200,
        'GET /me with the refreshed token',
      );
    });

    test('logout revokes it', async () => {
      const { body } = await exchanged();
      const access = String(body.access_token);
      const res = await t.app.inject({
        method: 'GET',
        url: `/customer/${TENANT}/logout`,
        query: { accessToken: access },
        headers: bearer(access),
      });
      expectStatus(res, 204, 'logout');
      expectFault(await getMe(t.app, access), INVALID, undefined, 'after logout');
    });

    test('it expires like a login token', async () => {
      const { app, clock } = t;
      const { body } = await exchanged();
      clock.advanceSeconds(2591999);
      expectFault(await getMe(app, String(body.access_token)), EXPIRED, undefined, 'after 30 days');
      clock.advanceSeconds(-2591999);
    });
  });

  describe('config', () => {
    test('a known config answers 200', async () => {
      const anon = await anonymousLogin(t.app);
      const res = await exchange(t.app, anon.access_token, await subjectToken(t.app, uniqueEmail('cfg')), {
        config: 'site_PL',
      });
      expectStatus(res, 200, 'config site_PL');
    });

    for (const config of ['site_XX', '', 'SITE_PL', 'site_PL ']) {
      test(`an unknown config '${config}' answers 400 naming config`, async () => {
        const anon = await anonymousLogin(t.app);
        const subject = await subjectToken(t.app, uniqueEmail('cfg'));
        const body = expectError(await exchange(t.app, anon.access_token, subject, { config }), 400);
        assert.deepEqual(
          ((body.details ?? []) as JsonObject[]).map((detail) => detail.field),
          ['config'],
        );
      });
    }

    test('an unknown config is refused before the subject token is looked at', async () => {
      const anon = await anonymousLogin(t.app);
      expectError(await exchange(t.app, anon.access_token, 'not-a-jwt', { config: 'site_XX' }), 400);
    });
  });

  describe('Authorization', () => {
    test('without a token: 401', async () => {
      const subject = await subjectToken(t.app, uniqueEmail('auth'));
      expectFault(await exchange(t.app, undefined, subject), INVALID, undefined, 'no token');
    });

    test('an unknown token: 401', async () => {
      const subject = await subjectToken(t.app, uniqueEmail('auth'));
      expectFault(await exchange(t.app, 'no-such-token', subject), INVALID, undefined, 'unknown token');
    });

    test("another tenant's anonymous token: 401", async () => {
      const anon = await anonymousLogin(t.app, OTHER_TENANT);
      const subject = await subjectToken(t.app, uniqueEmail('auth'));
      expectFault(await exchange(t.app, anon.access_token, subject), INVALID, undefined, 'other tenant');
    });

    test('an expired anonymous token: 401 expired', async () => {
      const anon = await anonymousLogin(t.app);
      t.clock.advanceSeconds(3600);
      try {
        const subject = await subjectToken(t.app, uniqueEmail('auth'));
        expectFault(await exchange(t.app, anon.access_token, subject), EXPIRED, undefined, 'expired');
      } finally {
        t.clock.advanceSeconds(-3600);
      }
    });

    test('a customer token: 403', async () => {
      const c = await createCustomer(t.app, { label: 'exchange-customer' });
      const subject = await subjectToken(t.app, uniqueEmail('auth'));
      expectForbidden(await exchange(t.app, c.token.access_token, subject), 'customer token');
    });

    test('an employee token: 403', async () => {
      const subject = await subjectToken(t.app, uniqueEmail('auth'));
      expectForbidden(await exchange(t.app, await employeeToken(t.app), subject), 'employee token');
    });
  });

  describe('subject token', () => {
    test('missing: 400 naming subjectAccessToken', async () => {
      const anon = await anonymousLogin(t.app);
      const body = expectError(await exchange(t.app, anon.access_token, undefined), 400);
      assert.deepEqual(
        ((body.details ?? []) as JsonObject[]).map((detail) => detail.field),
        ['subjectAccessToken'],
      );
    });

    test('empty: 400', async () => {
      const anon = await anonymousLogin(t.app);
      expectError(await exchange(t.app, anon.access_token, ''), 400);
    });

    test('a bad signature: 401', async () => {
      const anon = await anonymousLogin(t.app);
      const subject = withBadSignature(await subjectToken(t.app, uniqueEmail('sig')));
      expectFault(await exchange(t.app, anon.access_token, subject), INVALID, BAD_SIGNATURE, 'bad signature');
    });

    test('claims changed after signing: 401', async () => {
      const anon = await anonymousLogin(t.app);
      const subject = await subjectToken(t.app, uniqueEmail('sig'));
      const forged = withClaims(subject, { ...claimsOf(subject), email: SEED_EMAIL });
      expectFault(await exchange(t.app, anon.access_token, forged), INVALID, BAD_SIGNATURE, 'forged claims');
    });

    test('unsigned (alg none): 401', async () => {
      const anon = await anonymousLogin(t.app);
      const subject = await subjectToken(t.app, uniqueEmail('sig'));
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const unsigned = `${header}.${subject.split('.')[1]}.`;
      expectFault(await exchange(t.app, anon.access_token, unsigned), INVALID, NOT_A_JWT, 'alg none');
    });

    test('signed with another algorithm (HS256 header): 401', async () => {
      const anon = await anonymousLogin(t.app);
      const subject = await subjectToken(t.app, uniqueEmail('sig'));
      const [, payload, signature] = subject.split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
      const res = await exchange(t.app, anon.access_token, `${header}.${payload}.${signature}`);
      expectFault(res, INVALID, BAD_SIGNATURE, 'alg HS256');
    });

    test('a signature of the wrong length: 401, never 5xx', async () => {
      const anon = await anonymousLogin(t.app);
      const subject = await subjectToken(t.app, uniqueEmail('sig'));
      const unsigned = subject.slice(0, subject.lastIndexOf('.') + 1);
      for (const signature of ['AAAA', 'A', `${subject.split('.')[2]}AAAA`]) {
        const res = await exchange(t.app, anon.access_token, `${unsigned}${signature}`);
        expectFault(res, INVALID, BAD_SIGNATURE, `signature ${signature.slice(0, 10)}`);
      }
    });

    test('an unknown issuer: 401', async () => {
      const anon = await anonymousLogin(t.app);
      const subject = await subjectToken(t.app, uniqueEmail('iss'), { issuer: 'https://evil.example.com' });
      expectFault(await exchange(t.app, anon.access_token, subject), INVALID, UNTRUSTED, 'unknown issuer');
    });

    test("another tenant's issuer: 401", async () => {
      const anon = await anonymousLogin(t.app);
      const subject = await subjectToken(t.app, uniqueEmail('iss'), { tenant: OTHER_TENANT });
      expectFault(await exchange(t.app, anon.access_token, subject), INVALID, UNTRUSTED, 'other issuer');
    });

    test('issued already expired: 401 expired', async () => {
      const anon = await anonymousLogin(t.app);
      const subject = await subjectToken(t.app, uniqueEmail('exp'), { expiresInSeconds: -60 });
      expectFault(
        await exchange(t.app, anon.access_token, subject),
        EXPIRED,
        SUBJECT_EXPIRED,
        'expired subject',
      );
    });

    test('expiring at this very second: 401 expired', async () => {
      const anon = await anonymousLogin(t.app);
      const subject = await subjectToken(t.app, uniqueEmail('exp'), { expiresInSeconds: 0 });
      expectFault(await exchange(t.app, anon.access_token, subject), EXPIRED, SUBJECT_EXPIRED, 'exp = now');
    });

    test('expired while waiting: 401 expired', async () => {
      const anon = await anonymousLogin(t.app);
      const subject = await subjectToken(t.app, uniqueEmail('exp'), { expiresInSeconds: 60 });
      t.clock.advanceSeconds(61);
      try {
        expectFault(
          await exchange(t.app, anon.access_token, subject),
          EXPIRED,
          SUBJECT_EXPIRED,
          'expired later',
        );
      } finally {
        t.clock.advanceSeconds(-61);
      }
    });

    test('without exp, or naming no email: 401', async () => {
      const anon = await anonymousLogin(t.app);
      const now = Math.floor(t.clock.ms / 1000);
      const store = t.app.store;
      const cases: [Record<string, unknown>, string][] = [
        [{ iss: issuerOf(TENANT), sub: 'a@example.com', iat: now }, NOT_A_JWT],
        [{ iss: issuerOf(TENANT), sub: 'a@example.com', iat: now, exp: String(now + 60) }, NOT_A_JWT],
        [
          { iss: issuerOf(TENANT), sub: 'f2b1c9d0-0000-4000-a000-000000000000', iat: now, exp: now + 60 },
          NO_EMAIL,
        ],
        [{ iss: issuerOf(TENANT), email: 'not-an-email', iat: now, exp: now + 60 }, NO_EMAIL],
      ];
      for (const [claims, faultstring] of cases) {
        const res = await exchange(t.app, anon.access_token, signSubjectToken(store, claims));
        expectFault(res, INVALID, faultstring, JSON.stringify(claims));
      }
    });

    for (const [name, value] of [
      ['an opaque string', 'tpYgJPZqddEQ2zwfzNtx79noBP65'],
      ['two parts', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0'],
      ['three parts, not base64url JSON', 'a.b.c'],
      ['four parts', 'a.b.c.d'],
      ['an empty signature', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.'],
      ['a JSON array payload', `eyJhbGciOiJSUzI1NiJ9.${Buffer.from('[1]').toString('base64url')}.c2ln`],
      ['dots only', '...'],
    ] as const) {
      test(`not a JWT (${name}): 401, never 5xx`, async () => {
        const anon = await anonymousLogin(t.app);
        const res = await exchange(t.app, anon.access_token, value);
        expectFault(res, INVALID, NOT_A_JWT, name);
        expectDocumentedErrorShape(res, name);
      });
    }
  });
});

describe('token exchange with configured config ids', () => {
  const t = appForSuite({ exchangeConfigs: ['site_FR'] });

  test('accepts the configured ids and no others', async () => {
    const anon = await anonymousLogin(t.app);
    const email = uniqueEmail('cfg');
    expectStatus(
      await exchange(t.app, anon.access_token, await subjectToken(t.app, email), { config: 'site_FR' }),
      200,
      'site_FR',
    );
    expectError(
      await exchange(t.app, anon.access_token, await subjectToken(t.app, email), { config: 'site_PL' }),
      400,
    );
    expectStatus(await exchange(t.app, anon.access_token, await subjectToken(t.app, email)), 200, 'default');
  });
});
