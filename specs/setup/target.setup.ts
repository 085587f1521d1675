// Every configured credential, checked once before the conformance specs: when the tenant, a key or
// a password is wrong, this is the one failure to read (naming the setting to fix) instead of one
// per test; the conformance project depends on this one and does not start.
//
// Only the status is judged here: whether the answers conform (body, content type) is what the
// conformance specs check and report per operation. A login body off contract must not stop the
// whole run, so these requests go through the transport directly, not through the contract client.
import { expect, test } from '../../fixtures/index.ts';
import { SKIP_NO_EMPLOYEE, SKIP_NO_SEED_CUSTOMER } from '../../fixtures/reasons.ts';
import { skipBecause } from '../../fixtures/skip.ts';
import { sendRequest, type TransportResponse } from '../../helpers/api-client.ts';
import type { Config } from '../../helpers/config.ts';
import { maskBodyText, maskUrl } from '../../helpers/mask.ts';

/** `HTTP 401: {"message":"Invalid ApiKey"}`, short and masked. */
function answered(response: TransportResponse): string {
  const masked = maskBodyText(response.text, response.headers['content-type'] ?? '');
  const text = masked.length > 160 ? `${masked.slice(0, 160)}…` : masked;
  return `HTTP ${response.status}${text ? `: ${text}` : ''}`;
}

/** One request; a transport failure names the settings to look at and the URL (masked). */
async function send(
  config: Config,
  settings: string,
  method: string,
  path: string,
  init: { form?: Record<string, string>; json?: unknown; token?: string } = {},
): Promise<TransportResponse> {
  const url = `${config.baseUrl}${path}`;
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (init.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  try {
    return await sendRequest(url, method, headers, body, config.requestTimeoutMs);
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new Error(`${method} ${maskUrl(url)} → no response (checking ${settings}): ${cause}`);
  }
}

function field(response: TransportResponse, name: string): string | undefined {
  try {
    const value = (JSON.parse(response.text) as Record<string, unknown>)[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The tutorial's anonymous login, its failure blamed on `settings`. */
const anonymousLogin = (config: Config, settings: string) =>
  send(
    config,
    settings,
    'GET',
    `/customerlogin/auth/anonymous/login?${new URLSearchParams({ tenant: config.tenant, client_id: config.storefrontClientId })}`,
  );

test('the anonymous login works: EMPORIX_TENANT and EMPORIX_STOREFRONT_CLIENT_ID @smoke', async ({
  config,
}) => {
  // Tutorial, "Requesting an anonymous token".
  const response = await anonymousLogin(config, 'EMPORIX_TENANT and EMPORIX_STOREFRONT_CLIENT_ID');
  expect(
    response.status,
    `the anonymous login on ${maskUrl(config.baseUrl)} was refused (${answered(response)}): check EMPORIX_TENANT ` +
      `("${config.tenant}") and EMPORIX_STOREFRONT_CLIENT_ID (the storefront API key)`,
  ).toBe(200);
});

test('the employee token works: EMPORIX_CLIENT_ID and EMPORIX_CLIENT_SECRET @smoke @employee', async ({
  config,
}) => {
  if (!config.employee) skipBecause(SKIP_NO_EMPLOYEE, 'set-up');
  const response = await send(config, 'EMPORIX_CLIENT_ID and EMPORIX_CLIENT_SECRET', 'POST', '/oauth/token', {
    form: {
      grant_type: 'client_credentials',
      client_id: config.employee.clientId,
      client_secret: config.employee.clientSecret,
      scope: `tenant=${config.tenant}`,
    },
  });
  expect(
    response.status,
    `the employee credentials were refused (${answered(response)}): check EMPORIX_CLIENT_ID and ` +
      `EMPORIX_CLIENT_SECRET (a service API key of tenant ${config.tenant})`,
  ).toBe(200);
});

test('the existing customer logs in: EMPORIX_CUSTOMER_EMAIL and EMPORIX_CUSTOMER_PASSWORD @smoke', async ({
  config,
}) => {
  if (!config.customer) skipBecause(SKIP_NO_SEED_CUSTOMER, 'set-up');
  const settings = 'EMPORIX_CUSTOMER_EMAIL and EMPORIX_CUSTOMER_PASSWORD';
  const anonymous = await anonymousLogin(config, settings);
  const anonymousToken = field(anonymous, 'access_token');
  // Without an anonymous token the first check of this file has failed already, and says why.
  test.skip(
    anonymousToken === undefined,
    'no anonymous token to log in with (see the anonymous login check)',
  );
  const { email, password } = config.customer;
  const tenant = encodeURIComponent(config.tenant);
  const response = await send(config, settings, 'POST', `/customer/${tenant}/login`, {
    json: { email, password },
    token: anonymousToken,
  });
  expect(
    response.status,
    `the existing customer ${email} cannot log in (${answered(response)}): check EMPORIX_CUSTOMER_PASSWORD ` +
      `(and that EMPORIX_CUSTOMER_EMAIL is an active customer of tenant ${config.tenant})`,
  ).toBe(200);
  // Ends only the session this check opened; one left open expires by itself.
  const token = field(response, 'access_token');
  if (token) {
    await send(
      config,
      settings,
      'GET',
      `/customer/${tenant}/logout?${new URLSearchParams({ accessToken: token })}`,
      {
        token,
      },
    ).catch(() => undefined);
  }
});
