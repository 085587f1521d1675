// The behaviour the core reads: its defaults are docs/behaviour.md, options and layers change it
// field by field, and a behaviour the server cannot serve is refused before anything starts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBehaviour, mergeBehaviour } from '../src/behaviour.ts';
import { resolveMockOptions } from '../src/options.ts';
import { buildMockServer } from '../src/server.ts';
import { SEED_EMAIL, SEED_PASSWORD, TENANT, anonymousLogin, buildApp, login, validate } from './helpers.ts';

describe('mock behaviour', () => {
  test('defaults: 28/32-character tokens, 8-digit customer numbers, 10-hex address ids, +1 versions', async () => {
    const { app } = await buildApp();
    try {
      const anon = await anonymousLogin(app);
      assert.equal(anon.access_token.length, 28);
      assert.equal(anon.refresh_token.length, 32);
      const token = await login(app, anon.access_token, SEED_EMAIL, SEED_PASSWORD);
      const list = await app.inject({
        method: 'GET',
        url: `/customer/${TENANT}/me/addresses`,
        headers: { authorization: `Bearer ${token.access_token}` },
      });
      const [address] = JSON.parse(list.body) as { id: string }[];
      assert.match(address?.id ?? '', /^[0-9a-f]{10}$/);
      assert.equal(defaultBehaviour().versionStep, 1);
      assert.equal(defaultBehaviour().ids.customerNumberDigits, 8);
    } finally {
      await app.close();
    }
  });

  test('an option changes one setting and keeps the others', () => {
    const options = resolveMockOptions({ behaviour: { tokens: { accessLength: 36 } } });
    assert.equal(options.behaviour.tokens.accessLength, 36);
    assert.equal(options.behaviour.tokens.refreshLength, 32);
    assert.equal(options.behaviour.lifetimes.customerAccess, 2591999);
  });

  test('layers apply in order; a function layer sees the behaviour so far', () => {
    const options = resolveMockOptions({
      behaviour: { lifetimes: { customerAccess: 1000 } },
      layers: [
        {
          name: 'double',
          behaviour: ({ lifetimes }) => ({ lifetimes: { customerAccess: lifetimes.customerAccess * 2 } }),
        },
        {
          name: 'plus one',
          behaviour: ({ lifetimes }) => ({ lifetimes: { customerAccess: lifetimes.customerAccess + 1 } }),
        },
      ],
    });
    assert.equal(options.behaviour.lifetimes.customerAccess, 2001);
  });

  test('merging leaves the base untouched', () => {
    const base = defaultBehaviour();
    const merged = mergeBehaviour(base, { checks: { uniqueLogin: false } });
    assert.equal(merged.checks.uniqueLogin, false);
    assert.equal(base.checks.uniqueLogin, true);
  });

  test('an unknown setting is refused by name', () => {
    assert.throws(
      () => buildMockServer({ behaviour: { checks: { noSuchCheck: true } } as never }),
      /unknown setting 'checks.noSuchCheck'/,
    );
  });

  test('a behaviour that cannot be served is refused with every problem', () => {
    assert.throws(
      () =>
        buildMockServer({
          behaviour: { tokens: { accessLength: 2, alphabet: 'a' }, ids: { customerNumberDigits: 20 } },
        }),
      (error: Error) =>
        /tokens\.accessLength/.test(error.message) &&
        /tokens\.alphabet/.test(error.message) &&
        /ids\.customerNumberDigits/.test(error.message),
    );
  });

  test('another token alphabet is served and accepted back', async () => {
    const { app } = await buildApp({ behaviour: { tokens: { alphabet: 'abcdef0123456789' } } });
    try {
      const anon = await anonymousLogin(app);
      assert.match(anon.access_token, /^[a-f0-9]{28}$/);
      const token = await login(app, anon.access_token, SEED_EMAIL, SEED_PASSWORD);
      assert.equal((await validate(app, token.access_token)).statusCode, 200);
    } finally {
      await app.close();
    }
  });
});
