// Benign variants: the server differs from this mock and still conforms, so the suite must pass
// against each (in its default, strict profile). Formats and serialization, extra fields and
// headers, other lengths and orders, latency.

import { randomUUID } from 'node:crypto';
import type { FaultEntry } from './entry.ts';
import {
  ADDRESSES,
  ALL_TOKENS,
  SOCIAL,
  VALIDATE,
  fieldsRetyped,
  ok,
  onEach,
  onObject,
  reverseKeys,
  setContentType,
} from './shaping.ts';

/** Spreads the latency variant's delays over 100 to 300 ms, the same sequence on every run. */
let latencyCounter = 0;

export const BENIGN_VARIANTS: readonly FaultEntry[] = [
  {
    name: 'extra-fields',
    kind: 'benign',
    category: 'extra fields',
    description:
      'Every JSON object answer (and each item of a list) carries extra fields, one of them a per-answer trace id; the API grows additively.',
    shape: {
      apply: onEach((item) => {
        item.vendorTrace = randomUUID();
        item._links = { self: { href: 'https://example.com/self' } };
      }),
    },
  },
  {
    name: 'reversed-key-order',
    kind: 'benign',
    category: 'serialization',
    description: 'JSON members come in reverse order; JSON objects are unordered.',
    shape: { apply: (ctx) => (ctx.body = reverseKeys(ctx.body)) },
  },
  {
    name: 'pretty-json',
    kind: 'benign',
    category: 'serialization',
    description: 'JSON bodies are pretty-printed; whitespace is insignificant in JSON.',
    shape: {
      apply: (ctx) => {
        if (ctx.body !== undefined) ctx.text = JSON.stringify(ctx.body, null, 2);
      },
    },
  },
  {
    name: 'charset-upper-case',
    kind: 'benign',
    category: 'content type',
    description: 'Content-Type is application/json; charset=UTF-8; charset names are case-insensitive.',
    shape: { apply: setContentType('application/json; charset=UTF-8') },
  },
  {
    name: 'no-charset',
    kind: 'benign',
    category: 'content type',
    description: 'Content-Type is application/json without charset; JSON is UTF-8 by definition.',
    shape: { apply: setContentType('application/json') },
  },
  {
    name: 'extra-headers',
    kind: 'benign',
    category: 'headers',
    description: 'Every answer carries extra headers (request id, cache control, rate limits).',
    shape: {
      apply: (ctx) => {
        ctx.headers['x-request-id'] = randomUUID();
        ctx.headers['cache-control'] = 'no-store';
        ctx.headers['x-ratelimit-remaining'] = '999';
      },
    },
  },
  {
    name: 'long-tokens',
    kind: 'benign',
    category: 'token format',
    description: 'Access and refresh tokens are 40 characters; the contract fixes no token length.',
    behaviour: { tokens: { accessLength: 40, refreshLength: 40 } },
  },
  {
    name: 'other-id-formats',
    kind: 'benign',
    category: 'id format',
    description:
      'New customers get 12-digit numbers and addresses 16-hex-character ids; ids are opaque strings.',
    behaviour: { ids: { customerNumberDigits: 12, addressIdLength: 16 } },
  },
  {
    name: 'addresses-newest-first',
    kind: 'benign',
    category: 'list order',
    description: 'The address list answers newest first; the contract fixes no order.',
    shape: {
      routes: [ADDRESSES],
      status: ok,
      apply: (ctx) => {
        if (Array.isArray(ctx.body)) ctx.body = [...ctx.body].reverse();
      },
    },
  },
  {
    name: 'latency',
    kind: 'benign',
    category: 'timing',
    description: 'Every request is answered after 100 to 300 ms; well within any client timeout.',
    waitBound: true,
    onRequest: async (request) => {
      if (request.url.startsWith('/_mock/')) return;
      latencyCounter += 1;
      const delay = 100 + ((latencyCounter * 7919) % 201);
      await new Promise((resolve) => setTimeout(resolve, delay));
    },
  },
  {
    name: 'lifetimes-slightly-lower',
    kind: 'benign',
    category: 'lifetime',
    description:
      'Lifetimes are two seconds lower (3597, 2591997, 86397); the documented values are approximate.',
    behaviour: ({ lifetimes }) => ({
      lifetimes: {
        anonymousAccess: lifetimes.anonymousAccess - 2,
        anonymousRefresh: lifetimes.anonymousRefresh - 2,
        customerAccess: lifetimes.customerAccess - 2,
        customerRefresh: lifetimes.customerRefresh - 2,
      },
    }),
  },
  {
    name: 'deprecated-camelcase-fields',
    kind: 'benign',
    category: 'extra fields',
    description: 'Token answers also carry the deprecated camelCase twins (accessToken, expiresIn...).',
    shape: {
      routes: ALL_TOKENS,
      status: ok,
      apply: onObject((b) => {
        const twins: Record<string, string> = {
          access_token: 'accessToken',
          saas_token: 'saasToken',
          expires_in: 'expiresIn',
          refresh_token: 'refreshToken',
          refresh_token_expires_in: 'refreshTokenExpiresIn',
        };
        for (const [snake, camel] of Object.entries(twins)) if (snake in b) b[camel] = b[snake];
      }),
    },
  },
  {
    name: 'token-type-lower-case',
    kind: 'benign',
    category: 'serialization',
    description: 'token_type is "bearer"; RFC 6749 section 5.1 makes it case-insensitive.',
    shape: {
      routes: [...ALL_TOKENS, VALIDATE],
      status: ok,
      apply: onObject((b) => {
        if (typeof b.token_type === 'string') b.token_type = b.token_type.toLowerCase();
      }),
    },
  },
  fieldsRetyped({
    name: 'social-lifetimes-integers',
    kind: 'benign',
    category: 'wrong type tolerated',
    description: 'Social login lifetimes are integers like every other token answer (discrepancies row 2).',
    routes: [SOCIAL],
    fields: ['expires_in', 'refresh_token_expires_in'],
    to: Number,
  }),
];
