// What the negative matrix (specs/negative.spec.ts) is generated from: the catalog's operations, each
// with its token kinds, path and query parameters, and, for a JSON body, its sample body
// (`x-sample-body`); the methods a path has outside the catalog (`x-untested-methods`). Everything the
// matrix knows about an operation is in helpers/catalog.ts: this module only derives. Required fields
// and wrong-typed variants come from the request schema itself (helpers/schemas.ts), so a new catalog
// operation is covered by the token cases at once and by the body cases as soon as it has a sample
// (an offline test fails until it does).
import type { OpenAPIV3_1 } from 'openapi-types';
import {
  catalogDocument,
  operationIds,
  operations,
  type OperationInfo,
  type SampleFill,
  type SampleValue,
  type TokenKind,
} from './catalog.ts';
import { addressBody, newPassword, uniqueEmail, type AddressBody } from './data.ts';
import { validateSchema, type SchemaIssue } from './schemas.ts';

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
function requiredQueryParameters(op: OperationInfo): OpenAPIV3_1.ParameterObject[] {
  const item = catalogDocument.paths?.[op.path];
  const method = op.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
  const params = [...(item?.parameters ?? []), ...(item?.[method]?.parameters ?? [])];
  return params.filter(isParameter).filter((p) => p.in === 'query' && p.required === true);
}

/**
 * Values for required query parameters, so that a refusal is about the case tested, not a missing
 * parameter: the parameter's `example` in the catalog, else `matrix-<name>`.
 */
export function placeholderQuery(op: OperationInfo): Record<string, string> {
  return Object.fromEntries(
    requiredQueryParameters(op).map((p) => [
      p.name,
      typeof p.example === 'string' ? p.example : `matrix-${p.name}`,
    ]),
  );
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

/** One fresh address per sample body, drawn when the sample first names one of its fields. */
interface Fresh {
  address(): AddressBody;
}

/** How each fill of a sample body (`SampleFill` in helpers/catalog.ts) is filled. */
const fills: Record<SampleFill, (ctx: SampleContext, fresh: Fresh) => unknown> = {
  'new-email': (ctx) => uniqueEmail(ctx.emailTemplate),
  'new-password': () => newPassword(),
  'customer-email': (ctx) => ctx.customer?.email ?? uniqueEmail(ctx.emailTemplate),
  'customer-password': (ctx) => ctx.customer?.password ?? newPassword(),
  'address.contactName': (_, fresh) => fresh.address().contactName,
  'address.city': (_, fresh) => fresh.address().city,
  'address.zipCode': (_, fresh) => fresh.address().zipCode,
};

function isFill(name: string): name is SampleFill {
  return Object.hasOwn(fills, name);
}

/** A sample value with every `{<fill>}` string filled; a `{...}` naming no fill is a catalog mistake. */
function filled(value: SampleValue, ctx: SampleContext, fresh: Fresh, where: string): unknown {
  if (typeof value === 'string') {
    const name = /^\{(.+)\}$/.exec(value)?.[1];
    if (name === undefined) return value;
    if (!isFill(name)) throw new Error(`${where}: "${value}" names no fill of the negative matrix`);
    return fills[name](ctx, fresh);
  }
  if (Array.isArray(value)) return value.map((item, i) => filled(item, ctx, fresh, `${where}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, filled(item, ctx, fresh, `${where}.${key}`)]),
    );
  }
  return value;
}

/** The sample body of an operation, or undefined when it takes no JSON body or has none yet. */
export function sampleBody(op: OperationInfo, ctx: SampleContext): Record<string, unknown> | undefined {
  if (!takesJsonBody(op) || !op.sampleBody) return undefined;
  let address: AddressBody | undefined;
  const fresh: Fresh = { address: () => (address ??= addressBody()) };
  return filled(op.sampleBody, ctx, fresh, `${op.id} x-sample-body`) as Record<string, unknown>;
}

/** Operations with a JSON body but no sample body: the matrix cannot build their body cases. */
export function operationsWithoutSample(): OperationInfo[] {
  return matrixOperations().filter((op) => takesJsonBody(op) && op.sampleBody === undefined);
}

/** A placeholder sample to find field names with (no customer): the keys are what matters. */
export function sampleShape(op: OperationInfo): Record<string, unknown> {
  return sampleBody(op, { emailTemplate: 'matrix+{n}@example.com' }) ?? {};
}

function without(body: Record<string, unknown>, field: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== field));
}

/** One field a request schema requires at the top level, and whose reading requires it. */
interface RequiredField {
  name: string;
  /**
   * True when the vendor's reference requires it (the schema's own `required`); false when only the
   * project's reading does (`required` under `x-beyond-reference`, docs/discrepancies.md).
   */
  byReference: boolean;
}

function missingAt(issues: readonly SchemaIssue[], field: string): boolean {
  return issues.some(
    (e) => e.keyword === 'required' && e.instancePath === '' && e.params.missingProperty === field,
  );
}

/**
 * Fields the request schema requires at the top level, found by leaving each one out of the sample:
 * those the reference requires and those only the project's reading does, each marked as which.
 */
export function requiredFields(op: OperationInfo): RequiredField[] {
  const schema = op.requestSchema;
  if (!schema || !takesJsonBody(op)) return [];
  const sample = sampleShape(op);
  return Object.keys(sample).flatMap((name): RequiredField[] => {
    const result = validateSchema(schema, without(sample, name));
    if (missingAt(result.errors, name)) return [{ name, byReference: true }];
    if (missingAt(result.beyond, name)) return [{ name, byReference: false }];
    return [];
  });
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
 * Catalog paths (test-only ones left out) with one method the catalog does not list for each. A method
 * the path has outside the catalog (`x-untested-methods`: documented elsewhere, or sent by real
 * clients) is never a "wrong method".
 */
export function wrongMethodCases(): { path: string; method: string; documented: string[] }[] {
  const byPath = new Map<string, string[]>();
  for (const op of matrixOperations()) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op.method]);
  const cases: { path: string; method: string; documented: string[] }[] = [];
  for (const [path, documented] of byPath) {
    const untested = (catalogDocument.paths?.[path]?.['x-untested-methods'] ?? []).map((u) => u.method);
    const excluded = [...documented, ...untested];
    const method = ['PUT', 'POST', 'DELETE', 'PATCH', 'GET'].find((m) => !excluded.includes(m));
    if (method) cases.push({ path, method, documented });
  }
  return cases;
}
