// The tutorial's chapter "How to manage customer authentication", promise by promise: anonymous
// tokens and their refresh, signing up, activation by an employee, logging in, refreshing and
// validating customer tokens, logging out, and the employee (service) token the activation needs.
import { test as base, expect, type ApiResponse } from '../fixtures/index.ts';
import {
  TUTORIAL_LIFETIME,
  bodyOf,
  deleteCustomersAsEmployee,
  ensureCustomerRefreshTokenRefused,
  ensureAccessWithinRefresh,
  ensureLifetimeKept,
  ensureSessionChanged,
  ensureSessionIdKept,
  ensureTokenChanged,
  ensureTokenRevoked,
  ensureTokenWorks,
  expireTokenOnMock,
  refreshAnonymousWithDeprecatedParameter,
  stringFieldOf,
  validateBearerType,
  validateExpiresIn,
  validateRemainingLifetime,
  validateSaasToken,
  validateScopeNamesTenant,
  validateSessionIdFormat,
} from '../helpers/checks/auth.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import {
  ensureBadRequestNames,
  ensureRefusedWithFault,
  ensureSameAnswer,
} from '../helpers/checks/negative.ts';
import * as REQ from '../helpers/requirements/index.ts';
import { maskText } from '../helpers/mask.ts';
import type { Credentials } from '../helpers/config.ts';
import { newPassword, signupBody, uniqueEmail, type SignupBody } from '../helpers/data.ts';
import { ensureField, ensureSchema, ensureStatus } from '../helpers/checks/common.ts';
import { operationLabel } from '../helpers/api-client.ts';
import { operation } from '../helpers/catalog.ts';
import { skipBecause } from '../fixtures/skip.ts';
import {
  ensureEmployeeSeesActive,
  ensureTokenReadsOwnProfile,
  ensureUnknownRefreshTokenRefused,
  ensureValidationNamesToken,
  postLogin,
} from '../fixtures/steps-auth.ts';

const ANONYMOUS_LOGIN = operationLabel(operation('GET-oauth-generate-anonymous-access-token'));
const ANONYMOUS_REFRESH = operationLabel(operation('GET-oauth-refresh-anonymous-access-token'));
const LOGIN = operationLabel(operation('POST-customer-authenticate-customer'));
const REFRESH = operationLabel(operation('GET-customer-refresh-authtoken'));
const VALIDATE = operationLabel(operation('GET-customer-validate-token'));
const SERVICE_TOKEN = operationLabel(operation('POST-oauth-request-client-credentials'));

/** Sends signups and deletes, as an employee, every customer they created (also after a failure). */
interface Signups {
  /** POST /signup with the anonymous token; a 201 is remembered for deletion whatever the test expected. */
  send(body: unknown, options?: { skipRequestValidation?: boolean }): Promise<ApiResponse>;
  /** Signs up with `body`, which must answer 201; returns the new customer's number. */
  signUp(body: SignupBody): Promise<string>;
}

const test = base.extend<{ signups: Signups }>({
  signups: async ({ api, anonymous, employeeToken }, use) => {
    const created: string[] = [];
    await use({
      async send(body, options = {}) {
        const response = await api.call('POST-customer-create-customer-account', {
          body,
          token: anonymous.accessToken,
          ...options,
        });
        const id = bodyOf(response).id;
        if (response.status === 201 && typeof id === 'string') created.push(id);
        return response;
      },
      async signUp(body) {
        return test.step(
          'sign up a customer',
          async () => {
            const response = await this.send(body);
            ensureStatus(response, 201);
            return stringFieldOf(response, 'id');
          },
          { box: true },
        );
      },
    });
    await test.step('delete the customers the test signed up', () =>
      deleteCustomersAsEmployee(api, employeeToken, created));
  },
});

/** The longest customer token lifetime the expiry test waits out. */
const SHORT_LIFETIME_SECONDS = 60;

function anonymousLogin(config: { tenant: string; storefrontClientId: string }) {
  return { query: { tenant: config.tenant, client_id: config.storefrontClientId } };
}

test.describe('Requesting an anonymous token', () => {
  // Tutorial, "Requesting an anonymous token": the sample response's fields.
  test('answers a Bearer token with access and refresh tokens, lifetimes, session id and scope @smoke', async ({
    api,
    config,
  }) => {
    const response = await api.call('GET-oauth-generate-anonymous-access-token', anonymousLogin(config));
    ensureStatus(response, 200);
    ensureSchema(response, 'anonymous-token');
    validateBearerType(ANONYMOUS_LOGIN, bodyOf(response).token_type);
  });

  // Tutorial sample: "scope": "tenant={tenant}".
  test('names the tenant in the scope @smoke', async ({ anonymous, config }) => {
    validateScopeNamesTenant(ANONYMOUS_LOGIN, anonymous.raw.scope, config.tenant);
  });

  // Tutorial: "an anonymous user session is created"; the sample's sessionId is a UUID.
  test('starts a new session with a UUID session id for each anonymous login @smoke', async ({
    api,
    config,
    anonymous,
  }) => {
    validateSessionIdFormat(ANONYMOUS_LOGIN, 'sessionId', anonymous.sessionId);
    const second = await api.call('GET-oauth-generate-anonymous-access-token', anonymousLogin(config));
    ensureStatus(second, 200);
    ensureSessionChanged(ANONYMOUS_LOGIN, bodyOf(second).sessionId, anonymous.sessionId);
  });

  // Tutorial: "The anonymous token is valid for one hour" (expires_in 3599).
  test('issues an access token whose lifetime counts seconds (tutorial: one hour) @smoke', async ({
    anonymous,
  }) => {
    validateExpiresIn(ANONYMOUS_LOGIN, 'expires_in', anonymous.raw.expires_in, 'anonymousAccess');
    ensureAccessWithinRefresh(
      ANONYMOUS_LOGIN,
      anonymous.raw.expires_in,
      anonymous.raw.refresh_token_expires_in,
    );
  });

  // Tutorial: "The refresh token is valid for 24 hours (86399 seconds)".
  test('issues a refresh token whose lifetime counts seconds (tutorial: 24 hours) @smoke', async ({
    anonymous,
  }) => {
    validateExpiresIn(
      ANONYMOUS_LOGIN,
      'refresh_token_expires_in',
      anonymous.raw.refresh_token_expires_in,
      'anonymousRefresh',
    );
  });

  // Tutorial: the token authorizes browsing; GET-customer-retrieve-customer-profile answers the anonymous profile.
  test('gives an access token the API accepts @smoke', async ({ api, anonymous }) => {
    const response = await ensureTokenWorks(api, anonymous.accessToken, 'the anonymous access token');
    ensureSchema(response, 'anonymous-profile');
  });

  // docs/behaviour.md: unknown client id or tenant → 401 fault "Invalid ApiKey".
  for (const { name, query } of [
    {
      name: 'an unknown storefront client id',
      query: (t: string, c: string) => ({ tenant: t, client_id: `${c}-unknown` }),
    },
    {
      name: 'an unknown tenant',
      query: (_t: string, c: string) => ({ tenant: 'nosuchtenant0', client_id: c }),
    },
  ]) {
    test(`refuses ${name} with 401 Invalid ApiKey @smoke @security`, async ({ api, config }) => {
      const response = await api.call('GET-oauth-generate-anonymous-access-token', {
        query: query(config.tenant, config.storefrontClientId),
      });
      ensureRefusedWithFault(response, name, {
        statusReq: REQ.ANONYMOUS_LOGIN_UNKNOWN_CLIENT,
        bodyReq: REQ.ANONYMOUS_LOGIN_UNKNOWN_CLIENT,
        faultstring: 'Invalid ApiKey',
        errorcode: 'oauth.v2.InvalidApiKey',
      });
    });
  }

  // docs/behaviour.md: missing tenant or client_id → 400.
  for (const missing of ['tenant', 'client_id'] as const) {
    test(`refuses a request without ${missing} with 400 @smoke`, async ({ api, config }) => {
      const query: Record<string, string> = { tenant: config.tenant, client_id: config.storefrontClientId };
      delete query[missing];
      const response = await api.call('GET-oauth-generate-anonymous-access-token', { query });
      ensureStatus(response, 400, `${missing} missing`, REQ.ANONYMOUS_MISSING_PARAMETER);
    });
  }
});

test.describe('Refreshing an anonymous token', () => {
  async function refresh(
    api: ApiClient,
    config: { tenant: string; storefrontClientId: string },
    refreshToken: string,
  ) {
    return await api.call('GET-oauth-refresh-anonymous-access-token', {
      query: { tenant: config.tenant, client_id: config.storefrontClientId, refresh_token: refreshToken },
    });
  }

  /** Refreshes the anonymous session's token; the refresh must answer 200. */
  async function refreshed(
    api: ApiClient,
    config: { tenant: string; storefrontClientId: string },
    anonymous: { refreshToken: string },
  ): Promise<ApiResponse> {
    return test.step(
      'refresh the anonymous token',
      async () => {
        const response = await refresh(api, config, anonymous.refreshToken);
        ensureStatus(response, 200);
        return response;
      },
      { box: true },
    );
  }

  // Tutorial: refresh "to maintain the same customer's session ID".
  test('keeps the session id when the anonymous token is refreshed @smoke', async ({
    api,
    config,
    anonymous,
  }) => {
    const response = await refreshed(api, config, anonymous);
    ensureSessionIdKept(
      REQ.SESSION_KEPT_ON_ANONYMOUS_REFRESH,
      ANONYMOUS_REFRESH,
      'sessionId',
      bodyOf(response).sessionId,
      anonymous.sessionId,
    );
  });

  // Tutorial, "Refreshing an anonymous token": a new access token that the API accepts.
  test('issues a new access token that the API accepts @smoke', async ({ api, config, anonymous }) => {
    const response = await refreshed(api, config, anonymous);
    const accessToken = stringFieldOf(response, 'access_token');
    ensureTokenChanged(ANONYMOUS_REFRESH, 'access_token', accessToken, anonymous.accessToken);
    await ensureTokenWorks(api, accessToken, 'the refreshed anonymous access token');
  });

  // Tutorial sample response: the same lifetimes as at login.
  test('issues the refreshed tokens with the lifetimes of the login @smoke', async ({
    api,
    config,
    anonymous,
  }) => {
    const response = await refreshed(api, config, anonymous);
    const body = bodyOf(response);
    validateExpiresIn(ANONYMOUS_REFRESH, 'expires_in', body.expires_in, 'anonymousAccess');
    ensureAccessWithinRefresh(ANONYMOUS_REFRESH, body.expires_in, body.refresh_token_expires_in);
    ensureLifetimeKept(ANONYMOUS_REFRESH, 'expires_in', body.expires_in, anonymous.raw.expires_in);
    validateExpiresIn(
      ANONYMOUS_REFRESH,
      'refresh_token_expires_in',
      body.refresh_token_expires_in,
      'anonymousRefresh',
    );
  });

  // docs/behaviour.md: the refresh token is rotated; the old one stops working (401).
  test('refuses the refresh token once it has been used @smoke @security', async ({
    api,
    config,
    anonymous,
  }) => {
    await test.step('refresh once', async () => {
      ensureStatus(await refresh(api, config, anonymous.refreshToken), 200);
    });
    await test.step('refresh again with the same refresh token', async () => {
      ensureRefusedWithFault(
        await refresh(api, config, anonymous.refreshToken),
        'a used anonymous refresh token',
        {
          statusReq: REQ.REFRESH_TOKEN_ROTATED,
          bodyReq: REQ.REFRESH_TOKEN_ROTATED,
        },
      );
    });
  });

  // docs/behaviour.md: rotation hands out a refresh token that works in turn.
  test('accepts the new refresh token for the next refresh, in the same session @smoke', async ({
    api,
    config,
    anonymous,
  }) => {
    const first = await refreshed(api, config, anonymous);
    const second = await refresh(api, config, stringFieldOf(first, 'refresh_token'));
    ensureStatus(
      second,
      200,
      'refreshing with the refresh token the previous refresh issued',
      REQ.REFRESH_TOKEN_NEW_WORKS,
    );
    ensureSessionIdKept(
      REQ.SESSION_KEPT_ON_ANONYMOUS_REFRESH,
      ANONYMOUS_REFRESH,
      'sessionId',
      bodyOf(second).sessionId,
      anonymous.sessionId,
    );
  });

  // docs/behaviour.md: unknown refresh token → 401 fault.
  test('refuses an unknown refresh token with 401 @smoke @security', async ({ api, config }) => {
    await ensureUnknownRefreshTokenRefused((token) => refresh(api, config, token), {
      statusReq: REQ.ANONYMOUS_REFRESH_UNKNOWN,
      bodyReq: REQ.ANONYMOUS_REFRESH_UNKNOWN,
    });
  });

  // docs/behaviour.md: neither refresh_token nor anonymous_token → 400.
  test('refuses a refresh without a refresh token with 400 @smoke', async ({ api, config }) => {
    const response = await api.call('GET-oauth-refresh-anonymous-access-token', {
      query: { tenant: config.tenant, client_id: config.storefrontClientId },
    });
    ensureStatus(response, 400, 'neither refresh_token nor anonymous_token', REQ.ANONYMOUS_MISSING_PARAMETER);
  });

  // Tutorial: anonymous_token is deprecated; the reference: its answer has no refresh fields.
  test('still answers the deprecated anonymous_token parameter, in the same session @smoke', async ({
    config,
    anonymous,
  }) => {
    const response = await refreshAnonymousWithDeprecatedParameter(config, anonymous.accessToken);
    const what = `${ANONYMOUS_REFRESH} (anonymous_token)`;
    ensureField(
      REQ.STEP_STATUS,
      what,
      'status',
      response.status,
      200,
      `body ${maskText(response.text.slice(0, 200))}`,
    );
    ensureSchema({ label: what, body: response.body }, 'anonymous-token-deprecated-refresh');
    const body = response.body as Record<string, unknown>;
    ensureSessionIdKept(
      REQ.SESSION_KEPT_ON_ANONYMOUS_REFRESH,
      what,
      'sessionId',
      body.sessionId,
      anonymous.sessionId,
    );
    validateExpiresIn(what, 'expires_in', body.expires_in, 'anonymousAccess');
  });
});

test.describe('Creating a new customer', () => {
  // Tutorial: "The response returns the ID of the created customer"; the employee reads it under that number.
  test('answers 201 with the id of the new customer @destructive @employee', async ({
    api,
    config,
    signups,
    employeeToken,
  }) => {
    const id = await signups.signUp(signupBody(config.emailTemplate));
    const read = await api.call('GET-customer-tenant-retrieve-customer', {
      path: { customerNumber: id },
      token: employeeToken,
    });
    ensureStatus(read, 200, 'the employee reads the customer under the id signup answered');
    ensureField(
      REQ.PROFILE_IDENTITY,
      operationLabel(operation('GET-customer-tenant-retrieve-customer')),
      'customerNumber',
      bodyOf(read).customerNumber,
      id,
    );
  });

  // POST-customer-create-customer-account 409; docs/behaviour.md: "Duplicate account '{email}' for tenant '{tenant}'."
  test('refuses an email already signed up with 409 conflict_resource @destructive @employee', async ({
    config,
    signups,
    newCustomer,
  }) => {
    const response = await signups.send(signupBody(config.emailTemplate, {}, { email: newCustomer.email }));
    ensureStatus(response, 409, 'the email is already a login on the tenant', REQ.SIGNUP_DUPLICATE);
    ensureSchema(response, 'error', REQ.ERROR_BODY);
    const body = bodyOf(response);
    const label = `${operationLabel(operation('POST-customer-create-customer-account'))} → 409`;
    ensureField(REQ.SIGNUP_DUPLICATE_BODY, label, 'type', body.type, 'conflict_resource');
    ensureField(
      REQ.SIGNUP_DUPLICATE_BODY,
      label,
      'message',
      body.message,
      `Duplicate account '${newCustomer.email}' for tenant '${config.tenant}'.`,
    );
  });

  // docs/behaviour.md: duplicate email is compared case-insensitively.
  test('refuses the same email in other letter case with 409 @destructive @employee', async ({
    config,
    signups,
    newCustomer,
  }) => {
    const email = newCustomer.email.toUpperCase();
    const response = await signups.send(signupBody(config.emailTemplate, {}, { email }), {
      skipRequestValidation: true,
    });
    ensureStatus(
      response,
      409,
      `${email} differs from ${newCustomer.email} only in letter case`,
      REQ.SIGNUP_DUPLICATE_CASE,
    );
  });

  // POST-customer-create-customer-account 400. What SignupDto rules out (required email and password,
  // types, contactEmail = email) is the reference's; the rest is docs/behaviour.md "Signup" (B). That
  // details name the field is B everywhere.
  type Refusal = {
    name: string;
    fields: string[];
    /** R: the reference rules the body out; B: the project's stricter rules. */
    source: 'R' | 'B';
    body: (template: string) => Record<string, unknown>;
  };
  /** The valid body without one of its fields. */
  const missing = (source: Refusal['source'], field: 'email' | 'password'): Refusal => ({
    name: `a missing ${field}`,
    source,
    fields: [field],
    body: (t) => {
      const { [field]: _removed, ...rest } = signupBody(t);
      return rest;
    },
  });
  /** The valid body with one top-level field set to `value`; the answer must name that field. */
  const replaced = (source: Refusal['source'], name: string, field: string, value: unknown): Refusal => ({
    name,
    source,
    fields: [field],
    body: (t) => ({ ...signupBody(t), [field]: value }),
  });
  const invalid: Refusal[] = [
    missing('R', 'email'),
    missing('R', 'password'),
    replaced('B', 'a password shorter than 6 characters', 'password', 'Ab1!x'),
    {
      name: 'a malformed email',
      source: 'B',
      fields: ['email'],
      body: (t) => {
        const b = signupBody(t);
        return {
          ...b,
          email: 'not-an-email',
          customerDetails: { ...b.customerDetails, contactEmail: undefined },
        };
      },
    },
    {
      name: 'a contactEmail other than the email',
      source: 'R',
      fields: ['contactEmail'],
      body: (t) => {
        const b = signupBody(t);
        return { ...b, customerDetails: { ...b.customerDetails, contactEmail: uniqueEmail(t) } };
      },
    },
    {
      name: 'a B2B registration without first name, last name and company',
      source: 'B',
      fields: ['firstName', 'lastName', 'company'],
      body: (t) => {
        const b = signupBody(t, { b2b: true });
        const { firstName: _f, lastName: _l, company: _c, ...details } = b.customerDetails ?? {};
        return { ...b, customerDetails: details };
      },
    },
    replaced('R', 'an email that is not a string', 'email', 12345),
    replaced('R', 'a password that is not a string', 'password', true),
    replaced('R', 'customerDetails that are not an object', 'customerDetails', 'John Doe'),
    replaced('B', 'an unknown top-level field', 'unknownField', 1),
  ];
  for (const { name, fields, source, body } of invalid) {
    test(`refuses ${name} with 400 naming the field @destructive @employee`, async ({ config, signups }) => {
      const sent = JSON.parse(JSON.stringify(body(config.emailTemplate))) as Record<string, unknown>;
      const response = await signups.send(sent, { skipRequestValidation: true });
      ensureBadRequestNames(
        response,
        name,
        fields,
        source === 'R' ? REQ.SIGNUP_INPUT_DOCUMENTED : REQ.SIGNUP_INPUT_OWN_RULES,
      );
    });
  }
});

test.describe('Activating customer account as an employee', () => {
  // Tutorial: "The created customer's account is inactive" until the employee's PATCH sets active true.
  test('a new customer is inactive until an employee activates it @destructive @employee', async ({
    api,
    config,
    signups,
    employeeToken,
  }) => {
    const customerNumber = await signups.signUp(signupBody(config.emailTemplate));
    const employeeView = {
      req: REQ.CUSTOMER_INACTIVE_UNTIL_ACTIVATED,
      label: operationLabel(operation('GET-customer-tenant-retrieve-customer')),
    };
    await ensureEmployeeSeesActive(
      'the employee sees the customer inactive',
      api,
      employeeToken,
      customerNumber,
      {
        ...employeeView,
        field: 'active (right after signup)',
        active: false,
      },
    );
    await test.step('the employee activates the customer', async () => {
      const response = await api.call('PATCH-customer-tenant-update-customer', {
        path: { customerNumber },
        body: { active: true, onHold: false },
        token: employeeToken,
      });
      ensureStatus(response, 200);
    });
    await ensureEmployeeSeesActive(
      'the employee sees the customer active',
      api,
      employeeToken,
      customerNumber,
      {
        ...employeeView,
        field: 'active (after the PATCH)',
        active: true,
      },
    );
  });

  // Tutorial: only after activation "the customer is able to continue with logging in"; docs/behaviour.md: 401.
  test('refuses to log in a customer not yet activated with 401 @destructive @employee @security', async ({
    api,
    config,
    signups,
    anonymous,
  }) => {
    const body = signupBody(config.emailTemplate);
    ensureStatus(await signups.send(body), 201);
    const response = await postLogin(api, anonymous.accessToken, body);
    ensureRefusedWithFault(response, 'the customer has not been activated', { statusReq: REQ.LOGIN_REFUSED });
  });
});

test.describe('Logging in a customer', () => {
  async function logIn(
    api: ApiClient,
    anonymousToken: string,
    credentials: { email: string; password: string },
  ): Promise<ApiResponse> {
    const response = await postLogin(api, anonymousToken, credentials);
    ensureStatus(response, 200, 'logging in with the configured customer');
    return response;
  }

  // Tutorial, "Logging in a customer": the example response's fields.
  test('answers access, refresh and SaaS tokens with lifetimes, type and session id @smoke', async ({
    api,
    anonymous,
    seedCustomer,
  }) => {
    const response = await logIn(api, anonymous.accessToken, seedCustomer);
    ensureSchema(response, 'customer-token');
    const body = bodyOf(response);
    validateBearerType(LOGIN, body.token_type);
    stringFieldOf(response, 'access_token');
    stringFieldOf(response, 'refresh_token');
    validateSessionIdFormat(LOGIN, 'session_id', body.session_id);
  });

  // Tutorial example: "initialPassword": false for a customer who set their own password.
  test('reports initialPassword false for a customer who chose their password @smoke', async ({
    api,
    anonymous,
    seedCustomer,
  }) => {
    const body = bodyOf(await logIn(api, anonymous.accessToken, seedCustomer));
    // initialPassword is a boolean (docs/discrepancies.md #1).
    ensureField(REQ.INITIAL_PASSWORD_FALSE, LOGIN, 'initialPassword', body.initialPassword, false);
  });

  // FACTS/docs/behaviour.md: saas_token is a JWT with sub = customer number and exp.
  test('issues a SaaS token whose subject is the customer number and that expires in the future @smoke', async ({
    api,
    anonymous,
    seedCustomer,
  }) => {
    const response = await logIn(api, anonymous.accessToken, seedCustomer);
    const me = await ensureTokenWorks(
      api,
      stringFieldOf(response, 'access_token'),
      'the customer access token',
    );
    const customerNumber = stringFieldOf(me, 'customerNumber');
    validateSaasToken(LOGIN, bodyOf(response).saas_token, customerNumber);
  });

  // FACTS (tokens page) and docs/behaviour.md: the customer session keeps the anonymous session's id.
  test('keeps the session id of the anonymous session it logged in from @smoke', async ({
    api,
    anonymous,
    seedCustomer,
  }) => {
    const body = bodyOf(await logIn(api, anonymous.accessToken, seedCustomer));
    ensureSessionIdKept(REQ.SESSION_KEPT_ON_LOGIN, LOGIN, 'session_id', body.session_id, anonymous.sessionId);
  });

  // Tutorial: "customer access tokens expire after 30 days" (expires_in 2591999).
  test('issues an access token valid for about 30 days @smoke', async ({ api, anonymous, seedCustomer }) => {
    const body = bodyOf(await logIn(api, anonymous.accessToken, seedCustomer));
    validateExpiresIn(LOGIN, 'expires_in', body.expires_in, 'customerAccess');
  });

  // Tutorial example: refresh_token_expires_in 86399.
  test('issues a refresh token valid for about 24 hours @smoke', async ({ api, anonymous, seedCustomer }) => {
    const body = bodyOf(await logIn(api, anonymous.accessToken, seedCustomer));
    validateExpiresIn(LOGIN, 'refresh_token_expires_in', body.refresh_token_expires_in, 'customerRefresh');
  });

  // Tutorial: the customer access token authorizes the customer's own requests.
  test("gives an access token that reads the customer's own profile @smoke", async ({
    api,
    anonymous,
    seedCustomer,
  }) => {
    const response = await logIn(api, anonymous.accessToken, seedCustomer);
    await ensureTokenReadsOwnProfile(api, response, 'the customer access token', seedCustomer.email);
  });

  // POST-customer-authenticate-customer 401; docs/behaviour.md: wrong password or unknown email → 401 fault.
  test('refuses a wrong password with 401 @smoke @security', async ({ api, anonymous, seedCustomer }) => {
    const response = await api.call('POST-customer-authenticate-customer', {
      body: { email: seedCustomer.email, password: `${seedCustomer.password}-wrong` },
      token: anonymous.accessToken,
    });
    ensureRefusedWithFault(response, 'wrong password', { statusReq: REQ.LOGIN_REFUSED });
  });

  test('refuses an unknown email with 401 @smoke @security', async ({ api, anonymous, config }) => {
    const response = await api.call('POST-customer-authenticate-customer', {
      body: { email: uniqueEmail(config.emailTemplate), password: newPassword() },
      token: anonymous.accessToken,
    });
    ensureRefusedWithFault(response, 'unknown email', { statusReq: REQ.LOGIN_REFUSED });
  });

  // docs/behaviour.md: "401 fault (no hint which)": no account enumeration through login.
  test('answers a wrong password and an unknown email alike @smoke @security', async ({
    api,
    anonymous,
    config,
    seedCustomer,
  }) => {
    const wrong = await api.call('POST-customer-authenticate-customer', {
      body: { email: seedCustomer.email, password: `${seedCustomer.password}-wrong` },
      token: anonymous.accessToken,
    });
    const unknown = await api.call('POST-customer-authenticate-customer', {
      body: { email: uniqueEmail(config.emailTemplate), password: newPassword() },
      token: anonymous.accessToken,
    });
    // Only the documented members are compared: a request id in the body is not a leak.
    ensureSameAnswer(wrong, unknown, 'an unknown email vs a wrong password', REQ.LOGIN_NO_ENUMERATION);
  });

  // docs/behaviour.md: login with missing fields → 400.
  for (const missing of ['email', 'password'] as const) {
    test(`refuses a login without ${missing} with 400 @smoke`, async ({ api, anonymous, seedCustomer }) => {
      const body: Record<string, string> = { email: seedCustomer.email, password: seedCustomer.password };
      delete body[missing];
      const response = await api.call('POST-customer-authenticate-customer', {
        body,
        token: anonymous.accessToken,
        skipRequestValidation: true,
      });
      ensureBadRequestNames(response, `${missing} missing`, [missing], REQ.LOGIN_MISSING_FIELD);
    });
  }
});

/** A fresh login of the configured customer, for the refresh, validate and logout tests. */
interface LoggedIn {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  expiresIn: number;
  anonymousToken: string;
}

const withLogin = test.extend<{ login: LoggedIn }>({
  login: async ({ api, anonymous, seedCustomer }, use) => {
    const response = await api.call('POST-customer-authenticate-customer', {
      body: { email: seedCustomer.email, password: seedCustomer.password },
      token: anonymous.accessToken,
    });
    ensureStatus(response, 200, 'logging in with the configured customer');
    const body = bodyOf(response);
    const accessToken = stringFieldOf(response, 'access_token');
    await use({
      accessToken,
      refreshToken: stringFieldOf(response, 'refresh_token'),
      sessionId: typeof body.session_id === 'string' ? body.session_id : anonymous.sessionId,
      expiresIn: typeof body.expires_in === 'number' ? body.expires_in : TUTORIAL_LIFETIME.customerAccess,
      anonymousToken: anonymous.accessToken,
    });
    // 401: the test logged out itself.
    const logout = await api.call('GET-customer-logout-customer', {
      query: { accessToken },
      token: accessToken,
    });
    ensureStatus(logout, [204, 401], 'logging out after the test');
  },
});

withLogin.describe('Refreshing a customer token', () => {
  async function refresh(api: ApiClient, login: LoggedIn, refreshToken = login.refreshToken) {
    // Tutorial: "Authorize the request with the anonymous access token."
    return await api.call('GET-customer-refresh-authtoken', {
      query: { refreshToken },
      token: login.anonymousToken,
    });
  }

  // Tutorial, "Refreshing a customer token": prolongs the session without logging in again.
  withLogin('issues a new access token that the API accepts @smoke', async ({ api, login }) => {
    const response = await refresh(api, login);
    ensureStatus(response, 200);
    const accessToken = stringFieldOf(response, 'access_token');
    ensureTokenChanged(REFRESH, 'access_token', accessToken, login.accessToken);
    await ensureTokenWorks(api, accessToken, 'the refreshed customer access token');
  });

  // FACTS/docs/behaviour.md: same session_id.
  withLogin('keeps the session id of the login @smoke', async ({ api, login }) => {
    const response = await refresh(api, login);
    ensureStatus(response, 200);
    ensureSessionIdKept(
      REQ.SESSION_KEPT_ON_REFRESH,
      REFRESH,
      'session_id',
      bodyOf(response).session_id,
      login.sessionId,
    );
  });

  // Tutorial sample responses: the refreshed token lives as long as the login's (tenant-learned lifetimes).
  withLogin('issues the refreshed tokens with the lifetimes of the login @smoke', async ({ api, login }) => {
    const response = await refresh(api, login);
    ensureStatus(response, 200);
    const body = bodyOf(response);
    validateExpiresIn(REFRESH, 'expires_in', body.expires_in, 'customerAccess');
    ensureLifetimeKept(REFRESH, 'expires_in', body.expires_in, login.expiresIn);
    validateExpiresIn(REFRESH, 'refresh_token_expires_in', body.refresh_token_expires_in, 'customerRefresh');
  });

  // FACTS/docs/behaviour.md: the refresh token is rotated; the used one is refused.
  withLogin('refuses the refresh token once it has been used @smoke @security', async ({ api, login }) => {
    ensureStatus(await refresh(api, login), 200);
    await ensureCustomerRefreshTokenRefused(
      api,
      login.refreshToken,
      login.anonymousToken,
      'a used customer refresh token',
    );
  });

  // docs/behaviour.md: "the previous access token keeps working until it expires".
  withLogin('leaves the previous access token working @smoke', async ({ api, login }) => {
    ensureStatus(await refresh(api, login), 200);
    await ensureTokenWorks(
      api,
      login.accessToken,
      'the access token issued before the refresh',
      REQ.REFRESH_PREVIOUS_ACCESS_KEPT,
    );
  });

  // docs/behaviour.md: a legalEntityId the customer does not belong to → 400.
  withLogin(
    'refuses a legal entity the customer does not belong to with 400 @smoke',
    async ({ api, login }) => {
      const response = await api.call('GET-customer-refresh-authtoken', {
        query: { refreshToken: login.refreshToken, legalEntityId: 'no-such-legal-entity-000' },
        token: login.anonymousToken,
      });
      ensureBadRequestNames(
        response,
        'a legal entity of another company',
        ['legalEntityId'],
        REQ.REFRESH_FOREIGN_LEGAL_ENTITY,
      );
    },
  );

  // docs/behaviour.md: unknown refresh token → 401; missing refreshToken → 400.
  withLogin('refuses an unknown refresh token with 401 @smoke @security', async ({ api, login }) => {
    await ensureUnknownRefreshTokenRefused((token) => refresh(api, login, token), {
      statusReq: REQ.REFRESH_UNKNOWN_TOKEN,
    });
  });

  withLogin('refuses a refresh without refreshToken with 400 @smoke', async ({ api, login }) => {
    const response = await api.call('GET-customer-refresh-authtoken', { token: login.anonymousToken });
    ensureStatus(response, 400, 'refreshToken missing', REQ.REFRESH_MISSING_TOKEN);
  });
});

test.describe('Refreshing a customer token for a legal entity', () => {
  // Tutorial, "Refreshing a customer token": refreshauthtoken?refreshToken=…&legalEntityId=…. Legal
  // entities are read-only on the profile (R: B2BGet.legalEntities); the test takes the customer's
  // first one, or asks the employee API to assign one (the mock accepts it), and skips when the
  // target gives the customer none.
  test('issues a token when refreshing with a legal entity the customer belongs to @destructive @employee', async ({
    api,
    anonymous,
    customerSession,
    employeeToken,
  }) => {
    const { customerNumber } = customerSession.customer;
    const legalEntityId = await test.step('find a legal entity of the customer', async () => {
      const entityOf = (body: Record<string, unknown>): string | undefined => {
        const b2b =
          body.b2b !== null && typeof body.b2b === 'object' ? (body.b2b as Record<string, unknown>) : {};
        const list = Array.isArray(b2b.legalEntities) ? (b2b.legalEntities as Record<string, unknown>[]) : [];
        const id = list[0]?.id;
        return typeof id === 'string' && id !== '' ? id : undefined;
      };
      const read = () =>
        api.call('GET-customer-tenant-retrieve-customer', { path: { customerNumber }, token: employeeToken });
      const before = await read();
      ensureStatus(before, 200);
      const known = entityOf(bodyOf(before));
      if (known) return known;
      // Set-up, not a promise under test: the reference documents legal entities as read-only here.
      const assigned = await api.call('PATCH-customer-tenant-update-customer', {
        path: { customerNumber },
        body: { b2b: { legalEntities: [{ id: 'LE-CONFORMANCE-1', name: 'Conformance Ltd' }] } },
        token: employeeToken,
        skipRequestValidation: true,
      });
      const after = assigned.status === 200 ? entityOf(bodyOf(await read())) : undefined;
      if (after === undefined) {
        skipBecause(
          'the customer belongs to no legal entity and the target assigns none through the employee API ' +
            '(legal entities come from its company management)',
          'refresh.legal-entity',
        );
      }
      return after;
    });
    const response = await api.call('GET-customer-refresh-authtoken', {
      query: { refreshToken: customerSession.refreshToken, legalEntityId },
      token: anonymous.accessToken,
    });
    ensureStatus(
      response,
      200,
      `legalEntityId ${legalEntityId} of the customer`,
      REQ.REFRESH_WITH_LEGAL_ENTITY,
    );
    await ensureTokenWorks(
      api,
      stringFieldOf(response, 'access_token'),
      'the token refreshed for the legal entity',
      REQ.REFRESH_WITH_LEGAL_ENTITY,
    );
  });
});

withLogin.describe('Validating a token', () => {
  // Tutorial, "Validating a token": token type, remaining lifetime, scopes, session and email.
  withLogin(
    'names the email and session of the token @smoke',
    async ({ api, login, seedCustomer, config }) => {
      const response = await api.call('GET-customer-validate-token', { token: login.accessToken });
      ensureStatus(response, 200);
      ensureSchema(response, 'validate-token');
      const body = bodyOf(response);
      await ensureValidationNamesToken(VALIDATE, body, {
        email: seedCustomer.email,
        sessionId: login.sessionId,
      });
      validateBearerType(VALIDATE, body.token_type);
      validateScopeNamesTenant(VALIDATE, body.scope, config.tenant);
    },
  );

  // Tutorial: validation retrieves the "expiration time"; example 2591974 shortly after a 2591999 login.
  withLogin(
    'reports the remaining lifetime, not above the one issued at login @smoke',
    async ({ api, login }) => {
      const response = await api.call('GET-customer-validate-token', { token: login.accessToken });
      ensureStatus(response, 200);
      validateRemainingLifetime(
        VALIDATE,
        'expires_in',
        bodyOf(response).expires_in,
        login.expiresIn,
        'customerAccess',
      );
    },
  );

  // Tutorial, "Validating a token": validation tells whether "the token hasn't expired". Needs a token
  // that expires during the test: a mock target expires it on request (POST /_mock/{tenant}/tokens/expire,
  // docs/mock-protocol.md); elsewhere it runs where customer tokens live at most a minute (e.g. the
  // mock started with --lifetime-customer-access 5), and says so otherwise.
  test('refuses a customer token that has expired with 401 @smoke @security', async ({
    api,
    anonymous,
    seedCustomer,
    config,
  }) => {
    test.setTimeout(120_000);
    const login = await api.call('POST-customer-authenticate-customer', {
      body: { email: seedCustomer.email, password: seedCustomer.password },
      token: anonymous.accessToken,
    });
    ensureStatus(login, 200, 'logging in with the configured customer');
    const token = stringFieldOf(login, 'access_token');
    if ((await expireTokenOnMock(config, token)) === 'not-served') {
      const expiresIn = bodyOf(login).expires_in;
      if (typeof expiresIn !== 'number' || expiresIn > SHORT_LIFETIME_SECONDS) {
        skipBecause(
          `customer access tokens live ${String(expiresIn)} s on this target and it serves no ` +
            `POST /_mock/{tenant}/tokens/expire; waiting for one to expire needs a lifetime of at most ` +
            `${SHORT_LIFETIME_SECONDS} s (the mock: --lifetime-customer-access 5)`,
          'validate.expired',
        );
      }
      await test.step(`wait ${expiresIn + 1} s for the token to expire`, async () => {
        await new Promise((resolve) => setTimeout(resolve, (expiresIn + 1) * 1000));
      });
    }
    const response = await api.call('GET-customer-validate-token', { token });
    ensureRefusedWithFault(response, 'an expired customer token', {
      statusReq: REQ.VALIDATE_REFUSES_REVOKED,
    });
  });

  // GET-customer-validate-token 401; RFC 6750 §3.1 invalid_token.
  test('refuses an unknown token with 401 @smoke @security', async ({ api }) => {
    // R documents this 401 without a body: the fault body is the project's reading (B).
    ensureRefusedWithFault(
      await api.call('GET-customer-validate-token', { token: 'unknown-access-token-00000000' }),
      'unknown token',
    );
  });
});

withLogin.describe('Logging out the customer', () => {
  const logout = (api: ApiClient, token: string) =>
    api.call('GET-customer-logout-customer', { query: { accessToken: token }, token });

  // GET-customer-logout-customer: 204.
  withLogin('answers 204 @smoke', async ({ api, login }) => {
    ensureStatus(await logout(api, login.accessToken), 204);
  });

  // Tutorial: logging out ensures "the token cannot be used for further authenticated requests".
  withLogin(
    'revokes the access token: validate and the profile answer 401 @smoke @security',
    async ({ api, login }) => {
      ensureStatus(await logout(api, login.accessToken), 204);
      await ensureTokenRevoked(api, login.accessToken, 'after logout');
    },
  );

  // docs/behaviour.md: logout revokes the access token and its refresh token.
  withLogin('revokes the refresh token of the session @smoke @security', async ({ api, login }) => {
    ensureStatus(await logout(api, login.accessToken), 204);
    await ensureCustomerRefreshTokenRefused(
      api,
      login.refreshToken,
      login.anonymousToken,
      'after logout',
      REQ.LOGOUT_REVOKES_REFRESH,
    );
  });

  // docs/behaviour.md: accessToken missing → 400; not the bearer token's own value → 400.
  withLogin('refuses a logout without accessToken with 400 @smoke', async ({ api, login }) => {
    const response = await api.call('GET-customer-logout-customer', { token: login.accessToken });
    ensureStatus(response, 400, 'accessToken missing', REQ.LOGOUT_MISSING_TOKEN);
    await ensureTokenWorks(
      api,
      login.accessToken,
      'the access token after a refused logout',
      REQ.LOGOUT_MISSING_TOKEN,
    );
  });

  withLogin(
    "refuses to log out another session's token with 400 and revokes neither @smoke @security",
    async ({ api, login, anonymous, seedCustomer }) => {
      const other = await api.call('POST-customer-authenticate-customer', {
        body: { email: seedCustomer.email, password: seedCustomer.password },
        token: anonymous.accessToken,
      });
      ensureStatus(other, 200);
      const otherToken = stringFieldOf(other, 'access_token');
      try {
        const response = await api.call('GET-customer-logout-customer', {
          query: { accessToken: otherToken },
          token: login.accessToken,
        });
        // Nothing documents which token a logout may name: the project's reading (B) on both counts.
        ensureStatus(response, 400, 'accessToken is not the bearer token', REQ.LOGOUT_FOREIGN_TOKEN);
        await ensureTokenWorks(
          api,
          otherToken,
          'the token named in the refused logout',
          REQ.LOGOUT_FOREIGN_TOKEN_KEPT,
        );
        await ensureTokenWorks(
          api,
          login.accessToken,
          'the bearer token of the refused logout',
          REQ.LOGOUT_FOREIGN_TOKEN_KEPT,
        );
      } finally {
        await logout(api, otherToken);
      }
    },
  );
});

/** The configured employee key; skips (through the employeeToken fixture) when none is configured. */
const withEmployeeKey = test.extend<{ employeeKey: Credentials }>({
  employeeKey: async ({ config, employeeToken }, use) => {
    expect(employeeToken, 'the employee token fixture').not.toBe('');
    if (!config.employee) throw new Error('employeeToken yielded a token without configured credentials');
    await use(config.employee);
  },
});

withEmployeeKey.describe('Employee (service) token', () => {
  const form = (key: Credentials, tenant: string) => ({
    grant_type: 'client_credentials',
    client_id: key.clientId,
    client_secret: key.clientSecret,
    scope: `tenant=${tenant}`,
  });

  // OAuth reference example (docs/behaviour.md "Employee token"): the seven fields and their values.
  withEmployeeKey(
    'answers a Bearer service token of about four hours that cannot be refreshed @smoke @employee',
    async ({ api, config, employeeKey }) => {
      const response = await api.call('POST-oauth-request-client-credentials', {
        form: form(employeeKey, config.tenant),
      });
      ensureStatus(response, 200);
      ensureSchema(response, 'service-token');
      const body = bodyOf(response);
      validateBearerType(SERVICE_TOKEN, body.token_type);
      validateExpiresIn(SERVICE_TOKEN, 'expires_in', body.expires_in, 'employeeAccess');
      ensureField(REQ.SERVICE_TOKEN_NO_REFRESH, SERVICE_TOKEN, 'refresh_token', body.refresh_token, '');
      ensureField(
        REQ.SERVICE_TOKEN_NO_REFRESH,
        SERVICE_TOKEN,
        'refresh_token_expires_in',
        body.refresh_token_expires_in,
        0,
      );
      validateScopeNamesTenant(SERVICE_TOKEN, body.scope, config.tenant);
    },
  );

  // docs/behaviour.md: wrong secret or client → 401 "Invalid ApiKey".
  for (const wrong of ['secret', 'client id'] as const) {
    withEmployeeKey(
      `refuses a wrong ${wrong} with 401 Invalid ApiKey @smoke @employee @security`,
      async ({ api, config, employeeKey }) => {
        const key =
          wrong === 'secret'
            ? { ...employeeKey, clientSecret: `${employeeKey.clientSecret}-wrong` }
            : { ...employeeKey, clientId: `${employeeKey.clientId}-unknown` };
        const response = await api.call('POST-oauth-request-client-credentials', {
          form: form(key, config.tenant),
        });
        ensureRefusedWithFault(response, `wrong ${wrong}`, {
          statusReq: REQ.SERVICE_TOKEN_REFUSED,
          bodyReq: REQ.SERVICE_TOKEN_REFUSED,
          faultstring: 'Invalid ApiKey',
        });
      },
    );
  }

  // docs/behaviour.md: another grant type → 400.
  withEmployeeKey(
    'refuses another grant type with 400 @smoke @employee',
    async ({ api, config, employeeKey }) => {
      const response = await api.call('POST-oauth-request-client-credentials', {
        form: { ...form(employeeKey, config.tenant), grant_type: 'password' },
        skipRequestValidation: true,
      });
      ensureStatus(response, 400, 'grant_type password', REQ.SERVICE_TOKEN_GRANT_TYPE);
    },
  );
});
