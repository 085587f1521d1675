// Tutorial, "Logging in a customer using social login": the storefront exchanges an identity
// provider's authorization code (with its PKCE verifier) for customer tokens. The code comes from the
// mock's test-only identity provider (docs/behaviour.md "Social login"); against a target without it,
// these tests are skipped with the reason stated.
import { test as base, type ApiResponse } from '../fixtures/index.ts';
import {
  SKIP_NO_MOCK_IDP,
  bodyOf,
  deleteCustomersAsEmployee,
  ensureSessionIdKept,
  ensureTokenWorks,
  mockIdpMissing,
  pkcePair,
  stringFieldOf,
  validateBearerType,
  validateExpiresIn,
  validateSaasToken,
  validateScopeNamesTenant,
} from '../helpers/checks/auth.ts';
import { uniqueEmail } from '../helpers/data.ts';
import { ensureField, ensureSchema, ensureStatus } from '../helpers/checks/common.ts';
import { operationLabel } from '../helpers/api-client.ts';
import { operation } from '../helpers/catalog.ts';
import { skipWithReason } from '../fixtures/skip.ts';
import { ensureTokenReadsOwnProfile, noteCreatedCustomer } from '../fixtures/steps-auth.ts';
import * as REQ from '../helpers/requirements/index.ts';
import { ensureBadRequestNames } from '../helpers/checks/negative.ts';

const SOCIAL_LOGIN = operationLabel(operation('POST-customer-login-customer-by-auth0'));
const REDIRECT_URI = 'https://shop.example.com/auth/callback';

/** An authorization code the identity provider issued, with what the storefront keeps for the exchange. */
interface AuthorizationCode {
  code: string;
  email: string;
  redirectUri: string;
  verifier: string;
}

interface SocialFixtures {
  /** The mock identity provider: authorizes an email (a new one by default) and returns the code. */
  identityProvider: { authorize(email?: string): Promise<AuthorizationCode> };
  /** Exchanges a code at socialLogin with the anonymous token; customers it creates are deleted after the test. */
  socialLogin: (
    query: Record<string, string | undefined>,
    headers?: Record<string, string>,
  ) => Promise<ApiResponse>;
}

const test = base.extend<SocialFixtures>({
  identityProvider: async ({ api, config }, use) => {
    const missing = mockIdpMissing(config, 'idpAuthorize', SKIP_NO_MOCK_IDP);
    skipWithReason(missing !== undefined, missing ?? '', 'identityProvider');
    await use({
      async authorize(email = uniqueEmail(config.emailTemplate)) {
        const { verifier, challenge } = pkcePair();
        const response = await api.call('POST-mock-idp-authorize', {
          body: {
            email,
            redirect_uri: REDIRECT_URI,
            code_challenge: challenge,
            code_challenge_method: 'S256',
          },
        });
        ensureStatus(response, 200, 'the mock identity provider issues a code');
        return { code: stringFieldOf(response, 'code'), email, redirectUri: REDIRECT_URI, verifier };
      },
    });
  },

  socialLogin: async ({ api, anonymous, employeeToken }, use) => {
    const created = new Set<string>();
    await use(async (query, headers) => {
      const response = await api.call('POST-customer-login-customer-by-auth0', {
        query,
        token: anonymous.accessToken,
        ...(headers ? { headers } : {}),
      });
      await noteCreatedCustomer(api, response, created);
      return response;
    });
    await test.step('delete the customers social login created', () =>
      deleteCustomersAsEmployee(api, employeeToken, created));
  },
});

function exchange(grant: AuthorizationCode): Record<string, string> {
  return { code: grant.code, redirect_uri: grant.redirectUri, code_verifier: grant.verifier };
}

/** The identity provider authorizes `email` (a new one by default) and social login answers 200. */
async function signInSocially(
  identityProvider: SocialFixtures['identityProvider'],
  socialLogin: SocialFixtures['socialLogin'],
  email?: string,
): Promise<{ grant: AuthorizationCode; response: ApiResponse }> {
  return test.step(
    'sign in through the identity provider',
    async () => {
      const grant = await identityProvider.authorize(email);
      const response = await socialLogin(exchange(grant));
      ensureStatus(response, 200);
      return { grant, response };
    },
    { box: true },
  );
}

test.describe('Logging in a customer using social login', () => {
  // Tutorial, "Logging in a customer using social login": the sample response's fields.
  test('answers customer and identity-provider tokens with the documented fields @destructive @employee', async ({
    identityProvider,
    socialLogin,
    config,
  }) => {
    const response = await socialLogin(exchange(await identityProvider.authorize()));
    ensureStatus(response, 200);
    ensureSchema(response, 'social-login-token');
    const body = bodyOf(response);
    validateBearerType(SOCIAL_LOGIN, body.token_type);
    validateScopeNamesTenant(SOCIAL_LOGIN, body.scope, config.tenant);
  });

  // Tutorial sample: "expires_in": "2591999", "refresh_token_expires_in": "86399" (strings; integers tolerated).
  test('issues tokens with the customer lifetimes @destructive @employee', async ({
    identityProvider,
    socialLogin,
  }) => {
    const response = await socialLogin(exchange(await identityProvider.authorize()));
    ensureStatus(response, 200);
    const body = bodyOf(response);
    validateExpiresIn(SOCIAL_LOGIN, 'expires_in', body.expires_in, 'customerAccess', {
      stringAllowed: true,
    });
    validateExpiresIn(
      SOCIAL_LOGIN,
      'refresh_token_expires_in',
      body.refresh_token_expires_in,
      'anonymousRefresh',
      {
        stringAllowed: true,
      },
    );
  });

  // Tutorial: the returned token "authenticate[s] the customer"; docs/behaviour.md: created active on first use.
  test("gives an access token that reads the social customer's profile @destructive @employee", async ({
    api,
    identityProvider,
    socialLogin,
  }) => {
    const { grant, response } = await signInSocially(identityProvider, socialLogin);
    await ensureTokenReadsOwnProfile(api, response, 'the social login access token', grant.email);
  });

  // docs/discrepancies.md #6: the SaaS token of a social login is a JWT like the login's.
  test('issues a SaaS token whose subject is the customer number @destructive @employee', async ({
    api,
    identityProvider,
    socialLogin,
  }) => {
    const response = await socialLogin(exchange(await identityProvider.authorize()));
    ensureStatus(response, 200);
    const me = await ensureTokenWorks(
      api,
      stringFieldOf(response, 'access_token'),
      'the social login access token',
    );
    validateSaasToken(SOCIAL_LOGIN, bodyOf(response).saas_token, stringFieldOf(me, 'customerNumber'));
  });

  // Tutorial: the request carries the storefront's session-id header; the customer session continues it.
  test('keeps the storefront session named in the session-id header @destructive @employee', async ({
    api,
    anonymous,
    identityProvider,
    socialLogin,
  }) => {
    const response = await socialLogin(exchange(await identityProvider.authorize()), {
      'session-id': anonymous.sessionId,
    });
    ensureStatus(response, 200);
    const validate = await api.call('GET-customer-validate-token', {
      token: stringFieldOf(response, 'access_token'),
    });
    ensureStatus(validate, 200);
    ensureSessionIdKept(
      REQ.SESSION_KEPT_ON_LOGIN,
      operationLabel(operation('GET-customer-validate-token')),
      'sessionId',
      bodyOf(validate).sessionId,
      anonymous.sessionId,
    );
  });

  // docs/behaviour.md: the customer is created on first use; later codes for the same email sign it in.
  test('signs in the same customer again with a second code for the same email @destructive @employee', async ({
    api,
    identityProvider,
    socialLogin,
  }) => {
    const { grant: first, response: firstLogin } = await signInSocially(identityProvider, socialLogin);
    const second = await socialLogin(exchange(await identityProvider.authorize(first.email)));
    ensureStatus(second, 200, 'a second social login of the same email');
    const numberOf = async (response: ApiResponse) =>
      stringFieldOf(
        await ensureTokenWorks(api, stringFieldOf(response, 'access_token'), 'the social login token'),
        'customerNumber',
      );
    ensureField(
      REQ.SOCIAL_SAME_CUSTOMER,
      SOCIAL_LOGIN,
      'customerNumber (second login of the same email)',
      await numberOf(second),
      await numberOf(firstLogin),
    );
  });

  // docs/behaviour.md: "A code is single-use" (RFC 6749 §4.1.2: the client must not use it more than once).
  test('refuses an authorization code the second time with 400 @destructive @employee @security', async ({
    identityProvider,
    socialLogin,
  }) => {
    const grant = await identityProvider.authorize();
    await test.step('exchange the code', async () => {
      ensureStatus(await socialLogin(exchange(grant)), 200);
    });
    await test.step('exchange the same code again', async () => {
      ensureBadRequestNames(
        await socialLogin(exchange(grant)),
        'a used authorization code',
        ['code'],
        REQ.SOCIAL_CODE_REFUSED,
      );
    });
  });

  // docs/behaviour.md: the code is bound to its redirect_uri (RFC 6749 §4.1.3).
  test('refuses a redirect_uri other than the authorized one with 400 @destructive @employee @security', async ({
    identityProvider,
    socialLogin,
  }) => {
    const grant = await identityProvider.authorize();
    const response = await socialLogin({
      ...exchange(grant),
      redirect_uri: 'https://attacker.example.com/callback',
    });
    ensureBadRequestNames(response, 'another redirect_uri', ['redirect_uri'], REQ.SOCIAL_CODE_REFUSED);
  });

  // docs/behaviour.md: the verifier must match the challenge (RFC 7636 §4.6).
  test('refuses a code verifier that does not match the challenge with 400 @destructive @employee @security', async ({
    identityProvider,
    socialLogin,
  }) => {
    const grant = await identityProvider.authorize();
    const response = await socialLogin({ ...exchange(grant), code_verifier: pkcePair().verifier });
    ensureBadRequestNames(
      response,
      'a verifier of another challenge',
      ['code_verifier'],
      REQ.SOCIAL_CODE_REFUSED,
    );
  });

  // RFC 7636 §4.6: a code issued with a challenge is not exchanged without its verifier.
  test('refuses a code issued with a challenge when the verifier is missing with 400 @destructive @employee @security', async ({
    identityProvider,
    socialLogin,
  }) => {
    const grant = await identityProvider.authorize();
    const response = await socialLogin({ ...exchange(grant), code_verifier: undefined });
    ensureBadRequestNames(
      response,
      'no verifier for a code issued with a challenge',
      ['code_verifier'],
      REQ.SOCIAL_CODE_REFUSED,
    );
  });

  // docs/behaviour.md: bad code → 400.
  test('refuses an unknown authorization code with 400 @destructive @employee @security', async ({
    identityProvider,
    socialLogin,
  }) => {
    const grant = await identityProvider.authorize();
    const response = await socialLogin({ ...exchange(grant), code: `${grant.code}-unknown` });
    ensureBadRequestNames(response, 'an unknown code', ['code'], REQ.SOCIAL_CODE_REFUSED);
  });

  // POST-customer-login-customer-by-auth0: code and redirect_uri are required query parameters → 400.
  for (const missing of ['code', 'redirect_uri'] as const) {
    test(`refuses a social login without ${missing} with 400 @destructive @employee`, async ({
      identityProvider,
      socialLogin,
    }) => {
      const grant = await identityProvider.authorize();
      const response = await socialLogin({ ...exchange(grant), [missing]: undefined });
      ensureBadRequestNames(response, `${missing} missing`, [missing]);
    });
  }
});
