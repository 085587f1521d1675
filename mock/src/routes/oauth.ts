// Employee (service) tokens: POST /oauth/token with form-encoded client credentials.

import type { FastifyInstance } from 'fastify';
import { badRequest, invalidApiKey } from '../errors.ts';
import { employeeTokenBody } from '../payloads.ts';
import { oauthTokenBodySchema } from '../schemas.ts';
import { EMPLOYEE_SCOPES } from '../tokens.ts';

interface TokenForm {
  grant_type: string;
  client_id?: string;
  client_secret?: string;
  scope?: string;
}

export default async function oauthRoutes(app: FastifyInstance): Promise<void> {
  // Registered inside this plugin, so no other operation accepts a form body.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body: string | Buffer, done) => {
      const fields: Record<string, string | string[]> = {};
      for (const [key, value] of new URLSearchParams(body.toString())) {
        const previous = fields[key];
        // A repeated field becomes an array, which the schema then refuses.
        fields[key] =
          previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
      }
      done(null, fields);
    },
  );

  app.post<{ Body: TokenForm }>(
    '/oauth/token',
    { schema: { body: oauthTokenBodySchema } },
    async (request) => {
      const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
      if (!contentType.startsWith('application/x-www-form-urlencoded')) {
        throw badRequest('The token request must be form-encoded (application/x-www-form-urlencoded).');
      }
      const { grant_type: grantType, client_id: clientId, client_secret: clientSecret, scope } = request.body;
      if (grantType !== 'client_credentials') {
        throw badRequest(`Unsupported grant_type '${grantType}'; only client_credentials is supported.`, [
          { field: 'grant_type', type: 'invalid_value', message: 'grant_type must be client_credentials' },
        ]);
      }
      const client = app.mockOptions.employeeClients.find(
        (candidate) => candidate.clientId === clientId && candidate.clientSecret === clientSecret,
      );
      if (!client) throw invalidApiKey();
      const parts = (scope ?? '').split(/\s+/).filter((part) => part !== '');
      const requested = parts.find((part) => part.startsWith('tenant='))?.slice('tenant='.length);
      const tenant = requested ?? app.store.tenantNames()[0];
      if (tenant === undefined || !app.store.tenant(tenant)) throw invalidApiKey();
      // Scopes asked for narrow the token to those the client may have; scopes it may not have are
      // dropped silently. Asking for none (besides the tenant) grants every employee scope.
      const asked = parts.filter((part) => !part.startsWith('tenant='));
      const granted =
        asked.length === 0 ? EMPLOYEE_SCOPES : EMPLOYEE_SCOPES.filter((name) => asked.includes(name));
      return employeeTokenBody(app.store.tokens.issueEmployee(tenant, client.clientId, granted));
    },
  );
}
