// Route keys and small helpers the registry entries share: shaping answers, acting as another
// principal, finding the customer or the address a request names.

import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { tenantParam } from '../auth.ts';
import type { AddressRecord, CustomerRecord } from '../store.ts';
import type { FaultEntry, ShapeContext, Shaping } from './entry.ts';
// ---- route keys ----

export const ANON_LOGIN = 'GET /customerlogin/auth/anonymous/login';
export const ANON_REFRESH = 'GET /customerlogin/auth/anonymous/refresh';
export const OAUTH = 'POST /oauth/token';
export const SIGNUP = 'POST /customer/:tenant/signup';
export const LOGIN = 'POST /customer/:tenant/login';
export const REFRESH = 'GET /customer/:tenant/refreshauthtoken';
export const VALIDATE = 'GET /customer/:tenant/validateauthtoken';
export const LOGOUT = 'GET /customer/:tenant/logout';
export const SOCIAL = 'POST /customer/:tenant/socialLogin';
export const OPTIN = 'GET /customer/:tenant/signup/optin/:token';
export const ME = 'GET /customer/:tenant/me';
export const DELETE_ME = 'DELETE /customer/:tenant/me';
export const ADDRESSES = 'GET /customer/:tenant/me/addresses';
export const ADDRESS_CREATE = 'POST /customer/:tenant/me/addresses';
export const ADDRESS = 'GET /customer/:tenant/me/addresses/:addressId';
export const ADDRESS_PATCH = 'PATCH /customer/:tenant/me/addresses/:addressId';
export const ADDRESS_DELETE = 'DELETE /customer/:tenant/me/addresses/:addressId';
export const TAGS_ADD = 'POST /customer/:tenant/me/addresses/:addressId/tags';
export const TAGS_DELETE = 'DELETE /customer/:tenant/me/addresses/:addressId/tags';
export const PASSWORD_CHANGE = 'POST /customer/:tenant/password/change';
export const PASSWORD_RESET_UPDATE = 'POST /customer/:tenant/password/reset/update';
export const EMAIL_CHANGE_CONFIRM = 'POST /customer/:tenant/me/accounts/internal/email/change/confirm';
export const PATCH_ME = 'PATCH /customer/:tenant/me';
export const EMPLOYEE_CUSTOMER = '/customer/:tenant/customers/:customerNumber';
export const EMPLOYEE_GET = `GET ${EMPLOYEE_CUSTOMER}`;
export const EMPLOYEE_PATCH = `PATCH ${EMPLOYEE_CUSTOMER}`;
export const EMPLOYEE_DELETE = `DELETE ${EMPLOYEE_CUSTOMER}`;

export const CUSTOMER_TOKENS = [LOGIN, REFRESH, OPTIN];
export const ALL_TOKENS = [ANON_LOGIN, ANON_REFRESH, OAUTH, LOGIN, REFRESH, SOCIAL, OPTIN];

// ---- small helpers for shaping functions ----

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export const ok = (status: number): boolean => status >= 200 && status < 300;
export const is =
  (...statuses: number[]) =>
  (status: number): boolean =>
    statuses.includes(status);

/** Applies `edit` to the body when it is an object. */
export function onObject(edit: (body: JsonObject, ctx: ShapeContext) => void): (ctx: ShapeContext) => void {
  return (ctx) => {
    if (isObject(ctx.body)) edit(ctx.body, ctx);
  };
}

/** Applies `edit` to the body, or to each object of a list body. */
export function onEach(edit: (item: JsonObject) => void): (ctx: ShapeContext) => void {
  return (ctx) => {
    const items = Array.isArray(ctx.body) ? ctx.body : [ctx.body];
    for (const item of items) if (isObject(item)) edit(item);
  };
}

export function renameField(body: JsonObject, from: string, to: string): void {
  if (!(from in body)) return;
  body[to] = body[from];
  delete body[from];
}

export function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .reverse()
      .map((key) => [key, reverseKeys(value[key])]),
  );
}

export function setStatus(ctx: ShapeContext, status: number): void {
  ctx.status = status;
  if (isObject(ctx.body) && typeof ctx.body.status === 'number') ctx.body.status = status;
}

/** Sends every answer that has a body with Content-Type `value`. */
export function setContentType(value: string): (ctx: ShapeContext) => void {
  return (ctx) => {
    if (ctx.body !== undefined) ctx.contentType = value;
  };
}

/** Replaces the bearer token of the request by a fresh token of the seed customer of `tenant`. */
export function actAsSeedCustomer(request: FastifyRequest, tenant: string): void {
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
export function customerRoute(request: FastifyRequest): string | undefined {
  const kinds = request.routeOptions.config.tokenKinds;
  return kinds?.includes('customer') ? tenantParam(request) : undefined;
}

/** For an address path naming another customer's address: act as that customer (an ownership hole). */
export function actAsAddressOwner(request: FastifyRequest): void {
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
export function randomOpaque(length: number): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}

/** `METHOD /route/:pattern` of a request ('' where no route matched). */
export function routeKey(request: FastifyRequest): string {
  return request.routeOptions.url === undefined ? '' : `${request.method} ${request.routeOptions.url}`;
}

/** The customer behind the request's customer token, once authentication has run. */
export function principalCustomer(request: FastifyRequest): CustomerRecord | undefined {
  const principal = request.principal;
  if (!principal?.customerNumber) return undefined;
  return request.server.store.getCustomer(principal.tenant, principal.customerNumber);
}

/** The caller's own address the `:addressId` path parameter names, once authentication has run. */
export function principalAddress(request: FastifyRequest): AddressRecord | undefined {
  const addressId = (request.params as Record<string, unknown>).addressId;
  return principalCustomer(request)?.addresses.find((address) => address.id === addressId);
}

// ---- entry constructors: an entry of a common shape states only what differs ----

interface Named {
  name: string;
  description: string;
}

/** A fault whose `route` answers `to` where it answers `from` (the body's status follows). */
export function statusRewrite({
  route,
  from,
  to,
  ...named
}: Named & { route: string; from: number; to: number }): FaultEntry {
  return {
    ...named,
    kind: 'fault',
    category: 'wrong status',
    shape: { routes: [route], status: is(from), apply: (ctx) => setStatus(ctx, to) },
  };
}

/** Edits `fields` of the 2xx answers of `routes`: in the body, or in each item of a list body. */
function eachField(
  routes: readonly string[],
  fields: readonly string[],
  edit: (item: JsonObject, field: string) => void,
): Shaping {
  return {
    routes,
    status: ok,
    apply: onEach((item) => {
      for (const field of fields) edit(item, field);
    }),
  };
}

/** A fault whose 2xx answers of `routes` lack `fields`. */
export function fieldsDropped({
  routes,
  fields,
  ...named
}: Named & { routes: readonly string[]; fields: readonly string[] }): FaultEntry {
  const shape = eachField(routes, fields, (item, field) => delete item[field]);
  return { ...named, kind: 'fault', category: 'missing field', shape };
}

/** A fault whose 2xx answers of `route` carry the field `from` under the name `to`. */
export function fieldRenamed({
  route,
  from,
  to,
  ...named
}: Named & { route: string; from: string; to: string }): FaultEntry {
  const shape = eachField([route], [from], (item) => renameField(item, from, to));
  return { ...named, kind: 'fault', category: 'missing field', shape };
}

/**
 * An entry whose 2xx answers of `routes` carry `fields` converted by `to` (in the body, or in each
 * item of a list): a fault of the category "wrong type", or a benign variant of another category.
 */
export function fieldsRetyped({
  routes,
  fields,
  to,
  kind = 'fault',
  category = 'wrong type',
  ...named
}: Named & {
  routes: readonly string[];
  fields: readonly string[];
  to: (value: unknown) => string | number;
  kind?: FaultEntry['kind'];
  category?: string;
}): FaultEntry {
  const shape = eachField(routes, fields, (item, field) => (item[field] = to(item[field])));
  return { ...named, kind, category, shape };
}
