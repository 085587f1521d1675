// The suite's own operation catalog: every operation the suite calls, as an OpenAPI 3.1 document whose
// response and request schemas point at the project's JSON Schemas (schemas/). The typed view
// `operations` is derived from the document. Sources: the vendor's customer-managed, tenant-managed and
// OAuth references (December 2025 and August 2026) and the decisions in docs/behaviour.md; every status
// added beyond the reference is listed in docs/discrepancies.md.
//
// Contract versions (docs/contract-versions.md): an operation or a parameter that only some versions
// document carries `x-contracts`; everything else is documented by both. `catalogFor(version)` is the
// document as that version has it, and the selected version (EMPORIX_CONTRACT) decides which
// operations a run holds the target to and which it only probes.
import type { OpenAPIV3_1 } from 'openapi-types';
import { CONTRACT_VERSIONS, loadConfig, type ContractVersion } from './config.ts';
import { hasSchema, schemaUri, type SchemaId } from './schemas.ts';

export type { ContractVersion } from './config.ts';

export type TokenKind = 'anonymous' | 'customer' | 'employee';
export type Chapter =
  'authentication' | 'profile' | 'addresses' | 'credentials' | 'opt-in' | 'employee' | 'test-only';
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * What an operation does to the tenant's data. Against a real tenant the safety guard
 * (helpers/safety.ts) sends a `write` only with EMPORIX_ALLOW_DESTRUCTIVE=true.
 * - `read`: changes no customer data. Logins and token requests are here: they open a session (and
 *   may stamp `lastLogin`), which is how every read-only run starts.
 * - `own-session`: ends only a session this run opened (logout revokes the calling token and its
 *   refresh token, nothing else). Allowed in read-only runs, so a run leaves no live token behind.
 * - `write`: creates, changes or deletes customer data, or emails a real person.
 */
export type Effect = 'read' | 'own-session' | 'write';

/** Every operation of the catalog, by the vendor's operationId (the test-only ones are the project's own). */
export const operationIds = [
  // authentication
  'GET-oauth-generate-anonymous-access-token',
  'GET-oauth-refresh-anonymous-access-token',
  'POST-customer-create-customer-account',
  'POST-customer-authenticate-customer',
  'GET-customer-refresh-authtoken',
  'GET-customer-validate-token',
  'POST-customer-login-customer-by-auth0',
  'GET-customer-logout-customer',
  'POST-customer-exchange-authtoken',
  // profile
  'GET-customer-retrieve-customer-profile',
  'PATCH-customer-update-customer',
  'DELETE-customer-remove-customer-profile',
  'POST-customer-assign-customer-account',
  // addresses
  'POST-customer-add-address',
  'GET-customer-list-customer-addresses',
  'GET-customer-retrieve-address-by-id',
  'PATCH-customer-update-customer-address',
  'DELETE-customer-remove-customer-address-by-id',
  'POST-customer-add-address-tags',
  'DELETE-customer-remove-address-tags',
  // credentials
  'POST-customer-request-reset-password',
  'POST-customer-reset-password',
  'POST-customer-change-account-password',
  'POST-customer-change-customer-login-email',
  'POST-customer-confirm-customer-login-email',
  // opt-in
  'GET-customer-signup-customer-optin',
  'POST-customer-refresh-token',
  // employee
  'POST-oauth-request-client-credentials',
  'GET-customer-tenant-retrieve-customer',
  'PATCH-customer-tenant-update-customer',
  'DELETE-customer-tenant-remove-customer',
  // test-only (mock)
  'GET-mock-outbox',
  'POST-mock-idp-authorize',
  'POST-mock-external-idp-token',
  'POST-mock-reset',
] as const;

export type OperationId = (typeof operationIds)[number];

/** The project's extensions on each operation object. */
export interface CatalogExtensions {
  operationId: OperationId;
  summary: string;
  /** Token kinds the operation accepts (docs/behaviour.md, "Token kinds"); [] when it takes no bearer token. */
  'x-token-kinds': TokenKind[];
  /** The tutorial chapter the operation belongs to. */
  'x-chapter': Chapter;
  /** What the operation does to the tenant's data; required, so no operation escapes the safety guard. */
  'x-effect': Effect;
  /** A valid JSON request body the negative matrix breaks field by field (see `SampleBody`). */
  'x-sample-body'?: SampleBody;
  /** Paths that exist only on the mock, under /_mock/. */
  'x-test-only'?: boolean;
  /** Statuses the suite accepts although the vendor's reference does not list them (docs/discrepancies.md). */
  'x-statuses-beyond-reference'?: number[];
  /** Statuses the reference lists without a body, to which the project gives one (docs/discrepancies.md). */
  'x-bodies-beyond-reference'?: number[];
  /** Why a real tenant may no longer answer this operation as the December 2025 documents describe. */
  'x-later-removed'?: string;
  /** The contract versions that document the operation; absent means every version. */
  'x-contracts'?: ContractVersion[];
  /** The vendor document the operation belongs to; absent means the customer-managed reference. */
  'x-document'?: VendorDocument;
  /** Where the suite deliberately models the operation otherwise than the reference (drift report). */
  'x-reference-decisions'?: ReferenceDecision[];
  /** The vendor's name for the request body's schema, per version (the drift report compares it). */
  'x-vendor-request-schema'?: Partial<Record<ContractVersion, string>>;
}

/**
 * A place where the suite, on purpose, does not model a field or parameter the way the vendor's
 * reference does (docs/discrepancies.md). The drift report lists a matching difference as decided,
 * not as drift. `kind` and `where` use the drift report's words (`field-removed` = the suite
 * describes a field the reference does not list; `where` = `request`, `response 200`, `query:name`).
 */
export interface ReferenceDecision {
  kind: 'field-added' | 'field-removed' | 'field-retyped' | 'parameter-newly-required';
  where: string;
  /** The field's dotted path; for a parameter, its `in:name` is `where` and `name` is empty. */
  name: string;
  /** For `field-retyped`: the type the reference gives. */
  after?: string;
  why: string;
}

/** The project's extensions on each path item. */
export interface CatalogPathExtensions {
  /** Methods the path has although the catalog does not test them: the negative matrix never calls them wrong. */
  'x-untested-methods'?: UntestedMethod[];
}

/** A method a target may serve on a catalog path although the catalog does not test it, and why. */
export interface UntestedMethod {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  why: string;
}

/**
 * What the negative matrix fills into a sample body, anew for each case: `new-email` an unused address
 * from EMPORIX_EMAIL_TEMPLATE, `new-password` a valid password, `customer-email` and
 * `customer-password` the matrix customer's own (fresh ones where the case has no customer),
 * `address.<field>` that field of a fresh address.
 */
export type SampleFill =
  | 'new-email'
  | 'new-password'
  | 'customer-email'
  | 'customer-password'
  | 'address.contactName'
  | 'address.city'
  | 'address.zipCode';

/** A JSON value of a sample body; a string `{<fill>}` is filled per case (see `SampleFill`). */
export type SampleValue = string | number | boolean | null | SampleValue[] | { [field: string]: SampleValue };

/**
 * A valid request body for the negative matrix to send with its token cases and to break in its body
 * cases (a field left out, a field of another type). A case that sends it is refused for the reason it
 * tests only: with the customer's own credentials where the operation checks them.
 */
export type SampleBody = Record<string, SampleValue>;

/** The vendor documents the catalog draws from; `mock` marks the mock's own test-only paths. */
export type VendorDocument = 'customer-managed' | 'tenant-managed' | 'oauth' | 'mock';

/** A parameter with the versions that document it (absent: every version). */
export type CatalogParameter = OpenAPIV3_1.ParameterObject & { 'x-contracts'?: ContractVersion[] };

export type CatalogDocument = OpenAPIV3_1.Document<CatalogExtensions> & {
  paths?: OpenAPIV3_1.PathsObject<CatalogExtensions, CatalogPathExtensions>;
};
type Operation = OpenAPIV3_1.OperationObject<CatalogExtensions>;

// The helpers below return plain shapes (no declared OpenAPI types): openapi-types' 3.1 path item also
// carries the 3.0 operation type, and only a plain `{ $ref }` schema satisfies both.
function body(description: string, schema: SchemaId) {
  return { description, content: { 'application/json': { schema: { $ref: schemaUri(schema) } } } };
}

function noBody(description: string) {
  return { description };
}

function request(schema: SchemaId, contentType = 'application/json') {
  return { required: true, content: { [contentType]: { schema: { $ref: schemaUri(schema) } } } };
}

/** A JSON request body and the sample the negative matrix sends and breaks. */
function jsonBody(schema: SchemaId, sample: SampleBody) {
  return { requestBody: request(schema), 'x-sample-body': sample };
}

/** A sample value filled per case (see `SampleFill`). */
function fill(name: SampleFill): string {
  return `{${name}}`;
}

/** Credentials of a customer who does not exist. */
const newCredentials: SampleBody = { email: fill('new-email'), password: fill('new-password') };

/**
 * The token kinds an operation accepts (docs/behaviour.md, "Token kinds"), in the order given, and
 * its security requirement: one bearer scheme per kind.
 */
function acceptsTokens(...kinds: TokenKind[]) {
  return { 'x-token-kinds': kinds, security: kinds.map((kind) => ({ [kind]: [] })) };
}

const badRequest = body('Invalid request', 'error');
const unauthorized = body('Missing, unknown, expired or revoked token (gateway fault)', 'fault');
const forbidden = body('Token of a kind the operation does not accept', 'error');
const notFound = body('Unknown resource', 'error');
const conflict = body('Conflicts with the current state', 'error');

/** The usual refusals of an operation guarded by a bearer token. */
const guarded = { '400': badRequest, '401': unauthorized, '403': forbidden };

const tenantParameter: OpenAPIV3_1.ParameterObject = {
  name: 'tenant',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[a-z][a-z0-9]+$', minLength: 3, maxLength: 16 },
};

/**
 * `{tenant}` where the reference declares it without the shared parameter's pattern: an inline
 * parameter at the operation (refreshauthtoken, where it overrides the path's; validateauthtoken;
 * assigning an account; confirming an email change) or TM's `tenant` (the customer by number). A
 * malformed tenant name refused there is the project's reading (docs/discrepancies.md).
 */
const tenantParameterWithoutPattern: OpenAPIV3_1.ParameterObject = {
  name: 'tenant',
  in: 'path',
  required: true,
  schema: { type: 'string' },
};

/** True when the operation's `{tenant}` carries the reference's tenant-name pattern. */
export function tenantPatternDeclared(op: Pick<OperationInfo, 'path' | 'method'>): boolean {
  const item = catalogDocument.paths?.[op.path];
  const method = op.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
  const params = [...(item?.[method]?.parameters ?? []), ...(item?.parameters ?? [])];
  // An operation's own parameter overrides the path's (OpenAPI 3.1 §4.8.9).
  const tenant = params.find(
    (p): p is OpenAPIV3_1.ParameterObject => 'name' in p && p.name === 'tenant' && p.in === 'path',
  );
  const schema = tenant?.schema;
  return schema !== undefined && 'pattern' in schema && typeof schema.pattern === 'string';
}

/**
 * True when the reference declares the bearer token as a required `Authorization` header parameter of
 * the operation (exchangeauthtoken: `security: []`) rather than through a security scheme.
 */
export function authorizationParameterRequired(op: Pick<OperationInfo, 'path' | 'method'>): boolean {
  const method = op.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
  const params = catalogDocument.paths?.[op.path]?.[method]?.parameters ?? [];
  return params.some(
    (p) =>
      'name' in p && p.in === 'header' && p.name.toLowerCase() === 'authorization' && p.required === true,
  );
}

function pathParameter(name: string): OpenAPIV3_1.ParameterObject {
  return { name, in: 'path', required: true, schema: { type: 'string', minLength: 1 } };
}

function query(name: string, required: boolean, contracts?: ContractVersion[]): CatalogParameter {
  return {
    name,
    in: 'query',
    required,
    schema: { type: 'string' },
    ...(contracts ? { 'x-contracts': contracts } : {}),
  };
}

const laterRemoved =
  'The vendor reference of 2026 (contract 2026-08) no longer lists this operation; a current tenant may answer 404 or 405.';
/** Documented by December 2025 only. */
const onlyDecember: ContractVersion[] = ['2025-12'];
/** Documented from August 2026 on. */
const fromAugust: ContractVersion[] = ['2026-08'];

/** Fields the suite describes although the reference does not list them (each with the reason). */
function describedBeyond(where: string, names: string[], why: string): ReferenceDecision[] {
  return names.map((name) => ({ kind: 'field-removed', where, name, why }));
}

const timestampsWhy =
  'Timestamps real tenants send (FACTS.md); the reference lists only version and mixins in metadata.';
const initialPasswordDecision: ReferenceDecision = {
  kind: 'field-retyped',
  where: 'response 200',
  name: 'initialPassword',
  after: 'string',
  why: 'A boolean, as every example answer shows; the reference types it string (docs/discrepancies.md).',
};
const servedUndocumented =
  'Real storefront clients send it (FACTS.md); the reference does not document it, yet a tenant may serve it.';
const anonymousRefreshFieldsWhy =
  "In the reference's and the tutorial's example answers, not in its AnonymousAccessToken schema.";

export const catalogDocument: CatalogDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Emporix Customer Service (customer-managed): operations the conformance suite calls',
    version: '2025-12',
  },
  jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
  servers: [{ url: 'https://api.emporix.io' }],
  components: {
    securitySchemes: {
      anonymous: { type: 'http', scheme: 'bearer', description: 'Anonymous access token' },
      customer: { type: 'http', scheme: 'bearer', description: 'Customer access token' },
      employee: { type: 'http', scheme: 'bearer', description: 'Service (employee) access token' },
    },
  },
  paths: {
    '/customerlogin/auth/anonymous/login': {
      get: {
        operationId: 'GET-oauth-generate-anonymous-access-token',
        summary: 'Get an anonymous token for a new storefront session',
        'x-chapter': 'authentication',
        'x-effect': 'read',
        'x-token-kinds': [],
        'x-statuses-beyond-reference': [400, 401],
        'x-reference-decisions': describedBeyond(
          'response 200',
          ['refresh_token', 'refresh_token_expires_in'],
          anonymousRefreshFieldsWhy,
        ),
        parameters: [
          query('tenant', true),
          query('client_id', true),
          // Session context the 2026 reference lets a storefront set when the session starts.
          query('currency', false, fromAugust),
          query('siteCode', false, fromAugust),
          query('language', false, fromAugust),
          query('targetLocation', false, fromAugust),
        ],
        responses: {
          '200': body('Anonymous token and session id', 'anonymous-token'),
          '400': badRequest,
          '401': unauthorized,
        },
      },
    },
    '/customerlogin/auth/anonymous/refresh': {
      get: {
        operationId: 'GET-oauth-refresh-anonymous-access-token',
        summary: 'Refresh an anonymous token, keeping its session id',
        'x-chapter': 'authentication',
        'x-effect': 'read',
        'x-token-kinds': [],
        'x-statuses-beyond-reference': [400, 401],
        'x-reference-decisions': [
          ...describedBeyond(
            'response 200',
            ['refresh_token', 'refresh_token_expires_in'],
            anonymousRefreshFieldsWhy,
          ),
          ...(['query:anonymous_token', 'query:refresh_token'] as const).map((where): ReferenceDecision => ({
            kind: 'parameter-newly-required',
            where,
            name: '',
            why: 'The reference marks both required, yet they are alternatives: refresh_token, or the deprecated anonymous_token.',
          })),
        ],
        parameters: [
          query('tenant', true),
          query('client_id', true),
          query('refresh_token', false),
          { ...query('anonymous_token', false), deprecated: true },
        ],
        responses: {
          // With the deprecated anonymous_token parameter the answer follows anonymous-token-deprecated-refresh.json.
          '200': body('New anonymous token for the same session', 'anonymous-token'),
          '400': badRequest,
          '401': unauthorized,
        },
      },
    },
    '/customer/{tenant}/signup': {
      parameters: [tenantParameter],
      post: {
        operationId: 'POST-customer-create-customer-account',
        summary: 'Create a customer account',
        'x-chapter': 'authentication',
        'x-effect': 'write',
        ...acceptsTokens('anonymous'),
        'x-reference-decisions': [
          ...(['customerAddress.id', 'customerAddress.metadata'] as const).map((name): ReferenceDecision => ({
            kind: 'field-added',
            where: 'request',
            name,
            why: "A new customer's address has no id or metadata yet: the suite never sends them.",
          })),
          ...describedBeyond(
            'request',
            ['customerDetails.b2b.legalEntities'],
            'The b2b object is shared with the profile, where the reference lists legalEntities.',
          ),
        ],
        ...jsonBody('signup', newCredentials),
        responses: {
          '201': body('Customer number of the new customer', 'resource-id'),
          ...guarded,
          '409': conflict,
        },
      },
    },
    '/customer/{tenant}/login': {
      parameters: [tenantParameter],
      post: {
        operationId: 'POST-customer-authenticate-customer',
        summary: 'Log a customer in with email and password',
        'x-chapter': 'authentication',
        'x-effect': 'read',
        ...acceptsTokens('anonymous'),
        'x-statuses-beyond-reference': [403],
        'x-reference-decisions': [initialPasswordDecision],
        ...jsonBody('login', newCredentials),
        responses: { '200': body('Customer access, refresh and SaaS tokens', 'customer-token'), ...guarded },
      },
    },
    '/customer/{tenant}/refreshauthtoken': {
      parameters: [tenantParameterWithoutPattern],
      get: {
        operationId: 'GET-customer-refresh-authtoken',
        summary: 'Refresh a customer token',
        'x-chapter': 'authentication',
        'x-effect': 'read',
        ...acceptsTokens('anonymous', 'customer'),
        'x-statuses-beyond-reference': [403],
        parameters: [query('refreshToken', true), query('legalEntityId', false)],
        responses: {
          '200': body('New customer token for the same session', 'refreshed-customer-token'),
          ...guarded,
        },
      },
    },
    '/customer/{tenant}/validateauthtoken': {
      parameters: [tenantParameterWithoutPattern],
      get: {
        operationId: 'GET-customer-validate-token',
        summary: 'Read the details of a customer token',
        'x-chapter': 'authentication',
        'x-effect': 'read',
        ...acceptsTokens('customer'),
        // 400: a malformed {tenant} (discrepancies row 54); R lists no 400 here.
        'x-statuses-beyond-reference': [400, 403],
        'x-bodies-beyond-reference': [401],
        'x-reference-decisions': describedBeyond(
          'response 401',
          ['fault'],
          "The reference documents no 401 body here; the gateway's fault body (docs/behaviour.md).",
        ),
        responses: {
          '200': body('Remaining lifetime, scopes, session and email of the token', 'validate-token'),
          '400': badRequest,
          '401': unauthorized,
          '403': forbidden,
        },
      },
    },
    '/customer/{tenant}/socialLogin': {
      parameters: [tenantParameter],
      post: {
        operationId: 'POST-customer-login-customer-by-auth0',
        summary: 'Log a customer in with an identity-provider authorization code',
        'x-chapter': 'authentication',
        // Creates the customer on first use.
        'x-effect': 'write',
        ...acceptsTokens('anonymous'),
        'x-statuses-beyond-reference': [403],
        parameters: [
          query('code', true),
          query('redirect_uri', true),
          query('code_verifier', false),
          { name: 'session-id', in: 'header', required: false, schema: { type: 'string' } },
        ],
        responses: { '200': body('Customer and identity-provider tokens', 'social-login-token'), ...guarded },
      },
    },
    '/customer/{tenant}/logout': {
      parameters: [tenantParameter],
      get: {
        operationId: 'GET-customer-logout-customer',
        summary: 'Revoke a customer access token',
        'x-chapter': 'authentication',
        'x-effect': 'own-session',
        ...acceptsTokens('customer'),
        'x-statuses-beyond-reference': [403],
        parameters: [query('accessToken', true)],
        responses: { '204': noBody('Token revoked'), ...guarded },
      },
    },
    '/customer/{tenant}/exchangeauthtoken': {
      parameters: [tenantParameter],
      post: {
        operationId: 'POST-customer-exchange-authtoken',
        summary: "Exchange an external identity provider's access token (JWT) for a customer token",
        'x-chapter': 'authentication',
        // Like social login, may create the customer the external identity names.
        'x-effect': 'write',
        ...acceptsTokens('anonymous'),
        'x-contracts': fromAugust,
        parameters: [
          query('subjectAccessToken', true),
          query('config', false),
          // R (2026-08): `security: []`, the anonymous token a required header parameter instead.
          { name: 'Authorization', in: 'header', required: true, schema: { type: 'string' } },
        ],
        responses: {
          '200': body('Customer token for the identity the subject token names', 'exchange-token'),
          ...guarded,
        },
      },
    },
    '/customer/{tenant}/me': {
      parameters: [tenantParameter],
      'x-untested-methods': [{ method: 'PUT', why: servedUndocumented }],
      get: {
        operationId: 'GET-customer-retrieve-customer-profile',
        summary: "Read the caller's profile",
        'x-chapter': 'profile',
        'x-effect': 'read',
        ...acceptsTokens('customer', 'anonymous'),
        'x-reference-decisions': describedBeyond(
          'response 200',
          ['metadata', 'addresses[].metadata', 'defaultAddress.metadata'].flatMap((m) => [
            `${m}.createdAt`,
            `${m}.modifiedAt`,
          ]),
          timestampsWhy,
        ),
        parameters: [query('expand', false)],
        responses: { '200': body('Customer profile, or the anonymous profile', 'me-profile'), ...guarded },
      },
      patch: {
        operationId: 'PATCH-customer-update-customer',
        summary: "Update the caller's profile",
        'x-chapter': 'profile',
        'x-effect': 'write',
        ...acceptsTokens('customer'),
        'x-statuses-beyond-reference': [409],
        // August 2026 names the body CustomerPatchDto: the same fields, and contactEmail cannot be unset.
        'x-vendor-request-schema': { '2025-12': 'CustomerUpdateDto', '2026-08': 'CustomerPatchDto' },
        'x-sample-body': { firstName: 'Matrix', preferredCurrency: 'EUR' },
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: schemaUri('profile-update') } },
            'application/merge-patch+json': { schema: { $ref: schemaUri('profile-update') } },
          },
        },
        responses: { '200': noBody('Profile updated'), ...guarded, '409': conflict },
      },
      delete: {
        operationId: 'DELETE-customer-remove-customer-profile',
        summary: "Delete the caller's profile (two steps: request, then confirm with the emailed token)",
        'x-chapter': 'profile',
        'x-effect': 'write',
        ...acceptsTokens('customer'),
        'x-later-removed': laterRemoved,
        'x-contracts': onlyDecember,
        parameters: [query('token', false)],
        responses: {
          '202': noBody('Confirmation token emailed'),
          '204': noBody('Profile deleted'),
          ...guarded,
        },
      },
    },
    '/customer/{tenant}/me/accounts/internal': {
      parameters: [tenantParameterWithoutPattern],
      post: {
        operationId: 'POST-customer-assign-customer-account',
        summary: 'Add a second email and password login to the caller',
        'x-chapter': 'profile',
        'x-effect': 'write',
        ...acceptsTokens('customer'),
        'x-later-removed': laterRemoved,
        'x-contracts': onlyDecember,
        ...jsonBody('assign-account', newCredentials),
        responses: {
          '201': body('Customer number the login was added to', 'resource-id'),
          ...guarded,
          '409': conflict,
        },
      },
    },
    '/customer/{tenant}/me/addresses': {
      parameters: [tenantParameter],
      post: {
        operationId: 'POST-customer-add-address',
        summary: 'Add an address to the caller',
        'x-chapter': 'addresses',
        'x-effect': 'write',
        ...acceptsTokens('customer'),
        ...jsonBody('address-create', {
          contactName: fill('address.contactName'),
          city: fill('address.city'),
          zipCode: fill('address.zipCode'),
          country: 'DE',
          tags: ['BILLING'],
        }),
        responses: { '201': body('Id of the new address', 'resource-id'), ...guarded },
      },
      get: {
        operationId: 'GET-customer-list-customer-addresses',
        summary: "List the caller's addresses",
        'x-chapter': 'addresses',
        'x-effect': 'read',
        ...acceptsTokens('customer'),
        responses: { '200': body('Every address of the caller', 'address-list'), ...guarded },
      },
    },
    '/customer/{tenant}/me/addresses/{addressId}': {
      parameters: [tenantParameter, pathParameter('addressId')],
      'x-untested-methods': [{ method: 'PUT', why: servedUndocumented }],
      get: {
        operationId: 'GET-customer-retrieve-address-by-id',
        summary: 'Read one address of the caller',
        'x-chapter': 'addresses',
        'x-effect': 'read',
        ...acceptsTokens('customer'),
        'x-reference-decisions': describedBeyond(
          'response 200',
          ['metadata.createdAt', 'metadata.modifiedAt', 'metadata.version'],
          'The metadata every address carries (FACTS.md); the reference lists none for one address.',
        ),
        responses: { '200': body('The address', 'address'), ...guarded, '404': notFound },
      },
      patch: {
        operationId: 'PATCH-customer-update-customer-address',
        summary: 'Partially update one address of the caller',
        'x-chapter': 'addresses',
        'x-effect': 'write',
        ...acceptsTokens('customer'),
        'x-reference-decisions': describedBeyond(
          'request',
          ['metadata.version'],
          'The version a client sends back for optimistic locking (FACTS.md); the reference lists no metadata here.',
        ),
        ...jsonBody('address-update', { city: 'Matrixstadt', isDefault: true }),
        responses: { '200': noBody('Address updated'), ...guarded, '404': notFound },
      },
      delete: {
        operationId: 'DELETE-customer-remove-customer-address-by-id',
        summary: 'Delete one address of the caller',
        'x-chapter': 'addresses',
        'x-effect': 'write',
        ...acceptsTokens('customer'),
        responses: { '204': noBody('Address deleted'), ...guarded, '404': notFound },
      },
    },
    '/customer/{tenant}/me/addresses/{addressId}/tags': {
      // The example is the value the negative matrix sends where a case is not about the tags.
      parameters: [
        tenantParameter,
        pathParameter('addressId'),
        { ...query('tags', true), example: 'MATRIX' },
      ],
      post: {
        operationId: 'POST-customer-add-address-tags',
        summary: 'Add tags to an address',
        'x-chapter': 'addresses',
        'x-effect': 'write',
        ...acceptsTokens('customer'),
        responses: { '204': noBody('Tags added'), ...guarded, '404': notFound },
      },
      delete: {
        operationId: 'DELETE-customer-remove-address-tags',
        summary: 'Remove tags from an address',
        'x-chapter': 'addresses',
        'x-effect': 'write',
        ...acceptsTokens('customer'),
        responses: { '204': noBody('Tags removed'), ...guarded, '404': notFound },
      },
    },
    '/customer/{tenant}/password/reset': {
      parameters: [tenantParameter],
      post: {
        operationId: 'POST-customer-request-reset-password',
        summary: 'Ask for a password-reset token by email',
        'x-chapter': 'credentials',
        // Emails a reset link to a real address.
        'x-effect': 'write',
        ...acceptsTokens('anonymous'),
        ...jsonBody('password-reset-request', { email: fill('new-email'), site: 'main' }),
        responses: { '204': noBody('Accepted; a token is emailed when the account exists'), ...guarded },
      },
    },
    '/customer/{tenant}/password/reset/update': {
      parameters: [tenantParameter],
      post: {
        operationId: 'POST-customer-reset-password',
        summary: 'Set a new password with the emailed reset token',
        'x-chapter': 'credentials',
        'x-effect': 'write',
        ...acceptsTokens('anonymous'),
        ...jsonBody('password-reset-update', {
          token: 'matrix-unknown-reset-token',
          password: fill('new-password'),
        }),
        responses: { '204': noBody('Password replaced'), ...guarded },
      },
    },
    '/customer/{tenant}/password/change': {
      parameters: [tenantParameter],
      post: {
        operationId: 'POST-customer-change-account-password',
        summary: "Change the caller's password",
        'x-chapter': 'credentials',
        'x-effect': 'write',
        ...acceptsTokens('customer'),
        ...jsonBody('password-change', {
          currentPassword: fill('customer-password'),
          newPassword: fill('new-password'),
        }),
        responses: { '204': noBody('Password changed'), ...guarded },
      },
    },
    '/customer/{tenant}/me/accounts/internal/email/change': {
      parameters: [tenantParameter],
      post: {
        operationId: 'POST-customer-change-customer-login-email',
        summary: 'Ask to change the login email; a token goes to the new address',
        'x-chapter': 'credentials',
        'x-effect': 'write',
        ...acceptsTokens('customer'),
        ...jsonBody('email-change-request', {
          email: fill('customer-email'),
          password: fill('customer-password'),
          newEmail: fill('new-email'),
          syncContactEmail: false,
        }),
        responses: { '204': noBody('Confirmation token emailed to the new address'), ...guarded },
      },
    },
    '/customer/{tenant}/me/accounts/internal/email/change/confirm': {
      parameters: [tenantParameterWithoutPattern],
      post: {
        operationId: 'POST-customer-confirm-customer-login-email',
        summary: 'Confirm the login-email change with the emailed token',
        'x-chapter': 'credentials',
        'x-effect': 'write',
        ...acceptsTokens('anonymous'),
        ...jsonBody('email-change-confirm', { token: 'matrix-unknown-email-change-token' }),
        responses: { '204': noBody('Login email changed'), ...guarded },
      },
    },
    '/customer/{tenant}/signup/optin/{token}': {
      parameters: [tenantParameter, pathParameter('token')],
      get: {
        operationId: 'GET-customer-signup-customer-optin',
        summary: 'Activate an account with the emailed opt-in token, logging the customer in',
        'x-chapter': 'opt-in',
        // A GET that activates the customer.
        'x-effect': 'write',
        ...acceptsTokens('anonymous'),
        'x-statuses-beyond-reference': [403],
        'x-reference-decisions': [initialPasswordDecision],
        responses: { '200': body('Customer token of the activated customer', 'customer-token'), ...guarded },
      },
    },
    '/customer/{tenant}/signup/optin/refresh_token': {
      parameters: [tenantParameter],
      post: {
        operationId: 'POST-customer-refresh-token',
        summary: 'Send a new opt-in token to a customer not yet active',
        'x-chapter': 'opt-in',
        // Emails a new opt-in link.
        'x-effect': 'write',
        ...acceptsTokens('anonymous'),
        'x-statuses-beyond-reference': [403],
        ...jsonBody('optin-resend', { email: fill('new-email') }),
        responses: { '202': noBody('Accepted'), ...guarded },
      },
    },
    '/oauth/token': {
      post: {
        operationId: 'POST-oauth-request-client-credentials',
        summary: 'Get a service (employee) token with client credentials',
        'x-chapter': 'employee',
        'x-effect': 'read',
        'x-document': 'oauth',
        'x-token-kinds': [],
        'x-statuses-beyond-reference': [400, 401],
        requestBody: request('oauth-token-request', 'application/x-www-form-urlencoded'),
        responses: {
          '200': body('Service access token', 'service-token'),
          '400': badRequest,
          '401': unauthorized,
        },
      },
    },
    '/customer/{tenant}/customers/{customerNumber}': {
      parameters: [tenantParameterWithoutPattern, pathParameter('customerNumber')],
      'x-untested-methods': [
        {
          method: 'PUT',
          why: 'The tenant-managed reference documents it (PUT-customer-tenant-update-customer); discrepancies row 61.',
        },
      ],
      get: {
        operationId: 'GET-customer-tenant-retrieve-customer',
        summary: 'Read a customer as an employee',
        'x-chapter': 'employee',
        'x-effect': 'read',
        'x-document': 'tenant-managed',
        ...acceptsTokens('employee'),
        parameters: [query('expand', false)],
        responses: {
          '200': body('Customer with active and onHold', 'employee-customer'),
          ...guarded,
          '404': notFound,
        },
      },
      patch: {
        operationId: 'PATCH-customer-tenant-update-customer',
        summary: 'Update a customer as an employee (activation)',
        'x-chapter': 'employee',
        'x-effect': 'write',
        'x-document': 'tenant-managed',
        ...acceptsTokens('employee'),
        ...jsonBody('employee-customer-update', { firstName: 'Matrix', active: true }),
        responses: { '200': noBody('Customer updated'), ...guarded, '404': notFound },
      },
      delete: {
        operationId: 'DELETE-customer-tenant-remove-customer',
        summary: 'Delete a customer as an employee',
        'x-chapter': 'employee',
        'x-effect': 'write',
        'x-document': 'tenant-managed',
        ...acceptsTokens('employee'),
        responses: { '202': noBody('Deletion accepted'), ...guarded, '404': notFound },
      },
    },
    '/_mock/{tenant}/outbox': {
      parameters: [tenantParameter],
      get: {
        operationId: 'GET-mock-outbox',
        summary: "Read the mock's sent emails (opt-in, reset, email-change and delete tokens)",
        'x-chapter': 'test-only',
        'x-effect': 'read',
        'x-document': 'mock',
        'x-token-kinds': [],
        'x-test-only': true,
        parameters: [query('to', false)],
        responses: { '200': body('Messages, oldest first', 'outbox') },
      },
    },
    '/_mock/{tenant}/idp/authorize': {
      parameters: [tenantParameter],
      post: {
        operationId: 'POST-mock-idp-authorize',
        summary: "Get an authorization code from the mock's identity provider",
        'x-chapter': 'test-only',
        'x-effect': 'write',
        'x-document': 'mock',
        'x-token-kinds': [],
        'x-test-only': true,
        requestBody: request('idp-authorize'),
        responses: { '200': body('Single-use authorization code', 'idp-code'), '400': badRequest },
      },
    },
    '/_mock/{tenant}/external-idp/token': {
      parameters: [tenantParameter],
      post: {
        operationId: 'POST-mock-external-idp-token',
        summary: "Get a subject token (JWT) from the mock's external identity provider, for token exchange",
        'x-chapter': 'test-only',
        // Test-only, like the other mock paths: counted as writing.
        'x-effect': 'write',
        'x-document': 'mock',
        'x-token-kinds': [],
        'x-test-only': true,
        requestBody: request('external-idp-token-request'),
        responses: { '200': body('A signed subject token', 'external-idp-token'), '400': badRequest },
      },
    },
    '/_mock/reset': {
      post: {
        operationId: 'POST-mock-reset',
        summary: 'Put every mock tenant back to its seeded start',
        'x-chapter': 'test-only',
        'x-effect': 'write',
        'x-document': 'mock',
        'x-token-kinds': [],
        'x-test-only': true,
        responses: { '204': noBody('State reset') },
      },
    },
  },
};

/** Convenience view of one operation, derived from `catalogDocument`. */
export interface OperationInfo {
  id: OperationId;
  method: HttpMethod;
  /** Path template with `{tenant}` and the other path parameters. */
  path: string;
  summary: string;
  chapter: Chapter;
  /** What the operation does to the tenant's data (helpers/safety.ts guards by it). */
  effect: Effect;
  tokenKinds: TokenKind[];
  /** `$id` of the request body schema, when the operation takes a body. */
  requestSchema?: string;
  /** The content type the suite sends the body as. */
  requestContentType?: string;
  /** The negative matrix's valid body, before its fills are filled (`x-sample-body`). */
  sampleBody?: SampleBody;
  /** Accepted status → `$id` of the body schema, or null when the answer has no body. */
  responses: Record<number, string | null>;
  /** Statuses among `responses` that the vendor's reference does not list (decided in docs/behaviour.md). */
  addedStatuses: number[];
  /** Statuses the reference lists without a body, whose body schema is the project's reading. */
  addedBodies: number[];
  /** True for the mock's own paths under /_mock/. */
  testOnly: boolean;
  /** Set when later vendor documents drop the operation. */
  laterRemoved?: string;
  /** The contract versions that document the operation. */
  contracts: ContractVersion[];
  /** The vendor document the operation belongs to. */
  document: VendorDocument;
}

const methods = ['get', 'post', 'patch', 'delete'] as const;

function isReference(value: unknown): value is OpenAPIV3_1.ReferenceObject {
  return typeof value === 'object' && value !== null && '$ref' in value;
}

function schemaRefOf(content: Record<string, OpenAPIV3_1.MediaTypeObject> | undefined): string | null {
  const media = content?.['application/json'] ?? Object.values(content ?? {})[0];
  const schema = media?.schema;
  return isReference(schema) ? schema.$ref : null;
}

function toInfo(path: string, method: (typeof methods)[number], op: Operation): OperationInfo {
  const responses: Record<number, string | null> = {};
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    if (isReference(response)) throw new Error(`${op.operationId}: response ${status} must be inline`);
    responses[Number(status)] = schemaRefOf(response.content);
  }
  const info: OperationInfo = {
    id: op.operationId,
    method: method.toUpperCase() as HttpMethod,
    path,
    summary: op.summary,
    chapter: op['x-chapter'],
    effect: op['x-effect'],
    tokenKinds: [...op['x-token-kinds']],
    responses,
    addedStatuses: [...(op['x-statuses-beyond-reference'] ?? [])],
    addedBodies: [...(op['x-bodies-beyond-reference'] ?? [])],
    testOnly: op['x-test-only'] === true,
    contracts: [...(op['x-contracts'] ?? CONTRACT_VERSIONS)],
    document: op['x-document'] ?? 'customer-managed',
  };
  const requestBody = op.requestBody;
  if (requestBody && !isReference(requestBody)) {
    const [contentType, media] = Object.entries(requestBody.content)[0] ?? [];
    if (contentType && media) {
      info.requestContentType = contentType;
      if (isReference(media.schema)) info.requestSchema = media.schema.$ref;
    }
  }
  if (op['x-sample-body']) info.sampleBody = structuredClone(op['x-sample-body']);
  if (op['x-later-removed']) info.laterRemoved = op['x-later-removed'];
  return info;
}

/** Every operation of a catalog document, in document order. */
export function listOperations(document: CatalogDocument): OperationInfo[] {
  const list: OperationInfo[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!item) continue;
    for (const method of methods) {
      const op = item[method];
      if (op) list.push(toInfo(path, method, op));
    }
  }
  return list;
}

/**
 * Problems that make a catalog unusable: a `$ref` naming no schema of schemas/, an operationId listed
 * twice or missing, an added status that is not among the responses. Empty when the catalog is sound.
 */
export function findCatalogProblems(document: CatalogDocument): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const info of listOperations(document)) {
    seen.set(info.id, (seen.get(info.id) ?? 0) + 1);
    const refs = [info.requestSchema, ...Object.values(info.responses)];
    for (const ref of refs) {
      if (ref != null && !hasSchema(ref)) {
        problems.push(`${info.id} (${info.method} ${info.path}): $ref "${ref}" names no schema in schemas/`);
      }
    }
    for (const status of info.addedStatuses) {
      if (!(status in info.responses))
        problems.push(`${info.id}: added status ${status} has no response entry`);
    }
  }
  for (const id of operationIds) {
    const count = seen.get(id) ?? 0;
    if (count !== 1) problems.push(`${id}: appears ${count} times in the catalog (expected once)`);
  }
  for (const id of seen.keys()) {
    if (!(operationIds as readonly string[]).includes(id)) problems.push(`${id}: not in operationIds`);
  }
  return problems;
}

const problems = findCatalogProblems(catalogDocument);
if (problems.length > 0) {
  throw new Error(`helpers/catalog.ts: the operation catalog is broken:\n${problems.join('\n')}`);
}

/** Every operation by id, derived from `catalogDocument`. */
export const operations = Object.fromEntries(
  listOperations(catalogDocument).map((info) => [info.id, info]),
) as Record<OperationId, OperationInfo>;

/** The catalog entry of one operation. */
export function operation(id: OperationId): OperationInfo {
  const info = operations[id];
  if (!info) throw new Error(`Unknown operation "${id}"`);
  return info;
}

/**
 * Every status the suite accepts for an operation, ascending: the reference's statuses plus those
 * added by the project's decisions (see `OperationInfo.addedStatuses`). Generic 404/405 are apart.
 */
export function documentedStatuses(id: OperationId): number[] {
  return Object.keys(operation(id).responses)
    .map(Number)
    .sort((a, b) => a - b);
}

function documents<T extends { 'x-contracts'?: ContractVersion[] }>(
  item: T,
  version: ContractVersion,
): boolean {
  return item['x-contracts'] === undefined || item['x-contracts'].includes(version);
}

function keepParameters(
  list: (OpenAPIV3_1.ParameterObject | OpenAPIV3_1.ReferenceObject)[] | undefined,
  version: ContractVersion,
): (OpenAPIV3_1.ParameterObject | OpenAPIV3_1.ReferenceObject)[] | undefined {
  return list?.filter((p) => isReference(p) || documents(p as CatalogParameter, version));
}

/**
 * The catalog as one contract version documents it: operations and parameters the version does not
 * document left out. The mock's test-only paths stay (every version's mock serves them).
 */
export function catalogFor(
  version: ContractVersion,
  document: CatalogDocument = catalogDocument,
): CatalogDocument {
  const paths: OpenAPIV3_1.PathsObject<CatalogExtensions, CatalogPathExtensions> = {};
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!item) continue;
    const copy: OpenAPIV3_1.PathItemObject<CatalogExtensions> & CatalogPathExtensions = { ...item };
    const parameters = keepParameters(item.parameters, version);
    if (parameters) copy.parameters = parameters;
    let kept = 0;
    for (const method of methods) {
      const op = item[method];
      if (!op) continue;
      if (!documents(op, version)) {
        delete copy[method];
        continue;
      }
      const opParameters = keepParameters(op.parameters, version);
      const vendorName = op['x-vendor-request-schema']?.[version];
      copy[method] = {
        ...op,
        ...(opParameters ? { parameters: opParameters } : {}),
        ...(op['x-vendor-request-schema']
          ? { 'x-vendor-request-schema': vendorName ? { [version]: vendorName } : {} }
          : {}),
      };
      kept++;
    }
    if (kept > 0) paths[path] = copy;
  }
  return { ...document, info: { ...document.info, version }, paths };
}

let activeContract: ContractVersion | undefined;

/** The contract version this run holds the target to (EMPORIX_CONTRACT, default 2026-08). */
export function selectedContract(): ContractVersion {
  activeContract ??= loadConfig().contract;
  return activeContract;
}

/** For the suite's own tests: hold the catalog to another version; `undefined` goes back to EMPORIX_CONTRACT. */
export function useContract(version: ContractVersion | undefined): void {
  activeContract = version;
}

/** A line for report headers and the summary line: `contract 2026-08 (the vendor's documents of August 2026)`. */
export function contractLabel(version: ContractVersion = selectedContract()): string {
  const when = version === '2025-12' ? 'December 2025' : 'August 2026';
  return `contract ${version} (the vendor's documents of ${when})`;
}

/** Whether the selected (or given) contract version documents the operation. */
export function inContract(id: OperationId, version: ContractVersion = selectedContract()): boolean {
  return operation(id).contracts.includes(version);
}

/**
 * Statuses that mean "not served" for an operation the selected contract does not document: a target
 * that follows that contract may answer 404 (unknown route) or 405 (known path, other method). Empty
 * for an operation the contract documents: there a 404 is held to the operation's own list.
 */
export function notServedStatuses(id: OperationId, version: ContractVersion = selectedContract()): number[] {
  return inContract(id, version) ? [] : [404, 405];
}

/** Why a test of an operation the contract does not document is skipped when the target does not serve it. */
export function notServedReason(id: OperationId, version: ContractVersion = selectedContract()): string {
  return `${operationLabel(id)} is not in the ${version} contract, not served by the target`;
}

/** A label for reports, e.g. `POST /customer/{tenant}/login → 200`. */
export function operationLabel(id: OperationId, status?: number): string {
  const info = operation(id);
  return `${info.method} ${info.path}${status === undefined ? '' : ` → ${status}`}`;
}
