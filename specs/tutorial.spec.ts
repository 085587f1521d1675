// The whole tutorial ("Customer Management (Customer Managed) Tutorial"), walked in its order by one
// customer: authentication, the profile and its addresses, credentials, and finally the deletion.
// Each test is one section of the tutorial; they share the customer and its tokens, so they run in
// order and stop at the first failure. The journey fixture deletes the customer however far it got.
import {
  test as base,
  expect,
  SKIP_NOT_DESTRUCTIVE,
  type ApiResponse,
  type Journey,
} from '../fixtures/index.ts';
import { isNotServed, skipIfNotServed } from '../fixtures/contract.ts';
import { ensureEmployeeSeesActive, ensureValidationNamesToken, postLogin } from '../fixtures/steps-auth.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { notServedReason } from '../helpers/catalog.ts';
import {
  bodyOf,
  ensureSessionIdKept,
  ensureTokenRevoked,
  ensureTokenWorks,
  stringFieldOf,
  validateExpiresIn,
  validateSaasToken,
} from '../helpers/checks/auth.ts';
import { addressBody, newPassword, profileUpdateBody, signupBody, uniqueEmail } from '../helpers/data.ts';
import { ensureField, ensureSchema, ensureStatus } from '../helpers/checks/common.ts';
import { operationLabel } from '../helpers/api-client.ts';
import { operation } from '../helpers/catalog.ts';
import { skipWithReason } from '../fixtures/skip.ts';
import * as REQ from '../helpers/requirements/index.ts';
import { ensureNotFound, ensureRefusedWithFault } from '../helpers/checks/negative.ts';
import {
  ensureAddressFieldsMatch,
  ensureAddressListed,
  ensureDefaultAddress,
  ensureLoginListed,
  ensureProfileFieldsMatch,
  ensureProfileIdentity,
  ensureSingleDefaultAddress,
  ensureTagsMerged,
  listBody,
  objectBody,
  versionOf,
  type JsonObject,
} from '../helpers/checks/profile.ts';
import { ensureContactEmail, ensureLoginsAre } from '../helpers/checks/credentials.ts';

type TestFixtures = { walk: Journey };

// The journey itself is the worker fixture `journey` (fixtures/tutorial-journey.ts): one per worker,
// shared by the serial tests below; its customer is deleted when the worker ends.
const test = base.extend<TestFixtures>({
  // The journey, once the run may create customers, read emails and act as an employee.
  walk: async ({ journey, config, employeeToken, mailbox }, use) => {
    skipWithReason(!config.allowDestructive, SKIP_NOT_DESTRUCTIVE, 'tutorial');
    expect(employeeToken, 'the employee token for the activation step').not.toBe('');
    expect(mailbox, 'the mailbox for the emailed tokens').toBeDefined();
    await use(journey);
  },
});

/** Logs in with email and password on the journey's anonymous session; fails unless 200. */
async function logIn(api: ApiClient, walk: Journey, email: string, password: string): Promise<ApiResponse> {
  const response = await postLogin(api, walk.anonymousToken, { email, password });
  ensureStatus(response, 200, `logging in as ${email}`);
  return response;
}

function keepTokens(walk: Journey, response: ApiResponse): void {
  walk.accessToken = stringFieldOf(response, 'access_token');
  walk.refreshToken = stringFieldOf(response, 'refresh_token');
}

test.describe.serial('Customer Management (Customer Managed) tutorial @destructive @email @employee', () => {
  test('Requesting an anonymous token', async ({ api, config, walk }) => {
    // Tutorial: "an anonymous user session is created" with a one-hour token.
    const response = await api.call('GET-oauth-generate-anonymous-access-token', {
      query: { tenant: config.tenant, client_id: config.storefrontClientId },
    });
    ensureStatus(response, 200);
    walk.anonymousToken = stringFieldOf(response, 'access_token');
    walk.anonymousRefreshToken = stringFieldOf(response, 'refresh_token');
    walk.sessionId = stringFieldOf(response, 'sessionId');
    validateExpiresIn(
      operationLabel(operation('GET-oauth-generate-anonymous-access-token')),
      'expires_in',
      bodyOf(response).expires_in,
      'anonymousAccess',
    );
  });

  test('Refreshing an anonymous token', async ({ api, config, walk }) => {
    // Tutorial: refresh "to maintain the same customer's session ID".
    const response = await api.call('GET-oauth-refresh-anonymous-access-token', {
      query: {
        tenant: config.tenant,
        client_id: config.storefrontClientId,
        refresh_token: walk.anonymousRefreshToken,
      },
    });
    ensureStatus(response, 200);
    ensureSessionIdKept(
      REQ.SESSION_KEPT_ON_ANONYMOUS_REFRESH,
      operationLabel(operation('GET-oauth-refresh-anonymous-access-token')),
      'sessionId',
      bodyOf(response).sessionId,
      walk.sessionId,
    );
    walk.anonymousToken = stringFieldOf(response, 'access_token');
    walk.anonymousRefreshToken = stringFieldOf(response, 'refresh_token');
  });

  test('Creating a new customer', async ({ api, config, walk }) => {
    // Tutorial: signup with customer details and an address; "The response returns the ID of the created customer."
    const body = signupBody(config.emailTemplate, { withAddress: true, b2b: true });
    const response = await api.call('POST-customer-create-customer-account', {
      body,
      token: walk.anonymousToken,
    });
    ensureStatus(response, 201);
    walk.customerNumber = stringFieldOf(response, 'id');
    walk.email = body.email;
    walk.password = body.password;
  });

  test('Activating customer account as an employee', async ({ api, walk, employeeToken }) => {
    // Tutorial: "The created customer's account is inactive" until the employee's PATCH.
    const employeeView = { req: REQ.CUSTOMER_INACTIVE_UNTIL_ACTIVATED, label: 'employee view' };
    await ensureEmployeeSeesActive('the account is inactive', api, employeeToken, walk.customerNumber, {
      ...employeeView,
      field: 'active (after signup)',
      active: false,
    });
    await test.step('the customer cannot log in yet', async () => {
      const response = await postLogin(api, walk.anonymousToken, walk);
      ensureRefusedWithFault(response, 'the account is not activated yet', { statusReq: REQ.LOGIN_REFUSED });
    });
    await test.step('the employee activates the account', async () => {
      const response = await api.call('PATCH-customer-tenant-update-customer', {
        path: { customerNumber: walk.customerNumber },
        body: { active: true, onHold: false },
        token: employeeToken,
      });
      ensureStatus(response, 200);
    });
    await ensureEmployeeSeesActive('the account is active', api, employeeToken, walk.customerNumber, {
      ...employeeView,
      field: 'active (after the PATCH)',
      active: true,
    });
  });

  test('Logging in a customer', async ({ api, walk }) => {
    // Tutorial: login "returns both a customer access token and a SaaS token".
    const response = await logIn(api, walk, walk.email, walk.password);
    const label = operationLabel(operation('POST-customer-authenticate-customer'));
    const body = bodyOf(response);
    validateSaasToken(label, body.saas_token, walk.customerNumber);
    ensureSessionIdKept(REQ.SESSION_KEPT_ON_LOGIN, label, 'session_id', body.session_id, walk.sessionId);
    walk.loginExpiresIn = validateExpiresIn(label, 'expires_in', body.expires_in, 'customerAccess') ?? 0;
    keepTokens(walk, response);
  });

  test('Refreshing a customer token', async ({ api, walk }) => {
    // Tutorial: refresh "to maintain an active authenticated session", authorized with the anonymous token.
    const response = await api.call('GET-customer-refresh-authtoken', {
      query: { refreshToken: walk.refreshToken },
      token: walk.anonymousToken,
    });
    ensureStatus(response, 200);
    ensureSessionIdKept(
      REQ.SESSION_KEPT_ON_REFRESH,
      operationLabel(operation('GET-customer-refresh-authtoken')),
      'session_id',
      bodyOf(response).session_id,
      walk.sessionId,
    );
    keepTokens(walk, response);
    await ensureTokenWorks(api, walk.accessToken, 'the refreshed customer access token');
  });

  test('Validating a token', async ({ api, walk }) => {
    // Tutorial: validation returns "expiration time, scopes, and associated session details".
    const response = await api.call('GET-customer-validate-token', { token: walk.accessToken });
    ensureStatus(response, 200);
    await ensureValidationNamesToken(
      operationLabel(operation('GET-customer-validate-token')),
      bodyOf(response),
      walk,
    );
  });

  test('Retrieving a customer profile', async ({ api, walk }) => {
    // Tutorial: GET /me?expand=addresses,mixin:* with "personal information, preferred settings, and associated accounts".
    const response = await api.call('GET-customer-retrieve-customer-profile', {
      query: { expand: 'addresses,mixin:*' },
      token: walk.accessToken,
    });
    ensureStatus(response, 200);
    ensureSchema(response, 'customer-profile');
    const label = operationLabel(operation('GET-customer-retrieve-customer-profile'));
    const body = bodyOf(response);
    ensureProfileIdentity(body, walk.customerNumber, label);
    ensureLoginListed(body, walk.email, label);
    const addresses = (body.addresses ?? []) as JsonObject[];
    ensureField(
      REQ.PROFILE_EXPAND_ADDRESSES,
      label,
      'addresses (the one given at signup)',
      addresses.length,
      1,
    );
    // docs/behaviour.md: the signup address becomes the first address, isDefault true (B).
    ensureSingleDefaultAddress(addresses, label);
    walk.signupAddressId = String(addresses[0]?.id);
    walk.profileVersion = Number((body.metadata as { version?: number } | undefined)?.version);
  });

  test('Updating a customer profile', async ({ api, walk }) => {
    // Tutorial: PATCH /me with the details and metadata.version.
    const update = profileUpdateBody({ metadata: { version: walk.profileVersion } });
    const response = await api.call('PATCH-customer-update-customer', {
      body: update,
      token: walk.accessToken,
    });
    ensureStatus(response, 200);
    const read = await ensureTokenWorks(api, walk.accessToken, 'the customer access token');
    const body = bodyOf(read);
    const label = operationLabel(operation('GET-customer-retrieve-customer-profile'));
    const { metadata: _metadata, ...fields } = update;
    ensureProfileFieldsMatch(body, fields, `${label} after the PATCH`);
    // docs/behaviour.md: one change adds exactly 1 (B: a tenant may count otherwise).
    ensureField(
      REQ.PROFILE_VERSION_PLUS_ONE,
      label,
      'metadata.version (after one update)',
      versionOf(body, label),
      walk.profileVersion + 1,
    );
  });

  const address = addressBody({ tags: ['BILLING', 'SHIPPING'] });

  test('Adding an address to a customer profile', async ({ api, walk }) => {
    // Tutorial: "The response returns the ID of the created address".
    const response = await api.call('POST-customer-add-address', { body: address, token: walk.accessToken });
    ensureStatus(response, 201);
    walk.addressId = stringFieldOf(response, 'id');
  });

  test('Retrieving customer addresses', async ({ api, walk }) => {
    // Tutorial: "The response returns an array of addresses".
    const response = await api.call('GET-customer-list-customer-addresses', { token: walk.accessToken });
    ensureStatus(response, 200);
    const list = listBody(response);
    const label = operationLabel(operation('GET-customer-list-customer-addresses'));
    ensureField(
      REQ.ADDRESS_LISTED,
      label,
      'ids',
      list.map((a) => String(a.id)).sort(),
      [walk.signupAddressId, walk.addressId].sort(),
    );
    // docs/behaviour.md: adding an address does not move the default (B).
    ensureField(
      REQ.ADDRESS_SINGLE_DEFAULT,
      label,
      'isDefault of the first address',
      list.find((a) => a.id === walk.signupAddressId)?.isDefault,
      true,
    );
  });

  test('Retrieving a specific customer address', async ({ api, walk }) => {
    // Tutorial: "The response returns the address details".
    const response = await api.call('GET-customer-retrieve-address-by-id', {
      path: { addressId: walk.addressId },
      token: walk.accessToken,
    });
    ensureStatus(response, 200);
    const read = objectBody(response);
    const label = operationLabel(operation('GET-customer-retrieve-address-by-id'));
    ensureField(REQ.ADDRESS_LISTED, label, 'id', read.id, walk.addressId);
    ensureAddressFieldsMatch(read, address, label);
  });

  test('Updating a customer address', async ({ api, walk }) => {
    // Tutorial: PATCH with streetNumber "2", streetAppendix and isDefault true.
    const response = await api.call('PATCH-customer-update-customer-address', {
      path: { addressId: walk.addressId },
      body: { streetNumber: '2', streetAppendix: 'Platz', isDefault: true },
      token: walk.accessToken,
    });
    ensureStatus(response, 200);
    const list = await api.call('GET-customer-list-customer-addresses', { token: walk.accessToken });
    ensureStatus(list, 200);
    const addresses = listBody(list);
    const label = operationLabel(operation('GET-customer-list-customer-addresses'));
    const updated = ensureAddressListed(addresses, walk.addressId, label);
    ensureField(REQ.ADDRESS_LISTED, label, 'streetNumber (after the PATCH)', updated.streetNumber, '2');
    ensureDefaultAddress(addresses, walk.addressId, label);
  });

  test('Adding tags to a customer address', async ({ api, walk }) => {
    // Tutorial: ?tags=BILLING,SHIPPING,CUSTOM; docs/behaviour.md: tags merge, without duplicates.
    const response = await api.call('POST-customer-add-address-tags', {
      path: { addressId: walk.addressId },
      query: { tags: 'BILLING,SHIPPING,CUSTOM' },
      token: walk.accessToken,
    });
    ensureStatus(response, 204);
    const read = await api.call('GET-customer-retrieve-address-by-id', {
      path: { addressId: walk.addressId },
      token: walk.accessToken,
    });
    ensureStatus(read, 200);
    ensureTagsMerged(['BILLING', 'SHIPPING'], ['BILLING', 'SHIPPING', 'CUSTOM'], bodyOf(read).tags);
  });

  test('Deleting a customer address', async ({ api, walk }) => {
    // Tutorial: DELETE removes the address.
    const path = { addressId: walk.addressId };
    const response = await api.call('DELETE-customer-remove-customer-address-by-id', {
      path,
      token: walk.accessToken,
    });
    ensureStatus(response, 204);
    const read = await api.call('GET-customer-retrieve-address-by-id', { path, token: walk.accessToken });
    ensureNotFound(read, 'the deleted address');
  });

  test('Assigning an account to a customer profile', async ({ api, config, walk }) => {
    // Tutorial: "The response returns the customer ID"; docs/behaviour.md: the email becomes a second login.
    const second = { email: uniqueEmail(config.emailTemplate), password: newPassword() };
    const response = await api.call('POST-customer-assign-customer-account', {
      body: second,
      token: walk.accessToken,
    });
    // Contract versions: dropped in 2026-08; a target that does not serve it skips this step.
    skipIfNotServed(response);
    ensureStatus(response, 201);
    ensureField(
      REQ.ASSIGN_ACCOUNT,
      operationLabel(operation('POST-customer-assign-customer-account')),
      'id',
      bodyOf(response).id,
      walk.customerNumber,
    );
    const login = await logIn(api, walk, second.email, second.password);
    const me = await ensureTokenWorks(
      api,
      stringFieldOf(login, 'access_token'),
      'the assigned account token',
    );
    ensureField(
      REQ.ASSIGN_ACCOUNT,
      'GET /me as the assigned account',
      'customerNumber',
      bodyOf(me).customerNumber,
      walk.customerNumber,
    );
  });

  test('Requesting a password reset and resetting the password using the token', async ({
    api,
    walk,
    mailbox,
  }) => {
    // Tutorial: the reset "sends a unique token to their email address"; then reset/update sets the new password.
    const requestedAt = new Date();
    await test.step('request a password reset', async () => {
      const response = await api.call('POST-customer-request-reset-password', {
        body: { email: walk.email, site: 'main' },
        token: walk.anonymousToken,
      });
      ensureStatus(response, 204);
    });
    const { token } = await mailbox.waitFor(walk.email, 'password-reset', { after: requestedAt });
    const password = newPassword();
    await test.step('set the new password with the emailed token', async () => {
      const response = await api.call('POST-customer-reset-password', {
        body: { token, password },
        token: walk.anonymousToken,
      });
      ensureStatus(response, 204);
    });
    await test.step('the old password no longer works', async () => {
      const response = await api.call('POST-customer-authenticate-customer', {
        body: { email: walk.email, password: walk.password },
        token: walk.anonymousToken,
      });
      ensureRefusedWithFault(response, 'the password was reset', { statusReq: REQ.OLD_PASSWORD_REFUSED });
    });
    walk.password = password;
  });

  test('Logging in with the new password', async ({ api, walk }) => {
    keepTokens(walk, await logIn(api, walk, walk.email, walk.password));
  });

  test('Changing a password', async ({ api, walk }) => {
    // Tutorial: current and new password, with the customer access token.
    const password = newPassword();
    const response = await api.call('POST-customer-change-account-password', {
      body: { currentPassword: walk.password, newPassword: password },
      token: walk.accessToken,
    });
    ensureStatus(response, 204);
    await ensureTokenWorks(api, walk.accessToken, 'the token that changed the password');
    walk.password = password;
    keepTokens(walk, await logIn(api, walk, walk.email, walk.password));
  });

  test('Requesting and confirming an email change', async ({ api, config, walk, mailbox }) => {
    // Tutorial: a confirmation token goes to the new address; confirming makes it the login email.
    const newEmail = uniqueEmail(config.emailTemplate);
    const requestedAt = new Date();
    await test.step('request the email change', async () => {
      const response = await api.call('POST-customer-change-customer-login-email', {
        body: { email: walk.email, password: walk.password, newEmail, syncContactEmail: true },
        token: walk.accessToken,
      });
      ensureStatus(response, 204);
    });
    const { token } = await mailbox.waitFor(newEmail, 'email-change', { after: requestedAt });
    await test.step('confirm with the token emailed to the new address', async () => {
      const response = await api.call('POST-customer-confirm-customer-login-email', {
        body: { token },
        token: walk.anonymousToken,
      });
      ensureStatus(response, 204);
    });
    const oldEmail = walk.email;
    walk.email = newEmail;
    await test.step('the old email no longer logs in', async () => {
      const response = await api.call('POST-customer-authenticate-customer', {
        body: { email: oldEmail, password: walk.password },
        token: walk.anonymousToken,
      });
      ensureRefusedWithFault(response, 'the login email was changed', {
        statusReq: REQ.EMAIL_CHANGE_NEW_LOGIN,
      });
    });
  });

  test('Logging in with the new email', async ({ api, walk }) => {
    keepTokens(walk, await logIn(api, walk, walk.email, walk.password));
    const me = await ensureTokenWorks(api, walk.accessToken, 'the token of the new email');
    const body = bodyOf(me);
    const label = operationLabel(operation('GET-customer-retrieve-customer-profile'));
    ensureLoginsAre(body, walk.email, undefined, label);
    // R: contactEmail follows when syncContactEmail was true.
    ensureContactEmail(body, walk.email, `${label}, syncContactEmail true`, REQ.EMAIL_CHANGE_SYNC_CONTACT);
  });

  test('Logging out the customer', async ({ api, walk }) => {
    // Tutorial: logout "ensures that the token cannot be used for further authenticated requests".
    const response = await api.call('GET-customer-logout-customer', {
      query: { accessToken: walk.accessToken },
      token: walk.accessToken,
    });
    ensureStatus(response, 204);
    await ensureTokenRevoked(api, walk.accessToken, 'after logout');
  });

  test('Deleting a customer profile', async ({ api, walk, mailbox, employeeToken }) => {
    // Tutorial: 202 when confirmation is required (the token is emailed, then sent back: 204), or 204
    // when deletion is immediate.
    keepTokens(walk, await logIn(api, walk, walk.email, walk.password));
    const requestedAt = new Date();
    const requested = await test.step('request the deletion', async () => {
      const response = await api.call('DELETE-customer-remove-customer-profile', { token: walk.accessToken });
      // Contract versions: DELETE /me is dropped in 2026-08; a target that does not serve it
      // deletes through the employee's DELETE, which both versions document.
      if (!isNotServed(response))
        ensureStatus(response, [202, 204], 'requesting the deletion', REQ.DELETE_ME_ANSWER);
      return response;
    });
    if (isNotServed(requested)) {
      test
        .info()
        .annotations.push({ type: 'not served', description: notServedReason(requested.operation.id) });
      await test.step('delete as an employee instead', async () => {
        const response = await api.call('DELETE-customer-tenant-remove-customer', {
          path: { customerNumber: walk.customerNumber },
          token: employeeToken,
        });
        ensureStatus(response, 202);
      });
      return;
    }
    if (requested.status === 204) return;
    const { token } = await mailbox.waitFor(walk.email, 'profile-delete', { after: requestedAt });
    await test.step('confirm with the emailed token', async () => {
      const response = await api.call('DELETE-customer-remove-customer-profile', {
        query: { token },
        token: walk.accessToken,
      });
      ensureStatus(response, 204, 'confirming with the emailed token', REQ.DELETE_ME_ANSWER);
    });
  });

  test('The deleted customer can no longer log in', async ({ api, walk }) => {
    // Tutorial: deletion "permanently removes the profile and all associated accounts".
    const response = await api.call('POST-customer-authenticate-customer', {
      body: { email: walk.email, password: walk.password },
      token: walk.anonymousToken,
    });
    ensureRefusedWithFault(response, 'the customer was deleted', { statusReq: REQ.DELETE_ME_GONE });
  });
});
