// Checks of the authentication chapter: token lifetimes, session ids, the SaaS token, revocation,
// error details. Each check asserts one property and says, when it fails, which operation and field,
// what was expected, what came, and the likely cause. Plus the few helpers these specs need beyond the
// plumbing: PKCE pairs for the mock identity provider, the raw call for the deprecated anonymous
// refresh (its answer follows another schema than the catalog's), skips that state their reason, and
// deleting customers as an employee.
import { createHash, randomBytes } from 'node:crypto';
import { test } from '@playwright/test';
import { expect } from '../../fixtures/matchers.ts';
import { skipBecause } from '../../fixtures/skip.ts';
import { operationLabel, sendRequest, type ApiClient, type ApiResponse } from '../api-client.ts';
import { operation, type OperationId } from '../catalog.ts';
import type { Config } from '../config.ts';
import { maskJson, maskText, maskUrl } from '../mask.ts';

/** Documented lifetimes in seconds (tutorial; docs/behaviour.md "Lifetimes"). */
export const DOCUMENTED_LIFETIME = {
  /** Tutorial, "Requesting an anonymous token": valid for one hour. */
  anonymousAccess: 3599,
  /** Tutorial, "Refreshing an anonymous token": the refresh token is valid for 24 hours. */
  refresh: 86399,
  /** Tutorial, "Refreshing a customer token": customer access tokens expire after 30 days. */
  customerAccess: 2591999,
  /** OAuth reference example: service tokens, four hours. */
  employeeAccess: 14399,
} as const;

/** `POST /customer/{tenant}/login`: how messages name an operation. */
export function labelOf(id: OperationId): string {
  return operationLabel(operation(id));
}

/**
 * The plausible window around a documented lifetime: a server may answer a little lower (clock
 * granularity, time spent issuing) but never higher than the documented value plus one second.
 */
export function lifetimeWindow(documented: number): { min: number; max: number } {
  const slack = Math.max(600, Math.round(documented * 0.035));
  return { min: Math.max(0, documented - slack), max: documented + 1 };
}

function lifetimeHint(value: number, documented: number, min: number, max: number): string {
  if (value >= min * 1000 && value <= max * 1000) return ' — looks like milliseconds, not seconds';
  if (value >= min * 60 && value <= max * 60 && documented >= 600) return ' — looks like minutes?';
  if (value > max) return ' — longer than documented';
  if (value === 0) return ' — an already expired token';
  return ' — shorter than documented; another lifetime configured on the tenant?';
}

/**
 * Checks a lifetime field: whole seconds within the plausible window around the documented value.
 * `stringAllowed` accepts a string of digits (social login types its lifetimes as strings). Returns the value.
 */
export function validateExpiresIn(
  operationLabelText: string,
  field: string,
  value: unknown,
  documented: number,
  options: { stringAllowed?: boolean } = {},
): number {
  const { min, max } = lifetimeWindow(documented);
  const what = `${operationLabelText}: ${field}`;
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (options.stringAllowed && typeof value === 'string' && /^\d{1,10}$/.test(value))
    seconds = Number(value);
  else {
    throw new Error(
      `${what}: expected ${options.stringAllowed ? 'an integer or a string of digits' : 'an integer'} ` +
        `(seconds), received ${JSON.stringify(value)}`,
    );
  }
  expect(
    Number.isInteger(seconds),
    `${what}: expected whole seconds, received ${seconds} (a fraction: another unit?)`,
  ).toBe(true);
  const inWindow = seconds >= min && seconds <= max;
  expect(
    inWindow,
    `${what}: expected about ${documented} s (${min}–${max}), received ${seconds}` +
      (inWindow ? '' : lifetimeHint(seconds, documented, min, max)),
  ).toBe(true);
  return seconds;
}

/** The remaining lifetime reported later is not above the lifetime issued, and still plausible. */
export function validateRemainingLifetime(
  operationLabelText: string,
  field: string,
  remaining: unknown,
  issued: number,
  documented: number,
): void {
  const seconds = validateExpiresIn(operationLabelText, field, remaining, documented);
  expect(
    seconds <= issued,
    `${operationLabelText}: ${field} is the remaining lifetime and cannot exceed the ${issued} s ` +
      `issued at login, received ${seconds}`,
  ).toBe(true);
}

/** A session id carried over unchanged (tutorial: refreshing keeps "the same session ID associated"). */
export function ensureSessionIdKept(
  operationLabelText: string,
  field: string,
  received: unknown,
  expected: string,
): void {
  expect(
    received,
    `${operationLabelText}: ${field} must stay the session id ${expected} of the session it continues, ` +
      `received ${JSON.stringify(received)} (a new session was started instead?)`,
  ).toBe(expected);
}

/** A token that changed: a refresh must hand out a new access token. */
export function ensureTokenChanged(
  operationLabelText: string,
  field: string,
  received: unknown,
  previous: string,
): void {
  expect(typeof received, `${operationLabelText}: ${field} must be a string`).toBe('string');
  expect(
    received === previous,
    `${operationLabelText}: ${field} must be a new token, received the previous one again`,
  ).toBe(false);
}

/** The scope names the tenant as `tenant={tenant}` (tutorial examples; docs/discrepancies.md #8). */
export function validateScopeNamesTenant(operationLabelText: string, scope: unknown, tenant: string): void {
  const items = typeof scope === 'string' ? scope.split(/\s+/) : [];
  expect(
    items.includes(`tenant=${tenant}`),
    `${operationLabelText}: scope must contain "tenant=${tenant}", received ${JSON.stringify(scope)}`,
  ).toBe(true);
}

/** `token_type` is Bearer in any letter case (RFC 6749 §5.1, §7.1). */
export function validateBearerType(operationLabelText: string, tokenType: unknown): void {
  expect(
    typeof tokenType === 'string' && tokenType.toLowerCase() === 'bearer',
    `${operationLabelText}: token_type must be "Bearer" (any case, RFC 6749 §5.1), received ${JSON.stringify(tokenType)}`,
  ).toBe(true);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A session id is a UUID (tutorial examples; docs/discrepancies.md #5). */
export function validateSessionIdFormat(operationLabelText: string, field: string, value: unknown): string {
  expect(
    typeof value === 'string' && UUID.test(value),
    `${operationLabelText}: ${field} must be a UUID, received ${JSON.stringify(value)}`,
  ).toBe(true);
  return value as string;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** Decodes the header and payload of a JWT (base64url JSON); throws naming the part that is not. */
export function decodeJwt(what: string, token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    throw new Error(
      `${what}: expected a JWT (three base64url segments joined by dots), received ${parts.length} segments`,
    );
  }
  const decode = (segment: string, part: string): Record<string, unknown> => {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    } catch {
      throw new Error(`${what}: the JWT ${part} is not base64url-encoded JSON`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(`${what}: the JWT ${part} must be a JSON object, received ${JSON.stringify(value)}`);
    }
    return value as Record<string, unknown>;
  };
  return { header: decode(parts[0] ?? '', 'header'), payload: decode(parts[1] ?? '', 'payload') };
}

/**
 * The SaaS token is a JWT whose payload names the customer (`sub` = customer number) and expires in the
 * future (`exp`, seconds since the epoch). Tutorial, "Logging in a customer"; FACTS: an HS256 JWT.
 */
export function validateSaasToken(operationLabelText: string, token: unknown, customerNumber: string): void {
  const what = `${operationLabelText}: saas_token`;
  expect(typeof token, `${what} must be a string`).toBe('string');
  const { header, payload } = decodeJwt(what, token as string);
  expect(
    typeof header.alg,
    `${what}: the JWT header must name its algorithm (alg), received ${JSON.stringify(header)}`,
  ).toBe('string');
  expect(
    payload.sub,
    `${what}: payload "sub" must be the customer number ${customerNumber}, received ${JSON.stringify(payload.sub)}`,
  ).toBe(customerNumber);
  const exp = payload.exp;
  expect(
    typeof exp,
    `${what}: payload "exp" must be a number (seconds since the epoch), received ${JSON.stringify(exp)}`,
  ).toBe('number');
  const nowSeconds = Date.now() / 1000;
  const expSeconds = exp as number;
  expect(
    expSeconds < 1e11,
    `${what}: payload "exp" ${expSeconds} looks like milliseconds; RFC 7519 §2 NumericDate is in seconds`,
  ).toBe(true);
  expect(
    expSeconds > nowSeconds,
    `${what}: payload "exp" ${expSeconds} (${new Date(expSeconds * 1000).toISOString()}) must lie in the future; ` +
      `now is ${Math.floor(nowSeconds)}`,
  ).toBe(true);
}

/** A 401 with the gateway fault body; `faultstring` and `errorcode` checked when given. */
export function ensureFault(
  response: ApiResponse,
  why: string,
  expected: { faultstring?: string; errorcode?: string } = {},
): void {
  expect(response).toHaveStatus(401, why);
  expect(response).toMatchSchema('fault');
  const fault = (response.body as { fault: { faultstring: string; detail: { errorcode: string } } }).fault;
  const label = `${operationLabel(response.operation)} → 401`;
  if (expected.faultstring !== undefined) {
    expect(fault.faultstring, `${label} (${why}): fault.faultstring`).toBe(expected.faultstring);
  }
  if (expected.errorcode !== undefined) {
    expect(fault.detail.errorcode, `${label} (${why}): fault.detail.errorcode`).toBe(expected.errorcode);
  }
}

/** A 400 with the error body whose `details` name one of `fields` (docs/behaviour.md: `details[{field,type,message}]`). */
export function ensureBadRequestNames(response: ApiResponse, why: string, fields: readonly string[]): void {
  expect(response).toHaveStatus(400, why);
  expect(response).toMatchSchema('error');
  const label = `${operationLabel(response.operation)} → 400 (${why})`;
  const details = (response.body as { details?: { field?: string; message?: string }[] }).details ?? [];
  expect(
    details.length,
    `${label}: expected details naming ${fields.join(' or ')}, received none`,
  ).toBeGreaterThan(0);
  const mentions = (text: string | undefined, field: string) =>
    typeof text === 'string' && text.toLowerCase().includes(field.toLowerCase());
  const named = details.some((d) => fields.some((f) => mentions(d.field, f) || mentions(d.message, f)));
  expect(
    named,
    `${label}: expected a detail naming ${fields.join(' or ')}, received ${JSON.stringify(details)}`,
  ).toBe(true);
}

/** The token reads the caller's profile (GET /me answers 200). */
export async function ensureTokenWorks(api: ApiClient, token: string, what: string): Promise<ApiResponse> {
  const response = await api.call('GET-customer-retrieve-customer-profile', { token });
  expect(response).toHaveStatus(200, `${what} must be accepted`);
  return response;
}

/**
 * A revoked customer access token is refused everywhere: validateauthtoken and GET /me answer 401
 * (docs/behaviour.md: revoked token → 401 fault; RFC 6750 §3.1 invalid_token).
 */
export async function ensureTokenRevoked(api: ApiClient, token: string, what: string): Promise<void> {
  const validate = await api.call('GET-customer-validate-token', { token });
  ensureFault(validate, `${what}: validateauthtoken must refuse the revoked token`);
  const me = await api.call('GET-customer-retrieve-customer-profile', { token });
  ensureFault(me, `${what}: GET /me must refuse the revoked token`);
}

/** A customer refresh token that no longer buys a token (docs/behaviour.md: unknown or used → 401). */
export async function ensureCustomerRefreshTokenRefused(
  api: ApiClient,
  refreshToken: string,
  anonymousToken: string,
  what: string,
): Promise<void> {
  const response = await api.call('GET-customer-refresh-authtoken', {
    query: { refreshToken },
    token: anonymousToken,
  });
  ensureFault(response, `${what}: refreshauthtoken must refuse the refresh token`);
}

/** A string field of a response body, or a failure naming the field. */
export function stringFieldOf(response: ApiResponse, field: string): string {
  const body = response.body as Record<string, unknown> | undefined;
  const value = body?.[field];
  expect(
    typeof value === 'string' && value !== '',
    `${operationLabel(response.operation)} → ${response.status}: "${field}" must be a non-empty string, ` +
      `received ${maskText(JSON.stringify(value) ?? 'nothing')}`,
  ).toBe(true);
  return value as string;
}

/** The body of a response as a record (for reading fields after the client validated it). */
export function bodyOf(response: ApiResponse): Record<string, unknown> {
  const body = response.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

/** A PKCE verifier and its S256 challenge (RFC 7636 §4.1, §4.2). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const SKIP_NO_MOCK_IDP =
  'no identity provider to obtain an authorization code from: social login runs against the embedded mock, or a target serving /_mock/ paths (set MAILBOX=mock)';

/** The mock's test-only identity provider is there: the embedded mock, or a target that serves /_mock/ paths. */
export function mockIdpAvailable(config: Pick<Config, 'target' | 'mailbox'>): boolean {
  return config.target === 'embedded-mock' || config.mailbox === 'mock';
}

/** Skips the current test when `condition` holds, stating the reason and recording the skip for the report. */
export function skipWithReason(condition: boolean, reason: string, by: string): void {
  if (condition) skipBecause(reason, by);
}

export interface RawResponse {
  status: number;
  body: unknown;
  text: string;
}

/**
 * GET /customerlogin/auth/anonymous/refresh with the deprecated `anonymous_token` parameter. Its answer
 * follows `anonymous-token-deprecated-refresh.json` (no refresh fields, docs/discrepancies.md #17), not
 * the catalog's schema for this operation, so it is fetched here and the spec checks it; the exchange is
 * attached masked like the client's.
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
      // Node's fetch, not Playwright's request: its report steps would show the token in the URL.
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
    expect(response).toHaveStatus([202, 404], `deleting customer ${customerNumber} the test created`);
  }
}
