// Faults that only a sequence of requests, or a second customer, reveals: stale caches, caches keyed
// by the wrong thing, effects that reach the wrong record, views of the same data that disagree.
//
// Each entry is a self-contained layer over the neutral server, built from the registry's existing
// hooks (onRequest, preHandler and the onSend `shape`): nothing in the routes or the store asks
// whether one of these is switched on. State that a layer needs (a cache, a snapshot) lives in a
// closure, one per server: it is keyed by the server's store, so two apps in one process (the mock's
// own tests) never share it. A single request against one of these servers answers as the plain mock
// does; only what came before changes the answer.
//
// The entries are spread into the registry of faults.ts; they share its shape (name, kind, category,
// description, hooks), with the category `sequence`.

import type { FastifyRequest } from 'fastify';
import { tenantParam } from '../auth.ts';
import type { ShapeContext } from './entry.ts';
import { PROFILE_FIELD_NAMES, type AddressRecord, type CustomerRecord, type MockStore } from '../store.ts';

// ---- route keys (fastify's `METHOD url` of the matched route) ----

const LOGIN = 'POST /customer/:tenant/login';
const REFRESH = 'GET /customer/:tenant/refreshauthtoken';
const OPTIN = 'GET /customer/:tenant/signup/optin/:token';
const VALIDATE = 'GET /customer/:tenant/validateauthtoken';
const LOGOUT = 'GET /customer/:tenant/logout';
const ME = 'GET /customer/:tenant/me';
const PATCH_ME = 'PATCH /customer/:tenant/me';
const ADDRESSES = 'GET /customer/:tenant/me/addresses';
const ADDRESS_CREATE = 'POST /customer/:tenant/me/addresses';
const ADDRESS = 'GET /customer/:tenant/me/addresses/:addressId';
const ADDRESS_PATCH = 'PATCH /customer/:tenant/me/addresses/:addressId';
const ADDRESS_DELETE = 'DELETE /customer/:tenant/me/addresses/:addressId';
const TAGS_ADD = 'POST /customer/:tenant/me/addresses/:addressId/tags';
const TAGS_REMOVE = 'DELETE /customer/:tenant/me/addresses/:addressId/tags';
const EMPLOYEE_CUSTOMER = 'GET /customer/:tenant/customers/:customerNumber';
const EMPLOYEE_PATCH = 'PATCH /customer/:tenant/customers/:customerNumber';
const EMPLOYEE_DELETE = 'DELETE /customer/:tenant/customers/:customerNumber';
const ADDRESS_ROUTES = '/customer/:tenant/me/addresses';

/** The same shape as a registry entry of faults.ts (kept structural: faults.ts spreads these in). */
interface SequenceFault {
  name: string;
  kind: 'fault';
  category: 'sequence';
  description: string;
  shape?: {
    routes?: readonly string[];
    status?: (status: number) => boolean;
    apply: (ctx: ShapeContext) => void;
  };
  preHandler?: (request: FastifyRequest) => void;
}

// ---- small helpers ----

const ok = (status: number): boolean => status >= 200 && status < 300;

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url === undefined ? '' : `${request.method} ${request.routeOptions.url}`;
}

function param(request: FastifyRequest, name: string): string | undefined {
  const value = (request.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The customer behind the request's customer token, if it is one. */
function callerOf(request: FastifyRequest): CustomerRecord | undefined {
  const principal = request.principal;
  if (principal?.kind !== 'customer' || !principal.customerNumber) return undefined;
  return request.server.store.getCustomer(principal.tenant, principal.customerNumber);
}

/** `tenant|customerNumber` of the caller, if a customer. */
function callerKey(request: FastifyRequest): string | undefined {
  const principal = request.principal;
  if (principal?.kind !== 'customer' || !principal.customerNumber) return undefined;
  return `${principal.tenant}|${principal.customerNumber}`;
}

/**
 * One piece of closure state per server and fault: keyed by the server's store, which every
 * encapsulated plugin context shares (request.server differs between plugins; the store does not).
 */
function perServer<T>(make: () => T): (request: FastifyRequest) => T {
  const states = new WeakMap<MockStore, T>();
  return (request) => {
    const store = request.server.store;
    let state = states.get(store);
    if (state === undefined) {
      state = make();
      states.set(store, state);
    }
    return state;
  };
}

/** What a layer remembers between the preHandler and the answer of one request. */
function perRequest<T>(): {
  set: (request: FastifyRequest, value: T) => void;
  get: (request: FastifyRequest) => T | undefined;
} {
  const values = new WeakMap<FastifyRequest, T>();
  return { set: (request, value) => void values.set(request, value), get: (request) => values.get(request) };
}

/** Replays a cached answer for `key`, or caches this one. */
function cacheOrReplay(cache: Map<string, unknown>, key: string, ctx: ShapeContext): void {
  const cached = cache.get(key);
  if (cached !== undefined) ctx.body = structuredClone(cached);
  else if (ctx.body !== undefined) cache.set(key, structuredClone(ctx.body));
}

/**
 * A stale read: the first 2xx answer of `read` for a key is replayed until a 2xx answer of one of
 * `clearedBy` for the same key clears it (a request without a key is left alone).
 */
function staleRead(
  cache: (request: FastifyRequest) => Map<string, unknown>,
  read: string,
  clearedBy: readonly string[],
  keyOf: (request: FastifyRequest) => string | undefined,
): (ctx: ShapeContext) => void {
  return (ctx) => {
    const key = keyOf(ctx.request);
    if (key === undefined) return;
    if (ctx.route === read) cacheOrReplay(cache(ctx.request), key, ctx);
    else if (clearedBy.includes(ctx.route)) cache(ctx.request).delete(key);
  };
}

/** A preHandler that runs `hook` on the requests to one of `routes` only. */
function before(
  routes: readonly string[],
  hook: (request: FastifyRequest) => void,
): (request: FastifyRequest) => void {
  return (request) => {
    if (routes.includes(routeOf(request))) hook(request);
  };
}

/**
 * Before PATCH /me by a customer: hands `edit` the caller's record and what `kept` holds for them
 * (nothing is called where it holds nothing).
 */
function beforePatchMe<T>(
  kept: (request: FastifyRequest) => Map<string, T>,
  edit: (customer: CustomerRecord, held: T, request: FastifyRequest) => void,
): (request: FastifyRequest) => void {
  return (request) => {
    if (routeOf(request) !== PATCH_ME) return;
    const key = callerKey(request);
    const customer = callerOf(request);
    const held = key === undefined ? undefined : kept(request).get(key);
    if (customer && held) edit(customer, held, request);
  };
}

function deleteByPrefix(cache: Map<string, unknown>, prefix: string): void {
  for (const key of [...cache.keys()]) if (key.startsWith(prefix)) cache.delete(key);
}

function expandOf(request: FastifyRequest): string {
  const expand = (request.query as Record<string, unknown> | undefined)?.expand;
  return typeof expand === 'string' ? expand : '';
}

function sameTagSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((tag) => right.has(tag));
}

function findAddress(
  customer: CustomerRecord | undefined,
  id: string | undefined,
): AddressRecord | undefined {
  return id === undefined ? undefined : customer?.addresses.find((address) => address.id === id);
}

// ---- closure state of each layer ----

const meBySession = perServer(() => new Map<string, unknown>());
const meWithAddresses = perServer(() => new Map<string, unknown>());
const addressLists = perServer(() => new Map<string, unknown>());
const addressReads = perServer(() => new Map<string, unknown>());
const workingCopies = perServer(() => new Map<string, CustomerRecord['profile']>());
const loginSnapshots = perServer(() => new Map<string, CustomerRecord['profile']>());
const employeeViews = perServer(() => new Map<string, unknown>());
const validations = perServer(() => new Map<string, unknown>());
const sessionTokens = perServer(() => new Map<string, string[]>());
const tagsBefore = perRequest<{ address: AddressRecord; tags: string[] }>();
const wasDefault = perRequest<boolean>();

// ---- the entries ----

export const SEQUENCE_FAULTS = [
  {
    name: 'profile-cache-keyed-by-session',
    kind: 'fault',
    category: 'sequence',
    description:
      'GET /me is cached by the anonymous session the token came from, so two customers who log in on one session read one profile.',
    shape: {
      status: ok,
      apply: (ctx) => {
        const principal = ctx.request.principal;
        if (principal?.kind !== 'customer') return;
        const cache = meBySession(ctx.request);
        const session = `${principal.tenant}|${principal.token.sessionId}|`;
        if (ctx.route === ME) cacheOrReplay(cache, `${session}${expandOf(ctx.request)}`, ctx);
        else if (ctx.request.method !== 'GET') deleteByPrefix(cache, session);
      },
    },
  },
  {
    name: 'profile-addresses-stale',
    kind: 'fault',
    category: 'sequence',
    description:
      'GET /me?expand=addresses is cached and address changes do not clear the cache, so it shows addresses as they were.',
    shape: {
      status: ok,
      apply: (ctx) => {
        const cache = meWithAddresses(ctx.request);
        const key = callerKey(ctx.request);
        if (ctx.route === ME && key !== undefined) {
          if (expandOf(ctx.request).includes('addresses')) cacheOrReplay(cache, key, ctx);
          return;
        }
        if (ctx.request.method === 'GET') return;
        const url = ctx.request.routeOptions.url ?? '';
        if (key !== undefined && !url.startsWith(ADDRESS_ROUTES)) cache.delete(key);
        const number = param(ctx.request, 'customerNumber');
        const tenant = tenantParam(ctx.request);
        if (number !== undefined && tenant !== undefined) cache.delete(`${tenant}|${number}`);
      },
    },
  },
  {
    name: 'address-list-stale-after-tags',
    kind: 'fault',
    category: 'sequence',
    description:
      'The address list is cached and tag changes do not clear it, so it shows the old tags while the address itself shows the new.',
    shape: {
      status: ok,
      apply: staleRead(addressLists, ADDRESSES, [ADDRESS_CREATE, ADDRESS_PATCH, ADDRESS_DELETE], callerKey),
    },
  },
  {
    name: 'address-read-stale-after-patch',
    kind: 'fault',
    category: 'sequence',
    description:
      'GET of one address is cached and only deleting it or changing its tags clears it, so a PATCH or a moved default is not seen there.',
    shape: {
      status: ok,
      apply: staleRead(addressReads, ADDRESS, [ADDRESS_DELETE, TAGS_ADD, TAGS_REMOVE], (request) => {
        const key = callerKey(request);
        const id = param(request, 'addressId');
        return key === undefined || id === undefined ? undefined : `${key}|${id}`;
      }),
    },
  },
  {
    name: 'profile-patch-on-stale-copy',
    kind: 'fault',
    category: 'sequence',
    description:
      'PATCH /me applies to a copy of the profile taken at the last GET /me, so a second PATCH without a read between undoes the first.',
    preHandler: beforePatchMe(workingCopies, (customer, copy) => (customer.profile = structuredClone(copy))),
    shape: {
      routes: [ME],
      status: ok,
      apply: (ctx) => {
        const key = callerKey(ctx.request);
        const customer = callerOf(ctx.request);
        if (key !== undefined && customer)
          workingCopies(ctx.request).set(key, structuredClone(customer.profile));
      },
    },
  },
  {
    name: 'profile-revert-ignored',
    kind: 'fault',
    category: 'sequence',
    description:
      'PATCH /me skips a field whose new value equals its value at login, so changing a field and changing it back leaves the change.',
    preHandler: beforePatchMe(loginSnapshots, (customer, snapshot, request) => {
      const body = request.body as Record<string, unknown> | undefined;
      if (body === null || typeof body !== 'object') return;
      const current = customer.profile as Record<string, unknown>;
      const atLogin = snapshot as Record<string, unknown>;
      for (const name of PROFILE_FIELD_NAMES) {
        const value = body[name];
        if (
          value !== undefined &&
          JSON.stringify(value) === JSON.stringify(atLogin[name]) &&
          JSON.stringify(value) !== JSON.stringify(current[name])
        )
          delete body[name];
      }
    }),
    shape: {
      routes: [LOGIN],
      status: ok,
      apply: (ctx) => {
        const tenant = tenantParam(ctx.request);
        const email = (ctx.request.body as { email?: unknown } | undefined)?.email;
        if (tenant === undefined || typeof email !== 'string') return;
        const customer = ctx.request.server.store.findCustomerByEmail(tenant, email);
        if (customer)
          loginSnapshots(ctx.request).set(
            `${tenant}|${customer.customerNumber}`,
            structuredClone(customer.profile),
          );
      },
    },
  },
  {
    name: 'tag-change-shared-by-equal-sets',
    kind: 'fault',
    category: 'sequence',
    description:
      'Addresses of a customer with equal tag sets share one set, so adding or removing tags on one changes the others too.',
    preHandler: before([TAGS_ADD, TAGS_REMOVE], (request) => {
      const address = findAddress(callerOf(request), param(request, 'addressId'));
      if (address) tagsBefore.set(request, { address, tags: [...address.tags] });
    }),
    shape: {
      routes: [TAGS_ADD, TAGS_REMOVE],
      status: ok,
      apply: (ctx) => {
        const before = tagsBefore.get(ctx.request);
        const customer = callerOf(ctx.request);
        if (!before || !customer) return;
        for (const sibling of customer.addresses) {
          if (sibling !== before.address && sameTagSet(sibling.tags, before.tags))
            sibling.tags = [...before.address.tags];
        }
      },
    },
  },
  {
    name: 'tag-removal-hits-default',
    kind: 'fault',
    category: 'sequence',
    description:
      'Removing tags from an address that is not the default removes them from the default address instead.',
    preHandler: before([TAGS_REMOVE], (request) => {
      const customer = callerOf(request);
      const named = findAddress(customer, param(request, 'addressId'));
      const fallback = customer?.addresses.find((address) => address.isDefault);
      if (named && fallback && !named.isDefault)
        (request.params as Record<string, string>).addressId = fallback.id;
    }),
  },
  {
    name: 'default-lost-on-delete',
    kind: 'fault',
    category: 'sequence',
    description:
      'Deleting the default address while others remain leaves the customer with no default address.',
    preHandler: before([ADDRESS_DELETE], (request) => {
      const address = findAddress(callerOf(request), param(request, 'addressId'));
      if (address) wasDefault.set(request, address.isDefault);
    }),
    shape: {
      routes: [ADDRESS_DELETE],
      status: ok,
      apply: (ctx) => {
        if (wasDefault.get(ctx.request) !== true) return;
        for (const address of callerOf(ctx.request)?.addresses ?? []) address.isDefault = false;
      },
    },
  },
  {
    name: 'logout-ends-whole-session',
    kind: 'fault',
    category: 'sequence',
    description:
      'Logout revokes every customer token obtained on the same anonymous session, those of other customers too.',
    shape: {
      routes: [LOGIN, REFRESH, OPTIN, LOGOUT],
      status: ok,
      apply: (ctx) => {
        const tenant = tenantParam(ctx.request);
        if (tenant === undefined) return;
        const bySession = sessionTokens(ctx.request);
        if (ctx.route === LOGOUT) {
          const session = ctx.request.principal?.token.sessionId;
          for (const value of bySession.get(`${tenant}|${session}`) ?? [])
            ctx.request.server.store.tokens.revokeWithPartner(value);
          return;
        }
        const body = ctx.body as { access_token?: unknown; session_id?: unknown } | undefined;
        if (typeof body?.access_token !== 'string' || typeof body.session_id !== 'string') return;
        const key = `${tenant}|${body.session_id}`;
        bySession.set(key, [...(bySession.get(key) ?? []), body.access_token]);
      },
    },
  },
  {
    name: 'employee-view-stale',
    kind: 'fault',
    category: 'sequence',
    description:
      "The employee's GET of a customer is cached and only the employee's own writes clear it, so the customer's changes are not seen there.",
    shape: {
      routes: [EMPLOYEE_CUSTOMER, EMPLOYEE_PATCH, EMPLOYEE_DELETE],
      status: ok,
      apply: (ctx) => {
        const tenant = tenantParam(ctx.request);
        const number = param(ctx.request, 'customerNumber');
        if (tenant === undefined || number === undefined) return;
        const cache = employeeViews(ctx.request);
        const key = `${tenant}|${number}|${expandOf(ctx.request)}`;
        if (ctx.route === EMPLOYEE_CUSTOMER) cacheOrReplay(cache, key, ctx);
        else deleteByPrefix(cache, `${tenant}|${number}|`);
      },
    },
  },
  {
    name: 'token-validation-cached',
    kind: 'fault',
    category: 'sequence',
    description:
      'validateauthtoken answers are cached per token, so after a login-email change the token still reports the old email.',
    shape: {
      routes: [VALIDATE],
      status: ok,
      apply: staleRead(validations, VALIDATE, [], (request) => request.principal?.token.value),
    },
  },
] as const satisfies readonly SequenceFault[];
