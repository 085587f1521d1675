// Steps and checks of the tutorial's "How to manage customer credentials": password reset by emailed
// token, password change, and the two-step login-email change. Steps are boxed, so a failure points
// at the spec line; checks are small and name the operation, the field, expected and received.
import { test } from '@playwright/test';
import type { ApiClient, ApiResponse } from '../api-client.ts';
import { check, enforce, type Requirement } from '../findings.ts';
import type { Mailbox } from '../mailbox.ts';
import { LOGIN_REFUSED, TOKEN_ACCEPTED } from '../requirements/auth.ts';
import {
  EMAIL_CHANGE_NEW_LOGIN,
  NEW_PASSWORD_WORKS,
  RESET_REVOKES_TOKENS,
} from '../requirements/credentials.ts';
import { STEP_SCHEMA } from '../requirements/steps.ts';
import { ensureCustomerRefreshTokenRefused } from './auth.ts';
import {
  bodyOf,
  checkStringField,
  ensureSchema,
  ensureStatus,
  shown,
  tokenCheck,
  type JsonObject,
} from './common.ts';
import { ensureRefusedWithFault } from './negative.ts';

/** POST /login with email and password (tutorial, "Logging in a customer"); the answer is the caller's to judge. */
export async function logIn(
  api: ApiClient,
  anonymousToken: string,
  email: string,
  password: string,
): Promise<ApiResponse> {
  return await api.call('POST-customer-authenticate-customer', {
    body: { email, password },
    token: anonymousToken,
  });
}

/** The login succeeds (200) and yields an access token, which is returned. */
export function ensureLoginAccepted(
  response: ApiResponse,
  what: string,
  req: Requirement = NEW_PASSWORD_WORKS,
): string {
  ensureStatus(response, 200, `${what}: the login should succeed`, req);
  const { value, findings } = checkStringField(response, STEP_SCHEMA, 'access_token');
  enforce(findings);
  return value ?? '';
}

/** The login is refused with 401 and the fault body (R: POST-customer-authenticate-customer 401). */
export function ensureLoginRefused(
  response: ApiResponse,
  what: string,
  req: Requirement = LOGIN_REFUSED,
): void {
  ensureRefusedWithFault(response, `${what}: the login should be refused`, { statusReq: req });
}

/** A 204 answer (the credentials operations answer no body). */
export function ensureNoContent(response: ApiResponse, what: string, req?: Requirement): void {
  ensureStatus(response, 204, what, req);
}

/** GET /me with the token: 200 and the customer profile, which is returned. */
export const readProfile = tokenCheck(TOKEN_ACCEPTED, async (api, token, what, req) => {
  const response = await api.call('GET-customer-retrieve-customer-profile', { token });
  ensureStatus(response, 200, `${what}: GET /me should answer the profile`, req);
  ensureSchema(response, 'customer-profile');
  return bodyOf(response);
});

/** GET /me refuses the token with 401 and the fault body. */
export const ensureProfileRefused = tokenCheck(RESET_REVOKES_TOKENS, async (api, token, what, req) => {
  const response = await api.call('GET-customer-retrieve-customer-profile', { token });
  ensureRefusedWithFault(response, `${what}: GET /me should refuse the revoked token`, { statusReq: req });
});

/** refreshauthtoken refuses the refresh token with 401 and the fault body; a password reset revokes it. */
export const ensureRefreshRefused = (
  api: ApiClient,
  anonymousToken: string,
  refreshToken: string,
  what: string,
  req: Requirement = RESET_REVOKES_TOKENS,
): Promise<void> => ensureCustomerRefreshTokenRefused(api, refreshToken, anonymousToken, what, req);

/** The login emails `accounts[].id` of a profile. */
export function loginsOf(profile: JsonObject): string[] {
  const accounts = Array.isArray(profile.accounts) ? profile.accounts : [];
  return accounts
    .map((a: unknown) => (a !== null && typeof a === 'object' ? (a as JsonObject).id : undefined))
    .filter((id): id is string => typeof id === 'string');
}

/** `accounts[].id` lists `email` (compared case-insensitively) and, when given, no longer lists `gone`. */
export function ensureLoginsAre(
  profile: JsonObject,
  email: string,
  gone: string | undefined,
  what: string,
  req: Requirement = EMAIL_CHANGE_NEW_LOGIN,
): void {
  const logins = loginsOf(profile).map((e) => e.toLowerCase());
  enforce([
    ...check(req, logins.includes(email.toLowerCase()), () => ({
      operation: `GET /me (${what})`,
      field: 'accounts[].id',
      expected: `a list with ${email}`,
      received: shown(logins),
    })),
    ...(gone === undefined
      ? []
      : check(req, !logins.includes(gone.toLowerCase()), () => ({
          operation: `GET /me (${what})`,
          field: 'accounts[].id',
          expected: `a list without ${gone}`,
          received: shown(logins),
        }))),
  ]);
}

/** `contactEmail` of a profile equals `expected` (case-insensitively). */
export function ensureContactEmail(
  profile: JsonObject,
  expected: string,
  what: string,
  req: Requirement,
): void {
  const received = profile.contactEmail;
  enforce(
    check(req, typeof received === 'string' && received.toLowerCase() === expected.toLowerCase(), () => ({
      operation: `GET /me (${what})`,
      field: 'contactEmail',
      expected,
      received: shown(received),
    })),
  );
}

/** Tutorial "Requesting a password reset": asks for a reset and returns the emailed token. */
export async function requestResetToken(
  api: ApiClient,
  mailbox: Mailbox,
  anonymousToken: string,
  email: string,
): Promise<string> {
  return await test.step(
    `request a password reset for ${email}`,
    async () => {
      const after = new Date();
      const response = await api.call('POST-customer-request-reset-password', {
        body: { email, site: 'main' },
        token: anonymousToken,
      });
      ensureNoContent(response, 'password reset request');
      return (await mailbox.waitFor(email, 'password-reset', { after })).token;
    },
    { box: true },
  );
}

/**
 * Sends a request that sets `password`. A too-short one is a deliberate negative case: the request
 * schema requires 6 characters, so it is sent without the client's request check.
 */
function sendPassword(
  api: ApiClient,
  id: 'POST-customer-reset-password' | 'POST-customer-change-account-password',
  token: string,
  body: Record<string, string>,
  password: string,
): Promise<ApiResponse> {
  return api.call(id, { body, token, skipRequestValidation: password.length < 6 });
}

/** Tutorial "Resetting a password using token": POST /password/reset/update; the answer is the caller's to judge. */
export const resetPassword = (api: ApiClient, anonymousToken: string, token: string, password: string) =>
  sendPassword(api, 'POST-customer-reset-password', anonymousToken, { token, password }, password);

/** Tutorial "Changing a password": POST /password/change with the customer token. */
export const changePassword = (api: ApiClient, customerToken: string, current: string, password: string) =>
  sendPassword(
    api,
    'POST-customer-change-account-password',
    customerToken,
    { currentPassword: current, newPassword: password },
    password,
  );

export interface EmailChangeRequest {
  email: string;
  password: string;
  newEmail: string;
  syncContactEmail?: boolean;
}

/** Tutorial "Request an email change": POST .../email/change with the customer token. */
export async function requestEmailChange(
  api: ApiClient,
  customerToken: string,
  body: EmailChangeRequest,
): Promise<ApiResponse> {
  return await api.call('POST-customer-change-customer-login-email', { body, token: customerToken });
}

/** Requests an email change (204) and returns the token emailed to the new address. */
export async function emailChangeToken(
  api: ApiClient,
  mailbox: Mailbox,
  customerToken: string,
  body: EmailChangeRequest,
): Promise<string> {
  return await test.step(
    `request a login-email change to ${body.newEmail}`,
    async () => {
      const after = new Date();
      ensureNoContent(await requestEmailChange(api, customerToken, body), 'email change request');
      return (await mailbox.waitFor(body.newEmail, 'email-change', { after })).token;
    },
    { box: true },
  );
}

/**
 * Both steps of a login-email change for a logged-in customer: the request (token emailed to the new
 * address) and its confirmation (204). Returns the emailed token, already used once.
 */
export async function changeLoginEmail(
  api: ApiClient,
  mailbox: Mailbox,
  anonymousToken: string,
  session: { accessToken: string; customer: { email: string; password: string } },
  newEmail: string,
  options: { syncContactEmail?: boolean } = {},
): Promise<string> {
  const token = await emailChangeToken(api, mailbox, session.accessToken, {
    email: session.customer.email,
    password: session.customer.password,
    newEmail,
    ...options,
  });
  ensureNoContent(await confirmEmailChange(api, anonymousToken, token), 'email change confirmation');
  return token;
}

/** Tutorial "Confirming an email change": POST .../email/change/confirm with the anonymous token. */
export async function confirmEmailChange(
  api: ApiClient,
  anonymousToken: string,
  token: string,
): Promise<ApiResponse> {
  return await api.call('POST-customer-confirm-customer-login-email', {
    body: { token },
    token: anonymousToken,
  });
}

/**
 * A boxed step: logging in with these credentials is accepted (200, an access token) or refused (401
 * with the fault body). The requirement defaults to the new password working, or to login's 401.
 */
export async function ensureLoginOutcome(
  step: string,
  api: ApiClient,
  anonymousToken: string,
  credentials: { email: string; password: string },
  outcome: 'accepted' | 'refused',
  what: string,
  req?: Requirement,
): Promise<void> {
  await test.step(
    step,
    async () => {
      const response = await logIn(api, anonymousToken, credentials.email, credentials.password);
      if (outcome === 'accepted') ensureLoginAccepted(response, what, req);
      else ensureLoginRefused(response, what, req);
    },
    { box: true },
  );
}
