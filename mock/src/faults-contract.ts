// Faults of the 2026-08 contract: token exchange, PATCH /me's contactEmail rule, and the operations
// 2026-08 no longer documents. Same shape as the entries of faults.ts, spread into its registry.
//
// Each fault works from outside the core, through its own hooks: it rewrites the request before the
// core sees it (a re-signed subject token, a dropped `config`, a swapped Authorization header), or
// the answer after. State a fault needs (the tokens the exchange issued) lives in its closure.

import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { bearerToken, tenantParam } from './auth.ts';
import { hidesRequest } from './contract.ts';
import { unsetsContactEmail } from './contact-email.ts';
import { errorBody } from './errors.ts';
import { decodeJwt, issuerOf, signSubjectToken, verifySubjectToken } from './external-idp.ts';
import type { FaultEntry, ShapeContext } from './faults.ts';

const EXCHANGE = 'POST /customer/:tenant/exchangeauthtoken';
const PATCH_ME = 'PATCH /customer/:tenant/me';

function routeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? ''}`;
}

type Query = Record<string, unknown>;

/** Subject tokens as the client sent them, for requests whose token a fault replaced. */
const sentSubjects = new WeakMap<FastifyRequest, string>();

/**
 * For an exchange whose subject token fails with `reason` and nothing else: replaces it by the same
 * claims, edited by `fix` and signed with the trusted key, so the core accepts it.
 */
function acceptSubjectDespite(
  request: FastifyRequest,
  reason: 'signature' | 'issuer' | 'expired',
  fix: (claims: Record<string, unknown>, tenant: string, nowSeconds: number) => void = () => {},
): void {
  if (routeOf(request) !== EXCHANGE) return;
  const query = request.query as Query;
  const tenant = tenantParam(request);
  const token = query.subjectAccessToken;
  if (tenant === undefined || typeof token !== 'string') return;
  const { store } = request.server;
  const check = verifySubjectToken(store, tenant, token);
  const decoded = decodeJwt(token);
  if (check.ok || check.reason !== reason || !decoded) return;
  const claims = { ...decoded.claims };
  fix(claims, tenant, Math.floor(store.now() / 1000));
  sentSubjects.set(request, token);
  query.subjectAccessToken = signSubjectToken(store, claims);
}

/** The exchange answer echoes the subject token the client sent, not the one a fault swapped in. */
const echoSentSubject = {
  routes: [EXCHANGE],
  status: (status: number) => status === 200,
  apply: (ctx: ShapeContext) => {
    const sent = sentSubjects.get(ctx.request);
    const body = ctx.body as Record<string, unknown> | undefined;
    if (sent !== undefined && body && typeof body === 'object') body.subject_access_token = sent;
  },
};

/** Access tokens the exchange answered (exchange-token-other-tenant-accepted). */
const exchangedTokens = new Set<string>();

/** Requests whose contactEmail a fault removed before validation (contact-email-unsettable). */
const unsettingContactEmail = new WeakSet<FastifyRequest>();

export const CONTRACT_FAULTS = [
  {
    name: 'exchange-bad-signature-accepted',
    kind: 'fault',
    category: 'auth hole',
    description: 'Token exchange accepts a subject token whose signature does not verify.',
    preHandler: (request) => acceptSubjectDespite(request, 'signature'),
    shape: echoSentSubject,
  },
  {
    name: 'exchange-expired-subject-accepted',
    kind: 'fault',
    category: 'auth hole',
    description: 'Token exchange accepts a subject token whose exp has passed.',
    preHandler: (request) =>
      acceptSubjectDespite(request, 'expired', (claims, _tenant, now) => (claims.exp = now + 300)),
    shape: echoSentSubject,
  },
  {
    name: 'exchange-unknown-issuer-accepted',
    kind: 'fault',
    category: 'auth hole',
    description: 'Token exchange accepts a subject token from an issuer the tenant does not trust.',
    preHandler: (request) =>
      acceptSubjectDespite(request, 'issuer', (claims, tenant) => (claims.iss = issuerOf(tenant))),
    shape: echoSentSubject,
  },
  {
    name: 'exchange-unknown-config-accepted',
    kind: 'fault',
    category: 'validation hole',
    description: 'Token exchange with an unknown config answers 200 (default configuration) instead of 400.',
    preHandler: (request) => {
      if (routeOf(request) !== EXCHANGE) return;
      const query = request.query as Query;
      const config = query.config;
      if (typeof config === 'string' && !request.server.mockOptions.exchangeConfigs.includes(config))
        delete query.config;
    },
  },
  {
    name: 'exchange-customer-token-accepted',
    kind: 'fault',
    category: 'auth hole',
    description:
      'Token exchange authorized with a customer token (not anonymous) answers 200 instead of 403.',
    onRequest: (request) => {
      const tenant = tenantParam(request);
      const value = bearerToken(request);
      if (routeOf(request) !== EXCHANGE || tenant === undefined || value === undefined) return;
      const { tokens } = request.server.store;
      const check = tokens.checkAccess(value);
      if (check.status !== 'valid' || check.token.kind !== 'customer' || check.token.tenant !== tenant)
        return;
      const anonymous = tokens.issueAnonymous(tenant, check.token.sessionId);
      request.headers.authorization = `Bearer ${anonymous.access.value}`;
    },
  },
  {
    name: 'exchange-token-other-tenant-accepted',
    kind: 'fault',
    category: 'auth hole',
    description: "A customer token from token exchange is accepted on another tenant's paths.",
    shape: {
      routes: [EXCHANGE],
      status: (status) => status === 200,
      apply: (ctx) => {
        const body = ctx.body as Record<string, unknown> | undefined;
        if (body && typeof body.access_token === 'string') exchangedTokens.add(body.access_token);
      },
    },
    onRequest: (request) => {
      const tenant = tenantParam(request);
      const value = bearerToken(request);
      if (!request.routeOptions.config.tokenKinds?.includes('customer')) return;
      if (tenant === undefined || value === undefined || !exchangedTokens.has(value)) return;
      const { store } = request.server;
      const check = store.tokens.checkAccess(value);
      if (check.status !== 'valid' || check.token.tenant === tenant || !store.tenant(tenant)) return;
      // Served as the customer of the same email on this tenant, else as its first customer.
      const email = check.token.email ?? '';
      const customer =
        store.findCustomerByEmail(tenant, email) ?? store.tenant(tenant)?.customers.values().next().value;
      if (!customer) return;
      const pair = store.tokens.issueCustomer(tenant, {
        customerNumber: customer.customerNumber,
        sessionId: check.token.sessionId,
        email: customer.accounts[0]?.email ?? email,
      });
      request.headers.authorization = `Bearer ${pair.access.value}`;
    },
  },
  {
    name: 'exchange-token-refused-by-me',
    kind: 'fault',
    category: 'state changed wrongly',
    description:
      'Token exchange answers an access_token that GET /me refuses (it is not a token of the tenant).',
    shape: {
      routes: [EXCHANGE],
      status: (status) => status === 200,
      apply: (ctx) => {
        const body = ctx.body as Record<string, unknown> | undefined;
        if (body && typeof body.access_token === 'string')
          body.access_token = randomBytes(21).toString('base64url').slice(0, 28);
      },
    },
  },
  {
    name: 'contact-email-unsettable',
    kind: 'fault',
    category: 'validation hole',
    description: 'PATCH /me with contactEmail null or empty answers 200 and removes the contact email.',
    preValidation: (request) => {
      if (routeOf(request) !== PATCH_ME || !unsetsContactEmail(request.body)) return;
      delete (request.body as { contactEmail?: unknown }).contactEmail;
      unsettingContactEmail.add(request);
    },
    preHandler: (request) => {
      if (!unsettingContactEmail.has(request)) return;
      const principal = request.principal;
      const customer = principal?.customerNumber
        ? request.server.store.getCustomer(principal.tenant, principal.customerNumber)
        : undefined;
      if (customer) delete customer.profile.contactEmail;
    },
  },
  {
    name: 'removed-operation-500',
    kind: 'fault',
    category: 'wrong status',
    description:
      'Serving the 2026-08 operations only, DELETE /me and POST /me/accounts/internal answer 500 instead of 404.',
    // Implies the 2026-08 contract, so that `--fault removed-operation-500` alone shows it.
    options: (options) => {
      if (options.contract === 'all') options.contract = '2026-08';
    },
    shape: {
      status: (status) => status === 404,
      apply: (ctx) => {
        const { method, url } = ctx.request;
        const path = (url.split('?')[0] ?? '').replace(/\/{2,}/g, '/');
        const contract = ctx.request.server.mockOptions.contract;
        if (!hidesRequest(contract, method, path)) return;
        ctx.status = 500;
        ctx.body = errorBody(500, 'internal_error', 'An unexpected error occurred.');
      },
    },
  },
] as const satisfies readonly FaultEntry[];
