// Validation holes: input the server must refuse is accepted. Most switch off one of the core's
// checks (behaviour.checks); the others change the request or the answer in a hook.

import type { FaultEntry } from './entry.ts';
import { SIGNUP, is, isObject, randomOpaque, routeKey } from './shaping.ts';

export const VALIDATION_FAULTS: readonly FaultEntry[] = [
  {
    name: 'duplicate-signup-accepted',
    kind: 'fault',
    category: 'validation hole',
    description: 'Signup with an email already registered on the tenant answers 201 instead of 409.',
    behaviour: { checks: { uniqueLogin: false } },
  },
  {
    name: 'signup-without-password-accepted',
    kind: 'fault',
    category: 'validation hole',
    description: 'Signup without password answers 201 (the server makes one up) instead of 400.',
    preValidation: (request) => {
      const body = request.body;
      if (routeKey(request) === SIGNUP && isObject(body) && !('password' in body))
        body.password = randomOpaque(16);
    },
  },
  {
    name: 'signup-short-password-accepted',
    kind: 'fault',
    category: 'validation hole',
    description: 'Signup with a password shorter than 6 characters answers 201 instead of 400.',
    behaviour: { checks: { signupPasswordLength: false } },
  },
  {
    name: 'malformed-json-500',
    kind: 'fault',
    category: 'validation hole',
    description: 'A malformed JSON body answers 500 instead of 400.',
    shape: {
      status: is(400),
      apply: (ctx) => {
        if (isObject(ctx.body) && ctx.body.message === 'The request body is not valid JSON.') {
          ctx.status = 500;
          ctx.body = { status: 500, type: 'internal_error', message: 'Unexpected token in JSON.' };
        }
      },
    },
  },
  {
    name: 'emailed-token-reusable',
    kind: 'fault',
    category: 'validation hole',
    description: 'Emailed tokens (opt-in, reset, email change, delete) can be used more than once.',
    behaviour: { emailTokens: { singleUse: false } },
  },
  {
    name: 'login-before-activation',
    kind: 'fault',
    category: 'validation hole',
    description: 'A signed-up customer that is not active yet can log in.',
    behaviour: { checks: { activeToLogin: false } },
  },
  {
    name: 'wrong-current-password-accepted',
    kind: 'fault',
    category: 'validation hole',
    description: 'Password change with a wrong currentPassword answers 204 and changes the password.',
    behaviour: { checks: { currentPassword: false } },
  },
];
