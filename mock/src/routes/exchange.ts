// Token exchange (2026-08 reference, POST-customer-exchange-authtoken): a storefront that signs its
// customers in at an external identity provider trades the provider's JWT (`subjectAccessToken`)
// for an Emporix customer token, authorized with its anonymous token.
//
// Order of checks: the anonymous token (401 none or invalid, 403 another kind: the authentication
// hook), the query (400 `subjectAccessToken` missing), `config` (400 unknown), the subject token
// (401: not a JWT, bad signature, unknown issuer, expired, no email), then the customer: the
// token's email is a login of the tenant, or a new active customer is created for it (as social
// login does). A customer who is not active or on hold is refused like a login (401).
// The customer token is issued like a login's: bound to the tenant, in the anonymous session.

import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { principalOf } from '../auth.ts';
import { ApiError, faultBody, invalidCredentials, invalidField } from '../errors.ts';
import { verifySubjectToken, type SubjectCheck } from '../external-idp.ts';
import { queryOf } from '../schemas.ts';
import type { CustomerRecord } from '../store.ts';
import type { TokenPair, TokenRegistry } from '../tokens.ts';

interface ExchangeQuery {
  subjectAccessToken: string;
  config?: string;
}

/** The reference's example answers 120; the mock has no idle timeout of its own. */
const SESSION_IDLE_TIME = 120;

/** 401 in the documented fault shape; the errorcodes are the two the reference documents. */
function subjectRefused(reason: Exclude<SubjectCheck, { ok: true }>['reason']): ApiError {
  if (reason === 'expired')
    return new ApiError(
      401,
      faultBody('Subject access token expired', 'keymanagement.service.access_token_expired'),
    );
  const why = {
    malformed: 'Invalid subject access token',
    signature: 'Invalid subject access token signature',
    issuer: 'Subject access token issuer is not trusted',
    subject: 'Subject access token names no email',
  }[reason];
  return new ApiError(401, faultBody(why, 'oauth.v2.InvalidAccessToken'));
}

function exchangeTokenBody(subjectAccessToken: string, pair: TokenPair, tokens: TokenRegistry) {
  return {
    subject_access_token: subjectAccessToken,
    access_token: pair.access.value,
    saas_token: tokens.saasToken(pair.access.customerNumber ?? '', pair.access.expiresAt),
    refresh_token: pair.refresh.value,
    refresh_token_expires_in: pair.refresh.lifetime,
    session_idle_time: SESSION_IDLE_TIME,
    token_type: 'Bearer' as const,
    expires_in: pair.access.lifetime,
    scope: pair.access.scope,
    session_id: pair.access.sessionId,
  };
}

export default async function exchangeRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app;

  app.post<{ Params: { tenant: string }; Querystring: ExchangeQuery }>(
    '/customer/:tenant/exchangeauthtoken',
    {
      config: { tokenKinds: ['anonymous'] },
      schema: { querystring: queryOf(['subjectAccessToken'], ['config']) },
    },
    async (request) => {
      const { tenant } = request.params;
      const principal = principalOf(request);
      const { subjectAccessToken, config } = request.query;
      if (config !== undefined && !app.mockOptions.exchangeConfigs.includes(config)) {
        throw invalidField(
          'config',
          'invalid_value',
          `config '${config}' is not a configuration of the tenant`,
        );
      }
      const check = verifySubjectToken(store, tenant, subjectAccessToken);
      if (!check.ok) throw subjectRefused(check.reason);

      let customer: CustomerRecord | undefined = store.findCustomerByEmail(tenant, check.email);
      if (!customer) {
        customer = store.createCustomer(tenant, {
          loginEmail: check.email,
          passwordHash: null,
          active: true,
          providerId: `external-idp|${typeof check.claims.sub === 'string' ? check.claims.sub : randomBytes(12).toString('hex')}`,
          profile: { contactEmail: check.email },
        });
      }
      if (!customer.active || customer.onHold) throw invalidCredentials();
      customer.lastLogin = new Date(store.now()).toISOString();
      const wanted = check.email.toLowerCase();
      const email = customer.accounts.find((a) => a.email.toLowerCase() === wanted)?.email ?? check.email;
      const pair = store.tokens.issueCustomer(tenant, {
        customerNumber: customer.customerNumber,
        sessionId: principal.token.sessionId,
        email,
      });
      return exchangeTokenBody(subjectAccessToken, pair, store.tokens);
    },
  );
}
