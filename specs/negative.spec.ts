// The negative matrix, generated from the operation catalog (helpers/catalog.ts) so that a new
// operation is covered without editing this file: every guarded operation refuses a missing,
// malformed, wrong-kind or other-tenant token; every JSON body is refused when malformed, not an
// object, missing a required field or carrying a wrong type; unknown ids, unknown routes and wrong
// methods get their documented answers; a malformed tenant name in the path is a 400. Sources:
// docs/behaviour.md ("Token kinds", "Refusals", "Errors everywhere"), docs/discrepancies.md rows 20,
// 21, 40, 45, 46, 54; RFC 6750 §3.1.
//
// Every request here is refused, so one anonymous token, one employee token and one customer per
// worker serve all tests (the `matrix` worker fixture, fixtures/negative-matrix.ts, creates them on
// first use and deletes the customer when the worker ends).
import { skipIfNotServed, skipUnlessInContract } from '../fixtures/contract.ts';
import {
  expect,
  test,
  type ApiResponse,
  type CallOptions,
  type Config,
  type Matrix,
} from '../fixtures/index.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import {
  authorizationParameterRequired,
  type OperationId,
  type OperationInfo,
  type TokenKind,
} from '../helpers/catalog.ts';
import type { Requirement } from '../helpers/findings.ts';
import {
  ensureBadRequest,
  ensureDetailsNameField,
  ensureAnswerOutsideCatalog,
  ensureMalformedTenantRefused,
  ensureNotFound,
  ensureRefused,
  ensureRefusedAuthorizationParameter,
  ensureRefusedWithFault,
  inputRefusedRequirement,
  noteDetailsMissingField,
} from '../helpers/checks/negative.ts';
import {
  cheapestKind,
  fillTemplate,
  guardedOperations,
  matrixOperations,
  operationsWithoutSample,
  pathParams,
  placeholderQuery,
  requiredFields,
  resourceParams,
  sampleBody,
  takesJsonBody,
  unknownId,
  wrongKinds,
  wrongMethodCases,
  wrongTypeFields,
  wrongTypeValue,
  type SampleContext,
} from '../helpers/negative-matrix.ts';
import { rawRequest } from '../helpers/raw.ts';
import { effectOf } from '../helpers/safety.ts';

/** Tags a case carries for the tokens and data it needs (STYLE: @destructive @employee with a customer). */
function tagsFor(
  op: OperationInfo,
  kinds: readonly (TokenKind | undefined)[],
  needsCustomer = false,
): string {
  const tags = ['@security'];
  const customer = needsCustomer || kinds.includes('customer');
  if (customer) tags.push('@destructive');
  if (customer || kinds.includes('employee')) tags.push('@employee');
  // Read-only (helpers/safety.ts classes the operation as not writing) and no customer or employee
  // needed: safe on any tenant. The opt-in GET writes (it activates), so it never counts.
  if (effectOf(op) !== 'write' && !customer && !kinds.includes('employee')) tags.push('@smoke');
  return tags.join(' ');
}

/**
 * Calls an operation of the matrix under the selected contract (fixtures/contract.ts): one newer
 * than the contract is not run; one the contract dropped is skipped when the target does not serve it.
 */
async function callInContract(api: ApiClient, id: OperationId, options: CallOptions): Promise<ApiResponse> {
  skipUnlessInContract(id);
  const response = await api.call(id, options);
  skipIfNotServed(response);
  return response;
}

/** `a` or `an` before a token kind. */
function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function opLabel(op: OperationInfo): string {
  return `${op.method} ${op.path}`;
}

/** The sample body to send with a token case, so the token is the only thing wrong. */
function validBody(op: OperationInfo, config: Config): Record<string, unknown> | undefined {
  return sampleBody(op, { emailTemplate: config.emailTemplate });
}

/**
 * A token case: the operation with placeholder ids and query and its sample body, so the credential
 * (`token` or an Authorization header in `options`) is the only thing wrong; `options.path` overrides ids.
 */
function callTokenCase(
  api: ApiClient,
  op: OperationInfo,
  config: Config,
  options: Pick<CallOptions, 'token' | 'headers'> & { path?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const { path, ...credential } = options;
  return callInContract(api, op.id, {
    path: { ...pathParams(op), ...path },
    query: placeholderQuery(op),
    body: validBody(op, config),
    ...credential,
  });
}

test.describe('the matrix itself @offline', () => {
  test('has a sample body for every catalog operation that takes a JSON body', () => {
    const missing = operationsWithoutSample().map((op) => `${op.id} (${opLabel(op)})`);
    expect(
      missing,
      'add x-sample-body to these operations in helpers/catalog.ts, or their body cases are not generated',
    ).toEqual([]);
  });

  test('covers every operation guarded by a token', () => {
    const guarded = matrixOperations().filter((op) => op.tokenKinds.length > 0);
    expect(guarded.length, 'operations with token kinds in the catalog').toBeGreaterThan(20);
    expect(guardedOperations().map((op) => op.id)).toEqual(guarded.map((op) => op.id));
  });
});

// ─── Tokens ──────────────────────────────────────────────────────────────────────────────────────
test.describe('tokens', () => {
  for (const op of guardedOperations()) {
    // Where the reference declares the token as a required header parameter (exchangeauthtoken,
    // `security: []`), a missing or unusable header may be its 400 as well as its 401: 400 or 401 is R,
    // the 401 fault the project's reading (docs/discrepancies.md).
    const headerParameter = authorizationParameterRequired(op);
    // behaviour.md "Refusals": no Authorization header → 401 fault (RFC 6750 §3.1 invalid_token).
    test(`${opLabel(op)} refuses a request without a token ${tagsFor(op, [])}`, async ({ api, config }) => {
      const response = await callTokenCase(api, op, config);
      if (headerParameter) ensureRefusedAuthorizationParameter(response, 'no Authorization header');
      else ensureRefusedWithFault(response, 'no Authorization header');
    });

    // `unusable`: not a bearer token at all (the header parameter's 400 is as plausible as a 401).
    const malformed: { name: string; header: string; unusable: boolean }[] = [
      {
        name: 'a token that was never issued (Bearer not-a-token)',
        header: 'Bearer not-a-token',
        unusable: false,
      },
      { name: 'an empty bearer token (Bearer )', header: 'Bearer ', unusable: true },
      { name: 'another scheme (Basic xyz)', header: 'Basic xyz', unusable: true },
    ];
    for (const { name, header, unusable } of malformed) {
      // behaviour.md "Refusals": not `Bearer <token>`, or an unknown token → 401 fault (R's 401
      // example "Invalid access token").
      test(`${opLabel(op)} refuses ${name} ${tagsFor(op, [])}`, async ({ api, config }) => {
        const response = await callTokenCase(api, op, config, { headers: { Authorization: header } });
        if (headerParameter && unusable) ensureRefusedAuthorizationParameter(response, name);
        else ensureRefusedWithFault(response, name);
      });
    }

    for (const kind of wrongKinds(op)) {
      // behaviour.md "Token kinds": a valid token of a kind the operation does not accept → 403 (or 401).
      test(`${opLabel(op)} refuses a valid ${kind} token (accepts ${op.tokenKinds.join(' or ')}) ${tagsFor(op, [kind])}`, async ({
        api,
        config,
        matrix,
      }) => {
        const response = await callTokenCase(api, op, config, { token: await matrix.token(kind) });
        ensureRefused(response, `${kind} token where ${op.tokenKinds.join('/')} is required`);
      });
    }

    const kind = cheapestKind(op);
    if (op.path.includes('{tenant}') && kind) {
      // behaviour.md "Token kinds": every token is bound to one tenant; another tenant's path refuses it.
      test(`${opLabel(op)} refuses ${article(kind)} ${kind} token of another tenant ${tagsFor(op, [kind])}`, async ({
        api,
        config,
        matrix,
      }) => {
        const response = await callTokenCase(api, op, config, {
          token: await matrix.token(kind),
          path: { tenant: config.otherTenant },
        });
        ensureRefused(response, `${kind} token of ${config.tenant} on tenant ${config.otherTenant}`);
      });
    }
  }
});

// ─── Request bodies ──────────────────────────────────────────────────────────────────────────────
/** What a body case sends with: a token of an accepted kind, existing ids, the sample context. */
interface BodyCaseSetup {
  token: string | null;
  path: Record<string, string>;
  sample: SampleContext;
}

/** Whether the body cases of an operation need the shared customer (its token, ids or credentials). */
function bodyCasesNeedCustomer(op: OperationInfo): boolean {
  return cheapestKind(op) === 'customer' || resourceParams(op).length > 0;
}

async function bodyCaseSetup(op: OperationInfo, matrix: Matrix, config: Config): Promise<BodyCaseSetup> {
  const kind = cheapestKind(op);
  if (!bodyCasesNeedCustomer(op)) {
    return {
      token: kind ? await matrix.token(kind) : null,
      path: {},
      sample: { emailTemplate: config.emailTemplate },
    };
  }
  const customer = await matrix.customer();
  const existing = { addressId: customer.addressId, customerNumber: customer.customerNumber };
  return {
    token: kind ? await matrix.token(kind) : null,
    path: pathParams(op, existing),
    sample: { emailTemplate: config.emailTemplate, customer },
  };
}

/** Body cases must be refused for the body, so the test must hold a real sample body to break. */
function sampleOf(op: OperationInfo, setup: BodyCaseSetup): Record<string, unknown> {
  const body = sampleBody(op, setup.sample);
  if (!body) throw new Error(`${opLabel(op)}: no x-sample-body in helpers/catalog.ts`);
  return body;
}

/** A body case: the setup's token and ids, placeholder query, and what `sent` says about the body. */
function callBodyCase(
  api: ApiClient,
  op: OperationInfo,
  setup: BodyCaseSetup,
  sent: Pick<CallOptions, 'body' | 'rawBody' | 'contentType' | 'skipRequestValidation'>,
): Promise<ApiResponse> {
  return callInContract(api, op.id, {
    path: setup.path,
    query: placeholderQuery(op),
    token: setup.token,
    ...sent,
  });
}

/** A request-body field case: which field, how the sample body is broken, and how failures name it. */
interface FieldCase {
  name: string;
  title: string;
  /** What promises the 400: the reference, or the project's reading (`inputRefusedRequirement`). */
  req: Requirement;
  breakBody: (body: Record<string, unknown>) => unknown;
  /** The case as the 400 check names it, from the body sent. */
  why: (body: Record<string, unknown>) => string;
  /** The case as the details check names it. */
  detail: string;
}

/** Signup is the operation whose 400 the docs describe with `details[{field,type,message}]` (behaviour.md). */
const DETAILS_PROMISED = new Set<string>(['POST-customer-create-customer-account']);

test.describe('request bodies', () => {
  for (const op of matrixOperations().filter((o) => o.requestSchema !== undefined)) {
    const kinds = [cheapestKind(op)];
    const tags = tagsFor(op, kinds, bodyCasesNeedCustomer(op)).replace(' @smoke', '');

    // behaviour.md "Errors everywhere" and discrepancies row 46: malformed JSON → 400 error body, never 5xx.
    test(`${opLabel(op)} refuses malformed JSON with 400 ${tags}`, async ({ api, config, matrix }) => {
      const setup = await bodyCaseSetup(op, matrix, config);
      const response = await callBodyCase(api, op, setup, {
        rawBody: '{"email": "matrix@example.com", ',
        contentType: 'application/json',
      });
      ensureBadRequest(response, 'malformed JSON body', inputRefusedRequirement(op));
    });

    // behaviour.md "Errors everywhere": a JSON body that is not an object → 400.
    test(`${opLabel(op)} refuses a JSON array instead of an object with 400 ${tags}`, async ({
      api,
      config,
      matrix,
    }) => {
      const setup = await bodyCaseSetup(op, matrix, config);
      const body = takesJsonBody(op) ? sampleOf(op, setup) : {};
      const response = await callBodyCase(api, op, setup, {
        rawBody: JSON.stringify([body]),
        contentType: 'application/json',
      });
      ensureBadRequest(response, 'a JSON array as the body', inputRefusedRequirement(op));
    });

    // Form bodies (/oauth/token) have no JSON types, and a missing client id may be a 401 "Invalid
    // ApiKey" (behaviour.md, Employee token); their field cases belong to the authentication spec.
    if (!takesJsonBody(op)) continue;

    // One field of the sample body broken; the answer is 400, naming the field where the docs promise it.
    const fieldCases: FieldCase[] = [
      // The operation's request schema (and behaviour.md for signup, login, addresses, credentials): required field → 400.
      // A field the reference's request schema does not require (AddressCreateDto, ChangeEmailRequestDto,
      // UpdateEmail require none) is required only by the project's reading: its case is B.
      ...requiredFields(op).map(({ name, byReference }) => ({
        name,
        req: inputRefusedRequirement(op, byReference),
        title: `refuses a body without "${name}" with 400`,
        breakBody: (body: Record<string, unknown>) => delete body[name],
        why: () => `required field "${name}" missing`,
        detail: `"${name}" missing`,
      })),
      // The operation's request schema: a field of the wrong JSON type → 400 (behaviour.md "Errors everywhere").
      ...wrongTypeFields(op).map((name) => ({
        name,
        title: `refuses "${name}" of the wrong type with 400`,
        req: inputRefusedRequirement(op),
        breakBody: (body: Record<string, unknown>) => (body[name] = wrongTypeValue(body[name])),
        why: (body: Record<string, unknown>) => `"${name}" sent as ${JSON.stringify(body[name])}`,
        detail: `"${name}" of the wrong type`,
      })),
    ];
    for (const { name, title, req, breakBody, why, detail } of fieldCases) {
      test(`${opLabel(op)} ${title} ${tags}`, async ({ api, config, matrix }) => {
        const setup = await bodyCaseSetup(op, matrix, config);
        const body = sampleOf(op, setup);
        breakBody(body);
        const response = await callBodyCase(api, op, setup, { body, skipRequestValidation: true });
        ensureBadRequest(response, why(body), req);
        // A refusal the profile only warns about (another status) has no details to look at.
        if (response.status !== 400) return;
        if (DETAILS_PROMISED.has(op.id)) ensureDetailsNameField(response, name, detail);
        else noteDetailsMissingField(response, name, detail);
      });
    }
  }
});

// ─── Tenant names ────────────────────────────────────────────────────────────────────────────────
/** Not a tenant name: upper case and an underscore (R components/parameters/tenant: ^[a-z][a-z0-9]+$, 3–16). */
const MALFORMED_TENANT = 'Not_A_Tenant';

/** Whether the case names the shared customer's ids, so that only the tenant is wrong. */
function tenantCaseNeedsCustomer(op: OperationInfo): boolean {
  return (
    cheapestKind(op) === 'customer' ||
    resourceParams(op).some((name) => name === 'addressId' || name === 'customerNumber')
  );
}

test.describe('tenant names', () => {
  for (const op of matrixOperations().filter((o) => o.path.includes('{tenant}'))) {
    const kind = cheapestKind(op);
    const needsCustomer = tenantCaseNeedsCustomer(op);
    // R components/responses/400_bad_request, example "Invalid tenant"; behaviour.md "Errors everywhere";
    // discrepancies row 54. Everything else in the request is valid, so the tenant is what is refused.
    const referenceDocuments400 = 400 in op.responses && !op.addedStatuses.includes(400);
    const expected = referenceDocuments400 ? 'with 400' : 'with 400 (or 401/403: R lists no 400)';
    test(`${opLabel(op)} refuses a malformed tenant name ${expected} ${tagsFor(op, [kind], needsCustomer)}`, async ({
      api,
      config,
      matrix,
    }) => {
      const token = kind ? await matrix.token(kind) : null;
      const customer = needsCustomer ? await matrix.customer() : undefined;
      const existing: Record<string, string> = customer
        ? { addressId: customer.addressId, customerNumber: customer.customerNumber }
        : {};
      const sample: SampleContext = { emailTemplate: config.emailTemplate };
      if (customer) sample.customer = customer;
      const response = await callInContract(api, op.id, {
        path: { ...pathParams(op, existing), tenant: MALFORMED_TENANT },
        query: placeholderQuery(op),
        body: sampleBody(op, sample),
        token,
      });
      ensureMalformedTenantRefused(
        response,
        referenceDocuments400,
        `tenant "${MALFORMED_TENANT}" with ${kind ? `${article(kind)} ${kind} token` : 'no token'}`,
      );
    });
  }
});

// ─── Unknown ids ─────────────────────────────────────────────────────────────────────────────────
test.describe('unknown ids', () => {
  const withIds = matrixOperations().filter(
    (op) => op.tokenKinds.length > 0 && 404 in op.responses && resourceParams(op).length > 0,
  );
  for (const op of withIds) {
    const kind = cheapestKind(op);
    const params = resourceParams(op);
    // behaviour.md: unknown address (Addresses, Tags) or customer (Employee customer) → 404 resource_not_found.
    test(`${opLabel(op)} answers 404 for an unknown ${params.join(', ')} ${tagsFor(op, [kind])}`, async ({
      api,
      config,
      matrix,
    }) => {
      const token = kind ? await matrix.token(kind) : null;
      const body = takesJsonBody(op) ? sampleBody(op, { emailTemplate: config.emailTemplate }) : undefined;
      const path = Object.fromEntries(params.map((name) => [name, unknownId(name)]));
      const response = await callInContract(api, op.id, { path, query: placeholderQuery(op), token, body });
      ensureNotFound(response, `unknown ${params.join(', ')}`);
    });
  }
});

// ─── Routes and methods outside the catalog ──────────────────────────────────────────────────────
test.describe('routes and methods', () => {
  // FACTS: an unknown route → 404 (F); its JSON error body is docs/behaviour.md "Errors everywhere" (B).
  const unknownPaths = [
    {
      where: 'path under the tenant',
      path: (tenant: string) => `/customer/${tenant}/${unknownId('resource')}`,
    },
    { where: 'top-level path', path: (tenant: string) => `/${unknownId('service')}/${tenant}` },
  ];
  for (const { where, path } of unknownPaths) {
    test(`answers 404 or 405 for an unknown ${where} @security @smoke`, async ({
      request,
      config,
      matrix,
    }) => {
      const token = await matrix.token('anonymous');
      const response = await rawRequest(request, config, {
        method: 'GET',
        path: path(config.tenant),
        headers: { Authorization: `Bearer ${token}` },
      });
      ensureAnswerOutsideCatalog(response, [404, 405], 'unknown route');
    });
  }

  for (const { path, method, documented } of wrongMethodCases()) {
    // behaviour.md "Errors everywhere" and discrepancies row 45: a wrong method on a known path → 405 (or 404) JSON.
    test(`${method} ${path} answers 405 or 404: the path serves ${documented.join(', ')} @security`, async ({
      request,
      config,
      matrix,
    }) => {
      const token = await matrix.token('anonymous');
      const filled = fillTemplate(path, { tenant: config.tenant });
      const response = await rawRequest(request, config, {
        method,
        path: filled,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      ensureAnswerOutsideCatalog(response, [405, 404], `${method} is not documented on ${path}`);
    });
  }
});
