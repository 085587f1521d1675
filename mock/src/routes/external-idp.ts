// Test-only path under /_mock/: the external identity provider whose tokens the token exchange
// accepts. POST /_mock/{tenant}/external-idp/token {email, expiresInSeconds?, issuer?} → 200 {token}.

import type { FastifyInstance } from 'fastify';
import { invalidField } from '../errors.ts';
import { issueSubjectToken } from '../external-idp.ts';
import { EMAIL_MAX, looksLikeEmail } from '../schemas.ts';

/** Keycloak's default access token lifespan: five minutes. */
const DEFAULT_LIFETIME = 300;
/** One year either way: long enough for any test, short enough for any clock. */
const MAX_LIFETIME = 365 * 24 * 3600;

interface TokenBody {
  email: string;
  expiresInSeconds?: number;
  issuer?: string;
}

const tokenBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    email: { type: 'string', minLength: 1, maxLength: EMAIL_MAX },
    expiresInSeconds: { type: 'integer', minimum: -MAX_LIFETIME, maximum: MAX_LIFETIME },
    issuer: { type: 'string', minLength: 1, maxLength: 512 },
  },
  required: ['email'],
} as const;

export default async function externalIdpRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Params: { tenant: string }; Body: TokenBody }>(
    '/_mock/:tenant/external-idp/token',
    { schema: { body: tokenBodySchema } },
    async (request) => {
      const { tenant } = request.params;
      app.store.requireTenant(tenant);
      const { email, expiresInSeconds, issuer } = request.body;
      if (!looksLikeEmail(email))
        throw invalidField('email', 'invalid_format', 'email must be an email address');
      const token = issueSubjectToken(app.store, {
        tenant,
        email,
        expiresInSeconds: expiresInSeconds ?? DEFAULT_LIFETIME,
        ...(issuer !== undefined ? { issuer } : {}),
      });
      return { token };
    },
  );
}
