// The mock tenant as a fastify app. buildMockServer() returns an app that is not listening: the CLI
// calls listen(), tests call inject().
//
// The server is neutral: it behaves as options.behaviour says (behaviour.ts; defaults are
// docs/behaviour.md) and knows no variant by name. A variant is added from outside as a layer
// (options.layers): it changes the behaviour, adds hooks, or both (the faults in mock/src/faults/).

import Fastify, { type FastifyInstance } from 'fastify';
import { installAuthentication, installTenantCheck } from './auth.ts';
import { installContractGate } from './contract.ts';
import { badRequest, errorBody, installErrorHandling, sendError, toApiError } from './errors.ts';
import './fastify-types.ts';
import { resolveMockOptions, type MockOptionsInput } from './options.ts';
import addressRoutes from './routes/addresses.ts';
import anonymousRoutes from './routes/anonymous.ts';
import credentialRoutes from './routes/credentials.ts';
import customerAuthRoutes from './routes/customer-auth.ts';
import employeeRoutes from './routes/employee.ts';
import exchangeRoutes from './routes/exchange.ts';
import externalIdpRoutes from './routes/external-idp.ts';
import oauthRoutes from './routes/oauth.ts';
import profileRoutes from './routes/profile.ts';
import testOnlyRoutes from './routes/test-only.ts';
import { MockStore } from './store.ts';

export type { MockOptionsInput } from './options.ts';

export function buildMockServer(input: MockOptionsInput = {}): FastifyInstance {
  const options = resolveMockOptions(input);
  const app = Fastify({
    logger: options.logger,
    // Long enough for emailed tokens and hostile input alike; validation decides, not the router.
    routerOptions: { maxParamLength: 2048 },
    bodyLimit: 1024 * 1024,
    // Very long query strings are answered (with a 4xx) rather than cut off by the HTTP parser.
    http: { maxHeaderSize: 64 * 1024 },
    // Errors the router raises before any route runs (bad URL encoding, overlong path parameter).
    frameworkErrors: (error, _request, reply) => {
      sendError(reply, toApiError(error));
    },
    // Malformed HTTP and oversized headers never reach fastify's request handling; they get the
    // documented error body too.
    clientErrorHandler: (error, socket) => {
      if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || socket.destroyed || !socket.writable)
        return;
      const body = JSON.stringify(
        errorBody(
          400,
          'bad_request',
          (error as NodeJS.ErrnoException).code === 'HPE_HEADER_OVERFLOW'
            ? 'The request line or headers are too large.'
            : 'The request could not be read.',
        ),
      );
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    },
    ajv: {
      customOptions: {
        coerceTypes: false,
        allErrors: true,
        removeAdditional: false,
        useDefaults: false,
      },
    },
  });

  app.decorate('mockOptions', options);
  app.decorate('store', new MockStore(options));

  installErrorHandling(app);
  installContractGate(app, options.behaviour.contract); // operations the contract does not document: 404
  const tenantFirst = options.behaviour.checks.tenantBeforeToken;
  if (tenantFirst) installTenantCheck(app); // a malformed {tenant} is a 400 before any token is looked at
  // Layers: none by default. Before authentication, so a hook may still change the Authorization header.
  for (const layer of options.layers) layer.install?.(app);
  installAuthentication(app);
  if (!tenantFirst) installTenantCheck(app);

  // PATCH operations also accept JSON merge patch, parsed like JSON; other methods refuse it.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, (request, body, done) => {
    if (request.method !== 'PATCH') {
      done(badRequest('The request content type is not supported by this operation.'), undefined);
      return;
    }
    parseJson(request, body as string, done); // parseAs: string guarantees a string
  });
  // The form-encoded parser lives in the oauth plugin: only POST /oauth/token accepts forms.

  app.register(anonymousRoutes);
  app.register(oauthRoutes);
  app.register(employeeRoutes);
  app.register(customerAuthRoutes);
  app.register(exchangeRoutes);
  app.register(profileRoutes);
  app.register(addressRoutes);
  app.register(credentialRoutes);
  app.register(testOnlyRoutes);
  app.register(externalIdpRoutes);

  return app;
}
