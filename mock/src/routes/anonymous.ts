// Anonymous tokens: the storefront's first call, and their refresh (which keeps the session id).

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, invalidAccessToken, invalidApiKey } from '../errors.ts';
import { faultActive } from '../faults.ts';
import { anonymousTokenBody } from '../payloads.ts';
import { queryOf } from '../schemas.ts';
import { checkSessionContext } from '../session-context.ts';

const SESSION_CONTEXT = ['currency', 'siteCode', 'language', 'targetLocation'] as const;

interface LoginQuery {
  tenant: string;
  client_id: string;
  currency?: string;
  siteCode?: string;
  language?: string;
  targetLocation?: string;
}

interface RefreshQuery {
  tenant: string;
  client_id: string;
  refresh_token?: string;
  anonymous_token?: string;
}

/** The storefront client id must be known and the tenant one of the mock's: else 401 Invalid ApiKey. */
function checkApiKey(request: FastifyRequest, tenant: string, clientId: string): void {
  const { store, mockOptions } = request.server;
  if (!mockOptions.storefrontClientIds.includes(clientId) || !store.tenant(tenant)) throw invalidApiKey();
}

export default async function anonymousRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: LoginQuery }>(
    '/customerlogin/auth/anonymous/login',
    {
      schema: { querystring: queryOf(['tenant', 'client_id'], SESSION_CONTEXT) },
      preHandler: checkSessionContext,
    },
    async (request) => {
      const { tenant, client_id: clientId } = request.query;
      checkApiKey(request, tenant, clientId);
      const pair = app.store.tokens.issueAnonymous(tenant);
      const context: Record<string, string> = {};
      for (const key of SESSION_CONTEXT) {
        const value = request.query[key];
        if (value !== undefined) context[key] = value;
      }
      app.store.createSession(tenant, pair.access.sessionId, context);
      return anonymousTokenBody(pair.access, pair.refresh);
    },
  );

  app.get<{ Querystring: RefreshQuery }>(
    '/customerlogin/auth/anonymous/refresh',
    { schema: { querystring: queryOf(['tenant', 'client_id'], ['refresh_token', 'anonymous_token']) } },
    async (request) => {
      const {
        tenant,
        client_id: clientId,
        refresh_token: refreshToken,
        anonymous_token: anonymousToken,
      } = request.query;
      if (!refreshToken && !anonymousToken) {
        throw badRequest('Either refresh_token or anonymous_token is required.', [
          { field: 'refresh_token', type: 'missing_value', message: 'refresh_token is required' },
        ]);
      }
      checkApiKey(request, tenant, clientId);
      const tokens = app.store.tokens;
      if (refreshToken) {
        const old = tokens.findRefresh(refreshToken, tenant, 'anonymous');
        if (!old) throw invalidAccessToken();
        // Rotation: the used refresh token stops working; the old access token runs out on its own.
        if (!faultActive(app.mockOptions.faults, 'anonymous-refresh-not-rotated')) tokens.revoke(old.value);
        const pair = tokens.issueAnonymous(
          tenant,
          faultActive(app.mockOptions.faults, 'anonymous-refresh-new-session') ? undefined : old.sessionId,
        );
        return anonymousTokenBody(pair.access, pair.refresh);
      }
      // Deprecated form: the access token itself, possibly already expired, buys a new access token.
      const check = tokens.checkAccess(anonymousToken ?? '');
      if (check.status === 'invalid' || check.token.tenant !== tenant || check.token.kind !== 'anonymous') {
        throw invalidAccessToken();
      }
      const access = tokens.issueAnonymousAccessOnly(tenant, check.token.sessionId);
      return anonymousTokenBody(access);
    },
  );
}
