// Bearer-token authentication. A route declares the token kinds it accepts in its config:
//
//   app.get('/customer/:tenant/me', { config: { tokenKinds: ['customer', 'anonymous'] } }, handler)
//
// A malformed `{tenant}` is refused with 400 by installTenantCheck(): first, as a gateway would, or
// after the token (behaviour.checks.tenantBeforeToken off; a valid token is then refused with 401,
// since it is not bound to that name). The onRequest hook installed by installAuthentication(),
// before the body is even parsed:
//   - reads `Authorization: Bearer <token>` (missing or malformed: 401 invalid token),
//   - looks the access token up (unknown or revoked: 401 invalid; expired: 401 expired),
//   - checks it belongs to the `{tenant}` of the path (another tenant: 401 invalid),
//   - checks a customer or service token names one of the route's config.requiredScopes, if any
//     (else 403 naming them),
//   - checks its kind (valid token of another kind: 403),
//   - and sets request.principal. Handlers read it with principalOf() / customerOf().

import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  expiredAccessToken,
  forbidden,
  insufficientScope,
  invalidAccessToken,
  invalidTenant,
} from './errors.ts';
import { isValidTenantName } from './options.ts';
import type { CustomerRecord } from './store.ts';
import type { TokenKind, TokenRecord } from './tokens.ts';

export interface Principal {
  kind: TokenKind;
  tenant: string;
  token: TokenRecord;
  /** Customer tokens only. */
  customerNumber?: string;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/** The `{tenant}` path parameter, if the route has one. */
export function tenantParam(request: FastifyRequest): string | undefined {
  const params = request.params as Record<string, unknown> | undefined;
  const tenant = params?.tenant;
  return typeof tenant === 'string' ? tenant : undefined;
}

/**
 * Whether the token carries one of `required`. A customer token may carry the `_own` form instead
 * (customer.customer_manage_own for customer.customer_manage): its rights over its own profile.
 */
export function hasScope(token: TokenRecord, required: readonly string[]): boolean {
  const granted = new Set(token.scope.split(/\s+/));
  return required.some(
    (name) => granted.has(name) || (token.kind === 'customer' && granted.has(`${name}_own`)),
  );
}

export function authenticate(
  request: FastifyRequest,
  kinds: readonly TokenKind[],
  requiredScopes: readonly string[] = [],
): Principal {
  const value = bearerToken(request);
  if (value === undefined) throw invalidAccessToken();
  const store = request.server.store;
  const check = store.tokens.checkAccess(value);
  if (check.status === 'invalid') throw invalidAccessToken();
  const tenant = tenantParam(request);
  if (tenant !== undefined && check.token.tenant !== tenant) throw invalidAccessToken();
  if (check.status === 'expired') throw expiredAccessToken();
  const token = check.token;
  // Anonymous tokens carry no scope but the tenant: they are refused below as the wrong kind.
  if (requiredScopes.length > 0 && token.kind !== 'anonymous' && !hasScope(token, requiredScopes))
    throw insufficientScope(requiredScopes);
  if (!kinds.includes(token.kind)) throw forbidden();
  if (token.kind === 'customer') {
    // Tokens of a deleted customer are revoked with it; this guards against any leftover.
    if (!token.customerNumber || !store.getCustomer(token.tenant, token.customerNumber))
      throw invalidAccessToken();
  }
  const principal: Principal = { kind: token.kind, tenant: token.tenant, token };
  if (token.customerNumber !== undefined) principal.customerNumber = token.customerNumber;
  return principal;
}

/**
 * Installs the gateway's check of the `{tenant}` path parameter on every `/customer/{tenant}/...`
 * route: a name that is not a tenant name (`^[a-z][a-z0-9]+$`, 3 to 16 characters) is answered 400.
 * A well-formed but unknown tenant passes on (its tokens get 401). The server installs it before
 * authentication or after it, as behaviour.checks.tenantBeforeToken says.
 */
export function installTenantCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (!request.routeOptions.url?.startsWith('/customer/:tenant/')) return;
    const tenant = tenantParam(request);
    if (tenant !== undefined && !isValidTenantName(tenant)) throw invalidTenant();
  });
}

/** Installs the hook that authenticates every route declaring `config.tokenKinds`. */
export function installAuthentication(app: FastifyInstance): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const { tokenKinds: kinds, requiredScopes } = request.routeOptions.config;
    if (!kinds) return;
    request.principal = authenticate(request, kinds, requiredScopes);
  });
}

/** The authenticated principal of a route that declared tokenKinds. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw invalidAccessToken();
  return request.principal;
}

/** The customer behind a customer token (401 when the token is not a customer token). */
export function customerOf(request: FastifyRequest): CustomerRecord {
  const principal = principalOf(request);
  const customer =
    principal.kind === 'customer' && principal.customerNumber
      ? request.server.store.getCustomer(principal.tenant, principal.customerNumber)
      : undefined;
  if (!customer) throw invalidAccessToken();
  return customer;
}
