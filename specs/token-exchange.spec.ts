// Token exchange (contract 2026-08, R: POST-customer-exchange-authtoken): a storefront whose customers
// sign in at an external identity provider trades the provider's access token (a JWT, the "subject
// token") and its anonymous token for a customer token. The subject token comes from configuration on
// a real tenant (EMPORIX_SUBJECT_TOKEN or EMPORIX_SUBJECT_TOKEN_COMMAND), else from the mock's external
// identity provider (/_mock/{tenant}/external-idp/token); without either the tests are skipped with
// the reason stated. Under EMPORIX_CONTRACT=2025-12 none of them runs: that contract has no exchange.
import { skipUnlessInContract } from '../fixtures/contract.ts';
import { test as base, expect, type ApiResponse, type Config } from '../fixtures/index.ts';
import { skipBecause } from '../fixtures/skip.ts';
import { noteCreatedCustomer } from '../fixtures/steps-auth.ts';
import { secret, tokenFromCommand } from '../fixtures/subject-token.ts';
import { operationLabel, type ApiClient } from '../helpers/api-client.ts';
import {
  decodeJwt,
  deleteCustomersAsEmployee,
  mockIdpAvailable,
  mockIdpMissing,
} from '../helpers/checks/auth.ts';
import { bodyOf, stringFieldOf } from '../helpers/checks/common.ts';
import { ensureBadRequestNames, ensureRefusedWithFault } from '../helpers/checks/negative.ts';
import { operation } from '../helpers/catalog.ts';
import { uniqueEmail } from '../helpers/data.ts';
import { check, enforce } from '../helpers/findings.ts';
import {
  EXCHANGE_TOKEN_BOUND,
  EXCHANGE_TOKEN_SAME_CUSTOMER,
  EXCHANGE_TOKEN_VALIDATES,
  EXCHANGE_TOKEN_WORKS,
} from '../helpers/requirements/index.ts';

const EXCHANGE = operationLabel(operation('POST-customer-exchange-authtoken'));

export const SKIP_NO_SUBJECT_TOKEN =
  'no subject token for token exchange: set EMPORIX_SUBJECT_TOKEN or EMPORIX_SUBJECT_TOKEN_COMMAND (a real tenant), or run against a target serving the mock identity provider under /_mock/ (MAILBOX=mock)';
export const SKIP_NO_MOCK_EXTERNAL_IDP =
  "needs the mock's external identity provider to sign a token the tenant must refuse: runs against the embedded mock or a target serving /_mock/ paths (MAILBOX=mock)";

/** A subject token and the email it names (when it names one). */
interface SubjectToken {
  token: string;
  email?: string;
}

interface ExchangeFixtures {
  /** A valid subject token: configured, printed by the configured command, or signed by the mock. */
  subjectToken: SubjectToken;
  /** Signs a subject token with the mock's identity provider; skips when the target has none. */
  mockIdp: { sign(body: { email: string; expiresInSeconds?: number; issuer?: string }): Promise<string> };
  /** Calls the exchange; customers it creates are deleted after the test. */
  exchange: (query: Record<string, string | undefined>, token?: string | null) => Promise<ApiResponse>;
}

/** The `email` claim of a JWT, when it has one. */
function emailClaim(token: string): string | undefined {
  const decoded = decodeJwt(token);
  if (typeof decoded === 'string') return undefined; // not a JWT: the reason why
  const email = decoded.payload.email;
  return typeof email === 'string' ? email : undefined;
}

async function signWithMock(api: ApiClient, body: Record<string, unknown>): Promise<string> {
  const response = await api.call('POST-mock-external-idp-token', { body });
  expect(response).toHaveStatus(200, 'the mock external identity provider signs a subject token');
  return secret(stringFieldOf(response, 'token'));
}

/** Why the mock's external identity provider cannot sign here (`whenNoMock` without MAILBOX=mock), or undefined. */
function mockIdpMissingFor(config: Config, whenNoMock: string): string | undefined {
  return mockIdpMissing(config, 'externalIdp', whenNoMock);
}

/** Makes `email` a customer of EMPORIX_OTHER_TENANT through that tenant's own token exchange (mock only). */
async function signInOnOtherTenant(api: ApiClient, config: Config, email: string): Promise<void> {
  await test.step(
    `the same email signs in on ${config.otherTenant}`,
    async () => {
      const anonymous = await api.call('GET-oauth-generate-anonymous-access-token', {
        query: { tenant: config.otherTenant, client_id: config.storefrontClientId },
      });
      expect(anonymous).toHaveStatus(200, `an anonymous token of ${config.otherTenant}`);
      const signed = await api.call('POST-mock-external-idp-token', {
        path: { tenant: config.otherTenant },
        body: { email },
      });
      expect(signed).toHaveStatus(200, `a subject token of ${config.otherTenant}'s identity provider`);
      const exchanged = await api.call('POST-customer-exchange-authtoken', {
        path: { tenant: config.otherTenant },
        query: { subjectAccessToken: secret(stringFieldOf(signed, 'token')) },
        token: stringFieldOf(anonymous, 'access_token'),
      });
      expect(exchanged).toHaveStatus(200, `token exchange on ${config.otherTenant}`);
    },
    { box: true },
  );
}

/** The exchange of a valid subject token answers 200; returns the customer access token it issued. */
async function exchangeForCustomerToken(
  exchange: ExchangeFixtures['exchange'],
  subjectToken: SubjectToken,
): Promise<string> {
  return test.step(
    'exchange the subject token for a customer token',
    async () => {
      const response = await exchange({ subjectAccessToken: subjectToken.token });
      expect(response).toHaveStatus(200);
      return stringFieldOf(response, 'access_token');
    },
    { box: true },
  );
}

/** The same token with another signature: a character of the signature replaced. */
function withBadSignature(token: string): string {
  const [header, payload, signature = ''] = token.split('.');
  const first = signature.charAt(0) === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${first}${signature.slice(1)}`;
}

const test = base.extend<ExchangeFixtures>({
  subjectToken: async ({ api, config }, use) => {
    skipUnlessInContract('POST-customer-exchange-authtoken');
    if (config.subjectToken !== undefined) {
      const token = secret(config.subjectToken);
      await use({ token, ...(emailClaim(token) ? { email: emailClaim(token) } : {}) });
      return;
    }
    if (config.subjectTokenCommand !== undefined) {
      const token = await tokenFromCommand(config.subjectTokenCommand);
      await use({ token, ...(emailClaim(token) ? { email: emailClaim(token) } : {}) });
      return;
    }
    const noSigner = mockIdpMissingFor(config, SKIP_NO_SUBJECT_TOKEN);
    if (noSigner !== undefined) skipBecause(noSigner, 'subjectToken');
    const email = uniqueEmail(config.emailTemplate);
    await use({ token: await signWithMock(api, { email }), email });
  },

  mockIdp: async ({ api, config }, use) => {
    skipUnlessInContract('POST-customer-exchange-authtoken');
    const noSigner = mockIdpMissingFor(config, SKIP_NO_MOCK_EXTERNAL_IDP);
    if (noSigner !== undefined) skipBecause(noSigner, 'mockIdp');
    await use({ sign: (body) => signWithMock(api, body) });
  },

  exchange: async ({ api, anonymous, employeeTokenIfConfigured }, use) => {
    skipUnlessInContract('POST-customer-exchange-authtoken');
    const created = new Set<string>();
    await use(async (query, token = anonymous.accessToken) => {
      const response = await api.call('POST-customer-exchange-authtoken', { query, token });
      await noteCreatedCustomer(api, response, created);
      return response;
    });
    if (employeeTokenIfConfigured !== null && created.size > 0) {
      await test.step('delete the customers token exchange created', () =>
        deleteCustomersAsEmployee(api, employeeTokenIfConfigured, created));
    }
  },
});

test.describe('Exchanging an external access token for a customer token @destructive', () => {
  test('answers 200 with a customer token that reads the profile of the subject email', async ({
    api,
    exchange,
    subjectToken,
  }) => {
    // R 2026-08: POST-customer-exchange-authtoken 200, ExchangeAuthTokenResponse (the client validates it).
    const accessToken = await exchangeForCustomerToken(exchange, subjectToken);
    const me = await api.call('GET-customer-retrieve-customer-profile', { token: accessToken });
    const profile = bodyOf(me);
    const logins = ((profile.accounts ?? []) as { id?: unknown }[]).map((a) => String(a.id).toLowerCase());
    const emails = [...logins, String(profile.contactEmail).toLowerCase()];
    enforce([
      ...check(EXCHANGE_TOKEN_WORKS, me.status === 200, () => ({
        operation: 'GET /customer/{tenant}/me',
        expected: '200 with the exchanged customer token',
        received: String(me.status),
      })),
      ...(subjectToken.email === undefined
        ? []
        : check(EXCHANGE_TOKEN_SAME_CUSTOMER, emails.includes(subjectToken.email.toLowerCase()), () => ({
            operation: 'GET /customer/{tenant}/me',
            field: 'accounts[].id, contactEmail',
            expected: `the subject token's email ${subjectToken.email}`,
            received: emails.join(', '),
          }))),
    ]);
  });

  test('binds the exchanged token like a login: validateauthtoken accepts it, another tenant refuses it', async ({
    api,
    config,
    exchange,
    subjectToken,
  }) => {
    // docs/behaviour.md "Token kinds": a customer token works in its own tenant only.
    const token = await exchangeForCustomerToken(exchange, subjectToken);
    if (subjectToken.email !== undefined && mockIdpAvailable(config, 'externalIdp')) {
      // With the mock's identity provider, the same email also becomes a customer of the other tenant,
      // so a server that maps the token to "the same person there" is caught, not only one that
      // has nobody to map it to.
      await signInOnOtherTenant(api, config, subjectToken.email);
    }
    const validate = await api.call('GET-customer-validate-token', { token });
    const elsewhere = await api.call('GET-customer-retrieve-customer-profile', {
      token,
      path: { tenant: config.otherTenant },
    });
    enforce([
      ...check(EXCHANGE_TOKEN_VALIDATES, validate.status === 200, () => ({
        operation: 'GET /customer/{tenant}/validateauthtoken',
        expected: '200 for the exchanged token',
        received: String(validate.status),
      })),
      ...check(EXCHANGE_TOKEN_BOUND, elsewhere.status === 401 || elsewhere.status === 403, () => ({
        operation: `GET /customer/${config.otherTenant}/me`,
        expected: '401 or 403: the token belongs to another tenant',
        received: String(elsewhere.status),
      })),
    ]);
  });

  test('refuses an unknown config with 400', async ({ exchange, subjectToken }) => {
    // R 2026-08: "If a non-existing configuration is provided, the request returns 400".
    const response = await exchange({ subjectAccessToken: subjectToken.token, config: 'no_such_config_42' });
    ensureBadRequestNames(response, 'an unknown config', ['config']);
  });
});

test.describe('Token exchange refuses what it must not accept @security', () => {
  test('refuses a request without an anonymous token with 401', async ({ exchange, subjectToken }) => {
    // R 2026-08: the Authorization header (an anonymous token) is required; 401.
    const response = await exchange({ subjectAccessToken: subjectToken.token }, null);
    ensureRefusedWithFault(response, 'no Authorization header');
  });

  test('refuses a customer token instead of an anonymous one @destructive @employee', async ({
    customerSession,
    exchange,
    subjectToken,
  }) => {
    // R 2026-08: anonymous token; 403 documented for a token of another kind (docs/behaviour.md: or 401).
    const response = await exchange({ subjectAccessToken: subjectToken.token }, customerSession.accessToken);
    expect(response).toHaveStatus([401, 403], `${EXCHANGE} with a customer token`);
  });

  test('refuses a subject token whose signature does not verify with 401', async ({
    exchange,
    subjectToken,
  }) => {
    const response = await exchange({ subjectAccessToken: withBadSignature(subjectToken.token) });
    ensureRefusedWithFault(response, 'a subject token with a bad signature');
  });

  test('refuses a subject token from an issuer the tenant does not trust with 401', async ({
    config,
    exchange,
    mockIdp,
  }) => {
    const token = await mockIdp.sign({
      email: uniqueEmail(config.emailTemplate),
      issuer: 'https://untrusted-issuer.example.com/realms/other',
    });
    ensureRefusedWithFault(
      await exchange({ subjectAccessToken: token }),
      'a subject token of an unknown issuer',
    );
  });

  test('refuses an expired subject token with 401', async ({ config, exchange, mockIdp }) => {
    const token = await mockIdp.sign({ email: uniqueEmail(config.emailTemplate), expiresInSeconds: -60 });
    ensureRefusedWithFault(
      await exchange({ subjectAccessToken: token }),
      'a subject token whose exp has passed',
    );
  });
});
