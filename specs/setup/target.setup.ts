// Every configured credential, checked once before the conformance specs: when the tenant, a key or
// a password is wrong, this is the one failure to read (naming the setting to fix) instead of one
// per test; the conformance project depends on this one and does not start.
import { expect, test } from '../../fixtures/index.ts';
import { cleanUp } from '../../fixtures/cleanup.ts';
import { SKIP_NO_EMPLOYEE, SKIP_NO_SEED_CUSTOMER } from '../../fixtures/reasons.ts';
import { skipBecause } from '../../fixtures/skip.ts';
import { maskUrl } from '../../helpers/mask.ts';

/** `HTTP 401: {"message":"Invalid ApiKey"}`, short. */
function answered(response: { status: number; text: string }): string {
  const text = response.text.length > 160 ? `${response.text.slice(0, 160)}…` : response.text;
  return `HTTP ${response.status}${text ? `: ${text}` : ''}`;
}

/** Runs a check; any failure inside it (a status or a body off contract) is prefixed with the settings to look at. */
async function naming<T>(settings: string, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof Error && !error.message.includes(settings.split(' ')[0] ?? settings)) {
      error.message = `${settings}: ${error.message}`;
    }
    throw error;
  }
}

test('the anonymous login works: EMPORIX_TENANT and EMPORIX_STOREFRONT_CLIENT_ID @smoke', async ({
  api,
  config,
}) => {
  // Tutorial, "Requesting an anonymous token".
  const response = await naming('EMPORIX_TENANT and EMPORIX_STOREFRONT_CLIENT_ID', () =>
    api.call('GET-oauth-generate-anonymous-access-token', {
      query: { tenant: config.tenant, client_id: config.storefrontClientId },
    }),
  );
  expect(
    response.status,
    `the anonymous login on ${maskUrl(config.baseUrl)} was refused (${answered(response)}): check EMPORIX_TENANT ` +
      `("${config.tenant}") and EMPORIX_STOREFRONT_CLIENT_ID (the storefront API key)`,
  ).toBe(200);
});

test('the employee token works: EMPORIX_CLIENT_ID and EMPORIX_CLIENT_SECRET @smoke @employee', async ({
  api,
  config,
}) => {
  if (!config.employee) skipBecause(SKIP_NO_EMPLOYEE, 'set-up');
  const employee = config.employee;
  const response = await naming('EMPORIX_CLIENT_ID and EMPORIX_CLIENT_SECRET', () =>
    api.call('POST-oauth-request-client-credentials', {
      form: {
        grant_type: 'client_credentials',
        client_id: employee.clientId,
        client_secret: employee.clientSecret,
        scope: `tenant=${config.tenant}`,
      },
    }),
  );
  expect(
    response.status,
    `the employee credentials were refused (${answered(response)}): check EMPORIX_CLIENT_ID and ` +
      `EMPORIX_CLIENT_SECRET (a service API key of tenant ${config.tenant})`,
  ).toBe(200);
});

test('the existing customer logs in: EMPORIX_CUSTOMER_EMAIL and EMPORIX_CUSTOMER_PASSWORD @smoke', async ({
  api,
  anonymous,
  config,
}) => {
  if (!config.customer) skipBecause(SKIP_NO_SEED_CUSTOMER, 'set-up');
  const { email, password } = config.customer;
  const response = await naming('EMPORIX_CUSTOMER_EMAIL and EMPORIX_CUSTOMER_PASSWORD', () =>
    api.call('POST-customer-authenticate-customer', {
      body: { email, password },
      token: anonymous.accessToken,
    }),
  );
  expect(
    response.status,
    `the existing customer ${email} cannot log in (${answered(response)}): check EMPORIX_CUSTOMER_PASSWORD ` +
      `(and that EMPORIX_CUSTOMER_EMAIL is an active customer of tenant ${config.tenant})`,
  ).toBe(200);
  const token = (response.body as { access_token?: unknown }).access_token;
  if (typeof token !== 'string') return; // the client's schema check has failed the test already
  await cleanUp({
    title: 'log the existing customer out',
    leftBehind: `a live session of ${email} (its token expires by itself)`,
    run: async () => await api.call('GET-customer-logout-customer', { query: { accessToken: token }, token }),
  });
});
