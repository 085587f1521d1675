// Contract versions: which operations the mock serves under `--contract 2025-12|2026-08|all`, the
// option parsing, and the two 2026-08 rules on existing operations: anonymous login's new session
// context parameters and PATCH /me's contactEmail that can be changed but never unset.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { CONTRACT_VERSIONS, DEFAULT_EXCHANGE_CONFIGS } from '../src/contract.ts';
import { USAGE, parseMockOptions } from '../src/cli-options.ts';
import { defaultMockOptions } from '../src/options.ts';
import {
  STOREFRONT_CLIENT_ID,
  TENANT,
  anonymousLogin,
  appForSuite,
  bearer,
  buildApp,
  createCustomer,
  expectError,
  expectFault,
  expectStatus,
  getMe,
  jsonObject,
  lastEmailedToken,
  uniqueEmail,
} from './helpers.ts';
import { exchange, subjectToken } from './exchange-helpers.ts';

const ME = `/customer/${TENANT}/me`;

/** The 404 body an unknown route gets, for the same method and path shape. */
function expectUnknownRoute(res: LightMyRequestResponse, method: string, path: string): void {
  const body = expectError(res, 404, 'resource_not_found', `${method} ${path}`);
  assert.deepEqual(body, {
    status: 404,
    type: 'resource_not_found',
    message: `No resource at ${method} ${path}.`,
  });
  assert.equal(res.headers.allow, undefined, `${method} ${path}: a 404 has no Allow header`);
}

async function deleteMe(app: FastifyInstance, token: string | undefined, query = {}) {
  return app.inject({
    method: 'DELETE',
    url: ME,
    query,
    ...(token === undefined ? {} : { headers: bearer(token) }),
  });
}

async function assignAccount(app: FastifyInstance, token: string) {
  return app.inject({
    method: 'POST',
    url: `${ME}/accounts/internal`,
    headers: bearer(token),
    payload: { email: uniqueEmail('second'), password: 'Second-Pw1' },
  });
}

async function exchangeStatus(app: FastifyInstance): Promise<number> {
  const anon = await anonymousLogin(app);
  const subject = await subjectToken(app, uniqueEmail('exchange'));
  return (await exchange(app, anon.access_token, subject)).statusCode;
}

describe('contract all (the default): every operation either version documents', () => {
  const t = appForSuite();

  test('the default option is all', () => {
    assert.equal(defaultMockOptions().behaviour.contract, 'all');
    const parsed = parseMockOptions([], {});
    assert.equal(parsed.ok && parsed.options.behaviour.contract, 'all');
  });

  test('serves DELETE /me, both steps (2025-12)', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await deleteMe(t.app, c.token.access_token), 202, 'DELETE /me');
    const token = await lastEmailedToken(t.app, c.email, 'profile-delete');
    expectStatus(await deleteMe(t.app, c.token.access_token, { token }), 204, 'DELETE /me?token');
  });

  test('serves POST /me/accounts/internal (2025-12)', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await assignAccount(t.app, c.token.access_token), 201, 'accounts/internal');
  });

  test('serves the token exchange (2026-08)', async () => {
    assert.equal(await exchangeStatus(t.app), 200);
  });

  test('a wrong method on /me still lists DELETE in Allow', async () => {
    const res = await t.app.inject({ method: 'PUT', url: ME });
    expectStatus(res, 405);
    assert.match(String(res.headers.allow), /DELETE/);
  });
});

describe('contract 2026-08: the removed operations answer as unknown routes', () => {
  const t = appForSuite({ behaviour: { contract: '2026-08' } });

  test('DELETE /me answers 404 like an unknown route, with a customer token', async () => {
    const c = await createCustomer(t.app);
    expectUnknownRoute(await deleteMe(t.app, c.token.access_token), 'DELETE', ME);
    expectStatus(await getMe(t.app, c.token.access_token), 200, 'the customer is still there');
  });

  test('DELETE /me?token=... answers 404 too', async () => {
    const c = await createCustomer(t.app);
    expectUnknownRoute(await deleteMe(t.app, c.token.access_token, { token: 'x'.repeat(64) }), 'DELETE', ME);
  });

  test('DELETE /me answers 404 before any token or tenant check', async () => {
    expectUnknownRoute(await deleteMe(t.app, undefined), 'DELETE', ME);
    expectUnknownRoute(await deleteMe(t.app, 'no-such-token'), 'DELETE', ME);
    const bad = await t.app.inject({ method: 'DELETE', url: '/customer/NOT_A_TENANT/me' });
    expectUnknownRoute(bad, 'DELETE', '/customer/NOT_A_TENANT/me');
  });

  test('POST /me/accounts/internal answers 404 like an unknown route', async () => {
    const c = await createCustomer(t.app);
    expectUnknownRoute(await assignAccount(t.app, c.token.access_token), 'POST', `${ME}/accounts/internal`);
  });

  test('another method on /me/accounts/internal answers 404, not 405 offering POST', async () => {
    const res = await t.app.inject({ method: 'GET', url: `${ME}/accounts/internal` });
    expectUnknownRoute(res, 'GET', `${ME}/accounts/internal`);
  });

  test('a wrong method on /me answers 405 without offering DELETE', async () => {
    const res = await t.app.inject({ method: 'PUT', url: ME });
    expectError(res, 405, 'method_not_allowed');
    const allow = String(res.headers.allow)
      .split(',')
      .map((m) => m.trim());
    assert.ok(allow.includes('GET') && allow.includes('PATCH'), `Allow ${allow}`);
    assert.equal(allow.includes('DELETE'), false, `Allow ${allow} offers the removed DELETE`);
  });

  test('the same 404 as a path that never existed', async () => {
    const unknown = await t.app.inject({ method: 'DELETE', url: `/customer/${TENANT}/nothing` });
    const removed = await deleteMe(t.app, undefined);
    assert.equal(removed.statusCode, unknown.statusCode);
    assert.equal(removed.headers['content-type'], unknown.headers['content-type']);
    assert.deepEqual(Object.keys(JSON.parse(removed.body)), Object.keys(JSON.parse(unknown.body)));
  });

  test('serves the token exchange', async () => {
    assert.equal(await exchangeStatus(t.app), 200);
  });

  test('serves the operations both versions document (GET and PATCH /me)', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await getMe(t.app, c.token.access_token), 200, 'GET /me');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: ME,
      headers: bearer(c.token.access_token),
      payload: { firstName: 'Grace' },
    });
    expectStatus(patch, 200, 'PATCH /me');
  });
});

describe('contract 2025-12: no token exchange', () => {
  const t = appForSuite({ behaviour: { contract: '2025-12' } });

  test('the token exchange answers 404 like an unknown route', async () => {
    const anon = await anonymousLogin(t.app);
    const path = `/customer/${TENANT}/exchangeauthtoken`;
    expectUnknownRoute(await exchange(t.app, anon.access_token, 'x.y.z'), 'POST', path);
    expectUnknownRoute(await exchange(t.app, undefined, undefined), 'POST', path);
  });

  test('another method on the exchange path answers 404 too', async () => {
    const path = `/customer/${TENANT}/exchangeauthtoken`;
    expectUnknownRoute(await t.app.inject({ method: 'GET', url: path }), 'GET', path);
  });

  test('serves DELETE /me and POST /me/accounts/internal', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await assignAccount(t.app, c.token.access_token), 201, 'accounts/internal');
    expectStatus(await deleteMe(t.app, c.token.access_token), 202, 'DELETE /me');
  });

  test('the test-only identity provider stays available', async () => {
    assert.match(await subjectToken(t.app, uniqueEmail('idp')), /^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});

describe('options: --contract and --exchange-configs', () => {
  test('--contract takes each version', () => {
    for (const version of CONTRACT_VERSIONS) {
      const parsed = parseMockOptions(['--contract', version], {});
      assert.equal(parsed.ok && parsed.options.behaviour.contract, version);
      const joined = parseMockOptions([`--contract=${version}`], {});
      assert.equal(joined.ok && joined.options.behaviour.contract, version);
    }
  });

  test('--contract refuses anything else with a clear message', () => {
    for (const value of ['2026', 'latest', '2026-08,2025-12']) {
      const parsed = parseMockOptions(['--contract', value], {});
      assert.equal(parsed.ok, false, value);
      assert.match(parsed.ok ? '' : parsed.errors.join('\n'), /--contract.*2025-12, 2026-08, all/);
    }
    const missing = parseMockOptions(['--contract'], {});
    assert.match(missing.ok ? '' : missing.errors.join('\n'), /--contract: a value is required/);
  });

  test('MOCK_CONTRACT sets it, the flag wins', () => {
    const env = parseMockOptions([], { MOCK_CONTRACT: '2025-12' });
    assert.equal(env.ok && env.options.behaviour.contract, '2025-12');
    const both = parseMockOptions(['--contract', '2026-08'], { MOCK_CONTRACT: '2025-12' });
    assert.equal(both.ok && both.options.behaviour.contract, '2026-08');
    const bad = parseMockOptions([], { MOCK_CONTRACT: 'x' });
    assert.match(bad.ok ? '' : bad.errors.join('\n'), /MOCK_CONTRACT/);
  });

  test('--exchange-configs replaces the default list', () => {
    assert.deepEqual(defaultMockOptions().exchangeConfigs, [...DEFAULT_EXCHANGE_CONFIGS]);
    assert.ok(DEFAULT_EXCHANGE_CONFIGS.includes('site_PL'));
    const parsed = parseMockOptions(['--exchange-configs', 'site_FR, b2b-eu,site_FR'], {});
    assert.deepEqual(parsed.ok && parsed.options.exchangeConfigs, ['site_FR', 'b2b-eu']);
    const env = parseMockOptions([], { MOCK_EXCHANGE_CONFIGS: 'site_AT' });
    assert.deepEqual(env.ok && env.options.exchangeConfigs, ['site_AT']);
    const none = parseMockOptions(['--exchange-configs='], {});
    assert.deepEqual(none.ok && none.options.exchangeConfigs, []);
  });

  test('--exchange-configs refuses ids with other characters', () => {
    const parsed = parseMockOptions(['--exchange-configs', 'site PL,ok,a/b'], {});
    assert.equal(parsed.ok, false);
    const errors = parsed.ok ? [] : parsed.errors;
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors.join('\n'), /'site PL'/);
    assert.match(errors.join('\n'), /'a\/b'/);
  });

  test('--help names both flags and their variables', () => {
    for (const text of [
      '--contract',
      '2025-12|2026-08|all',
      'MOCK_CONTRACT',
      '--exchange-configs',
      'site_PL',
    ]) {
      assert.ok(USAGE.includes(text), `usage lacks ${text}`);
    }
  });
});

describe('anonymous login: session context parameters (2026-08)', () => {
  const t = appForSuite();

  function anonymous(query: Record<string, string | string[]>) {
    return t.app.inject({
      method: 'GET',
      url: '/customerlogin/auth/anonymous/login',
      query: { tenant: TENANT, client_id: STOREFRONT_CLIENT_ID, ...query },
    });
  }

  test('accepts currency, siteCode, language and targetLocation and keeps them with the session', async () => {
    const context = { currency: 'EUR', siteCode: 'main', language: 'EN', targetLocation: 'DE' };
    const res = await anonymous(context);
    expectStatus(res, 200, 'anonymous login');
    const sessionId = String(jsonObject(res).sessionId);
    assert.deepEqual(t.app.store.tenant(TENANT)?.sessions.get(sessionId)?.context, context);
  });

  /** Each query alone is answered 200. */
  const expectEachAccepted = async (queries: Record<string, string>[]) => {
    for (const query of queries) expectStatus(await anonymous(query), 200, JSON.stringify(query));
  };

  test('accepts each parameter alone, and a lower-case currency code', async () => {
    await expectEachAccepted([
      { currency: 'usd' },
      { siteCode: 'b2b-shop' },
      { language: 'de_DE' },
      { targetLocation: 'PL' },
    ]);
  });

  test('the session keeps no context when none is given', async () => {
    const sessionId = (await anonymousLogin(t.app)).sessionId;
    assert.deepEqual(t.app.store.tenant(TENANT)?.sessions.get(sessionId)?.context, {});
  });

  for (const currency of ['EURO', 'EU', '', '978', 'E1R', 'EUR ']) {
    test(`refuses currency '${currency}' (not a three-letter code) with 400 naming currency`, async () => {
      const body = expectError(await anonymous({ currency }), 400);
      assert.deepEqual(
        (body.details as { field: string }[]).map((detail) => detail.field),
        ['currency'],
      );
    });
  }

  test('accepts any string for siteCode, language and targetLocation (the reference gives no format)', async () => {
    await expectEachAccepted([
      { siteCode: 'anything at all' },
      { language: 'x' },
      { targetLocation: 'Deutschland' },
    ]);
  });

  test('a repeated parameter answers 400, never 5xx', async () => {
    for (const name of ['currency', 'siteCode', 'language', 'targetLocation']) {
      expectError(await anonymous({ [name]: ['EUR', 'USD'] }), 400, 'bad_request', name);
    }
  });

  test('a malformed currency does not create a session', async () => {
    const before = t.app.store.tenant(TENANT)?.sessions.size;
    expectError(await anonymous({ currency: 'EURO' }), 400);
    assert.equal(t.app.store.tenant(TENANT)?.sessions.size, before);
  });
});

describe('PATCH /me: contactEmail can be changed, never unset (CustomerPatchDto)', () => {
  const t = appForSuite();

  function patchMe(token: string, payload: unknown, contentType = 'application/json') {
    return t.app.inject({
      method: 'PATCH',
      url: ME,
      headers: { ...bearer(token), 'content-type': contentType },
      payload: JSON.stringify(payload),
    });
  }

  test('changes contactEmail', async () => {
    const c = await createCustomer(t.app);
    const contactEmail = uniqueEmail('contact');
    expectStatus(await patchMe(c.token.access_token, { contactEmail }), 200, 'PATCH contactEmail');
    assert.equal(jsonObject(await getMe(t.app, c.token.access_token)).contactEmail, contactEmail);
  });

  const unsetting: [string, unknown][] = [
    ['null', null],
    ['an empty string', ''],
    ['blanks', '   '],
  ];
  for (const [name, value] of unsetting) {
    for (const contentType of ['application/json', 'application/merge-patch+json']) {
      test(`refuses contactEmail ${name} (${contentType}) with 400 and changes nothing`, async () => {
        const c = await createCustomer(t.app);
        const before = jsonObject(await getMe(t.app, c.token.access_token));
        const res = await patchMe(
          c.token.access_token,
          { firstName: 'Changed', contactEmail: value },
          contentType,
        );
        const body = expectError(res, 400);
        assert.deepEqual(body.details, [
          {
            field: 'contactEmail',
            type: 'invalid_value',
            message: 'contactEmail can be changed but not unset',
          },
        ]);
        const after = jsonObject(await getMe(t.app, c.token.access_token));
        assert.equal(after.contactEmail, before.contactEmail);
        assert.equal(after.firstName, before.firstName);
        assert.deepEqual(after.metadata, before.metadata, 'the version did not move');
      });
    }
  }

  test('a PATCH without contactEmail keeps it', async () => {
    const c = await createCustomer(t.app);
    expectStatus(await patchMe(c.token.access_token, { firstName: 'Grace' }), 200, 'PATCH firstName');
    assert.equal(jsonObject(await getMe(t.app, c.token.access_token)).contactEmail, c.email);
  });

  test('contactEmail of another type is still a 400 from validation', async () => {
    const c = await createCustomer(t.app);
    expectError(await patchMe(c.token.access_token, { contactEmail: 42 }), 400);
  });

  test('the rule comes after authentication: no token is 401', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: ME, payload: { contactEmail: null } });
    expectFault(res);
  });

  test('holds under every contract version', async () => {
    for (const contract of CONTRACT_VERSIONS) {
      const { app } = await buildApp({ behaviour: { contract } });
      try {
        const c = await createCustomer(app);
        const res = await app.inject({
          method: 'PATCH',
          url: ME,
          headers: bearer(c.token.access_token),
          payload: { contactEmail: '' },
        });
        expectError(res, 400, 'bad_request', contract);
      } finally {
        await app.close();
      }
    }
  });
});
