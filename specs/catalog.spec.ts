// One place per operation: the catalog (helpers/catalog.ts) carries each operation's effect, its
// token kinds, its sample body and the methods its path has outside the catalog, and the safety guard
// (helpers/safety.ts) and the negative matrix (helpers/negative-matrix.ts) derive from it. These unit
// tests (@offline) need no server.
import { expect, test } from '../fixtures/index.ts';
import {
  catalogDocument,
  operation,
  operationIds,
  operations,
  type Effect,
  type OperationId,
} from '../helpers/catalog.ts';
import {
  matrixOperations,
  placeholderQuery,
  sampleBody,
  wrongMethodCases,
  type SampleContext,
} from '../helpers/negative-matrix.ts';
import { validateSchema } from '../helpers/schemas.ts';
import { effectOf, OPERATION_EFFECTS } from '../helpers/safety.ts';

/**
 * The effect decided for each operation. A changed effect changes what a read-only run may send to a
 * real tenant: edit it here only on purpose (docs/real-tenants.md). A new operation needs no line here.
 */
const DECIDED_EFFECTS: Partial<Record<OperationId, Effect>> = {
  'GET-oauth-generate-anonymous-access-token': 'read',
  'GET-oauth-refresh-anonymous-access-token': 'read',
  'POST-customer-create-customer-account': 'write',
  'POST-customer-authenticate-customer': 'read',
  'GET-customer-refresh-authtoken': 'read',
  'GET-customer-validate-token': 'read',
  'POST-customer-login-customer-by-auth0': 'write',
  'GET-customer-logout-customer': 'own-session',
  'POST-customer-exchange-authtoken': 'write',
  'GET-customer-retrieve-customer-profile': 'read',
  'PATCH-customer-update-customer': 'write',
  'DELETE-customer-remove-customer-profile': 'write',
  'POST-customer-assign-customer-account': 'write',
  'POST-customer-add-address': 'write',
  'GET-customer-list-customer-addresses': 'read',
  'GET-customer-retrieve-address-by-id': 'read',
  'PATCH-customer-update-customer-address': 'write',
  'DELETE-customer-remove-customer-address-by-id': 'write',
  'POST-customer-add-address-tags': 'write',
  'DELETE-customer-remove-address-tags': 'write',
  'POST-customer-request-reset-password': 'write',
  'POST-customer-reset-password': 'write',
  'POST-customer-change-account-password': 'write',
  'POST-customer-change-customer-login-email': 'write',
  'POST-customer-confirm-customer-login-email': 'write',
  'GET-customer-signup-customer-optin': 'write',
  'POST-customer-refresh-token': 'write',
  'POST-oauth-request-client-credentials': 'read',
  'GET-customer-tenant-retrieve-customer': 'read',
  'PATCH-customer-tenant-update-customer': 'write',
  'DELETE-customer-tenant-remove-customer': 'write',
  'GET-mock-outbox': 'read',
  'POST-mock-idp-authorize': 'write',
  'POST-mock-external-idp-token': 'write',
  'POST-mock-reset': 'write',
};

/** A string still shaped like a fill (`{new-email}`): the matrix would send it as it stands. */
function unfilled(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return /^\{.+\}$/.test(value) ? [`${path || '/'} = ${value}`] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => unfilled(item, `${path}/${i}`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => unfilled(item, `${path}/${key}`));
  }
  return [];
}

test.describe('effects in the catalog @offline', () => {
  test('keeps the effect decided for every operation', () => {
    const derived = Object.fromEntries(
      Object.keys(DECIDED_EFFECTS).map((id) => [id, OPERATION_EFFECTS[id as OperationId].effect]),
    );
    expect(derived, 'x-effect in helpers/catalog.ts against the decided effects').toEqual(DECIDED_EFFECTS);
  });

  test('derives the safety table from the catalog: every operation, its method and its effect', () => {
    expect(Object.keys(OPERATION_EFFECTS)).toEqual([...operationIds]);
    for (const id of operationIds) {
      const { method, effect } = operation(id);
      expect(OPERATION_EFFECTS[id], `${id}: helpers/safety.ts against helpers/catalog.ts`).toEqual({
        method,
        effect,
      });
      expect(effectOf(operation(id)), id).toBe(effect);
    }
  });
});

test.describe('token kinds in the catalog @offline', () => {
  test('gives every operation the security requirement of the token kinds it accepts, in their order', () => {
    for (const [path, item] of Object.entries(catalogDocument.paths ?? {})) {
      for (const method of ['get', 'post', 'patch', 'delete'] as const) {
        const op = item?.[method];
        if (!op) continue;
        const expected = op['x-token-kinds'].map((kind) => ({ [kind]: [] }));
        expect(op.security ?? [], `${op.operationId} (${method.toUpperCase()} ${path}): security`).toEqual(
          expected,
        );
      }
    }
  });
});

test.describe('sample bodies in the catalog @offline', () => {
  const withSample = matrixOperations().filter((op) => op.sampleBody !== undefined);
  const cases: { name: string; ctx: SampleContext }[] = [
    { name: 'without a customer', ctx: { emailTemplate: 'matrix+{n}@example.com' } },
    {
      name: "with the matrix customer's credentials",
      ctx: {
        emailTemplate: 'matrix+{n}@example.com',
        customer: { email: 'matrix-customer@example.com', password: 'Matrix-Passw0rd!' },
      },
    },
  ];

  for (const { name, ctx } of cases) {
    test(`fills every sample body so that its request schema accepts it, ${name}`, () => {
      for (const op of withSample) {
        const body = sampleBody(op, ctx);
        expect(body, `${op.id}: sample body`).toBeDefined();
        expect(unfilled(body), `${op.id}: fills left unfilled`).toEqual([]);
        const check = validateSchema(op.requestSchema ?? '', body);
        expect(
          check.errors.map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`),
          `${op.id}: x-sample-body against ${op.requestSchema}`,
        ).toEqual([]);
      }
    });
  }

  test("fills the customer's own credentials where the case has a customer, fresh ones where not", () => {
    const op = operation('POST-customer-change-customer-login-email');
    const customer = { email: 'matrix-customer@example.com', password: 'Matrix-Passw0rd!' };
    const own = sampleBody(op, { emailTemplate: 'matrix+{n}@example.com', customer });
    expect(own).toMatchObject({ email: customer.email, password: customer.password });
    expect(own?.newEmail).toMatch(/^matrix\+[a-z0-9-]+-\d+@example\.com$/);
    const fresh = sampleBody(op, { emailTemplate: 'matrix+{n}@example.com' });
    expect(fresh?.email).not.toBe(customer.email);
    expect(fresh?.email).toMatch(/^matrix\+[a-z0-9-]+-\d+@example\.com$/);
  });

  test('draws one fresh address per sample body', () => {
    const op = operation('POST-customer-add-address');
    const first = sampleBody(op, { emailTemplate: 'matrix+{n}@example.com' });
    expect(first).toMatchObject({ country: 'DE', tags: ['BILLING'] });
    for (const field of ['contactName', 'city', 'zipCode']) {
      expect(first?.[field], `${field} of the fresh address`).toEqual(expect.stringMatching(/\S/));
    }
  });

  test('refuses a sample body naming a fill the matrix does not know', () => {
    const op = { ...operation('POST-customer-refresh-token'), sampleBody: { email: '{new-emial}' } };
    expect(() => sampleBody(op, { emailTemplate: 'matrix+{n}@example.com' })).toThrow(
      'POST-customer-refresh-token x-sample-body.email: "{new-emial}" names no fill of the negative matrix',
    );
  });
});

test.describe('paths and parameters in the catalog @offline', () => {
  test('never offers a method a path has outside the catalog as a wrong method', () => {
    const untested = Object.entries(catalogDocument.paths ?? {}).flatMap(([path, item]) =>
      (item?.['x-untested-methods'] ?? []).map((u) => ({ path, method: u.method })),
    );
    expect(untested.map((u) => `${u.method} ${u.path}`).sort()).toEqual([
      'PUT /customer/{tenant}/customers/{customerNumber}',
      'PUT /customer/{tenant}/me',
      'PUT /customer/{tenant}/me/addresses/{addressId}',
    ]);
    const offered = wrongMethodCases();
    for (const { path, method } of untested) {
      const wrong = offered.find((c) => c.path === path);
      expect(wrong, `a wrong-method case for ${path}`).toBeDefined();
      expect(wrong?.method, `${path}: the wrong method`).not.toBe(method);
    }
  });

  test("sends a required query parameter's catalog example, else a placeholder", () => {
    expect(placeholderQuery(operations['POST-customer-add-address-tags'])).toEqual({ tags: 'MATRIX' });
    expect(placeholderQuery(operations['GET-customer-refresh-authtoken'])).toEqual({
      refreshToken: 'matrix-refreshToken',
    });
  });
});
