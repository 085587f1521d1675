// Deliberate deviations from docs/behaviour.md, to measure what the conformance suite detects.
//
// One registry: every entry is a *fault* (the server breaks the contract; a good suite fails) or a
// *benign* variant (the server differs from this mock but still conforms; a good suite passes).
// Entries are switched on with `--fault NAME` (repeatable) or `MOCK_FAULT=a,b`.
//
// How an entry takes effect:
//   - response faults and variants: `shape`, run by one onSend hook, keyed by route and status,
//     working on the parsed JSON payload;
//   - request-side holes: `onRequest` (before authentication), `preValidation` or `preHandler`;
//   - option variants: `options` (lifetimes) applied before the store is built;
//   - state faults: a named one-line check at the exact place in the route, store or token code,
//     `faultActive(faults, 'logout-keeps-token')`; the name is checked by the compiler.
// With no entry switched on, installFaults() registers no hook at all.

import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, tenantParam } from './auth.ts';
import { SEQUENCE_FAULTS } from './faults-sequence.ts';
import type { MockOptions } from './options.ts';

export type FaultKind = 'fault' | 'benign';

/** What the onSend hook hands to a shaping function; it edits the fields in place. */
export interface ShapeContext {
  readonly route: string;
  readonly request: FastifyRequest;
  status: number;
  /** The parsed JSON body; undefined when the answer has none. */
  body: unknown;
  /** Raw text that replaces the serialized body (pretty printing). */
  text?: string;
  contentType: string | undefined;
  headers: Record<string, string>;
}

interface Shaping {
  /** `METHOD /route/:pattern` keys; absent means every route except the test-only ones. */
  routes?: readonly string[];
  status?: (status: number) => boolean;
  apply: (ctx: ShapeContext) => void;
}

export interface FaultDefinition {
  name: string;
  kind: FaultKind;
  category: string;
  /** One sentence: how the server deviates, or why the variant still conforms. */
  description: string;
  /**
   * Answers are slow without costing CPU (added latency), so a suite run against this variant may
   * use more parallel workers than the machine has cores.
   */
  waitBound?: boolean;
}

interface FaultEntry extends FaultDefinition {
  shape?: Shaping;
  onRequest?: (request: FastifyRequest, reply: FastifyReply) => Promise<void> | void;
  preValidation?: (request: FastifyRequest) => void;
  preHandler?: (request: FastifyRequest) => void;
  options?: (options: MockOptions) => void;
}

// ---- route keys ----

const ANON_LOGIN = 'GET /customerlogin/auth/anonymous/login';
const ANON_REFRESH = 'GET /customerlogin/auth/anonymous/refresh';
const OAUTH = 'POST /oauth/token';
const SIGNUP = 'POST /customer/:tenant/signup';
const LOGIN = 'POST /customer/:tenant/login';
const REFRESH = 'GET /customer/:tenant/refreshauthtoken';
const VALIDATE = 'GET /customer/:tenant/validateauthtoken';
const LOGOUT = 'GET /customer/:tenant/logout';
const SOCIAL = 'POST /customer/:tenant/socialLogin';
const OPTIN = 'GET /customer/:tenant/signup/optin/:token';
const ME = 'GET /customer/:tenant/me';
const DELETE_ME = 'DELETE /customer/:tenant/me';
const ADDRESSES = 'GET /customer/:tenant/me/addresses';
const ADDRESS_CREATE = 'POST /customer/:tenant/me/addresses';
const ADDRESS = 'GET /customer/:tenant/me/addresses/:addressId';
const ADDRESS_PATCH = 'PATCH /customer/:tenant/me/addresses/:addressId';
const ADDRESS_DELETE = 'DELETE /customer/:tenant/me/addresses/:addressId';
const TAGS_ADD = 'POST /customer/:tenant/me/addresses/:addressId/tags';

const CUSTOMER_TOKENS = [LOGIN, REFRESH, OPTIN];
const ALL_TOKENS = [ANON_LOGIN, ANON_REFRESH, OAUTH, LOGIN, REFRESH, SOCIAL, OPTIN];

// ---- small helpers for shaping functions ----

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const ok = (status: number): boolean => status >= 200 && status < 300;
const is =
  (...statuses: number[]) =>
  (status: number): boolean =>
    statuses.includes(status);

/** Applies `edit` to the body when it is an object. */
function onObject(edit: (body: JsonObject, ctx: ShapeContext) => void): (ctx: ShapeContext) => void {
  return (ctx) => {
    if (isObject(ctx.body)) edit(ctx.body, ctx);
  };
}

/** Applies `edit` to the body, or to each object of a list body. */
function onEach(edit: (item: JsonObject) => void): (ctx: ShapeContext) => void {
  return (ctx) => {
    const items = Array.isArray(ctx.body) ? ctx.body : [ctx.body];
    for (const item of items) if (isObject(item)) edit(item);
  };
}

function renameField(body: JsonObject, from: string, to: string): void {
  if (!(from in body)) return;
  body[to] = body[from];
  delete body[from];
}

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .reverse()
      .map((key) => [key, reverseKeys(value[key])]),
  );
}

function setStatus(ctx: ShapeContext, status: number): void {
  ctx.status = status;
  if (isObject(ctx.body) && typeof ctx.body.status === 'number') ctx.body.status = status;
}

/** Replaces the bearer token of the request by a fresh token of the seed customer of `tenant`. */
function actAsSeedCustomer(request: FastifyRequest, tenant: string): void {
  const { store, mockOptions } = request.server;
  const seedEmail = mockOptions.seedCustomers[0]?.email ?? '';
  const customer =
    store.findCustomerByEmail(tenant, seedEmail) ?? store.tenant(tenant)?.customers.values().next().value;
  if (!customer) return;
  const pair = store.tokens.issueCustomer(tenant, {
    customerNumber: customer.customerNumber,
    sessionId: randomUUID(),
    email: customer.accounts[0]?.email ?? seedEmail,
  });
  request.headers.authorization = `Bearer ${pair.access.value}`;
}

/** The route accepts customer tokens (and the request names a tenant): an auth hole can open there. */
function customerRoute(request: FastifyRequest): string | undefined {
  const kinds = request.routeOptions.config.tokenKinds;
  return kinds?.includes('customer') ? tenantParam(request) : undefined;
}

/** For an address path naming another customer's address: act as that customer (an ownership hole). */
function actAsAddressOwner(request: FastifyRequest): void {
  const principal = request.principal;
  const addressId = (request.params as Record<string, unknown>).addressId;
  if (!principal?.customerNumber || typeof addressId !== 'string') return;
  const customers = request.server.store.tenant(principal.tenant)?.customers.values() ?? [];
  for (const customer of customers) {
    if (customer.addresses.some((address) => address.id === addressId)) {
      request.principal = { ...principal, customerNumber: customer.customerNumber };
      return;
    }
  }
}

/** A random opaque string of `length` characters (letters, digits, '-' and '_'). */
function randomOpaque(length: number): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}

let latencyCounter = 0;

// ---- the registry ----

const ENTRIES = [
  // Missing or renamed fields.
  {
    name: 'anonymous-session-id-missing',
    kind: 'fault',
    category: 'missing field',
    description: 'Anonymous login and refresh answer without sessionId.',
    shape: {
      routes: [ANON_LOGIN, ANON_REFRESH],
      status: ok,
      apply: onObject((b) => delete b.sessionId),
    },
  },
  {
    name: 'anonymous-refresh-token-missing',
    kind: 'fault',
    category: 'missing field',
    description: 'Anonymous login answers without refresh_token and refresh_token_expires_in.',
    shape: {
      routes: [ANON_LOGIN],
      status: ok,
      apply: onObject((b) => {
        delete b.refresh_token;
        delete b.refresh_token_expires_in;
      }),
    },
  },
  {
    name: 'login-saas-token-renamed',
    kind: 'fault',
    category: 'missing field',
    description: 'Login answers saasToken instead of saas_token.',
    shape: { routes: [LOGIN], status: ok, apply: onObject((b) => renameField(b, 'saas_token', 'saasToken')) },
  },
  {
    name: 'refresh-access-token-missing',
    kind: 'fault',
    category: 'missing field',
    description: 'refreshauthtoken answers without access_token.',
    shape: { routes: [REFRESH], status: ok, apply: onObject((b) => delete b.access_token) },
  },
  {
    name: 'profile-customer-number-missing',
    kind: 'fault',
    category: 'missing field',
    description: "GET /me answers a customer's profile without customerNumber.",
    shape: {
      routes: [ME],
      status: ok,
      apply: onObject((b) => {
        if (b.customerNumber !== '00000000') delete b.customerNumber;
      }),
    },
  },
  {
    name: 'address-list-id-missing',
    kind: 'fault',
    category: 'missing field',
    description: 'The address list answers its items without id.',
    shape: { routes: [ADDRESSES], status: ok, apply: onEach((a) => delete a.id) },
  },
  {
    name: 'validate-session-id-missing',
    kind: 'fault',
    category: 'missing field',
    description: 'validateauthtoken answers without sessionId.',
    shape: { routes: [VALIDATE], status: ok, apply: onObject((b) => delete b.sessionId) },
  },
  {
    name: 'signup-id-renamed',
    kind: 'fault',
    category: 'missing field',
    description: 'Signup answers {customerNumber} instead of {id}.',
    shape: { routes: [SIGNUP], status: ok, apply: onObject((b) => renameField(b, 'id', 'customerNumber')) },
  },
  {
    name: 'employee-token-scope-missing',
    kind: 'fault',
    category: 'missing field',
    description: 'POST /oauth/token answers without scope.',
    shape: { routes: [OAUTH], status: ok, apply: onObject((b) => delete b.scope) },
  },

  // Wrong types.
  {
    name: 'anonymous-expires-in-string',
    kind: 'fault',
    category: 'wrong type',
    description: 'Anonymous login and refresh answer expires_in as a string ("3599").',
    shape: {
      routes: [ANON_LOGIN, ANON_REFRESH],
      status: ok,
      apply: onObject((b) => (b.expires_in = String(b.expires_in))),
    },
  },
  {
    name: 'address-is-default-string',
    kind: 'fault',
    category: 'wrong type',
    description: 'Address answers carry isDefault as a string ("true"/"false").',
    shape: {
      routes: [ADDRESSES, ADDRESS],
      status: ok,
      apply: onEach((a) => (a.isDefault = String(a.isDefault))),
    },
  },
  {
    name: 'profile-customer-number-number',
    kind: 'fault',
    category: 'wrong type',
    description: 'GET /me answers customerNumber and id as numbers.',
    shape: {
      routes: [ME],
      status: ok,
      apply: onObject((b) => {
        b.customerNumber = Number(b.customerNumber);
        b.id = Number(b.id);
      }),
    },
  },
  {
    name: 'login-initial-password-string',
    kind: 'fault',
    category: 'wrong type',
    description: 'Login answers initialPassword as the string "false".',
    shape: { routes: [LOGIN], status: ok, apply: onObject((b) => (b.initialPassword = 'false')) },
  },
  {
    name: 'address-tags-string',
    kind: 'fault',
    category: 'wrong type',
    description: 'Address answers carry tags as one comma-separated string instead of an array.',
    shape: {
      routes: [ADDRESSES, ADDRESS],
      status: ok,
      apply: onEach((a) => (a.tags = Array.isArray(a.tags) ? a.tags.join(',') : a.tags)),
    },
  },

  // Wrong statuses.
  {
    name: 'signup-200',
    kind: 'fault',
    category: 'wrong status',
    description: 'Signup answers 200 instead of 201.',
    shape: { routes: [SIGNUP], status: is(201), apply: (ctx) => setStatus(ctx, 200) },
  },
  {
    name: 'address-create-200',
    kind: 'fault',
    category: 'wrong status',
    description: 'Creating an address answers 200 instead of 201.',
    shape: { routes: [ADDRESS_CREATE], status: is(201), apply: (ctx) => setStatus(ctx, 200) },
  },
  {
    name: 'logout-200-with-body',
    kind: 'fault',
    category: 'wrong status',
    description: 'Logout answers 200 with a JSON body instead of 204.',
    shape: {
      routes: [LOGOUT],
      status: is(204),
      apply: (ctx) => {
        ctx.status = 200;
        ctx.body = { message: 'Logged out' };
      },
    },
  },
  {
    name: 'address-delete-200',
    kind: 'fault',
    category: 'wrong status',
    description: 'Deleting an address answers 200 instead of 204.',
    shape: { routes: [ADDRESS_DELETE], status: is(204), apply: (ctx) => setStatus(ctx, 200) },
  },
  {
    name: 'delete-me-request-200',
    kind: 'fault',
    category: 'wrong status',
    description: 'DELETE /me without a token answers 200 instead of 202.',
    shape: { routes: [DELETE_ME], status: is(202), apply: (ctx) => setStatus(ctx, 200) },
  },
  {
    name: 'tags-add-200',
    kind: 'fault',
    category: 'wrong status',
    description: 'Adding address tags answers 200 instead of 204.',
    shape: { routes: [TAGS_ADD], status: is(204), apply: (ctx) => setStatus(ctx, 200) },
  },
  {
    name: 'validation-error-422',
    kind: 'fault',
    category: 'wrong status',
    description: 'Request validation errors (400 with details) answer 422, which is not documented.',
    shape: {
      status: is(400),
      apply: (ctx) => {
        if (isObject(ctx.body) && Array.isArray(ctx.body.details)) setStatus(ctx, 422);
      },
    },
  },

  // Content types.
  {
    name: 'json-as-text-plain',
    kind: 'fault',
    category: 'content type',
    description: 'Every JSON body is sent with Content-Type text/plain.',
    shape: {
      apply: (ctx) => {
        if (ctx.body !== undefined) ctx.contentType = 'text/plain; charset=utf-8';
      },
    },
  },
  {
    name: 'error-as-html',
    kind: 'fault',
    category: 'content type',
    description: 'Error bodies (4xx) are sent with Content-Type text/html.',
    shape: {
      status: (s) => s >= 400 && s < 500,
      apply: (ctx) => {
        if (ctx.body !== undefined) ctx.contentType = 'text/html; charset=utf-8';
      },
    },
  },

  // Error bodies.
  {
    name: 'unauthorized-error-shape',
    kind: 'fault',
    category: 'error body',
    description: '401 answers {status,type,message} instead of the fault body.',
    shape: {
      status: is(401),
      apply: (ctx) => {
        ctx.body = { status: 401, type: 'unauthorized', message: 'Invalid access token' };
      },
    },
  },
  {
    name: 'fault-errorcode-missing',
    kind: 'fault',
    category: 'error body',
    description: '401 fault bodies lack fault.detail.errorcode.',
    shape: {
      status: is(401),
      apply: onObject((b) => {
        if (isObject(b.fault)) delete b.fault.detail;
      }),
    },
  },
  {
    name: 'bad-request-status-missing',
    kind: 'fault',
    category: 'error body',
    description: '400 error bodies lack status.',
    shape: { status: is(400), apply: onObject((b) => delete b.status) },
  },
  {
    name: 'not-found-as-fault',
    kind: 'fault',
    category: 'error body',
    description: '404 answers the 401 fault body instead of {status,type,message}.',
    shape: {
      status: is(404),
      apply: (ctx) => {
        ctx.body = {
          fault: { faultstring: 'Resource not found', detail: { errorcode: 'resource_not_found' } },
        };
      },
    },
  },
  {
    name: 'error-details-not-array',
    kind: 'fault',
    category: 'error body',
    description: 'Error details are a single object instead of an array.',
    shape: {
      status: is(400),
      apply: onObject((b) => {
        if (Array.isArray(b.details)) b.details = b.details[0];
      }),
    },
  },

  // State changes not applied.
  {
    name: 'logout-keeps-token',
    kind: 'fault',
    category: 'state not applied',
    description: 'Logout answers 204 but revokes neither the access token nor its refresh token.',
  },
  {
    name: 'password-change-not-applied',
    kind: 'fault',
    category: 'state not applied',
    description: 'Password change answers 204 but keeps the old password (the new one is refused).',
  },
  {
    name: 'password-change-keeps-sessions',
    kind: 'fault',
    category: 'state not applied',
    description: "Password change does not revoke the customer's other tokens.",
  },
  {
    name: 'password-reset-not-applied',
    kind: 'fault',
    category: 'state not applied',
    description: 'Password reset update answers 204 but the password stays the old one.',
  },
  {
    name: 'email-change-confirm-not-applied',
    kind: 'fault',
    category: 'state not applied',
    description: 'Email change confirmation answers 204 but the login email stays the old one.',
  },
  {
    name: 'profile-delete-not-applied',
    kind: 'fault',
    category: 'state not applied',
    description: 'DELETE /me with the emailed token answers 204 but the customer stays.',
  },
  {
    name: 'address-delete-not-applied',
    kind: 'fault',
    category: 'state not applied',
    description: 'Deleting an address answers 204 but the address stays.',
  },
  {
    name: 'tag-add-not-applied',
    kind: 'fault',
    category: 'state not applied',
    description: 'Adding address tags answers 204 but adds nothing.',
  },
  {
    name: 'activation-patch-ignored',
    kind: 'fault',
    category: 'state not applied',
    description: 'The employee PATCH answers 200 but ignores active and onHold.',
  },
  {
    name: 'patch-me-not-applied',
    kind: 'fault',
    category: 'state not applied',
    description: 'PATCH /me answers 200 but changes no profile field.',
  },

  // State changed wrongly.
  {
    name: 'anonymous-refresh-new-session',
    kind: 'fault',
    category: 'state changed wrongly',
    description: 'Anonymous refresh starts a new session id instead of keeping it.',
  },
  {
    name: 'anonymous-refresh-not-rotated',
    kind: 'fault',
    category: 'state changed wrongly',
    description: 'A used anonymous refresh token keeps working.',
  },
  {
    name: 'customer-refresh-new-session',
    kind: 'fault',
    category: 'state changed wrongly',
    description: 'refreshauthtoken answers a new session_id instead of the login session.',
  },
  {
    name: 'customer-refresh-not-rotated',
    kind: 'fault',
    category: 'state changed wrongly',
    description: 'A used customer refresh token keeps working.',
  },
  {
    name: 'tags-replaced-not-merged',
    kind: 'fault',
    category: 'state changed wrongly',
    description: "Adding tags replaces the address's tags instead of merging them.",
  },
  {
    name: 'tag-delete-removes-all',
    kind: 'fault',
    category: 'state changed wrongly',
    description: 'Deleting named tags removes every tag of the address.',
  },
  {
    name: 'two-default-addresses',
    kind: 'fault',
    category: 'state changed wrongly',
    description: 'Marking an address default leaves the previous default marked too.',
  },
  {
    name: 'logout-keeps-refresh-token',
    kind: 'fault',
    category: 'state changed wrongly',
    description: 'Logout revokes the access token but its refresh token stays usable.',
  },

  // Authorization holes.
  {
    name: 'missing-token-accepted',
    kind: 'fault',
    category: 'auth hole',
    description: 'A customer operation without Authorization header is served as the seed customer.',
    onRequest: (request) => {
      const tenant = customerRoute(request);
      if (tenant !== undefined && request.headers.authorization === undefined)
        actAsSeedCustomer(request, tenant);
    },
  },
  {
    name: 'anonymous-token-accepted',
    kind: 'fault',
    category: 'auth hole',
    description: 'A customer-only operation called with an anonymous token is served as the seed customer.',
    onRequest: (request) => {
      const tenant = customerRoute(request);
      const kinds = request.routeOptions.config.tokenKinds ?? [];
      const value = bearerToken(request);
      if (tenant === undefined || kinds.includes('anonymous') || value === undefined) return;
      const check = request.server.store.tokens.checkAccess(value);
      if (check.status === 'valid' && check.token.kind === 'anonymous') actAsSeedCustomer(request, tenant);
    },
  },
  {
    name: 'other-tenant-token-accepted',
    kind: 'fault',
    category: 'auth hole',
    description: "A valid token of another tenant is accepted on this tenant's paths.",
    onRequest: (request) => {
      const tenant = tenantParam(request);
      const value = bearerToken(request);
      if (!request.routeOptions.config.tokenKinds || tenant === undefined || value === undefined) return;
      const { store } = request.server;
      const check = store.tokens.checkAccess(value);
      if (check.status !== 'valid' || check.token.tenant === tenant || !store.tenant(tenant)) return;
      if (check.token.kind === 'customer') actAsSeedCustomer(request, tenant);
      else if (check.token.kind === 'anonymous')
        request.headers.authorization = `Bearer ${store.tokens.issueAnonymous(tenant).access.value}`;
      else request.headers.authorization = `Bearer ${store.tokens.issueEmployee(tenant, 'hole').value}`;
    },
  },
  {
    name: 'foreign-address-readable',
    kind: 'fault',
    category: 'auth hole',
    description: "GET of another customer's address id answers that address instead of 404.",
    preHandler: (request) => {
      if (`${request.method} ${request.routeOptions.url}` === ADDRESS) actAsAddressOwner(request);
    },
  },
  {
    name: 'foreign-address-deletable',
    kind: 'fault',
    category: 'auth hole',
    description: "DELETE of another customer's address id deletes that address instead of 404.",
    preHandler: (request) => {
      if (`${request.method} ${request.routeOptions.url}` === ADDRESS_DELETE) actAsAddressOwner(request);
    },
  },
  {
    name: 'foreign-address-updatable',
    kind: 'fault',
    category: 'auth hole',
    description: "PATCH of another customer's address id updates that address instead of 404.",
    preHandler: (request) => {
      if (`${request.method} ${request.routeOptions.url}` === ADDRESS_PATCH) actAsAddressOwner(request);
    },
  },

  // Validation holes.
  {
    name: 'duplicate-signup-accepted',
    kind: 'fault',
    category: 'validation hole',
    description: 'Signup with an email already registered on the tenant answers 201 instead of 409.',
  },
  {
    name: 'signup-without-password-accepted',
    kind: 'fault',
    category: 'validation hole',
    description: 'Signup without password answers 201 (the server makes one up) instead of 400.',
    preValidation: (request) => {
      const body = request.body;
      if (
        `${request.method} ${request.routeOptions.url}` === SIGNUP &&
        isObject(body) &&
        !('password' in body)
      )
        body.password = randomOpaque(16);
    },
  },
  {
    name: 'signup-short-password-accepted',
    kind: 'fault',
    category: 'validation hole',
    description: 'Signup with a password shorter than 6 characters answers 201 instead of 400.',
  },
  {
    name: 'malformed-json-500',
    kind: 'fault',
    category: 'validation hole',
    description: 'A malformed JSON body answers 500 instead of 400.',
    shape: {
      status: is(400),
      apply: (ctx) => {
        if (isObject(ctx.body) && ctx.body.message === 'The request body is not valid JSON.') {
          ctx.status = 500;
          ctx.body = { status: 500, type: 'internal_error', message: 'Unexpected token in JSON.' };
        }
      },
    },
  },
  {
    name: 'emailed-token-reusable',
    kind: 'fault',
    category: 'validation hole',
    description: 'Emailed tokens (opt-in, reset, email change, delete) can be used more than once.',
  },
  {
    name: 'login-before-activation',
    kind: 'fault',
    category: 'validation hole',
    description: 'A signed-up customer that is not active yet can log in.',
  },
  {
    name: 'wrong-current-password-accepted',
    kind: 'fault',
    category: 'validation hole',
    description: 'Password change with a wrong currentPassword answers 204 and changes the password.',
  },

  // Lifetimes.
  {
    name: 'anonymous-expires-in-milliseconds',
    kind: 'fault',
    category: 'lifetime',
    description: 'Anonymous tokens announce expires_in in milliseconds (3599000).',
    shape: {
      routes: [ANON_LOGIN, ANON_REFRESH],
      status: ok,
      apply: onObject((b) => (b.expires_in = Number(b.expires_in) * 1000)),
    },
  },
  {
    name: 'customer-expires-in-3599',
    kind: 'fault',
    category: 'lifetime',
    description: 'Customer tokens announce expires_in 3599 instead of 2591999 (30 days).',
    shape: { routes: CUSTOMER_TOKENS, status: ok, apply: onObject((b) => (b.expires_in = 3599)) },
  },

  // Sensitive data.
  {
    name: 'profile-password-hash-exposed',
    kind: 'fault',
    category: 'sensitive field',
    description: "GET /me carries the customer's password hash as password.",
    shape: {
      routes: [ME],
      status: ok,
      apply: onObject((b, ctx) => {
        const principal = ctx.request.principal;
        const customer = principal?.customerNumber
          ? ctx.request.server.store.getCustomer(principal.tenant, principal.customerNumber)
          : undefined;
        if (customer) b.password = customer.passwordHash;
      }),
    },
  },
  {
    name: 'signup-echoes-password',
    kind: 'fault',
    category: 'sensitive field',
    description: 'The signup answer echoes the password it was sent.',
    shape: {
      routes: [SIGNUP],
      status: ok,
      apply: onObject((b, ctx) => {
        const sent = ctx.request.body;
        if (isObject(sent)) b.password = sent.password;
      }),
    },
  },

  // Formats.
  {
    name: 'saas-token-not-jwt',
    kind: 'fault',
    category: 'format',
    description: 'saas_token is an opaque string instead of a JWT.',
    shape: {
      routes: [LOGIN, OPTIN, SOCIAL],
      status: ok,
      apply: onObject((b) => {
        if ('saas_token' in b) b.saas_token = randomOpaque(40);
      }),
    },
  },
  {
    name: 'session-id-not-uuid',
    kind: 'fault',
    category: 'format',
    description: 'Anonymous answers carry sessionId as 32 hex characters, not a UUID.',
    shape: {
      routes: [ANON_LOGIN, ANON_REFRESH],
      status: ok,
      apply: onObject((b) => {
        if (typeof b.sessionId === 'string') b.sessionId = b.sessionId.replaceAll('-', '');
      }),
    },
  },

  // ---- benign variants: still conforming ----
  {
    name: 'extra-fields',
    kind: 'benign',
    category: 'extra fields',
    description:
      'Every JSON object answer (and each item of a list) carries extra fields, one of them a per-answer trace id; the API grows additively.',
    shape: {
      apply: onEach((item) => {
        item.vendorTrace = randomUUID();
        item._links = { self: { href: 'https://example.com/self' } };
      }),
    },
  },
  {
    name: 'reversed-key-order',
    kind: 'benign',
    category: 'serialization',
    description: 'JSON members come in reverse order; JSON objects are unordered.',
    shape: { apply: (ctx) => (ctx.body = reverseKeys(ctx.body)) },
  },
  {
    name: 'pretty-json',
    kind: 'benign',
    category: 'serialization',
    description: 'JSON bodies are pretty-printed; whitespace is insignificant in JSON.',
    shape: {
      apply: (ctx) => {
        if (ctx.body !== undefined) ctx.text = JSON.stringify(ctx.body, null, 2);
      },
    },
  },
  {
    name: 'charset-upper-case',
    kind: 'benign',
    category: 'content type',
    description: 'Content-Type is application/json; charset=UTF-8; charset names are case-insensitive.',
    shape: {
      apply: (ctx) => {
        if (ctx.body !== undefined) ctx.contentType = 'application/json; charset=UTF-8';
      },
    },
  },
  {
    name: 'no-charset',
    kind: 'benign',
    category: 'content type',
    description: 'Content-Type is application/json without charset; JSON is UTF-8 by definition.',
    shape: {
      apply: (ctx) => {
        if (ctx.body !== undefined) ctx.contentType = 'application/json';
      },
    },
  },
  {
    name: 'extra-headers',
    kind: 'benign',
    category: 'headers',
    description: 'Every answer carries extra headers (request id, cache control, rate limits).',
    shape: {
      apply: (ctx) => {
        ctx.headers['x-request-id'] = randomUUID();
        ctx.headers['cache-control'] = 'no-store';
        ctx.headers['x-ratelimit-remaining'] = '999';
      },
    },
  },
  {
    name: 'long-tokens',
    kind: 'benign',
    category: 'token format',
    description: 'Access and refresh tokens are 40 characters; the contract fixes no token length.',
  },
  {
    name: 'other-id-formats',
    kind: 'benign',
    category: 'id format',
    description:
      'New customers get 12-digit numbers and addresses 16-hex-character ids; ids are opaque strings.',
  },
  {
    name: 'addresses-newest-first',
    kind: 'benign',
    category: 'list order',
    description: 'The address list answers newest first; the contract fixes no order.',
    shape: {
      routes: [ADDRESSES],
      status: ok,
      apply: (ctx) => {
        if (Array.isArray(ctx.body)) ctx.body = [...ctx.body].reverse();
      },
    },
  },
  {
    name: 'latency',
    kind: 'benign',
    category: 'timing',
    description: 'Every request is answered after 100 to 300 ms; well within any client timeout.',
    waitBound: true,
    onRequest: async (request) => {
      if (request.url.startsWith('/_mock/')) return;
      latencyCounter += 1;
      const delay = 100 + ((latencyCounter * 7919) % 201);
      await new Promise((resolve) => setTimeout(resolve, delay));
    },
  },
  {
    name: 'lifetimes-slightly-lower',
    kind: 'benign',
    category: 'lifetime',
    description:
      'Lifetimes are two seconds lower (3597, 2591997, 86397); the documented values are approximate.',
    options: (options) => {
      options.lifetimes = {
        ...options.lifetimes,
        anonymousAccess: options.lifetimes.anonymousAccess - 2,
        anonymousRefresh: options.lifetimes.anonymousRefresh - 2,
        customerAccess: options.lifetimes.customerAccess - 2,
        customerRefresh: options.lifetimes.customerRefresh - 2,
      };
    },
  },
  {
    name: 'deprecated-camelcase-fields',
    kind: 'benign',
    category: 'extra fields',
    description: 'Token answers also carry the deprecated camelCase twins (accessToken, expiresIn...).',
    shape: {
      routes: ALL_TOKENS,
      status: ok,
      apply: onObject((b) => {
        const twins: Record<string, string> = {
          access_token: 'accessToken',
          saas_token: 'saasToken',
          expires_in: 'expiresIn',
          refresh_token: 'refreshToken',
          refresh_token_expires_in: 'refreshTokenExpiresIn',
        };
        for (const [snake, camel] of Object.entries(twins)) if (snake in b) b[camel] = b[snake];
      }),
    },
  },
  {
    name: 'token-type-lower-case',
    kind: 'benign',
    category: 'serialization',
    description: 'token_type is "bearer"; RFC 6749 section 5.1 makes it case-insensitive.',
    shape: {
      routes: [...ALL_TOKENS, VALIDATE],
      status: ok,
      apply: onObject((b) => {
        if (typeof b.token_type === 'string') b.token_type = b.token_type.toLowerCase();
      }),
    },
  },
  {
    name: 'social-lifetimes-integers',
    kind: 'benign',
    category: 'wrong type tolerated',
    description: 'Social login lifetimes are integers like every other token answer (discrepancies row 2).',
    shape: {
      routes: [SOCIAL],
      status: ok,
      apply: onObject((b) => {
        b.expires_in = Number(b.expires_in);
        b.refresh_token_expires_in = Number(b.refresh_token_expires_in);
      }),
    },
  },
  ...SEQUENCE_FAULTS,
] as const satisfies readonly FaultEntry[];

export type FaultName = (typeof ENTRIES)[number]['name'];

const BY_NAME: ReadonlyMap<string, FaultEntry> = new Map(ENTRIES.map((entry) => [entry.name, entry]));

/** The registry without the hooks: name, kind, category, description, waitBound. */
export const FAULT_REGISTRY: readonly FaultDefinition[] = ENTRIES.map((entry) => ({
  name: entry.name,
  kind: entry.kind,
  category: entry.category,
  description: entry.description,
  ...('waitBound' in entry && entry.waitBound ? { waitBound: true } : {}),
}));

export function isKnownFault(name: string): boolean {
  return BY_NAME.has(name);
}

/** Whether a state fault is switched on; costs one array look-up, nothing when no fault is set. */
export function faultActive(faults: readonly string[], name: FaultName): boolean {
  return faults.length > 0 && faults.includes(name);
}

/** The registry as `--list-faults` prints it. */
export function formatFaultList(): string {
  const width = Math.max(...FAULT_REGISTRY.map((entry) => entry.name.length));
  const lines: string[] = [];
  for (const kind of ['fault', 'benign'] as const) {
    const entries = FAULT_REGISTRY.filter((entry) => entry.kind === kind);
    lines.push(kind === 'fault' ? `Faults (${entries.length}):` : `\nBenign variants (${entries.length}):`);
    for (const entry of entries) {
      lines.push(`  ${entry.name.padEnd(width)}  [${entry.category}] ${entry.description}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function activeEntries(options: MockOptions): FaultEntry[] {
  const unknown = options.faults.filter((name) => !isKnownFault(name));
  if (unknown.length > 0) {
    throw new Error(`unknown fault(s): ${unknown.join(', ')} (see --list-faults)`);
  }
  return ENTRIES.filter((entry) => options.faults.includes(entry.name));
}

/** Applies option variants (lifetimes) before the store is built; returns the options unchanged otherwise. */
export function applyFaultOptions(options: MockOptions): MockOptions {
  if (options.faults.length === 0) return options;
  const copy = { ...options, lifetimes: { ...options.lifetimes } };
  for (const entry of activeEntries(copy)) entry.options?.(copy);
  return copy;
}

function routeKey(request: FastifyRequest): string {
  return request.routeOptions.url === undefined ? '' : `${request.method} ${request.routeOptions.url}`;
}

/**
 * Registers the hooks of the switched-on entries. Call before installAuthentication() so request
 * holes run before the token is checked. Registers nothing when no fault is set.
 */
export function installFaults(app: FastifyInstance, options: MockOptions): void {
  if (options.faults.length === 0) return;
  const active = activeEntries(options);

  for (const entry of active) {
    if (entry.onRequest)
      app.addHook('onRequest', async (request, reply) => entry.onRequest?.(request, reply));
    if (entry.preValidation) app.addHook('preValidation', async (request) => entry.preValidation?.(request));
    if (entry.preHandler) app.addHook('preHandler', async (request) => entry.preHandler?.(request));
  }

  const shapes = active.flatMap((entry) => (entry.shape ? [entry.shape] : []));
  if (shapes.length === 0) return;
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/_mock/')) return payload;
    const route = routeKey(request);
    const status = reply.statusCode;
    const matching = shapes.filter(
      (shape) => (!shape.routes || shape.routes.includes(route)) && (!shape.status || shape.status(status)),
    );
    if (matching.length === 0) return payload;
    const text =
      typeof payload === 'string' ? payload : payload === undefined || payload === null ? '' : undefined;
    if (text === undefined) return payload;
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        return payload;
      }
    }
    const header = reply.getHeader('content-type');
    const ctx: ShapeContext = {
      route,
      request,
      status,
      body,
      contentType: typeof header === 'string' ? header : undefined,
      headers: {},
    };
    for (const shape of matching) shape.apply(ctx);
    if (ctx.status !== status) reply.code(ctx.status);
    for (const [name, value] of Object.entries(ctx.headers)) reply.header(name, value);
    if (ctx.body === undefined && ctx.text === undefined) return payload;
    reply.header('content-type', ctx.contentType ?? 'application/json; charset=utf-8');
    return ctx.text ?? JSON.stringify(ctx.body);
  });
}
