// How the mock tenant behaves wherever a server has a choice: lifetimes, token and id formats,
// refresh and logout policies, which input checks it enforces, what it answers where no route is.
//
// The core (store, tokens, routes, server) reads `app.mockOptions.behaviour` and nothing else to
// make these choices; it knows no fault and no variant by name. The defaults are docs/behaviour.md.
// A variant of the mock (mock/src/faults/) changes the behaviour from outside, through a layer.

import { isContractVersion, type ContractVersion } from './contract.ts';

/** Token, emailed-token and identity-provider code lifetimes, in seconds. */
export interface Lifetimes {
  anonymousAccess: number;
  anonymousRefresh: number;
  customerAccess: number;
  customerRefresh: number;
  employeeAccess: number;
  /** Password-reset, email-change, profile-delete and opt-in tokens. */
  emailToken: number;
  /** Authorization codes of the mock identity provider. */
  socialCode: number;
}

/** What a refresh does with the refresh token it is given. */
export interface RefreshPolicy {
  /** The answer carries a new refresh token (true) or the one that was sent (false). */
  rotates: boolean;
  /** After a rotating refresh, the refresh token that was sent stops working. */
  revokesUsed: boolean;
  /** The new tokens keep the session id of the refreshed ones (false: a new session id). */
  keepsSession: boolean;
}

export interface Behaviour {
  /**
   * Which vendor documents' operations are served (contract.ts): `all` serves every operation either
   * version documents; under one version the others answer 404 as unknown routes do.
   */
  contract: ContractVersion;
  lifetimes: Lifetimes;
  /** Access and refresh tokens: random strings of these lengths over this alphabet. */
  tokens: { accessLength: number; refreshLength: number; alphabet: string };
  /** New customer numbers have this many digits; new address ids this many lowercase hex characters. */
  ids: { customerNumberDigits: number; addressIdLength: number };
  /** What one change adds to `metadata.version` (customers and addresses start at 1). */
  versionStep: number;
  refresh: { anonymous: RefreshPolicy; customer: RefreshPolicy };
  logout: {
    /** What logout revokes: the access token and its refresh token, the access token only, nothing. */
    revokes: 'pair' | 'access' | 'none';
    /** An `accessToken` that is not the bearer token: refused with 400, or answered 204 changing nothing. */
    foreignToken: 'refuse' | 'ignore';
  };
  /** A password change ends every other session of the customer (the calling one stays). */
  passwordChangeEndsOtherSessions: boolean;
  /** Emailed tokens (opt-in, reset, email change, deletion) work once. */
  emailTokens: { singleUse: boolean };
  /** DELETE /me without a token: emails a confirmation token (202), or deletes at once (204). */
  profileDeletion: 'confirm-by-email' | 'immediate';
  /** Input checks the server enforces. */
  checks: {
    /** A malformed `{tenant}` is refused with 400 before the token is looked at (else the token first). */
    tenantBeforeToken: boolean;
    /** Signup refuses a login email the tenant already has (409). */
    uniqueLogin: boolean;
    /** Signup's `password` has at least 6 characters. */
    signupPasswordLength: boolean;
    /** Login needs an activated account. */
    activeToLogin: boolean;
    /** A password change needs the right `currentPassword`. */
    currentPassword: boolean;
    /** Address `country` is a two-letter code (answered in upper case); else any non-blank text. */
    countryCode: boolean;
  };
  /** Paths no operation serves, and wrong methods: the documented error body, or a gateway's fault body. */
  unknownRoutes: 'error-body' | 'gateway-fault';
}

/** Any part of a behaviour, to be merged over another one (objects field by field). */
export type BehaviourPatch = {
  [K in keyof Behaviour]?: Behaviour[K] extends string | number | boolean
    ? Behaviour[K]
    : Patch<Behaviour[K]>;
};
type Patch<T> = { [K in keyof T]?: T[K] extends string | number | boolean ? T[K] : Patch<T[K]> };

export const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function defaultLifetimes(): Lifetimes {
  return {
    anonymousAccess: 3599,
    anonymousRefresh: 86399,
    customerAccess: 2591999,
    customerRefresh: 86399,
    employeeAccess: 14399,
    emailToken: 3600,
    socialCode: 60,
  };
}

export function defaultBehaviour(): Behaviour {
  const rotating: RefreshPolicy = { rotates: true, revokesUsed: true, keepsSession: true };
  return {
    contract: 'all',
    lifetimes: defaultLifetimes(),
    tokens: { accessLength: 28, refreshLength: 32, alphabet: BASE62 },
    ids: { customerNumberDigits: 8, addressIdLength: 10 },
    versionStep: 1,
    refresh: { anonymous: { ...rotating }, customer: { ...rotating } },
    logout: { revokes: 'pair', foreignToken: 'refuse' },
    passwordChangeEndsOtherSessions: true,
    emailTokens: { singleUse: true },
    profileDeletion: 'confirm-by-email',
    checks: {
      tenantBeforeToken: true,
      uniqueLogin: true,
      signupPasswordLength: true,
      activeToLogin: true,
      currentPassword: true,
      countryCode: true,
    },
    unknownRoutes: 'error-body',
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>, path: string): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (!(key in target)) throw new Error(`behaviour: unknown setting '${path}${key}'`);
    const current = target[key];
    if (isPlainObject(current)) {
      if (!isPlainObject(value)) throw new Error(`behaviour: '${path}${key}' must be an object`);
      mergeInto(current, value, `${path}${key}.`);
    } else {
      target[key] = value;
    }
  }
}

/** A new behaviour: `base` with `patch` merged over it (objects field by field); unknown names throw. */
export function mergeBehaviour(base: Behaviour, patch: BehaviourPatch | undefined): Behaviour {
  const merged = structuredClone(base);
  if (patch) mergeInto(merged as unknown as Record<string, unknown>, patch, '');
  return merged;
}

/** Every problem of a behaviour (empty when it can be served). */
export function behaviourProblems(b: Behaviour): string[] {
  const problems: string[] = [];
  if (!isContractVersion(b.contract))
    problems.push(`behaviour.contract must be 2025-12, 2026-08 or all, got ${String(b.contract)}`);
  const integer = (name: string, value: number, min: number, max: number): void => {
    if (!Number.isSafeInteger(value) || value < min || value > max)
      problems.push(`behaviour.${name} must be an integer from ${min} to ${max}, got ${value}`);
  };
  for (const [name, value] of Object.entries(b.lifetimes))
    integer(`lifetimes.${name}`, value, 0, Number.MAX_SAFE_INTEGER);
  integer('tokens.accessLength', b.tokens.accessLength, 8, 512);
  integer('tokens.refreshLength', b.tokens.refreshLength, 8, 512);
  if (new Set(b.tokens.alphabet).size < 2 || /[\s%&+#?/]/.test(b.tokens.alphabet))
    problems.push('behaviour.tokens.alphabet needs two or more characters that are safe in a URL query');
  // randomInt() draws below 2^48: 14 digits at most.
  integer('ids.customerNumberDigits', b.ids.customerNumberDigits, 1, 14);
  integer('ids.addressIdLength', b.ids.addressIdLength, 4, 64);
  integer('versionStep', b.versionStep, 1, 1_000_000);
  return problems;
}
