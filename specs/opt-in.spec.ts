// Double opt-in (docs/behaviour.md "Double opt-in"; reference operations GET-customer-signup-customer-optin
// and POST-customer-refresh-token): signup emails an opt-in token; opening it activates the customer
// and logs them in; a customer who lost the email asks for a new one.
import { test as base, expect, SKIP_NOT_DESTRUCTIVE, type ApiResponse } from '../fixtures/index.ts';
import { ensureEmployeeSeesActive, postLogin } from '../fixtures/steps-auth.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import {
  bodyOf,
  deleteCustomersAsEmployee,
  ensureTokenWorks,
  stringFieldOf,
  validateBearerType,
  validateExpiresIn,
  validateSaasToken,
} from '../helpers/checks/auth.ts';
import { signupBody, uniqueEmail } from '../helpers/data.ts';
import { ensureField, ensureSchema, ensureStatus } from '../helpers/checks/common.ts';
import { operationLabel } from '../helpers/api-client.ts';
import { operation } from '../helpers/catalog.ts';
import { skipWithReason } from '../fixtures/skip.ts';
import { ensureRefusedWithFault } from '../helpers/checks/negative.ts';
import * as REQ from '../helpers/requirements/index.ts';

const OPT_IN = operationLabel(operation('GET-customer-signup-customer-optin'));

/** Opens an opt-in link: GET /signup/optin/{token} with the anonymous token. */
function openOptIn(api: ApiClient, anonymousToken: string, token: string): Promise<ApiResponse> {
  return api.call('GET-customer-signup-customer-optin', { path: { token }, token: anonymousToken });
}

/** A customer who signed up and has not opted in yet; deleted by an employee after the test. */
interface PendingCustomer {
  customerNumber: string;
  email: string;
  password: string;
}

interface OptInFixtures {
  pendingCustomer: PendingCustomer;
  /** Waits for the pending customer's opt-in email and opens its link, which must answer 200. */
  emailedOptIn: () => Promise<ApiResponse>;
}

const test = base.extend<OptInFixtures>({
  pendingCustomer: async ({ api, config, anonymous, employeeToken }, use) => {
    skipWithReason(!config.allowDestructive, SKIP_NOT_DESTRUCTIVE, 'pendingCustomer');
    const body = signupBody(config.emailTemplate);
    const customerNumber = await test.step('sign up a customer (not activated)', async () => {
      const response = await api.call('POST-customer-create-customer-account', {
        body,
        token: anonymous.accessToken,
      });
      ensureStatus(response, 201, 'signing up a fresh customer');
      return stringFieldOf(response, 'id');
    });
    await use({ customerNumber, email: body.email, password: body.password });
    await test.step('delete the customer as an employee', () =>
      deleteCustomersAsEmployee(api, employeeToken, [customerNumber]));
  },

  emailedOptIn: async ({ api, anonymous, pendingCustomer, mailbox }, use) => {
    await use(() =>
      test.step(
        'open the opt-in link the email carries',
        async () => {
          const { token } = await mailbox.waitFor(pendingCustomer.email, 'opt-in');
          const response = await openOptIn(api, anonymous.accessToken, token);
          ensureStatus(response, 200);
          return response;
        },
        { box: true },
      ),
    );
  },
});

test.describe('Double opt-in', () => {
  // docs/behaviour.md "Signup": signup also emails an opt-in token.
  test('emails an opt-in token to the address that signed up @email @destructive @employee', async ({
    pendingCustomer,
    mailbox,
  }) => {
    const mail = await mailbox.waitFor(pendingCustomer.email, 'opt-in');
    expect(mail.token, `opt-in email to ${pendingCustomer.email}: token`).not.toBe('');
  });

  // GET-customer-signup-customer-optin 200: a customer token, as login answers it.
  test('answers a customer token for the opt-in token @email @destructive @employee', async ({
    pendingCustomer,
    emailedOptIn,
  }) => {
    const response = await emailedOptIn();
    ensureSchema(response, 'customer-token');
    const body = bodyOf(response);
    validateBearerType(OPT_IN, body.token_type);
    validateExpiresIn(OPT_IN, 'expires_in', body.expires_in, 'customerAccess');
    validateSaasToken(OPT_IN, body.saas_token, pendingCustomer.customerNumber);
  });

  // docs/behaviour.md: the opt-in answer logs the customer in: its access token reads their profile.
  test('gives an access token that reads the new customer profile @email @destructive @employee', async ({
    api,
    pendingCustomer,
    emailedOptIn,
  }) => {
    const response = await emailedOptIn();
    const me = await ensureTokenWorks(
      api,
      stringFieldOf(response, 'access_token'),
      'the opt-in access token',
    );
    ensureField(
      REQ.OPTIN_ACTIVATES,
      operationLabel(operation('GET-customer-retrieve-customer-profile')),
      'customerNumber (after opt-in)',
      bodyOf(me).customerNumber,
      pendingCustomer.customerNumber,
    );
  });

  // docs/behaviour.md: opting in activates the customer, who can then log in with their password.
  test('activates the customer, who can then log in with their password @email @destructive @employee', async ({
    api,
    anonymous,
    pendingCustomer,
    emailedOptIn,
    employeeToken,
  }) => {
    await emailedOptIn();
    await ensureEmployeeSeesActive(
      'the employee sees the customer active',
      api,
      employeeToken,
      pendingCustomer.customerNumber,
      {
        req: REQ.OPTIN_ACTIVATES,
        label: operationLabel(operation('GET-customer-tenant-retrieve-customer')),
        field: 'active (after opt-in)',
        active: true,
      },
    );
    await test.step('the customer logs in', async () => {
      const response = await postLogin(api, anonymous.accessToken, pendingCustomer);
      ensureStatus(response, 200, 'logging in after opting in', REQ.OPTIN_ACTIVATES);
    });
  });

  // docs/behaviour.md: the opt-in token is single-use; a used token → 400.
  test('refuses an opt-in token the second time with 400 @email @destructive @employee @security', async ({
    api,
    anonymous,
    pendingCustomer,
    mailbox,
  }) => {
    const { token } = await mailbox.waitFor(pendingCustomer.email, 'opt-in');
    const open = () => openOptIn(api, anonymous.accessToken, token);
    await test.step('open the opt-in link', async () => {
      ensureStatus(await open(), 200);
    });
    await test.step('open the same link again', async () => {
      ensureStatus(await open(), 400, 'the opt-in token was used already', REQ.OPTIN_TOKEN_REFUSED);
    });
  });

  // docs/behaviour.md: a bad opt-in token → 400, and the customer stays inactive.
  test('refuses an unknown opt-in token with 400 @destructive @employee @security', async ({
    api,
    anonymous,
    pendingCustomer,
  }) => {
    const response = await openOptIn(api, anonymous.accessToken, 'unknown-opt-in-token-0000000000000000');
    ensureStatus(response, 400, 'no such opt-in token', REQ.OPTIN_TOKEN_REFUSED);
    const login = await postLogin(api, anonymous.accessToken, pendingCustomer);
    ensureRefusedWithFault(login, 'the customer did not opt in, so is still inactive', {
      statusReq: REQ.LOGIN_REFUSED,
    });
  });

  // POST-customer-refresh-token 202: a new opt-in token is emailed to a customer not yet active.
  test('emails a new opt-in token on request, and the new token activates @email @destructive @employee', async ({
    api,
    anonymous,
    pendingCustomer,
    mailbox,
  }) => {
    const first = await mailbox.waitFor(pendingCustomer.email, 'opt-in');
    // Strictly after the first email, so the new one is told apart by its time.
    const requestedAt = new Date(first.sentAt.getTime() + 1);
    await test.step('ask for a new opt-in token', async () => {
      const response = await api.call('POST-customer-refresh-token', {
        body: { email: pendingCustomer.email },
        token: anonymous.accessToken,
      });
      ensureStatus(response, 202);
    });
    const second = await mailbox.waitFor(pendingCustomer.email, 'opt-in', { after: requestedAt });
    await test.step('open the new opt-in link', async () => {
      const response = await openOptIn(api, anonymous.accessToken, second.token);
      ensureStatus(response, 200, 'the newly emailed opt-in token');
    });
  });

  // docs/behaviour.md: 202 either way, so the answer does not tell whether the account exists.
  test('answers 202 for an email that has no account @destructive @security', async ({
    api,
    anonymous,
    config,
  }) => {
    skipWithReason(!config.allowDestructive, SKIP_NOT_DESTRUCTIVE, 'opt-in resend');
    const response = await api.call('POST-customer-refresh-token', {
      body: { email: uniqueEmail(config.emailTemplate) },
      token: anonymous.accessToken,
    });
    ensureStatus(response, 202, 'an email with no account', REQ.OPTIN_RESEND_NO_ENUMERATION);
  });
});
