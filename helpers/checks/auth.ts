// Checks of the authentication chapter: token lifetimes, session ids, the SaaS token, revocation.
// Each `check…` evaluates one requirement (helpers/requirements/auth.ts) and returns findings; each
// `ensure…`/`validate…` hands them to `enforce`, which weighs them by source and profile. Plus the
// few helpers these specs need beyond the plumbing: PKCE pairs for the mock identity provider, the
// raw call for the deprecated anonymous refresh (its answer follows another schema than the
// catalog's), and deleting customers as an employee.
//
// Lifetimes are learned, not assumed: the tenant's first answer of each kind (anonymous access,
// anonymous refresh, customer access, customer refresh, employee) sets that kind's lifetime for the
// worker, and later answers are held to it. What every tenant owes is a whole number of seconds in a
// plausible range; the tutorial's numbers are an expectation (FACTS), not the contract.
import { createHash, randomBytes } from 'node:crypto';
import { test } from '@playwright/test';
import { sendRequest, type ApiClient } from '../api-client.ts';
import { operation } from '../catalog.ts';
import type { Config } from '../config.ts';
import { check, enforce, type Finding, type Requirement } from '../findings.ts';
import { maskJson, maskText, maskUrl } from '../mask.ts';
import { MOCK_PATH_ROUTES, probeOfTarget, type MockPaths } from '../target-probe.ts';
import {
  ANONYMOUS_ACCESS_WITHIN_REFRESH,
  LIFETIME_INTEGER,
  LIFETIME_KEPT_ON_REFRESH,
  LIFETIME_SECONDS,
  LIFETIME_STABLE,
  LIFETIME_TUTORIAL_VALUE,
  REFRESH_TOKEN_ROTATED,
  SAAS_TOKEN_JWT,
  SCOPE_NAMES_TENANT,
  SESSION_ID_UUID,
  SESSION_NEW_PER_ANONYMOUS_LOGIN,
  TOKEN_ACCEPTED,
  TOKEN_REFRESH_NEW_ACCESS,
  TOKEN_REVOKED_ON_LOGOUT,
  TOKEN_TYPE_BEARER,
  UNAUTHORIZED_FAULT,
  VALIDATE_REFUSES_REVOKED,
  VALIDATE_REMAINING_NOT_ABOVE_ISSUED,
  VALIDATE_UNAUTHORIZED_BODY,
} from '../requirements/auth.ts';
import { checkStatus, ensureStatus, shown, tokenCheck } from './common.ts';
import { ensureRefusedWithFault } from './negative.ts';

export { bodyOf, stringFieldOf } from './common.ts';

// ---- lifetimes ----

/** The kinds of token lifetime a tenant configures. */
export type LifetimeKind =
  'anonymousAccess' | 'anonymousRefresh' | 'customerAccess' | 'customerRefresh' | 'employeeAccess';

/** The tutorial's lifetimes in seconds (and the OAuth example's for service tokens): an expectation (FACTS). */
export const TUTORIAL_LIFETIME: Readonly<Record<LifetimeKind, number>> = {
  /** Tutorial, "Requesting an anonymous token": valid for one hour. */
  anonymousAccess: 3599,
  /** Tutorial, "Refreshing an anonymous token": the refresh token is valid for 24 hours. */
  anonymousRefresh: 86399,
  /** Tutorial, "Refreshing a customer token": customer access tokens expire after 30 days. */
  customerAccess: 2591999,
  /** Tutorial, "Logging in a customer": refresh_token_expires_in 86399. */
  customerRefresh: 86399,
  /** OAuth reference example: service tokens, four hours. */
  employeeAccess: 14399,
};

/** Plausible lifetimes in seconds: a minute to 400 days. Outside, the unit is likely wrong. */
export const PLAUSIBLE_LIFETIME = { min: 60, max: 400 * 24 * 3600 } as const;

/** How far below the learned lifetime a later answer of the same kind may be (time spent issuing, clocks). */
const LEARNED_SLACK_SECONDS = 60;

const learned = new Map<LifetimeKind, number>();

/** The lifetimes learned so far in this worker (for reports and tests). */
export function learnedLifetimes(): Readonly<Partial<Record<LifetimeKind, number>>> {
  return Object.fromEntries(learned);
}

/** Forgets the learned lifetimes (unit tests). */
export function forgetLearnedLifetimes(): void {
  learned.clear();
}

function annotateLearned(kind: LifetimeKind, seconds: number, where: string): void {
  try {
    test.info().annotations.push({
      type: 'learned lifetime',
      description: `${kind}: ${seconds} s (first answer: ${where}; tutorial ${TUTORIAL_LIFETIME[kind]} s)`,
    });
  } catch {
    // Outside a test: nothing to annotate.
  }
}

/** The window around the tutorial's value: a little lower (clock granularity), never above by more than 1 s. */
export function tutorialWindow(documented: number): { min: number; max: number } {
  const slack = Math.max(600, Math.round(documented * 0.035));
  return { min: Math.max(0, documented - slack), max: documented + 1 };
}

function unitHint(seconds: number, reference: number): string | undefined {
  if (seconds === 0) return 'an already expired token';
  if (seconds > PLAUSIBLE_LIFETIME.max && seconds / 1000 >= PLAUSIBLE_LIFETIME.min)
    return 'looks like milliseconds, not seconds';
  if (seconds >= reference * 900 && seconds <= reference * 1001)
    return 'looks like milliseconds, not seconds';
  if (seconds < PLAUSIBLE_LIFETIME.min && seconds * 60 >= PLAUSIBLE_LIFETIME.min)
    return 'looks like minutes?';
  return undefined;
}

/** The lifetime is a whole number (an integer, or a string of digits where `stringAllowed`). */
export function checkLifetimeInteger(
  op: string,
  field: string,
  value: unknown,
  stringAllowed = false,
): { seconds: number | undefined; findings: Finding[] } {
  let seconds: number | undefined;
  if (typeof value === 'number' && Number.isInteger(value)) seconds = value;
  else if (stringAllowed && typeof value === 'string' && /^\d{1,10}$/.test(value)) seconds = Number(value);
  return {
    seconds,
    findings: check(LIFETIME_INTEGER, seconds !== undefined, () => ({
      operation: op,
      field,
      expected: stringAllowed ? 'an integer or a string of digits (seconds)' : 'an integer (seconds)',
      received: shown(value),
      ...(typeof value === 'number' ? { hint: 'a fraction: another unit?' } : {}),
    })),
  };
}

/** The lifetime counts seconds: a minute to 400 days. */
export function checkLifetimeSeconds(
  op: string,
  field: string,
  seconds: number,
  kind: LifetimeKind,
): Finding[] {
  const ok = seconds >= PLAUSIBLE_LIFETIME.min && seconds <= PLAUSIBLE_LIFETIME.max;
  return check(LIFETIME_SECONDS, ok, () => {
    const hint = unitHint(seconds, TUTORIAL_LIFETIME[kind]);
    return {
      operation: op,
      field,
      expected: `seconds between ${PLAUSIBLE_LIFETIME.min} and ${PLAUSIBLE_LIFETIME.max}`,
      received: `${seconds}`,
      ...(hint ? { hint } : {}),
    };
  });
}

/** Later answers of a kind give the lifetime the first answer of that kind gave. */
export function checkLifetimeStable(
  op: string,
  field: string,
  seconds: number,
  kind: LifetimeKind,
): Finding[] {
  const first = learned.get(kind);
  if (first === undefined) {
    learned.set(kind, seconds);
    annotateLearned(kind, seconds, `${op} ${field}`);
    return check(LIFETIME_STABLE, true, () => ({ expected: '', received: '' }));
  }
  const ok = seconds <= first + 1 && seconds >= first - LEARNED_SLACK_SECONDS;
  return check(LIFETIME_STABLE, ok, () => ({
    operation: op,
    field,
    expected: `the ${kind} lifetime the tenant's first answer gave, ${first} s (at most ${LEARNED_SLACK_SECONDS} s less)`,
    received: `${seconds}`,
    hint: seconds > first ? 'longer than the same kind of token got before' : 'shorter than before',
  }));
}

/** The tutorial's value (an expectation: tenants configure their own lifetimes). */
export function checkLifetimeTutorialValue(
  op: string,
  field: string,
  seconds: number,
  kind: LifetimeKind,
): Finding[] {
  const documented = TUTORIAL_LIFETIME[kind];
  const { min, max } = tutorialWindow(documented);
  return check(LIFETIME_TUTORIAL_VALUE, seconds >= min && seconds <= max, () => {
    const hint = unitHint(seconds, documented) ?? 'another lifetime configured on the tenant?';
    return {
      operation: op,
      field,
      expected: `about ${documented} s (${min}–${max})`,
      received: `${seconds}`,
      hint,
    };
  });
}

/**
 * Holds a lifetime field: a whole number of seconds (R, T), the lifetime the tenant gave this kind of
 * token before (B), and the tutorial's value (F). Returns the seconds when the value is a number.
 */
export function validateExpiresIn(
  op: string,
  field: string,
  value: unknown,
  kind: LifetimeKind,
  options: { stringAllowed?: boolean } = {},
): number | undefined {
  const { seconds, findings } = checkLifetimeInteger(op, field, value, options.stringAllowed);
  enforce(findings);
  if (seconds === undefined) return undefined;
  enforce([
    ...checkLifetimeSeconds(op, field, seconds, kind),
    ...checkLifetimeStable(op, field, seconds, kind),
    ...checkLifetimeTutorialValue(op, field, seconds, kind),
  ]);
  return seconds;
}

/** A refresh issues the lifetime of the login it continues (a few seconds less at most). */
export function checkLifetimeKept(op: string, field: string, refreshed: unknown, issued: unknown): Finding[] {
  const ok =
    typeof refreshed === 'number' &&
    typeof issued === 'number' &&
    refreshed <= issued + 1 &&
    refreshed >= issued - LEARNED_SLACK_SECONDS;
  return check(LIFETIME_KEPT_ON_REFRESH, ok, () => ({
    operation: op,
    field,
    expected: `the lifetime of the token it continues, ${shown(issued)} s`,
    received: shown(refreshed),
  }));
}

export function ensureLifetimeKept(op: string, field: string, refreshed: unknown, issued: unknown): void {
  enforce(checkLifetimeKept(op, field, refreshed, issued));
}

/** The remaining lifetime is never above the lifetime issued. */
export function checkRemainingNotAboveIssued(
  op: string,
  field: string,
  remaining: number,
  issued: number,
): Finding[] {
  return check(VALIDATE_REMAINING_NOT_ABOVE_ISSUED, remaining <= issued, () => ({
    operation: op,
    field,
    expected: `at most the ${issued} s issued at login (it is the remaining lifetime)`,
    received: `${remaining}`,
  }));
}

/** A remaining lifetime reported later: whole seconds, plausible, not above the lifetime issued. */
export function validateRemainingLifetime(
  op: string,
  field: string,
  remaining: unknown,
  issued: number,
  kind: LifetimeKind,
): void {
  const { seconds, findings } = checkLifetimeInteger(op, field, remaining);
  enforce(findings);
  if (seconds === undefined) return;
  enforce([
    ...checkLifetimeSeconds(op, field, seconds, kind),
    ...checkRemainingNotAboveIssued(op, field, seconds, issued),
  ]);
}

// ---- sessions and token fields ----

/** A session id carried over unchanged. */
export function checkSessionIdKept(
  req: Requirement,
  op: string,
  field: string,
  received: unknown,
  expected: string,
): Finding[] {
  return check(req, received === expected, () => ({
    operation: op,
    field,
    expected: `the session id ${expected} of the session it continues`,
    received: shown(received),
    hint: 'a new session was started instead?',
  }));
}

export function ensureSessionIdKept(
  req: Requirement,
  op: string,
  field: string,
  received: unknown,
  expected: string,
): void {
  enforce(checkSessionIdKept(req, op, field, received, expected));
}

/** A refresh hands out a new access token. */
export function checkTokenChanged(op: string, field: string, received: unknown, previous: string): Finding[] {
  return check(TOKEN_REFRESH_NEW_ACCESS, typeof received === 'string' && received !== previous, () => ({
    operation: op,
    field,
    expected: 'a new token',
    received: typeof received === 'string' ? 'the previous token again' : shown(received),
  }));
}

export function ensureTokenChanged(op: string, field: string, received: unknown, previous: string): void {
  enforce(checkTokenChanged(op, field, received, previous));
}

/** The scope names the tenant as `tenant={tenant}`. */
export function checkScopeNamesTenant(op: string, scope: unknown, tenant: string): Finding[] {
  const items = typeof scope === 'string' ? scope.split(/\s+/) : [];
  return check(SCOPE_NAMES_TENANT, items.includes(`tenant=${tenant}`), () => ({
    operation: op,
    field: 'scope',
    expected: `a scope containing "tenant=${tenant}"`,
    received: shown(scope),
  }));
}

export function validateScopeNamesTenant(op: string, scope: unknown, tenant: string): void {
  enforce(checkScopeNamesTenant(op, scope, tenant));
}

/** `token_type` is Bearer in any letter case (RFC 6749 §5.1, §7.1). */
export function checkBearerType(op: string, tokenType: unknown): Finding[] {
  const ok = typeof tokenType === 'string' && tokenType.toLowerCase() === 'bearer';
  return check(TOKEN_TYPE_BEARER, ok, () => ({
    operation: op,
    field: 'token_type',
    expected: '"Bearer" (any letter case)',
    received: shown(tokenType),
  }));
}

export function validateBearerType(op: string, tokenType: unknown): void {
  enforce(checkBearerType(op, tokenType));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A session id is a UUID (FACTS; the tutorial's examples). */
export function checkSessionIdFormat(op: string, field: string, value: unknown): Finding[] {
  return check(SESSION_ID_UUID, typeof value === 'string' && UUID.test(value), () => ({
    operation: op,
    field,
    expected: 'a UUID',
    received: shown(value),
  }));
}

export function validateSessionIdFormat(op: string, field: string, value: unknown): void {
  enforce(checkSessionIdFormat(op, field, value));
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Decodes the header and payload of a JWT (base64url JSON), or says why it cannot. */
export function decodeJwt(token: string): DecodedJwt | string {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    return `not a JWT (three base64url segments joined by dots): ${parts.length} segments`;
  }
  const decode = (segment: string): Record<string, unknown> | undefined => {
    try {
      const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
      return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  };
  const header = decode(parts[0] ?? '');
  const payload = decode(parts[1] ?? '');
  if (!header) return 'the JWT header is not base64url-encoded JSON object';
  if (!payload) return 'the JWT payload is not base64url-encoded JSON object';
  return { header, payload };
}

/**
 * The SaaS token is a JWT whose header names its algorithm and whose payload names the customer
 * (`sub` = customer number) and expires in the future (`exp`, seconds since the epoch, RFC 7519 §2).
 */
export function checkSaasToken(op: string, token: unknown, customerNumber: string): Finding[] {
  const fail = (expected: string, received: string, hint?: string) =>
    check(SAAS_TOKEN_JWT, false, () => ({
      operation: op,
      field: 'saas_token',
      expected,
      received,
      ...(hint ? { hint } : {}),
    }));
  if (typeof token !== 'string') return fail('a string', shown(token));
  const decoded = decodeJwt(token);
  if (typeof decoded === 'string') return fail('a JWT', decoded);
  const { header, payload } = decoded;
  if (typeof header.alg !== 'string') return fail('a JWT header naming its algorithm (alg)', shown(header));
  if (payload.sub !== customerNumber) return fail(`payload "sub" ${customerNumber}`, shown(payload.sub));
  const exp = payload.exp;
  if (typeof exp !== 'number') return fail('payload "exp" as a number (seconds since the epoch)', shown(exp));
  if (exp >= 1e11) return fail('payload "exp" in seconds', `${exp}`, 'looks like milliseconds');
  const now = Date.now() / 1000;
  return check(SAAS_TOKEN_JWT, exp > now, () => ({
    operation: op,
    field: 'saas_token',
    expected: `payload "exp" in the future (now ${Math.floor(now)})`,
    received: `${exp} (${new Date(exp * 1000).toISOString()})`,
  }));
}

export function validateSaasToken(op: string, token: unknown, customerNumber: string): void {
  enforce(checkSaasToken(op, token, customerNumber));
}

// ---- tokens in use ----

/** The token reads the caller's profile (GET /me answers 200). */
export const ensureTokenWorks = tokenCheck(TOKEN_ACCEPTED, async (api, token, what, req) => {
  const response = await api.call('GET-customer-retrieve-customer-profile', { token });
  ensureStatus(response, 200, `${what} must be accepted`, req);
  return response;
});

/**
 * A revoked customer access token is refused everywhere: validateauthtoken answers 401 (its body is
 * optional: the reference documents that 401 without one) and GET /me answers 401 with the fault body.
 */
export const ensureTokenRevoked = tokenCheck(TOKEN_REVOKED_ON_LOGOUT, async (api, token, what, req) => {
  const validate = await api.call('GET-customer-validate-token', { token });
  enforce(checkStatus(validate, VALIDATE_REFUSES_REVOKED, 401, `${what}: validateauthtoken, revoked token`));
  ensureRefusedWithFault(validate, `${what}: validateauthtoken`, {
    statusReq: req,
    bodyReq: VALIDATE_UNAUTHORIZED_BODY,
  });
  const me = await api.call('GET-customer-retrieve-customer-profile', { token });
  ensureRefusedWithFault(me, `${what}: GET /me must refuse the revoked token`, {
    statusReq: req,
    bodyReq: UNAUTHORIZED_FAULT,
  });
});

/** A customer refresh token that no longer buys a token (401). */
export async function ensureCustomerRefreshTokenRefused(
  api: ApiClient,
  refreshToken: string,
  anonymousToken: string,
  what: string,
  req: Requirement = REFRESH_TOKEN_ROTATED,
): Promise<void> {
  const response = await api.call('GET-customer-refresh-authtoken', {
    query: { refreshToken },
    token: anonymousToken,
  });
  ensureRefusedWithFault(response, `${what}: refreshauthtoken must refuse the refresh token`, {
    statusReq: req,
  });
}

/** A PKCE verifier and its S256 challenge (RFC 7636 §4.1, §4.2). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const SKIP_NO_MOCK_IDP =
  'no identity provider to obtain an authorization code from: social login runs against the embedded mock, or a target serving /_mock/ paths (set MAILBOX=mock)';

/**
 * One of the mock's test-only identity providers is there: the embedded mock serves both; a
 * `MAILBOX=mock` target serves what the run's probe found it serving (helpers/target-probe.ts
 * `mockPaths`; without a probe on record, it is taken at its word).
 */
export function mockIdpAvailable(
  config: Pick<Config, 'target' | 'mailbox' | 'baseUrl' | 'tenant'>,
  path: keyof MockPaths = 'idpAuthorize',
): boolean {
  if (config.target === 'embedded-mock') return true;
  if (config.mailbox !== 'mock') return false;
  return probeOfTarget(config)?.mockPaths?.[path] ?? true;
}

/** Why a test needing `path` of the mock's identity providers does not run, or undefined when it can. */
export function mockIdpMissing(
  config: Pick<Config, 'target' | 'mailbox' | 'baseUrl' | 'tenant'>,
  path: keyof MockPaths,
  whenNoMock: string,
): string | undefined {
  if (mockIdpAvailable(config, path)) return undefined;
  return config.mailbox === 'mock'
    ? `the target does not serve ${MOCK_PATH_ROUTES[path]} (the run's probe was answered 404 or 405; docs/mock-protocol.md)`
    : whenNoMock;
}

/**
 * Asks a mock target to expire one token now, through the optional test-only path
 * `POST /_mock/{tenant}/tokens/expire` (docs/mock-protocol.md). Only the embedded mock and a
 * `MAILBOX=mock` target are asked. A probe with an empty body tells whether the path is served: a
 * server that serves it refuses that body with 400, while 404 or 405 means the path is not there
 * ('not-served'). A served path must then answer the real request with 204 ('expired').
 */
export async function expireTokenOnMock(
  config: Pick<Config, 'baseUrl' | 'tenant' | 'target' | 'mailbox'>,
  token: string,
): Promise<'expired' | 'not-served'> {
  // This path is probed here, on first use, not by the run's probe.
  if (config.target !== 'embedded-mock' && config.mailbox !== 'mock') return 'not-served';
  const url = `${config.baseUrl}/_mock/${encodeURIComponent(config.tenant)}/tokens/expire`;
  const post = (body: Record<string, string>) =>
    test.step(
      `POST /_mock/{tenant}/tokens/expire ${JSON.stringify(maskJson(body))}`,
      async () => {
        const response = await sendRequest(
          url,
          'POST',
          { 'Content-Type': 'application/json', Accept: 'application/json' },
          JSON.stringify(body),
        );
        await test.info().attach(`POST /_mock/{tenant}/tokens/expire → ${response.status}`, {
          body: JSON.stringify(
            {
              request: { method: 'POST', url: maskUrl(url), body: maskJson(body) },
              response: { status: response.status, body: maskText(response.text) },
            },
            null,
            2,
          ),
          contentType: 'application/json',
        });
        return response;
      },
      { box: true },
    );
  const probe = await post({});
  if (probe.status === 404 || probe.status === 405) return 'not-served';
  if (probe.status !== 400) {
    throw new Error(
      `POST /_mock/{tenant}/tokens/expire with an empty body answered ${probe.status}: a server that serves ` +
        'the path refuses a malformed body with 400, and 404 or 405 means it is not served (docs/mock-protocol.md)',
    );
  }
  const response = await post({ token });
  if (response.status !== 204) {
    throw new Error(
      `POST /_mock/{tenant}/tokens/expire answered ${response.status} for a token the target just issued ` +
        `(expected 204): ${maskText(response.text).slice(0, 300)}`,
    );
  }
  return 'expired';
}

export interface RawResponse {
  status: number;
  body: unknown;
  text: string;
}

/**
 * GET /customerlogin/auth/anonymous/refresh with the deprecated `anonymous_token` parameter. Its answer
 * follows `anonymous-token-deprecated-refresh.json` (no refresh fields, docs/discrepancies.md #17), not
 * the catalog's schema for this operation, so it is sent through the client's transport (`sendRequest`)
 * and the spec checks it; the exchange is attached masked like the client's.
 */
export async function refreshAnonymousWithDeprecatedParameter(
  config: Pick<Config, 'baseUrl' | 'tenant' | 'storefrontClientId'>,
  anonymousAccessToken: string,
): Promise<RawResponse> {
  const url =
    `${config.baseUrl}${operation('GET-oauth-refresh-anonymous-access-token').path}?` +
    new URLSearchParams({
      tenant: config.tenant,
      client_id: config.storefrontClientId,
      anonymous_token: anonymousAccessToken,
    }).toString();
  return await test.step(
    'GET /customerlogin/auth/anonymous/refresh with the deprecated anonymous_token',
    async () => {
      const response = await sendRequest(url, 'GET', { Accept: 'application/json' }, undefined);
      const text = response.text;
      let body: unknown;
      try {
        body = text.trim() === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      await test
        .info()
        .attach(`GET-oauth-refresh-anonymous-access-token (anonymous_token) → ${response.status}`, {
          body: JSON.stringify(
            {
              request: { method: 'GET', url: maskUrl(url) },
              response: { status: response.status, body: body === undefined ? text : maskJson(body) },
            },
            null,
            2,
          ),
          contentType: 'application/json',
        });
      return { status: response.status, body, text };
    },
    { box: true },
  );
}

/** Deletes customers as an employee; 202, or 404 when the test deleted the customer itself. */
export async function deleteCustomersAsEmployee(
  api: ApiClient,
  employeeToken: string,
  customerNumbers: Iterable<string>,
): Promise<void> {
  for (const customerNumber of customerNumbers) {
    const response = await api.call('DELETE-customer-tenant-remove-customer', {
      path: { customerNumber },
      token: employeeToken,
    });
    ensureStatus(response, [202, 404], `deleting customer ${customerNumber} the test created`);
  }
}

/** Another anonymous login starts another session. */
export function checkSessionChanged(op: string, received: unknown, previous: string): Finding[] {
  return check(
    SESSION_NEW_PER_ANONYMOUS_LOGIN,
    typeof received === 'string' && received !== previous,
    () => ({
      operation: op,
      field: 'sessionId',
      expected: `a session id other than ${previous}`,
      received: shown(received),
      hint: 'a second anonymous login must start another session',
    }),
  );
}

export function ensureSessionChanged(op: string, received: unknown, previous: string): void {
  enforce(checkSessionChanged(op, received, previous));
}

/**
 * An anonymous access token is renewed with its refresh token before it expires, so it cannot outlive
 * that refresh token (a lifetime in milliseconds would).
 */
export function checkAccessWithinRefresh(op: string, access: unknown, refresh: unknown): Finding[] {
  const ok = typeof access === 'number' && typeof refresh === 'number' && access <= refresh;
  return check(ANONYMOUS_ACCESS_WITHIN_REFRESH, ok, () => ({
    operation: op,
    field: 'expires_in',
    expected: `at most refresh_token_expires_in (${shown(refresh)} s)`,
    received: shown(access),
    ...(typeof access === 'number' && typeof refresh === 'number' && access >= refresh * 10
      ? { hint: 'looks like milliseconds, not seconds' }
      : {}),
  }));
}

export function ensureAccessWithinRefresh(op: string, access: unknown, refresh: unknown): void {
  enforce(checkAccessWithinRefresh(op, access, refresh));
}
