// The 2026-08 contract's faults (mock/src/faults/contract.ts), held to the rule of faults.test.ts: each
// fault shows its deviation through inject, and its check fails against the plain mock.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { parseMockOptions } from '../src/cli-options.ts';
import { CONTRACT_FAULTS } from '../src/faults/contract.ts';
import { FAULT_REGISTRY } from '../src/faults/index.ts';
import {
  OTHER_TENANT,
  TENANT,
  anonymousLogin,
  bearer,
  buildApp,
  createCustomer,
  expectStatus,
  getMe,
  jsonObject,
  uniqueEmail,
  expectCheckFailsWithout,
  expectCheckPassesWith,
  type Customer,
  type EntryCheck,
  type JsonObject,
} from './helpers.ts';
import { exchange, subjectToken, withBadSignature } from './exchange-helpers.ts';

/** Exchanges `subject` with a fresh anonymous token and expects 200; answers the body. */
async function exchanged(app: FastifyInstance, subject: string, config?: string) {
  const anon = await anonymousLogin(app);
  const res = await exchange(app, anon.access_token, subject, config === undefined ? {} : { config });
  expectStatus(res, 200, 'exchange');
  return jsonObject(res, 'exchange');
}

/** `method` on `/customer/{tenant}${path}` with the customer's token (and `payload` as its body). */
function asCustomer(
  app: FastifyInstance,
  c: Customer,
  method: 'POST' | 'PATCH' | 'DELETE',
  path: string,
  payload?: JsonObject,
) {
  return app.inject({
    method,
    url: `/customer/${TENANT}${path}`,
    headers: bearer(c.token.access_token),
    ...(payload === undefined ? {} : { payload }),
  });
}

const CHECKS: Record<string, EntryCheck> = {
  'exchange-bad-signature-accepted': async (app) => {
    const subject = withBadSignature(await subjectToken(app, uniqueEmail('fault')));
    const body = await exchanged(app, subject);
    assert.equal(body.subject_access_token, subject, 'the answer echoes the token that was sent');
  },
  'exchange-expired-subject-accepted': async (app) => {
    await exchanged(app, await subjectToken(app, uniqueEmail('fault'), { expiresInSeconds: -60 }));
  },
  'exchange-unknown-issuer-accepted': async (app) => {
    const subject = await subjectToken(app, uniqueEmail('fault'), { issuer: 'https://evil.example.com' });
    await exchanged(app, subject);
  },
  'exchange-unknown-config-accepted': async (app) => {
    await exchanged(app, await subjectToken(app, uniqueEmail('fault')), 'no_such_config');
  },
  'exchange-customer-token-accepted': async (app) => {
    const c = await createCustomer(app);
    const res = await exchange(app, c.token.access_token, await subjectToken(app, uniqueEmail('fault')));
    expectStatus(res, 200, 'exchange with a customer token');
  },
  'exchange-token-other-tenant-accepted': async (app) => {
    const body = await exchanged(app, await subjectToken(app, uniqueEmail('fault')));
    expectStatus(await getMe(app, String(body.access_token), OTHER_TENANT), 200, 'GET /me on another tenant');
  },
  'exchange-token-refused-by-me': async (app) => {
    const body = await exchanged(app, await subjectToken(app, uniqueEmail('fault')));
    expectStatus(await getMe(app, String(body.access_token)), 401, 'GET /me with the exchanged token');
  },
  'contact-email-unsettable': async (app) => {
    const c = await createCustomer(app);
    const res = await asCustomer(app, c, 'PATCH', '/me', { contactEmail: '' });
    expectStatus(res, 200, 'PATCH /me contactEmail ""');
    const me = jsonObject(await getMe(app, c.token.access_token));
    assert.ok(!me.contactEmail, `contactEmail should be gone, got ${JSON.stringify(me.contactEmail)}`);
  },
  'removed-operation-500': async (app) => {
    const c = await createCustomer(app);
    const res = await asCustomer(app, c, 'DELETE', '/me');
    expectStatus(res, 500, 'DELETE /me');
    const assign = await asCustomer(app, c, 'POST', '/me/accounts/internal', {
      email: uniqueEmail('second'),
      password: 'Second-Pw1',
    });
    expectStatus(assign, 500, 'POST /me/accounts/internal');
  },
};

describe('2026-08 contract faults in the registry', () => {
  test('are registered, each once, with a one-sentence description', () => {
    for (const entry of CONTRACT_FAULTS) {
      const registered = FAULT_REGISTRY.filter((e) => e.name === entry.name);
      assert.equal(registered.length, 1, `${entry.name} registered ${registered.length} times`);
      assert.equal(entry.kind, 'fault');
      assert.match(entry.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, entry.name);
      assert.match(entry.description, /^\S[^\n]*\.$/, `${entry.name}: description`);
    }
  });

  test('every entry has a check below, and every check an entry', () => {
    const names = CONTRACT_FAULTS.map((entry) => entry.name as string);
    assert.deepEqual(
      names.filter((name) => !CHECKS[name]),
      [],
    );
    assert.deepEqual(
      Object.keys(CHECKS).filter((name) => !names.includes(name)),
      [],
    );
  });

  test('--fault accepts each of them', () => {
    for (const entry of CONTRACT_FAULTS) {
      const parsed = parseMockOptions(['--fault', entry.name], {});
      assert.deepEqual(parsed.ok && parsed.faults, [entry.name]);
    }
  });

  test('removed-operation-500 implies the 2026-08 contract, and leaves an explicit 2025-12 alone', async () => {
    const implied = await buildApp({ faults: ['removed-operation-500'] });
    const explicit = await buildApp({
      faults: ['removed-operation-500'],
      behaviour: { contract: '2025-12' },
    });
    try {
      assert.equal(implied.app.mockOptions.behaviour.contract, '2026-08');
      assert.equal(explicit.app.mockOptions.behaviour.contract, '2025-12');
    } finally {
      await implied.app.close();
      await explicit.app.close();
    }
  });
});

describe('each 2026-08 contract fault is observable', () => {
  for (const entry of CONTRACT_FAULTS) {
    test(`${entry.name}: ${entry.description}`, () => expectCheckPassesWith(CHECKS, entry.name));
  }
});

describe('each 2026-08 contract check fails against the plain mock', () => {
  for (const entry of CONTRACT_FAULTS) {
    test(`${entry.name}: the check fails against the plain mock`, () =>
      expectCheckFailsWithout(CHECKS, entry.name));
  }
});
