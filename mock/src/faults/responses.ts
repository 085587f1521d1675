// Faults in the answers: missing or renamed fields, wrong types and statuses, content types,
// error bodies, lifetimes in the wrong unit, exposed secrets, formats. Each one rewrites the answer
// in the shared onSend hook (`shape`); the core's work is untouched.

import type { FaultEntry } from './entry.ts';
import {
  ADDRESS,
  ADDRESSES,
  ADDRESS_CREATE,
  ADDRESS_DELETE,
  ANON_LOGIN,
  ANON_REFRESH,
  CUSTOMER_TOKENS,
  DELETE_ME,
  LOGIN,
  LOGOUT,
  ME,
  OAUTH,
  OPTIN,
  REFRESH,
  SIGNUP,
  SOCIAL,
  TAGS_ADD,
  VALIDATE,
  is,
  isObject,
  ok,
  onEach,
  onObject,
  principalCustomer,
  randomOpaque,
  fieldRenamed,
  fieldsDropped,
  fieldsRetyped,
  setContentType,
  setStatus,
  statusRewrite,
} from './shaping.ts';

export const RESPONSE_FAULTS: readonly FaultEntry[] = [
  // Missing or renamed fields.
  fieldsDropped({
    name: 'anonymous-session-id-missing',
    description: 'Anonymous login and refresh answer without sessionId.',
    routes: [ANON_LOGIN, ANON_REFRESH],
    fields: ['sessionId'],
  }),
  fieldsDropped({
    name: 'anonymous-refresh-token-missing',
    description: 'Anonymous login answers without refresh_token and refresh_token_expires_in.',
    routes: [ANON_LOGIN],
    fields: ['refresh_token', 'refresh_token_expires_in'],
  }),
  fieldRenamed({
    name: 'login-saas-token-renamed',
    description: 'Login answers saasToken instead of saas_token.',
    route: LOGIN,
    from: 'saas_token',
    to: 'saasToken',
  }),
  fieldsDropped({
    name: 'refresh-access-token-missing',
    description: 'refreshauthtoken answers without access_token.',
    routes: [REFRESH],
    fields: ['access_token'],
  }),
  {
    name: 'profile-customer-number-missing',
    kind: 'fault',
    category: 'missing field',
    description: "GET /me answers a customer's profile without customerNumber.",
    shape: {
      routes: [ME],
      status: ok,
      apply: onObject((b) => {
        if (b.customerNumber !== '00000000') delete b.customerNumber;
      }),
    },
  },
  fieldsDropped({
    name: 'address-list-id-missing',
    description: 'The address list answers its items without id.',
    routes: [ADDRESSES],
    fields: ['id'],
  }),
  fieldsDropped({
    name: 'validate-session-id-missing',
    description: 'validateauthtoken answers without sessionId.',
    routes: [VALIDATE],
    fields: ['sessionId'],
  }),
  fieldRenamed({
    name: 'signup-id-renamed',
    description: 'Signup answers {customerNumber} instead of {id}.',
    route: SIGNUP,
    from: 'id',
    to: 'customerNumber',
  }),
  fieldsDropped({
    name: 'employee-token-scope-missing',
    description: 'POST /oauth/token answers without scope.',
    routes: [OAUTH],
    fields: ['scope'],
  }),

  // Wrong types.
  fieldsRetyped({
    name: 'anonymous-expires-in-string',
    description: 'Anonymous login and refresh answer expires_in as a string ("3599").',
    routes: [ANON_LOGIN, ANON_REFRESH],
    fields: ['expires_in'],
    to: String,
  }),
  fieldsRetyped({
    name: 'address-is-default-string',
    description: 'Address answers carry isDefault as a string ("true"/"false").',
    routes: [ADDRESSES, ADDRESS],
    fields: ['isDefault'],
    to: String,
  }),
  fieldsRetyped({
    name: 'profile-customer-number-number',
    description: 'GET /me answers customerNumber and id as numbers.',
    routes: [ME],
    fields: ['customerNumber', 'id'],
    to: Number,
  }),
  {
    name: 'login-initial-password-string',
    kind: 'fault',
    category: 'wrong type',
    description: 'Login answers initialPassword as the string "false".',
    shape: { routes: [LOGIN], status: ok, apply: onObject((b) => (b.initialPassword = 'false')) },
  },
  {
    name: 'address-tags-string',
    kind: 'fault',
    category: 'wrong type',
    description: 'Address answers carry tags as one comma-separated string instead of an array.',
    shape: {
      routes: [ADDRESSES, ADDRESS],
      status: ok,
      apply: onEach((a) => (a.tags = Array.isArray(a.tags) ? a.tags.join(',') : a.tags)),
    },
  },

  // Wrong statuses.
  statusRewrite({
    name: 'signup-200',
    description: 'Signup answers 200 instead of 201.',
    route: SIGNUP,
    from: 201,
    to: 200,
  }),
  statusRewrite({
    name: 'address-create-200',
    description: 'Creating an address answers 200 instead of 201.',
    route: ADDRESS_CREATE,
    from: 201,
    to: 200,
  }),
  {
    name: 'logout-200-with-body',
    kind: 'fault',
    category: 'wrong status',
    description: 'Logout answers 200 with a JSON body instead of 204.',
    shape: {
      routes: [LOGOUT],
      status: is(204),
      apply: (ctx) => {
        ctx.status = 200;
        ctx.body = { message: 'Logged out' };
      },
    },
  },
  statusRewrite({
    name: 'address-delete-200',
    description: 'Deleting an address answers 200 instead of 204.',
    route: ADDRESS_DELETE,
    from: 204,
    to: 200,
  }),
  statusRewrite({
    name: 'delete-me-request-200',
    description: 'DELETE /me without a token answers 200 instead of 202.',
    route: DELETE_ME,
    from: 202,
    to: 200,
  }),
  statusRewrite({
    name: 'tags-add-200',
    description: 'Adding address tags answers 200 instead of 204.',
    route: TAGS_ADD,
    from: 204,
    to: 200,
  }),
  {
    name: 'validation-error-422',
    kind: 'fault',
    category: 'wrong status',
    description: 'Request validation errors (400 with details) answer 422, which is not documented.',
    shape: {
      status: is(400),
      apply: (ctx) => {
        if (isObject(ctx.body) && Array.isArray(ctx.body.details)) setStatus(ctx, 422);
      },
    },
  },

  // Content types.
  {
    name: 'json-as-text-plain',
    kind: 'fault',
    category: 'content type',
    description: 'Every JSON body is sent with Content-Type text/plain.',
    shape: { apply: setContentType('text/plain; charset=utf-8') },
  },
  {
    name: 'error-as-html',
    kind: 'fault',
    category: 'content type',
    description: 'Error bodies (4xx) are sent with Content-Type text/html.',
    shape: {
      status: (s) => s >= 400 && s < 500,
      apply: setContentType('text/html; charset=utf-8'),
    },
  },

  // Error bodies.
  {
    name: 'unauthorized-error-shape',
    kind: 'fault',
    category: 'error body',
    description: '401 answers {status,type,message} instead of the fault body.',
    shape: {
      status: is(401),
      apply: (ctx) => {
        ctx.body = { status: 401, type: 'unauthorized', message: 'Invalid access token' };
      },
    },
  },
  {
    name: 'fault-errorcode-missing',
    kind: 'fault',
    category: 'error body',
    description: '401 fault bodies lack fault.detail.errorcode.',
    shape: {
      status: is(401),
      apply: onObject((b) => {
        if (isObject(b.fault)) delete b.fault.detail;
      }),
    },
  },
  {
    name: 'bad-request-status-missing',
    kind: 'fault',
    category: 'error body',
    description: '400 error bodies lack status.',
    shape: { status: is(400), apply: onObject((b) => delete b.status) },
  },
  {
    name: 'not-found-as-fault',
    kind: 'fault',
    category: 'error body',
    description: '404 answers the 401 fault body instead of {status,type,message}.',
    shape: {
      status: is(404),
      apply: (ctx) => {
        ctx.body = {
          fault: { faultstring: 'Resource not found', detail: { errorcode: 'resource_not_found' } },
        };
      },
    },
  },
  {
    name: 'error-details-not-array',
    kind: 'fault',
    category: 'error body',
    description: 'Error details are a single object instead of an array.',
    shape: {
      status: is(400),
      apply: onObject((b) => {
        if (Array.isArray(b.details)) b.details = b.details[0];
      }),
    },
  },

  // Lifetimes.
  {
    name: 'anonymous-expires-in-milliseconds',
    kind: 'fault',
    category: 'lifetime',
    description: 'Anonymous tokens announce expires_in in milliseconds (3599000).',
    shape: {
      routes: [ANON_LOGIN, ANON_REFRESH],
      status: ok,
      apply: onObject((b) => (b.expires_in = Number(b.expires_in) * 1000)),
    },
  },
  {
    name: 'customer-expires-in-3599',
    kind: 'fault',
    category: 'lifetime',
    description: 'Customer tokens announce expires_in 3599 instead of 2591999 (30 days).',
    shape: { routes: CUSTOMER_TOKENS, status: ok, apply: onObject((b) => (b.expires_in = 3599)) },
  },

  // Sensitive data.
  {
    name: 'profile-password-hash-exposed',
    kind: 'fault',
    category: 'sensitive field',
    description: "GET /me carries the customer's password hash as password.",
    shape: {
      routes: [ME],
      status: ok,
      apply: onObject((b, ctx) => {
        const customer = principalCustomer(ctx.request);
        if (customer) b.password = customer.passwordHash;
      }),
    },
  },
  {
    name: 'signup-echoes-password',
    kind: 'fault',
    category: 'sensitive field',
    description: 'The signup answer echoes the password it was sent.',
    shape: {
      routes: [SIGNUP],
      status: ok,
      apply: onObject((b, ctx) => {
        const sent = ctx.request.body;
        if (isObject(sent)) b.password = sent.password;
      }),
    },
  },

  // Formats.
  {
    name: 'saas-token-not-jwt',
    kind: 'fault',
    category: 'format',
    description: 'saas_token is an opaque string instead of a JWT.',
    shape: {
      routes: [LOGIN, OPTIN, SOCIAL],
      status: ok,
      apply: onObject((b) => {
        if ('saas_token' in b) b.saas_token = randomOpaque(40);
      }),
    },
  },
  {
    name: 'session-id-not-uuid',
    kind: 'fault',
    category: 'format',
    description: 'Anonymous answers carry sessionId as 32 hex characters, not a UUID.',
    shape: {
      routes: [ANON_LOGIN, ANON_REFRESH],
      status: ok,
      apply: onObject((b) => {
        if (typeof b.sessionId === 'string') b.sessionId = b.sessionId.replaceAll('-', '');
      }),
    },
  },
];
