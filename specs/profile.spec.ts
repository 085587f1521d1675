// Tutorial, "How to manage a customer's profile": retrieving and updating the profile, assigning an
// account, deleting the profile. Fields a customer must not set are in security.spec.ts.
import { test, type Mailbox } from '../fixtures/index.ts';
import { skipIfNotServed } from '../fixtures/contract.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import {
  ensureAddressFieldsMatch,
  ensureAnonymousProfile,
  ensureErrorDetailsName,
  ensureErrorType,
  ensureFieldUnchanged,
  ensureLoginListed,
  ensureNoAddressesWithoutExpand,
  ensureProfileFieldsMatch,
  ensureProfileIdentity,
  ensureSingleDefaultAddress,
  ensureVersionIncreased,
  objectBody,
  stringField,
  versionOf,
  type JsonObject,
} from '../helpers/checks/profile.ts';
import { newPassword, profileUpdateBody, uniqueEmail } from '../helpers/data.ts';
import { bodyOf, ensureField, ensureSchema, ensureStatus } from '../helpers/checks/common.ts';
import { logIn } from '../helpers/checks/credentials.ts';
import { checkNotFoundType, ensureRefusedWithFault } from '../helpers/checks/negative.ts';
import { enforce } from '../helpers/findings.ts';
import * as REQ from '../helpers/requirements/index.ts';
import { skipBecause } from '../fixtures/skip.ts';
import {
  assignLogin,
  readOwnProfile,
  readProfileOfCustomerWithAddress,
  updateOwnProfile,
} from '../fixtures/steps-account.ts';

/** DELETE /me: 202 (a confirmation token is emailed) or 204 (deleted at once); says which came. */
async function requestProfileDeletion(api: ApiClient, token: string): Promise<'pending' | 'deleted'> {
  const response = await api.call('DELETE-customer-remove-customer-profile', { token });
  skipIfNotServed(response); // contract versions: dropped in 2026-08
  ensureStatus(response, [202, 204], 'requesting the deletion of the profile', REQ.DELETE_ME_ANSWER);
  return response.status === 202 ? 'pending' : 'deleted';
}

/** Deletes the profile: at once (204), or by confirming with the emailed token (202, then 204). */
async function deleteProfile(api: ApiClient, mailbox: Mailbox, email: string, token: string): Promise<void> {
  await test.step(
    'delete the profile (confirming with the emailed token when the target asks for it)',
    async () => {
      const after = new Date();
      if ((await requestProfileDeletion(api, token)) === 'deleted') return;
      const mail = await mailbox.waitFor(email, 'profile-delete', { after });
      const confirmed = await api.call('DELETE-customer-remove-customer-profile', {
        token,
        query: { token: mail.token },
      });
      ensureStatus(confirmed, 204, 'confirming the deletion with the emailed token', REQ.DELETE_ME_ANSWER);
    },
    { box: true },
  );
}

/** The deleted profile's token no longer reads it (401). */
async function ensureProfileGone(api: ApiClient, token: string, what: string): Promise<void> {
  const profile = await api.call('GET-customer-retrieve-customer-profile', { token });
  ensureRefusedWithFault(profile, what, { statusReq: REQ.DELETE_ME_GONE });
}

test.describe('Retrieving a customer profile', () => {
  test('answers the profile whose id and customerNumber are the signup id @destructive @employee', async ({
    api,
    customerSession,
  }) => {
    // Tutorial "Retrieving a customer profile"; GET-customer-retrieve-customer-profile (id = customerNumber).
    const response = await readOwnProfile(api, customerSession.accessToken);
    ensureSchema(response, 'customer-profile');
    ensureProfileIdentity(objectBody(response), customerSession.customer.customerNumber);
  });

  test('lists the login email in accounts[].id @destructive @employee', async ({ api, customerSession }) => {
    // Tutorial "Retrieving a customer profile": accounts[].id is the email the customer logs in with.
    const response = await readOwnProfile(api, customerSession.accessToken);
    ensureLoginListed(objectBody(response), customerSession.customer.email);
  });

  test('returns the contact email and the details given at signup @destructive @employee', async ({
    api,
    customerSession,
  }) => {
    // Tutorial "Creating a new customer" then "Retrieving a customer profile": customerDetails come back.
    const details = customerSession.customer.signup.customerDetails ?? {};
    const profile = objectBody(await readOwnProfile(api, customerSession.accessToken));
    ensureProfileFieldsMatch(profile, details, 'GET /me after signup');
  });

  test('carries an integer metadata.version @destructive @employee', async ({ api, customerSession }) => {
    // Tutorial "Retrieving a customer profile": metadata.version (the PATCH /me concurrency check uses it).
    versionOf(objectBody(await readOwnProfile(api, customerSession.accessToken)));
  });

  test('includes the signup address with expand=addresses @destructive @employee', async ({
    api,
    makeCustomer,
  }) => {
    // Tutorial "Retrieving a customer profile" (expand=addresses); docs/behaviour.md: the signup address is the default.
    const { customer, response } = await readProfileOfCustomerWithAddress(api, makeCustomer, 'addresses');
    ensureSchema(response, 'customer-profile');
    const addresses = objectBody(response).addresses;
    const list = Array.isArray(addresses) ? (addresses as JsonObject[]) : [];
    ensureField(
      REQ.PROFILE_EXPAND_ADDRESSES,
      'GET /me?expand=addresses',
      'addresses (the one given at signup)',
      Array.isArray(addresses) ? addresses.length : addresses,
      1,
    );
    ensureAddressFieldsMatch(
      list[0] ?? {},
      customer.signup.customerAddress ?? {},
      'GET /me?expand=addresses',
    );
    // docs/behaviour.md: the first address becomes the default (B).
    ensureSingleDefaultAddress(list, 'GET /me?expand=addresses');
  });

  test('answers mixins objects on the profile and its addresses with expand=addresses,mixin:* @destructive @employee', async ({
    api,
    makeCustomer,
  }) => {
    // Tutorial "Retrieving a customer profile": GET /me?expand=addresses,mixin:* answers "mixins": {} on the
    // profile, in its metadata, and on each address.
    const what = 'GET /me?expand=addresses,mixin:*';
    const { response } = await readProfileOfCustomerWithAddress(api, makeCustomer, 'addresses,mixin:*');
    ensureSchema(response, 'customer-profile');
    const profile = objectBody(response);
    const isMap = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);
    ensureField(REQ.PROFILE_EXPAND_MIXINS, what, 'mixins (an object)', isMap(profile.mixins), true);
    const addresses = Array.isArray(profile.addresses) ? (profile.addresses as JsonObject[]) : [];
    ensureField(
      REQ.PROFILE_EXPAND_ADDRESSES,
      what,
      'addresses (the one given at signup)',
      addresses.length,
      1,
    );
    addresses.forEach((address, i) => {
      const mixins =
        address.mixins ?? (isMap(address.metadata) ? (address.metadata as JsonObject).mixins : undefined);
      ensureField(REQ.PROFILE_EXPAND_MIXINS, what, `addresses[${i}] mixins (an object)`, isMap(mixins), true);
    });
  });

  test('leaves the addresses out without expand @destructive @employee', async ({ api, makeCustomer }) => {
    // docs/behaviour.md, GET /me: "addresses only with expand containing addresses".
    const { response } = await readProfileOfCustomerWithAddress(api, makeCustomer);
    ensureNoAddressesWithoutExpand(objectBody(response));
  });

  test('answers the anonymous profile to an anonymous token @smoke', async ({ api, anonymous }) => {
    // Tutorial "Retrieving a customer profile" ("a customer access token or an anonymous access token").
    const response = await readOwnProfile(api, anonymous.accessToken);
    ensureSchema(response, 'anonymous-profile');
    ensureAnonymousProfile(objectBody(response));
  });

  test('answers the existing customer its own profile @smoke', async ({ api, seedSession }) => {
    // Tutorial "Retrieving a customer profile", read-only with the configured customer.
    const response = await readOwnProfile(api, seedSession.accessToken);
    ensureSchema(response, 'customer-profile');
    const profile = objectBody(response);
    ensureLoginListed(profile, seedSession.email);
    ensureField(REQ.PROFILE_IDENTITY, 'GET /me', 'id (= customerNumber)', profile.id, profile.customerNumber);
  });
});

test.describe('Updating a customer profile', () => {
  test('applies B2B information and preferredSite, as GET /me then shows @destructive @employee', async ({
    api,
    customerSession,
  }) => {
    // Tutorial "Updating a customer profile": "personal details, preference settings, and B2B information"
    // (its example sends preferredSite and b2b.companyRegistrationId).
    const change = profileUpdateBody({
      preferredSite: 'main',
      b2b: { companyRegistrationId: '123-456-789' },
    });
    await updateOwnProfile(api, customerSession.accessToken, change);
    const profile = objectBody(await readOwnProfile(api, customerSession.accessToken));
    const b2b = profile.b2b !== null && typeof profile.b2b === 'object' ? (profile.b2b as JsonObject) : {};
    ensureField(
      REQ.PROFILE_B2B_AND_SITE,
      'GET /me after PATCH /me',
      'preferredSite',
      profile.preferredSite,
      'main',
    );
    ensureField(
      REQ.PROFILE_B2B_AND_SITE,
      'GET /me after PATCH /me',
      'b2b.companyRegistrationId',
      b2b.companyRegistrationId,
      '123-456-789',
    );
  });

  test('applies the changed fields, as GET /me then shows @destructive @employee', async ({
    api,
    customerSession,
  }) => {
    // Tutorial "Updating a customer profile"; PATCH-customer-update-customer answers 200.
    const change = profileUpdateBody();
    await updateOwnProfile(api, customerSession.accessToken, change);
    const after = objectBody(await readOwnProfile(api, customerSession.accessToken));
    ensureProfileFieldsMatch(after, change, 'GET /me after PATCH /me');
  });

  test('adds at least 1 to metadata.version on every change @destructive @employee', async ({
    api,
    customerSession,
  }) => {
    // docs/behaviour.md, PATCH /me: "Every change adds 1 to metadata.version".
    const token = customerSession.accessToken;
    const readVersion = async (): Promise<number> => versionOf(objectBody(await readOwnProfile(api, token)));
    let version = await readVersion();
    for (const step of ['first', 'second']) {
      await test.step(`${step} change`, async () => {
        await updateOwnProfile(api, token, profileUpdateBody());
        const next = await readVersion();
        ensureVersionIncreased(version, next, `GET /me after the ${step} PATCH /me`);
        version = next;
      });
    }
  });

  test('accepts a change that names the current metadata.version @destructive @employee', async ({
    api,
    customerSession,
  }) => {
    // Tutorial "Updating a customer profile" sends metadata.version; docs/behaviour.md: it must equal the current one.
    const token = customerSession.accessToken;
    const before = await readOwnProfile(api, token);
    const change = profileUpdateBody({ metadata: { version: versionOf(objectBody(before)) } });
    await updateOwnProfile(api, token, change);
    const after = await api.call('GET-customer-retrieve-customer-profile', { token });
    ensureProfileFieldsMatch(objectBody(after), change, 'GET /me after PATCH /me with the current version');
  });

  test('refuses a stale metadata.version with 409 and changes nothing @destructive @employee', async ({
    api,
    customerSession,
  }) => {
    // docs/behaviour.md PATCH /me and docs/discrepancies.md row 41: a stale version is 409 conflict_resource.
    const token = customerSession.accessToken;
    const readProfile = async (): Promise<JsonObject> => objectBody(await readOwnProfile(api, token));
    const stale = versionOf(await readProfile());
    await test.step('change the profile, so the version read is stale', async () => {
      await updateOwnProfile(api, token, profileUpdateBody());
    });
    const current = await readProfile();
    const refused = await api.call('PATCH-customer-update-customer', {
      token,
      body: profileUpdateBody({ metadata: { version: stale } }),
    });
    // 400 tolerated: the reference leaves the stale-version answer undocumented (B).
    ensureStatus(
      refused,
      [409, 400],
      `metadata.version ${stale} is stale (current ${versionOf(current)})`,
      REQ.PROFILE_STALE_VERSION,
    );
    if (refused.status === 409) ensureErrorType(refused, 'conflict_resource');
    const after = await readProfile();
    for (const field of ['firstName', 'lastName', 'contactPhone', 'company']) {
      ensureFieldUnchanged(field, current[field], after[field], 'GET /me after a refused stale PATCH /me');
    }
    ensureFieldUnchanged(
      'metadata.version',
      versionOf(current),
      versionOf(after),
      'GET /me after a refused PATCH',
    );
  });

  test('accepts the application/merge-patch+json content type @destructive @employee', async ({
    api,
    customerSession,
  }) => {
    // PATCH-customer-update-customer request body: application/json or application/merge-patch+json.
    const change = profileUpdateBody();
    await updateOwnProfile(api, customerSession.accessToken, change, 'application/merge-patch+json');
    const after = await api.call('GET-customer-retrieve-customer-profile', {
      token: customerSession.accessToken,
    });
    ensureProfileFieldsMatch(objectBody(after), change, 'GET /me after a merge-patch PATCH /me');
  });

  const invalidTypes: { field: string; body: JsonObject; sent: string }[] = [
    { field: 'firstName', body: { firstName: 123 }, sent: 'a number' },
    { field: 'contactPhone', body: { contactPhone: true }, sent: 'a boolean' },
    { field: 'preferredCurrency', body: { preferredCurrency: ['EUR'] }, sent: 'an array' },
    { field: 'metadata.version', body: { metadata: { version: 'latest' } }, sent: 'a string' },
  ];
  for (const { field, body, sent } of invalidTypes) {
    test(`refuses ${field} sent as ${sent} with 400 naming the field @destructive @employee`, async ({
      api,
      customerSession,
    }) => {
      // docs/behaviour.md, PATCH /me (CustomerUpdateDto types) and "Errors everywhere" (400 with details).
      const token = customerSession.accessToken;
      const before = await readOwnProfile(api, token);
      const refused = await api.call('PATCH-customer-update-customer', {
        token,
        body,
        skipRequestValidation: true,
      });
      ensureStatus(refused, 400, `${field} sent as ${sent}`, REQ.PROFILE_INVALID_REFUSED);
      ensureErrorType(refused, 'bad_request');
      ensureErrorDetailsName(refused, field);
      const after = await api.call('GET-customer-retrieve-customer-profile', { token });
      const top = field.split('.')[0] ?? field;
      ensureFieldUnchanged(
        top,
        objectBody(before)[top],
        objectBody(after)[top],
        'GET /me after a refused PATCH',
      );
    });
  }
});

test.describe('Assigning an account to a customer profile', () => {
  // Tutorial "Assigning an account to a customer profile": "requires the customer.customer_update or
  // customer.customer_manage scope". The test asks the OAuth service for a token narrowed to
  // customer.customer_read (the mock narrows it so); a target that hands out the other scopes anyway
  // leaves no token to test with, and the test says so.
  test('refuses to assign an account with a token lacking customer.customer_update and customer.customer_manage @destructive @employee', async ({
    api,
    config,
    employeeToken,
  }) => {
    const key = config.employee;
    if (!key || employeeToken === '')
      throw new Error('employeeToken yielded a token without configured credentials');
    const narrowed = await api.call('POST-oauth-request-client-credentials', {
      form: {
        grant_type: 'client_credentials',
        client_id: key.clientId,
        client_secret: key.clientSecret,
        scope: `tenant=${config.tenant} customer.customer_read`,
      },
    });
    ensureStatus(narrowed, 200, 'a service token narrowed to customer.customer_read');
    const scope = String(bodyOf(narrowed).scope ?? '');
    if (/\bcustomer\.customer_(update|manage)\b/.test(scope)) {
      skipBecause(
        'the target granted customer.customer_update or customer.customer_manage although only customer.customer_read ' +
          'was asked for: no token lacking them to test with',
        'assign.scope',
      );
    }
    const response = await api.call('POST-customer-assign-customer-account', {
      token: stringField(narrowed, 'access_token'),
      body: { email: uniqueEmail(config.emailTemplate), password: newPassword() },
    });
    ensureStatus(response, [401, 403], `a token whose scope is "${scope}"`, REQ.ASSIGN_NEEDS_SCOPE);
  });

  test('answers 201 with the customer number as id @destructive @employee', async ({
    api,
    config,
    customerSession,
  }) => {
    // Tutorial "Assigning an account to a customer profile": "The response returns the customer ID".
    const login = { email: uniqueEmail(config.emailTemplate), password: newPassword() };
    const response = await assignLogin(api, customerSession.accessToken, login);
    ensureField(
      REQ.ASSIGN_ACCOUNT,
      'POST /me/accounts/internal',
      'id',
      stringField(response, 'id'),
      customerSession.customer.customerNumber,
    );
  });

  test('lets the assigned email log in with its password, into the same profile @destructive @employee', async ({
    api,
    anonymous,
    config,
    customerSession,
  }) => {
    // docs/behaviour.md, Assign account: "the email becomes a second login of the same customer".
    const login = { email: uniqueEmail(config.emailTemplate), password: newPassword() };
    await assignLogin(api, customerSession.accessToken, login);
    const session = await api.call('POST-customer-authenticate-customer', {
      token: anonymous.accessToken,
      body: login,
    });
    ensureStatus(session, 200, 'logging in with the assigned email and its password', REQ.ASSIGN_ACCOUNT);
    const profile = await api.call('GET-customer-retrieve-customer-profile', {
      token: stringField(session, 'access_token'),
    });
    ensureStatus(profile, 200);
    ensureProfileIdentity(
      objectBody(profile),
      customerSession.customer.customerNumber,
      'GET /me as the new login',
    );
    ensureLoginListed(objectBody(profile), login.email, 'GET /me as the new login');
  });

  test('refuses an email that is already a login with 409 @destructive @employee', async ({
    api,
    config,
    customerSession,
  }) => {
    // POST-customer-assign-customer-account 409; docs/behaviour.md: "Email taken: 409".
    const email = uniqueEmail(config.emailTemplate);
    await assignLogin(api, customerSession.accessToken, { email, password: newPassword() });
    const again = await api.call('POST-customer-assign-customer-account', {
      token: customerSession.accessToken,
      body: { email, password: newPassword() },
    });
    ensureStatus(again, 409, `${email} is already a login`, REQ.ASSIGN_TAKEN);
    ensureErrorType(again, 'conflict_resource');
  });
});

test.describe('Deleting a customer profile', () => {
  // Tutorial "Deleting a customer profile": 202 when confirmation is required (docs/behaviour.md: the
  // token is emailed), or 204 when deletion is immediate. Both are documented; each test follows the
  // branch the target took.

  test('answers 202 and emails a confirmation token, or 204 and deletes at once @destructive @employee @email', async ({
    api,
    customerSession,
    mailbox,
  }) => {
    const after = new Date();
    const answer = await requestProfileDeletion(api, customerSession.accessToken);
    if (answer === 'pending') {
      const mail = await mailbox.waitFor(customerSession.customer.email, 'profile-delete', { after });
      ensureField(
        REQ.DELETE_ME_CONFIRMATION_EMAILED,
        'profile-delete email',
        'token',
        mail.token !== '',
        true,
      );
    } else {
      await ensureProfileGone(api, customerSession.accessToken, 'after DELETE /me answered 204');
    }
  });

  test('deletes the profile, after which the login is refused @destructive @employee @email', async ({
    api,
    anonymous,
    customerSession,
    mailbox,
  }) => {
    const { email, password } = customerSession.customer;
    await deleteProfile(api, mailbox, email, customerSession.accessToken);
    const login = await logIn(api, anonymous.accessToken, email, password);
    ensureRefusedWithFault(login, 'logging in as the deleted customer', { statusReq: REQ.DELETE_ME_GONE });
  });

  test('deletes the profile, after which its access token is refused @destructive @employee @email', async ({
    api,
    customerSession,
    mailbox,
  }) => {
    // docs/behaviour.md, DELETE /me: "the customer, its addresses and its tokens are gone".
    await deleteProfile(api, mailbox, customerSession.customer.email, customerSession.accessToken);
    await ensureProfileGone(api, customerSession.accessToken, 'GET /me with the deleted customer’s token');
  });

  test('deletes the profile, after which an employee no longer finds it @destructive @employee @email', async ({
    api,
    customerSession,
    employeeToken,
    mailbox,
  }) => {
    await deleteProfile(api, mailbox, customerSession.customer.email, customerSession.accessToken);
    const found = await api.call('GET-customer-tenant-retrieve-customer', {
      token: employeeToken,
      path: { customerNumber: customerSession.customer.customerNumber },
    });
    ensureStatus(found, 404, 'the employee reading the deleted customer', REQ.DELETE_ME_GONE);
    // The tenant-managed reference's own 404 example names another type: any type is accepted there.
    enforce(checkNotFoundType(found, 'the deleted customer'));
  });

  test('deletes every account of the profile, the assigned one too @destructive @employee @email', async ({
    api,
    anonymous,
    config,
    customerSession,
    mailbox,
  }) => {
    const second = { email: uniqueEmail(config.emailTemplate), password: newPassword() };
    const assigned = await api.call('POST-customer-assign-customer-account', {
      token: customerSession.accessToken,
      body: second,
    });
    ensureStatus(assigned, 201, 'assigning a second login before the deletion');
    await deleteProfile(api, mailbox, customerSession.customer.email, customerSession.accessToken);
    for (const [which, login] of [
      ['the signup login', customerSession.customer],
      ['the assigned login', second],
    ] as const) {
      const response = await logIn(api, anonymous.accessToken, login.email, login.password);
      ensureRefusedWithFault(response, `logging in with ${which} of the deleted profile`, {
        statusReq: REQ.DELETE_ME_GONE,
      });
    }
  });

  test('refuses a wrong confirmation token with 400 and keeps the profile @destructive @employee @email', async ({
    api,
    customerSession,
    mailbox,
  }) => {
    // docs/behaviour.md, DELETE /me: "Wrong token: 400".
    const token = customerSession.accessToken;
    const after = new Date();
    if ((await requestProfileDeletion(api, token)) === 'deleted') {
      skipBecause(
        'the target deleted the profile at once (204): there is no emailed confirmation token to get wrong',
        'profile.delete.wrong-token',
      );
    }
    const mail = await mailbox.waitFor(customerSession.customer.email, 'profile-delete', { after });
    const wrong = await api.call('DELETE-customer-remove-customer-profile', {
      token,
      query: { token: `${mail.token}x` },
    });
    ensureStatus(wrong, 400, 'a confirmation token that was never emailed', REQ.DELETE_ME_WRONG_TOKEN);
    const profile = await api.call('GET-customer-retrieve-customer-profile', { token });
    ensureStatus(
      profile,
      200,
      'GET /me after a refused deletion: the profile stays',
      REQ.DELETE_ME_WRONG_TOKEN,
    );
    ensureProfileIdentity(objectBody(profile), customerSession.customer.customerNumber);
  });
});
