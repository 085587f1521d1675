// Type additions to fastify for this server: the shared store and options on the instance, the
// accepted token kinds in route config, and the authenticated principal on the request.

import type { Principal } from './auth.ts';
import type { MockOptions } from './options.ts';
import type { MockStore } from './store.ts';
import type { TokenKind } from './tokens.ts';

declare module 'fastify' {
  interface FastifyInstance {
    store: MockStore;
    mockOptions: MockOptions;
  }
  interface FastifyContextConfig {
    /** Bearer token kinds the operation accepts; absent means no bearer token is read. */
    tokenKinds?: readonly TokenKind[];
    /** Scopes of which the token must carry one (a customer token: or its `_own` form); absent: none. */
    requiredScopes?: readonly string[];
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export {};
