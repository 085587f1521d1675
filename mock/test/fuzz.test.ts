// Property test: whatever a client sends to any route (body, content type, query, path segments,
// token of any kind or none), the mock answers a documented status below 500 with a JSON body.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import {
  TENANT,
  anonymousLogin,
  buildApp,
  createCustomer,
  employeeToken,
  expectDocumentedErrorShape,
  jsonBody,
  type TestApp,
} from './helpers.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Every route of docs/behaviour.md; `{x}` marks a path parameter. POST /_mock/reset is left out: it wipes the tokens the runs use. */
const ROUTES: [Method, string][] = [
  ['GET', '/customerlogin/auth/anonymous/login'],
  ['GET', '/customerlogin/auth/anonymous/refresh'],
  ['POST', '/oauth/token'],
  ['GET', '/customer/{tenant}/customers/{customerNumber}'],
  ['PATCH', '/customer/{tenant}/customers/{customerNumber}'],
  ['DELETE', '/customer/{tenant}/customers/{customerNumber}'],
  ['POST', '/customer/{tenant}/signup'],
  ['POST', '/customer/{tenant}/login'],
  ['GET', '/customer/{tenant}/refreshauthtoken'],
  ['GET', '/customer/{tenant}/validateauthtoken'],
  ['POST', '/customer/{tenant}/socialLogin'],
  ['GET', '/customer/{tenant}/logout'],
  ['GET', '/customer/{tenant}/me'],
  ['PATCH', '/customer/{tenant}/me'],
  ['DELETE', '/customer/{tenant}/me'],
  ['POST', '/customer/{tenant}/me/addresses'],
  ['GET', '/customer/{tenant}/me/addresses'],
  ['GET', '/customer/{tenant}/me/addresses/{addressId}'],
  ['PATCH', '/customer/{tenant}/me/addresses/{addressId}'],
  ['DELETE', '/customer/{tenant}/me/addresses/{addressId}'],
  ['POST', '/customer/{tenant}/me/addresses/{addressId}/tags'],
  ['DELETE', '/customer/{tenant}/me/addresses/{addressId}/tags'],
  ['POST', '/customer/{tenant}/me/accounts/internal'],
  ['POST', '/customer/{tenant}/me/accounts/internal/email/change'],
  ['POST', '/customer/{tenant}/me/accounts/internal/email/change/confirm'],
  ['POST', '/customer/{tenant}/password/reset'],
  ['POST', '/customer/{tenant}/password/reset/update'],
  ['POST', '/customer/{tenant}/password/change'],
  ['GET', '/customer/{tenant}/signup/optin/{token}'],
  ['POST', '/customer/{tenant}/signup/optin/refresh_token'],
  ['GET', '/_mock/{tenant}/outbox'],
  ['POST', '/_mock/{tenant}/idp/authorize'],
];

const DOCUMENTED_STATUSES = new Set([200, 201, 202, 204, 400, 401, 403, 404, 405, 409]);
const RUNS_PER_ROUTE = 50;

const KNOWN_FIELDS = [
  'email',
  'password',
  'newEmail',
  'newPassword',
  'currentPassword',
  'token',
  'site',
  'syncContactEmail',
  'customerDetails',
  'customerAddress',
  'firstName',
  'contactName',
  'country',
  'tags',
  'isDefault',
  'metadata',
  'active',
  'onHold',
  'redirect_uri',
  'code_challenge',
  'code_challenge_method',
  'preferredCurrency',
  'b2b',
  '__proto__',
  'constructor',
];
const KNOWN_QUERY = [
  'tenant',
  'client_id',
  'refresh_token',
  'anonymous_token',
  'refreshToken',
  'legalEntityId',
  'accessToken',
  'code',
  'redirect_uri',
  'code_verifier',
  'expand',
  'tags',
  'token',
  'to',
  'currency',
  'siteCode',
];

const segment = fc.oneof(
  fc.constantFrom('mocktenant', 'othertenant', '12345678', '0123456789', '00000000', '..', '%2F', 'null'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ minLength: 100, maxLength: 300 }),
);

const nearValidObject = fc.dictionary(fc.constantFrom(...KNOWN_FIELDS), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 6,
});

/** A body as raw text or bytes, with a content type (or none). */
const body = fc.oneof(
  fc.constant<string | Buffer | undefined>(undefined),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.object({ maxDepth: 2 }).map((o) => JSON.stringify(o)),
  nearValidObject.map((o) => JSON.stringify(o)),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
);
const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/merge-patch+json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
);
const query = fc.oneof(
  fc.dictionary(fc.constantFrom(...KNOWN_QUERY), fc.string({ maxLength: 60 }), { maxKeys: 5 }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30 }), { maxKeys: 4 }),
);
type TokenKind = 'none' | 'anonymous' | 'customer' | 'employee' | 'garbage' | 'malformed';
const tokenKind = fc.constantFrom<TokenKind>(
  'none',
  'anonymous',
  'customer',
  'employee',
  'garbage',
  'malformed',
);

describe('fuzz: no 5xx and a JSON body for any input', () => {
  let t: TestApp;
  const tokens: Record<'anonymous' | 'customer' | 'employee', string> = {
    anonymous: '',
    customer: '',
    employee: '',
  };
  before(async () => {
    t = await buildApp();
    tokens.anonymous = (await anonymousLogin(t.app)).access_token;
    tokens.customer = (await createCustomer(t.app)).token.access_token;
    tokens.employee = await employeeToken(t.app);
  });
  after(async () => {
    await t.app.close();
  });

  ROUTES.forEach(([method, template], index) => {
    test(`${method} ${template} answers a documented status below 500 with a JSON body`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(segment, { minLength: 3, maxLength: 3 }),
          fc.boolean(),
          query,
          body,
          contentType,
          tokenKind,
          fc.string({ maxLength: 50 }),
          async ([s0, s1, s2], realTenant, q, payload, type, kind, garbage) => {
            const values = [realTenant ? TENANT : s0!, s1!, s2!];
            let i = 0;
            const url = template.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[i++] ?? ''));
            const headers: Record<string, string> = {};
            if (type !== undefined) headers['content-type'] = type;
            if (kind === 'garbage') headers.authorization = `Bearer ${garbage.replace(/[^\x21-\x7e]/g, 'x')}`;
            else if (kind === 'malformed') headers.authorization = garbage.replace(/[^\x20-\x7e]/g, 'x');
            else if (kind !== 'none') headers.authorization = `Bearer ${tokens[kind]}`;
            const options: InjectOptions = { method, url, headers, query: q };
            if (payload !== undefined) options.payload = payload;
            const res = await t.app.inject(options);
            const context = `${method} ${url.slice(0, 120)} (${kind}, ${type ?? 'no content type'})`;
            assert.ok(res.statusCode < 500, `${context}: status ${res.statusCode} ${res.body.slice(0, 300)}`);
            assert.ok(
              DOCUMENTED_STATUSES.has(res.statusCode),
              `${context}: undocumented status ${res.statusCode}`,
            );
            if (res.statusCode >= 400) expectDocumentedErrorShape(res, context);
            else if (res.body !== '') jsonBody(res, context);
          },
        ),
        { numRuns: RUNS_PER_ROUTE, seed: 20251201 + index, endOnFailure: true },
      );
    });
  });
});
