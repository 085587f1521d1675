// Steps and checks of the tutorial's "How to manage customer credentials": password reset by emailed
// token, password change, and the two-step login-email change. Steps are boxed, so a failure points
// at the spec line; checks are small and name the operation, the field, expected and received.
import { test } from '@playwright/test';
import { expect } from '../../fixtures/matchers.ts';
import { operationLabel, type ApiClient, type ApiResponse } from '../api-client.ts';
import { maskText } from '../mask.ts';
import type { Mailbox } from '../mailbox.ts';

type JsonObject = Record<string, unknown>;

function objectOf(response: ApiResponse): JsonObject {
  const body = response.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as JsonObject) : {};
}

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
export function ensureLoginAccepted(response: ApiResponse, what: string): string {
  expect(response, `${what}: the login should succeed`).toHaveStatus(200, what);
  const token = objectOf(response).access_token;
  expect(
    typeof token === 'string' && token !== '',
    `${operationLabel(response.operation)} → 200 (${what}): "access_token" should be a non-empty string, ` +
      `received ${maskText(JSON.stringify(token) ?? 'nothing')}`,
  ).toBe(true);
  return token as string;
}

/** The login is refused with 401 and the fault body (behaviour.md, Login: wrong password or unknown email). */
export function ensureLoginRefused(response: ApiResponse, what: string): void {
  expect(response, `${what}: the login should be refused with 401`).toHaveStatus(401, what);
  expect(response).toMatchSchema('fault');
}

/** A 204 answer (the credentials operations answer no body). */
export function ensureNoContent(response: ApiResponse, what: string): void {
  expect(response, `${what}: expected 204 No Content`).toHaveStatus(204, what);
}

/** GET /me with the token: 200 and the customer profile, which is returned. */
export async function readProfile(api: ApiClient, token: string, what: string): Promise<JsonObject> {
  const response = await api.call('GET-customer-retrieve-customer-profile', { token });
  expect(response, `${what}: GET /me should answer the profile`).toHaveStatus(200, what);
  expect(response).toMatchSchema('customer-profile');
  return objectOf(response);
}

/** GET /me refuses the token with 401 (behaviour.md: a revoked token → 401 fault). */
export async function ensureProfileRefused(api: ApiClient, token: string, what: string): Promise<void> {
  const response = await api.call('GET-customer-retrieve-customer-profile', { token });
  expect(response, `${what}: GET /me should refuse the revoked token with 401`).toHaveStatus(401, what);
  expect(response).toMatchSchema('fault');
}

/** refreshauthtoken refuses the refresh token with 401 (behaviour.md: unknown refresh token → 401). */
export async function ensureRefreshRefused(
  api: ApiClient,
  anonymousToken: string,
  refreshToken: string,
  what: string,
): Promise<void> {
  const response = await api.call('GET-customer-refresh-authtoken', {
    query: { refreshToken },
    token: anonymousToken,
  });
  expect(response, `${what}: refreshauthtoken should refuse the revoked refresh token with 401`).toHaveStatus(
    401,
    what,
  );
  expect(response).toMatchSchema('fault');
}

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
): void {
  const logins = loginsOf(profile).map((e) => e.toLowerCase());
  expect(
    logins.includes(email.toLowerCase()),
    `GET /me (${what}): accounts[].id should list ${email}, received ${JSON.stringify(logins)}`,
  ).toBe(true);
  if (gone !== undefined) {
    expect(
      logins.includes(gone.toLowerCase()),
      `GET /me (${what}): accounts[].id should no longer list ${gone}, received ${JSON.stringify(logins)}`,
    ).toBe(false);
  }
}

/** `contactEmail` of a profile equals `expected` (case-insensitively). */
export function ensureContactEmail(profile: JsonObject, expected: string, what: string): void {
  const received = profile.contactEmail;
  expect(
    typeof received === 'string' ? received.toLowerCase() : received,
    `GET /me (${what}): contactEmail should be ${expected}, received ${JSON.stringify(received)}`,
  ).toBe(expected.toLowerCase());
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

/** Tutorial "Resetting a password using token": POST /password/reset/update; the answer is the caller's to judge. */
export async function resetPassword(
  api: ApiClient,
  anonymousToken: string,
  token: string,
  password: string,
): Promise<ApiResponse> {
  return await api.call('POST-customer-reset-password', {
    body: { token, password },
    token: anonymousToken,
    // A too-short password is a deliberate negative case; the request schema requires 6 characters.
    skipRequestValidation: password.length < 6,
  });
}

/** Tutorial "Changing a password": POST /password/change with the customer token. */
export async function changePassword(
  api: ApiClient,
  customerToken: string,
  currentPassword: string,
  newPassword: string,
): Promise<ApiResponse> {
  return await api.call('POST-customer-change-account-password', {
    body: { currentPassword, newPassword },
    token: customerToken,
    skipRequestValidation: newPassword.length < 6,
  });
}

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
