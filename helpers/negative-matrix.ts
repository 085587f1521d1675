// What the negative matrix (specs/negative.spec.ts) is generated from: the catalog's operations and,
// per operation with a JSON body, one valid sample body. Required fields and wrong-typed variants are
// derived from the request schema itself (helpers/schemas.ts), so a new catalog operation is covered
// by the token cases at once and by the body cases as soon as it has a sample (an offline test fails
// until it does).
import type { OpenAPIV3_1 } from 'openapi-types';
import {
  catalogDocument,
  operationIds,
  operations,
  type OperationId,
  type OperationInfo,
  type TokenKind,
} from './catalog.ts';
import { addressBody, newPassword, uniqueEmail } from './data.ts';
import { validateSchema } from './schemas.ts';

export const TOKEN_KINDS: readonly TokenKind[] = ['anonymous', 'customer', 'employee'];

/** Every operation of the catalog except the mock's own test-only paths. */
export function matrixOperations(): OperationInfo[] {
  return operationIds.map((id) => operations[id]).filter((op) => !op.testOnly);
}

/** Operations guarded by a bearer token (docs/behaviour.md, "Token kinds"). */
export function guardedOperations(): OperationInfo[] {
  return matrixOperations().filter((op) => op.tokenKinds.length > 0);
}

/** Token kinds the operation does not accept. */
export function wrongKinds(op: OperationInfo): TokenKind[] {
  return TOKEN_KINDS.filter((kind) => !op.tokenKinds.includes(kind));
}

/** The accepted kind that costs the fewest requests to obtain: anonymous, then employee, then customer. */
export function cheapestKind(op: OperationInfo): TokenKind | undefined {
  return (['anonymous', 'employee', 'customer'] as const).find((kind) => op.tokenKinds.includes(kind));
}

/** True when the operation's body is JSON (form bodies, e.g. /oauth/token, have no JSON types). */
export function takesJsonBody(op: OperationInfo): boolean {
  return op.requestSchema !== undefined && /json/i.test(op.requestContentType ?? '');
}

/** The path parameters of an operation other than `{tenant}`. */
export function resourceParams(op: OperationInfo): string[] {
  return [...op.path.matchAll(/\{([^}]+)\}/g)]
    .map((m) => m[1] ?? '')
    .filter((name) => name !== '' && name !== 'tenant');
}

function isParameter(value: unknown): value is OpenAPIV3_1.ParameterObject {
  return typeof value === 'object' && value !== null && 'in' in value && 'name' in value;
}

/** Required query parameters of an operation, from the catalog document (path and operation level). */
export function requiredQueryParams(op: OperationInfo): string[] {
  const item = catalogDocument.paths?.[op.path];
  const method = op.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
  const params = [...(item?.parameters ?? []), ...(item?.[method]?.parameters ?? [])];
  return params
    .filter(isParameter)
    .filter((p) => p.in === 'query' && p.required === true)
    .map((p) => p.name);
}

/** Values for required query parameters, so that a refusal is about the case tested, not a missing parameter. */
export function placeholderQuery(op: OperationInfo): Record<string, string> {
  const values: Record<string, string> = { tags: 'MATRIX' };
  return Object.fromEntries(requiredQueryParams(op).map((name) => [name, values[name] ?? `matrix-${name}`]));
}

/** A value for an unknown resource id: unmistakably not an existing id, unique per call. */
export function unknownId(name: string): string {
  return `no-such-${name.toLowerCase()}-${Math.random().toString(16).slice(2, 10)}`;
}

/** Path parameters: the given existing ids, else unknown ones (token cases never reach a resource). */
export function pathParams(op: OperationInfo, existing: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(resourceParams(op).map((name) => [name, existing[name] ?? unknownId(name)]));
}

/** Fills a path template: the given values, an unknown id for any other parameter; URI-encoded. */
export function fillTemplate(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? unknownId(name)),
  );
}

/** What a sample body may use: the matrix's shared customer, when the case has one. */
export interface SampleContext {
  emailTemplate: string;
  customer?: { email: string; password: string };
}

type SampleBuilder = (ctx: SampleContext) => Record<string, unknown>;

/**
 * One valid request body per operation with a JSON body. A case that sends it must be refused for
 * the reason it tests only: with the customer's own credentials where the operation checks them.
 */
export const sampleBodies: Partial<Record<OperationId, SampleBuilder>> = {
  'POST-customer-create-customer-account': (ctx) => ({
    email: uniqueEmail(ctx.emailTemplate),
    password: newPassword(),
  }),
  'POST-customer-authenticate-customer': (ctx) => ({
    email: uniqueEmail(ctx.emailTemplate),
    password: newPassword(),
  }),
  'PATCH-customer-update-customer': () => ({ firstName: 'Matrix', preferredCurrency: 'EUR' }),
  'POST-customer-assign-customer-account': (ctx) => ({
    email: uniqueEmail(ctx.emailTemplate),
    password: newPassword(),
  }),
  'POST-customer-add-address': () => {
    const { contactName, city, zipCode } = addressBody();
    return { contactName, city, zipCode, country: 'DE', tags: ['BILLING'] };
  },
  'PATCH-customer-update-customer-address': () => ({ city: 'Matrixstadt', isDefault: true }),
  'POST-customer-request-reset-password': (ctx) => ({ email: uniqueEmail(ctx.emailTemplate), site: 'main' }),
  'POST-customer-reset-password': () => ({ token: 'matrix-unknown-reset-token', password: newPassword() }),
  'POST-customer-change-account-password': (ctx) => ({
    currentPassword: ctx.customer?.password ?? newPassword(),
    newPassword: newPassword(),
  }),
  'POST-customer-change-customer-login-email': (ctx) => ({
    email: ctx.customer?.email ?? uniqueEmail(ctx.emailTemplate),
    password: ctx.customer?.password ?? newPassword(),
    newEmail: uniqueEmail(ctx.emailTemplate),
    syncContactEmail: false,
  }),
  'POST-customer-confirm-customer-login-email': () => ({ token: 'matrix-unknown-email-change-token' }),
  'POST-customer-refresh-token': (ctx) => ({ email: uniqueEmail(ctx.emailTemplate) }),
  'PATCH-customer-tenant-update-customer': () => ({ firstName: 'Matrix', active: true }),
};

/** The sample body of an operation, or undefined when it takes no JSON body or has none yet. */
export function sampleBody(op: OperationInfo, ctx: SampleContext): Record<string, unknown> | undefined {
  return takesJsonBody(op) ? sampleBodies[op.id]?.(ctx) : undefined;
}

/** Operations with a JSON body but no sample body: the matrix cannot build their body cases. */
export function operationsWithoutSample(): OperationInfo[] {
  return matrixOperations().filter((op) => takesJsonBody(op) && sampleBodies[op.id] === undefined);
}

/** A placeholder sample to find field names with (no customer): the keys are what matters. */
export function sampleShape(op: OperationInfo): Record<string, unknown> {
  return sampleBody(op, { emailTemplate: 'matrix+{n}@example.com' }) ?? {};
}

function without(body: Record<string, unknown>, field: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== field));
}

/** Fields the request schema requires at the top level, found by leaving each one out of the sample. */
export function requiredFields(op: OperationInfo): string[] {
  const schema = op.requestSchema;
  if (!schema || !takesJsonBody(op)) return [];
  const sample = sampleShape(op);
  return Object.keys(sample).filter((field) =>
    validateSchema(schema, without(sample, field)).errors.some(
      (e) => e.keyword === 'required' && e.instancePath === '' && e.params.missingProperty === field,
    ),
  );
}

/** A value of another JSON type than `value`. */
export function wrongTypeValue(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not-a-number';
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return 'not-a-list';
  if (value !== null && typeof value === 'object') return 'not-an-object';
  return 'unexpected';
}

/** Sample fields whose value, replaced by another JSON type, the request schema refuses. */
export function wrongTypeFields(op: OperationInfo): string[] {
  const schema = op.requestSchema;
  if (!schema || !takesJsonBody(op)) return [];
  const sample = sampleShape(op);
  return Object.keys(sample).filter(
    (field) => !validateSchema(schema, { ...sample, [field]: wrongTypeValue(sample[field]) }).valid,
  );
}

/**
 * Methods real storefront clients send although the reference does not document them (FACTS: PUT on
 * /me and /me/addresses/{id}): a tenant may serve them, so they are not "wrong methods" to test.
 */
const undocumentedButServed: Record<string, readonly string[]> = {
  '/customer/{tenant}/me': ['PUT'],
  '/customer/{tenant}/me/addresses/{addressId}': ['PUT'],
};

/**
 * Methods another vendor document lists for a catalog path although the catalog does not test them:
 * the tenant-managed reference documents PUT on /customers/{customerNumber} (PUT-customer-tenant-update-customer).
 * A documented method is never a "wrong method".
 */
const documentedElsewhere: Record<string, readonly string[]> = {
  '/customer/{tenant}/customers/{customerNumber}': ['PUT'],
};

/** Catalog paths (test-only ones left out) with one method the catalog does not list for each. */
export function wrongMethodCases(): { path: string; method: string; documented: string[] }[] {
  const byPath = new Map<string, string[]>();
  for (const op of matrixOperations()) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op.method]);
  const cases: { path: string; method: string; documented: string[] }[] = [];
  for (const [path, documented] of byPath) {
    const excluded = [
      ...documented,
      ...(undocumentedButServed[path] ?? []),
      ...(documentedElsewhere[path] ?? []),
    ];
    const method = ['PUT', 'POST', 'DELETE', 'PATCH', 'GET'].find((m) => !excluded.includes(m));
    if (method) cases.push({ path, method, documented });
  }
  return cases;
}
