// Authorization holes: a request the server must refuse is served. Each one changes the request
// (its Authorization header, or the principal) in a hook before the handler.

import { bearerToken, tenantParam } from '../auth.ts';
import type { FastifyRequest } from 'fastify';
import type { FaultEntry } from './entry.ts';
import {
  ADDRESS,
  ADDRESS_DELETE,
  ADDRESS_PATCH,
  actAsAddressOwner,
  actAsSeedCustomer,
  customerRoute,
  routeKey,
} from './shaping.ts';

/** An ownership hole: `route` called with another customer's address id acts on that address. */
function foreignAddressHole({
  name,
  description,
  route,
}: Pick<FaultEntry, 'name' | 'description'> & { route: string }): FaultEntry {
  return {
    name,
    kind: 'fault',
    category: 'auth hole',
    description,
    preHandler: (request) => {
      if (routeKey(request) === route) actAsAddressOwner(request);
    },
  };
}

/** Runs `open` on the requests to a route that accepts customer tokens, with the tenant they name. */
function onCustomerRoute(
  open: (request: FastifyRequest, tenant: string) => void,
): (request: FastifyRequest) => void {
  return (request) => {
    const tenant = customerRoute(request);
    if (tenant !== undefined) open(request, tenant);
  };
}

export const AUTH_FAULTS: readonly FaultEntry[] = [
  {
    name: 'missing-token-accepted',
    kind: 'fault',
    category: 'auth hole',
    description: 'A customer operation without Authorization header is served as the seed customer.',
    onRequest: onCustomerRoute((request, tenant) => {
      if (request.headers.authorization === undefined) actAsSeedCustomer(request, tenant);
    }),
  },
  {
    name: 'anonymous-token-accepted',
    kind: 'fault',
    category: 'auth hole',
    description: 'A customer-only operation called with an anonymous token is served as the seed customer.',
    onRequest: onCustomerRoute((request, tenant) => {
      const kinds = request.routeOptions.config.tokenKinds ?? [];
      const value = bearerToken(request);
      if (kinds.includes('anonymous') || value === undefined) return;
      const check = request.server.store.tokens.checkAccess(value);
      if (check.status === 'valid' && check.token.kind === 'anonymous') actAsSeedCustomer(request, tenant);
    }),
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
  foreignAddressHole({
    name: 'foreign-address-readable',
    description: "GET of another customer's address id answers that address instead of 404.",
    route: ADDRESS,
  }),
  foreignAddressHole({
    name: 'foreign-address-deletable',
    description: "DELETE of another customer's address id deletes that address instead of 404.",
    route: ADDRESS_DELETE,
  }),
  foreignAddressHole({
    name: 'foreign-address-updatable',
    description: "PATCH of another customer's address id updates that address instead of 404.",
    route: ADDRESS_PATCH,
  }),
];
