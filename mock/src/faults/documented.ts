// Benign variants that make a choice the vendor's documents leave open (or make the other choice
// they allow), so the kill matrix runs the suite against each in the `documented` profile: there
// only findings against the documents fail, and every one of these must pass.
//
// The documents behind each choice: T the tutorial, R the customer-managed reference (December
// 2025 and 2026-08), TM the tenant-managed reference.

import { ApiError, faultBody, invalidApiKey } from '../errors.ts';
import type { FaultEntry } from './entry.ts';
import {
  ANON_LOGIN,
  EMPLOYEE_DELETE,
  EMPLOYEE_GET,
  EMPLOYEE_PATCH,
  VALIDATE,
  is,
  onObject,
  routeKey,
} from './shaping.ts';

/** A query parameter as a non-empty string, or undefined. */
function queryValue(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export const DOCUMENTED_VARIANTS: readonly FaultEntry[] = [
  {
    name: 'lifetimes-4h-180d',
    kind: 'benign',
    category: 'lifetime',
    profile: 'documented',
    description:
      'Customer tokens live 4 hours (expires_in 14399) and their refresh tokens 180 days (15551999), as in the 2026 reference exchange example; anonymous ones keep the documented hour and day.',
    // R 2026-08 POST-customer-exchange-authtoken example. The anonymous lifetimes stay: R and T both
    // state in prose that an anonymous token is valid for one hour and its refresh token 24 hours.
    behaviour: { lifetimes: { customerAccess: 14399, customerRefresh: 15551999 } },
  },
  {
    name: 'delete-me-immediate',
    kind: 'benign',
    category: 'documented choice',
    profile: 'documented',
    description:
      'DELETE /me deletes the profile at once and answers 204, with no emailed confirmation token (the tutorial allows 202 or 204).',
    // T "Deleting a customer profile": 202 if confirmation is required, 204 if deletion is immediate.
    behaviour: { profileDeletion: 'immediate' },
  },
  {
    name: 'gateway-fault-unknown-route',
    kind: 'benign',
    category: 'documented choice',
    profile: 'documented',
    description:
      'Unknown paths (404) and wrong methods (405) are answered with a gateway fault body instead of the error body; the documents describe no answer there.',
    behaviour: { unknownRoutes: 'gateway-fault' },
  },
  {
    name: 'validate-401-empty',
    kind: 'benign',
    category: 'documented choice',
    profile: 'documented',
    description: 'validateauthtoken refuses with 401 and an empty body, as its reference entry documents it.',
    // R GET-customer-validate-token: '401: Unauthorized' with no content.
    shape: {
      routes: [VALIDATE],
      status: is(401),
      apply: (ctx) => {
        ctx.body = undefined;
        ctx.text = '';
      },
    },
  },
  {
    name: 'tm-404-type',
    kind: 'benign',
    category: 'documented choice',
    profile: 'documented',
    description:
      'The tenant-managed 404 for an unknown customer carries type "application/json", the value of that reference\'s own 404 example.',
    // TM components/responses/404_customer example: {status: 404, type: application/json, ...}.
    shape: {
      routes: [EMPLOYEE_GET, EMPLOYEE_PATCH, EMPLOYEE_DELETE],
      status: is(404),
      apply: onObject((body) => (body.type = 'application/json')),
    },
  },
  {
    name: 'refresh-not-rotated',
    kind: 'benign',
    category: 'documented choice',
    profile: 'documented',
    description:
      'Customer refresh tokens are not rotated: refreshauthtoken answers the same refresh token with the seconds it has left, it keeps working, and logout leaves it valid.',
    // R GET-customer-refresh-authtoken answers "a refresh token" (its example announces 86390 s
    // left); no document says a used refresh token stops working or that logout revokes it (R
    // logout "invalidates their customer token").
    behaviour: {
      refresh: { customer: { rotates: false } },
      logout: { revokes: 'access' },
    },
  },
  {
    name: 'country-free-text',
    kind: 'benign',
    category: 'documented choice',
    profile: 'documented',
    description:
      'Address country accepts any non-blank text ("Germany", "DEU") and keeps it as sent; the reference types it as a plain string.',
    // R AddressCreateDto / AddressUpdateDto: country is `type: string` without a format.
    behaviour: { checks: { countryCode: false } },
  },
  {
    name: 'version-jumps',
    kind: 'benign',
    category: 'documented choice',
    profile: 'documented',
    description:
      'metadata.version grows by 2 with every change, still monotonic; the documents promise no step.',
    behaviour: { versionStep: 2 },
  },
  {
    name: 'logout-ignores-foreign-token',
    kind: 'benign',
    category: 'documented choice',
    profile: 'documented',
    description:
      "A logout whose accessToken is another session's token is answered 204 and revokes neither the caller's token nor the other one.",
    // R GET-customer-logout-customer documents 204, 400 and 401 without saying which one a foreign
    // accessToken gets; answering 204 while touching no token is a safe, idempotent reading.
    behaviour: { logout: { foreignToken: 'ignore' } },
  },
  {
    name: 'token-before-tenant',
    kind: 'benign',
    category: 'documented choice',
    profile: 'documented',
    description:
      'The token is checked before the tenant name: a malformed tenant with a valid token is answered 401, since the token is not bound to that name.',
    // R documents both 400 (invalid tenant) and 401 on these operations; nothing orders the checks.
    behaviour: { checks: { tenantBeforeToken: false } },
  },
  {
    name: 'anonymous-refusals-401',
    kind: 'benign',
    category: 'documented choice',
    profile: 'documented',
    description:
      'Anonymous login without client_id or tenant, or for an unknown tenant, is refused with 401 and a gateway fault whose errorcode is not oauth.v2.InvalidApiKey.',
    // R GET-oauth-generate-anonymous-access-token documents only its 200; an API gateway resolves
    // the API key before the service runs.
    install: (app) =>
      app.addHook('onRequest', async (request) => {
        if (routeKey(request) !== ANON_LOGIN) return;
        const clientId = queryValue(request.query, 'client_id');
        const tenant = queryValue(request.query, 'tenant');
        const { mockOptions, store } = request.server;
        if (clientId === undefined) {
          throw new ApiError(
            401,
            faultBody(
              'Failed to resolve API Key variable request.queryparam.client_id',
              'steps.oauth.v2.FailedToResolveAPIKey',
            ),
          );
        }
        // An unknown client id keeps the mock's usual answer, whatever else is missing.
        if (!mockOptions.storefrontClientIds.includes(clientId)) throw invalidApiKey();
        if (tenant === undefined || !store.tenant(tenant)) {
          throw new ApiError(
            401,
            faultBody('Invalid ApiKey for given resource', 'oauth.v2.InvalidApiKeyForGivenResource'),
          );
        }
      }),
  },
];
