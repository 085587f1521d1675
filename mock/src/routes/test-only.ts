// Paths only the mock has, under /_mock/: the outbox of emails, the identity provider that issues
// social-login codes, the expiry of one token on demand, and a reset of all state.

import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { outboxBody } from '../payloads.ts';
import { expireTokenBodySchema, idpAuthorizeBodySchema, looksLikeEmail, queryOf } from '../schemas.ts';
import { invalidField, notFound } from '../errors.ts';
import type { SocialCode } from '../store.ts';

interface AuthorizeBody {
  email: string;
  redirect_uri: string;
  code_challenge?: string;
  code_challenge_method?: 'S256';
}

export default async function testOnlyRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { tenant: string }; Querystring: { to?: string } }>(
    '/_mock/:tenant/outbox',
    { schema: { querystring: queryOf([], ['to']) } },
    async (request) => {
      app.store.requireTenant(request.params.tenant);
      return outboxBody(app.store.outbox(request.params.tenant, request.query.to));
    },
  );

  app.post<{ Params: { tenant: string }; Body: AuthorizeBody }>(
    '/_mock/:tenant/idp/authorize',
    { schema: { body: idpAuthorizeBodySchema } },
    async (request) => {
      const state = app.store.requireTenant(request.params.tenant);
      const body = request.body;
      if (!looksLikeEmail(body.email))
        throw invalidField('email', 'invalid_format', 'email must be an email address');
      if (body.code_challenge_method !== undefined && body.code_challenge === undefined) {
        throw invalidField(
          'code_challenge',
          'missing_value',
          'code_challenge is required with code_challenge_method',
        );
      }
      const code: SocialCode = {
        code: randomBytes(24).toString('base64url'),
        email: body.email,
        redirectUri: body.redirect_uri,
        expiresAt: app.store.now() + app.mockOptions.behaviour.lifetimes.socialCode * 1000,
      };
      if (body.code_challenge !== undefined) code.codeChallenge = body.code_challenge;
      state.socialCodes.set(code.code, code);
      return { code: code.code };
    },
  );

  // One access or refresh token of the tenant expires now; other tokens and the clock are untouched.
  app.post<{ Params: { tenant: string }; Body: { token: string } }>(
    '/_mock/:tenant/tokens/expire',
    { schema: { body: expireTokenBodySchema } },
    async (request, reply) => {
      const { tenant } = request.params;
      app.store.requireTenant(tenant);
      if (!app.store.tokens.expireNow(request.body.token, tenant))
        throw notFound(`The tenant '${tenant}' has no such token.`);
      return reply.code(204).send();
    },
  );

  app.post('/_mock/reset', async (_request, reply) => {
    app.store.reset();
    return reply.code(204).send();
  });
}
