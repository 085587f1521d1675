// Security promises of the profile and address operations, read against the OWASP API Security Top 10
// (2023): object-level authorization (API1), authentication (API2), property-level authorization and
// excessive data exposure (API3). Sources: docs/behaviour.md ("Token kinds", "GET /me", "PATCH /me",
// "Addresses"), RFC 6750 (bearer tokens) and RFC 7235 (the authentication scheme is case-insensitive).
import { test } from '../fixtures/index.ts';
import type { MadeCustomer } from '../fixtures/session-fixtures.ts';
import { readProfileOfCustomerWithAddress } from '../fixtures/steps-account.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import type { OperationId } from '../helpers/catalog.ts';
import {
  ensureFieldUnchanged,
  ensureNoSecretFields,
  ensureNothingLeaked,
  ensureProfileIdentity,
  ensureAddressNotListed,
  ensureLoginListed,
  ensureSecretNotEchoed,
  listBody,
  loginsOf,
  objectBody,
  stringField,
  type JsonObject,
} from '../helpers/checks/profile.ts';
import { addressBody, newPassword, signupBody, uniqueEmail } from '../helpers/data.ts';
import { documentedPart } from '../helpers/schemas.ts';
import { ensureField, ensureStatus } from '../helpers/checks/common.ts';
import { check, warn } from '../helpers/findings.ts';
import * as REQ from '../helpers/requirements/index.ts';

/** The documented refusals of a valid token used where it does not belong (docs/behaviour.md, "Refusals"). */
const REFUSED = [401, 403] as const;

async function readOwnAddress(api: ApiClient, owner: MadeCustomer, addressId: string): Promise<JsonObject> {
  const response = await api.call('GET-customer-retrieve-address-by-id', {
    token: owner.accessToken,
    path: { addressId },
  });
  ensureStatus(response, 200, 'the owner reading its own address');
  return objectBody(response);
}

test.describe("Another customer's addresses (OWASP API1: object-level authorization) @security", () => {
  const foreignCalls: { what: string; op: OperationId; query?: Record<string, string>; body?: JsonObject }[] =
    [
      { what: 'read', op: 'GET-customer-retrieve-address-by-id' },
      {
        what: 'update',
        op: 'PATCH-customer-update-customer-address',
        body: { city: 'Intruder', isDefault: false },
      },
      { what: 'delete', op: 'DELETE-customer-remove-customer-address-by-id' },
      { what: 'tag', op: 'POST-customer-add-address-tags', query: { tags: 'INTRUDER' } },
      { what: 'untag', op: 'DELETE-customer-remove-address-tags', query: { tags: 'BILLING,SHIPPING' } },
    ];
  for (const { what, op, query, body } of foreignCalls) {
    test(`a customer cannot ${what} another customer's address by id, which stays unchanged @destructive @employee`, async ({
      api,
      makeCustomer,
    }) => {
      // docs/behaviour.md, Addresses: "Unknown id or another customer's id: 404 resource_not_found" (403 tolerated).
      const [owner, intruder] = await Promise.all([makeCustomer(), makeCustomer()]);
      const sent = addressBody({ tags: ['BILLING', 'SHIPPING'] });
      const addressId = await test.step('the owner adds an address', async () => {
        const created = await api.call('POST-customer-add-address', { token: owner.accessToken, body: sent });
        ensureStatus(created, 201);
        return stringField(created, 'id');
      });
      const before = await readOwnAddress(api, owner, addressId);

      const response = await api.call(op, {
        token: intruder.accessToken,
        path: { addressId },
        ...(query ? { query } : {}),
        ...(body ? { body } : {}),
      });
      ensureStatus(
        response,
        [404, 403],
        `customer ${intruder.customerNumber} on address ${addressId} of customer ${owner.customerNumber}`,
        REQ.FOREIGN_ADDRESS_REFUSED,
      );
      ensureNothingLeaked(response, {
        'customer number': owner.customerNumber,
        email: owner.email,
        'contact name': String(sent.contactName),
      });

      const after = await readOwnAddress(api, owner, addressId);
      // Compared on the documented members: a server may add members that differ per answer.
      ensureField(
        REQ.FOREIGN_ADDRESS_UNCHANGED,
        `GET /me/addresses/${addressId} by its owner after another customer tried to ${what} it`,
        'address (documented members)',
        documentedPart('address', after),
        documentedPart('address', before),
      );
    });
  }

  test("a customer's address list never holds another customer's address @destructive @employee", async ({
    api,
    makeCustomer,
  }) => {
    // docs/behaviour.md, Addresses: GET /me/addresses lists the caller's addresses.
    const [owner, other] = await Promise.all([makeCustomer(), makeCustomer()]);
    const created = await api.call('POST-customer-add-address', {
      token: owner.accessToken,
      body: addressBody(),
    });
    ensureStatus(created, 201);
    const list = await api.call('GET-customer-list-customer-addresses', { token: other.accessToken });
    ensureStatus(list, 200);
    ensureAddressNotListed(
      listBody(list),
      stringField(created, 'id'),
      "the other customer's GET /me/addresses",
      REQ.NOTHING_LEAKED,
    );
  });
});

test.describe('No credentials in answers (OWASP API3: excessive data exposure) @security', () => {
  // docs/behaviour.md, GET /me and GET /me?expand=addresses,mixin:*: "Never a password or hash".
  const ownProfiles: { title: string; expand?: string }[] = [
    { title: 'the profile carries no password, hash, salt or secret at any depth @destructive @employee' },
    {
      title:
        'the expanded profile carries no password, hash, salt or secret at any depth @destructive @employee',
      expand: 'addresses,mixin:*',
    },
  ];
  for (const { title, expand } of ownProfiles) {
    test(title, async ({ api, makeCustomer }) => {
      const { customer, response } = await readProfileOfCustomerWithAddress(api, makeCustomer, expand);
      ensureNoSecretFields(response);
      ensureSecretNotEchoed(response, customer.password, 'password');
    });
  }

  test("the existing customer's profile carries no password, hash, salt or secret @smoke", async ({
    api,
    seedSession,
  }) => {
    // docs/behaviour.md, GET /me: "Never a password or hash" (read-only, any tenant).
    for (const expand of [undefined, 'addresses,mixin:*']) {
      const response = await api.call('GET-customer-retrieve-customer-profile', {
        token: seedSession.accessToken,
        query: { expand },
      });
      ensureStatus(response, 200);
      ensureNoSecretFields(response);
      ensureSecretNotEchoed(response, seedSession.password, 'password');
    }
  });

  test('the employee view of a customer carries no password, hash, salt or secret @destructive @employee', async ({
    api,
    employeeToken,
    makeCustomer,
  }) => {
    // GET-customer-tenant-retrieve-customer (CustomerForSellerDto) has no credential fields.
    const customer = await makeCustomer();
    const response = await api.call('GET-customer-tenant-retrieve-customer', {
      token: employeeToken,
      path: { customerNumber: customer.customerNumber },
    });
    ensureStatus(response, 200);
    ensureNoSecretFields(response);
    ensureSecretNotEchoed(response, customer.password, 'password');
  });

  test('the signup answer never echoes the password @destructive @employee', async ({ makeCustomer }) => {
    // POST-customer-create-customer-account answers {id} only.
    const customer = await makeCustomer();
    ensureSecretNotEchoed(customer.signupResponse, customer.password, 'password');
    ensureNoSecretFields(customer.signupResponse);
  });

  test('a refused duplicate signup never echoes the password @destructive @employee', async ({
    api,
    config,
    makeCustomer,
  }) => {
    // docs/behaviour.md, Signup: duplicate email 409 conflict_resource naming the email, not the password.
    const customer = await makeCustomer();
    const duplicate = signupBody(
      config.emailTemplate,
      {},
      { email: customer.email, password: newPassword() },
    );
    const response = await api.call('POST-customer-create-customer-account', {
      token: customer.anonymousToken,
      body: duplicate,
    });
    ensureStatus(response, 409, `${customer.email} is already signed up`, REQ.SIGNUP_DUPLICATE);
    ensureSecretNotEchoed(response, duplicate.password, 'password');
  });
});

test.describe('Fields a customer must not set (OWASP API3: mass assignment) @security', () => {
  /** Each field with the value an attacker would send; `intruder` is a fresh email address. */
  const forbidden: { field: string; value: (intruder: string) => unknown }[] = [
    { field: 'active', value: () => false },
    { field: 'onHold', value: () => true },
    { field: 'customerNumber', value: () => '99999999' },
    { field: 'id', value: () => '99999999' },
    { field: 'accounts', value: (intruder) => [{ id: intruder }] },
    { field: 'password', value: () => 'Intruder-Passw0rd!' },
  ];
  for (const { field, value: valueFor } of forbidden) {
    test(`PATCH /me cannot set ${field}: refused or ignored, and the customer still logs in @destructive @employee`, async ({
      api,
      anonymous,
      config,
      customerSession,
      employeeToken,
    }) => {
      // docs/behaviour.md, PATCH /me: "Fields a customer must not set (...) are refused with 400 and change nothing".
      const { customerNumber, email, password } = customerSession.customer;
      const token = customerSession.accessToken;
      const intruder = uniqueEmail(config.emailTemplate);
      const value = valueFor(intruder);
      const readBoth = async (): Promise<{ own: JsonObject; employee: JsonObject }> => {
        const own = await api.call('GET-customer-retrieve-customer-profile', { token });
        ensureStatus(own, 200);
        const employee = await api.call('GET-customer-tenant-retrieve-customer', {
          token: employeeToken,
          path: { customerNumber },
        });
        ensureStatus(employee, 200);
        return { own: objectBody(own), employee: objectBody(employee) };
      };
      const before = await readBoth();

      const patch = await api.call('PATCH-customer-update-customer', {
        token,
        body: { [field]: value },
        skipRequestValidation: true,
      });
      // The brief of the suite tolerates a server that ignores the field (200), as long as nothing changes.
      ensureStatus(patch, [400, 200], `PATCH /me with ${field}`, REQ.READ_ONLY_FIELDS);

      await test.step('nothing changed, as the customer and an employee see it', async () => {
        const after = await readBoth();
        ensureProfileIdentity(after.own, customerNumber, `GET /me after PATCH /me with ${field}`);
        ensureFieldUnchanged(
          'accounts[].id',
          loginsOf(before.own),
          loginsOf(after.own),
          `GET /me after PATCH /me with ${field}`,
          REQ.READ_ONLY_FIELDS,
        );
        for (const name of ['active', 'onHold', 'id', 'customerNumber']) {
          ensureFieldUnchanged(
            name,
            before.employee[name],
            after.employee[name],
            `employee GET after PATCH /me with ${field}`,
            REQ.READ_ONLY_FIELDS,
          );
        }
      });

      await test.step('the customer still logs in with the old password', async () => {
        const login = await api.call('POST-customer-authenticate-customer', {
          token: anonymous.accessToken,
          body: { email, password },
        });
        ensureStatus(
          login,
          200,
          `login with the old password after PATCH /me with ${field}`,
          REQ.READ_ONLY_FIELDS,
        );
      });

      if (field === 'password' || field === 'accounts') {
        await test.step('the injected credentials do not log in', async () => {
          const injected =
            field === 'password' ? { email, password: String(value) } : { email: intruder, password };
          const login = await api.call('POST-customer-authenticate-customer', {
            token: anonymous.accessToken,
            body: injected,
          });
          ensureStatus(login, 401, `login with the ${field} sent in PATCH /me`, REQ.READ_ONLY_FIELDS);
        });
      }
    });
  }
});

test.describe('Tokens are bound to their tenant (OWASP API2: broken authentication) @security', () => {
  test("a customer token is refused on another tenant's profile @smoke", async ({
    api,
    config,
    seedSession,
  }) => {
    // docs/behaviour.md, "Token kinds": every token is bound to one tenant; another tenant's token is 401 (403 tolerated).
    const response = await api.call('GET-customer-retrieve-customer-profile', {
      token: seedSession.accessToken,
      path: { tenant: config.otherTenant },
    });
    ensureStatus(
      response,
      REFUSED,
      `a customer token of ${config.tenant} on tenant ${config.otherTenant}`,
      REQ.REFUSED_WRONG_TOKEN,
    );
  });

  test("an anonymous token is refused on another tenant's signup @destructive", async ({
    api,
    anonymous,
    config,
  }) => {
    // docs/behaviour.md, "Token kinds" and "Refusals": a token of another tenant is 401 (403 tolerated).
    // A server that wrongly accepts would create a customer on the other tenant, hence @destructive.
    test.skip(
      !config.allowDestructive,
      'a wrongly accepted signup would create a customer on the other tenant',
    );
    const response = await api.call('POST-customer-create-customer-account', {
      token: anonymous.accessToken,
      path: { tenant: config.otherTenant },
      body: signupBody(config.emailTemplate),
    });
    ensureStatus(
      response,
      REFUSED,
      `an anonymous token of ${config.tenant} signing up on ${config.otherTenant}`,
      REQ.REFUSED_WRONG_TOKEN,
    );
  });
});

test.describe('Where the bearer token goes (RFC 6750) @security', () => {
  test('refuses a token sent only in the query string with 401 @smoke', async ({ api, seedSession }) => {
    // RFC 6750 §2.3 lets a server refuse URI tokens (and §5.3 advises against them: URLs are logged);
    // docs/behaviour.md, "Refusals": no Authorization header is 401.
    const response = await api.call('GET-customer-retrieve-customer-profile', {
      token: null,
      query: { access_token: seedSession.accessToken },
    });
    ensureStatus(
      response,
      401,
      'the customer token as ?access_token= without an Authorization header',
      REQ.BEARER_IN_HEADER_ONLY,
    );
  });

  test('refuses the token under the Basic scheme with 401 @smoke', async ({ api, seedSession }) => {
    // RFC 6750 §2.1: the credentials are "Bearer" + token; docs/behaviour.md: "not Bearer <token>" is 401.
    const response = await api.call('GET-customer-retrieve-customer-profile', {
      headers: { Authorization: `Basic ${seedSession.accessToken}` },
    });
    ensureStatus(response, 401, 'Authorization: Basic <customer token>', REQ.BEARER_IN_HEADER_ONLY);
  });

  test('refuses an altered token with 401 @smoke', async ({ api, seedSession }) => {
    // docs/behaviour.md, "Refusals": an unknown token is 401.
    const altered = `${seedSession.accessToken.slice(0, -1)}${seedSession.accessToken.endsWith('A') ? 'B' : 'A'}`;
    const response = await api.call('GET-customer-retrieve-customer-profile', { token: altered });
    ensureStatus(
      response,
      401,
      'the customer token with its last character changed',
      REQ.BEARER_IN_HEADER_ONLY,
    );
  });

  test('answers a lowercase "bearer" scheme with the caller\'s own profile or a clean 401 @smoke', async ({
    api,
    seedSession,
  }) => {
    // RFC 7235 §2.1: the auth-scheme is case-insensitive, so accepting "bearer" conforms; docs/behaviour.md's
    // literal "Bearer <token>" makes a 401 acceptable too. Anything else (403, 5xx, another profile) is wrong.
    const response = await api.call('GET-customer-retrieve-customer-profile', {
      headers: { Authorization: `bearer ${seedSession.accessToken}` },
    });
    ensureStatus(response, [200, 401], 'Authorization: bearer <customer token>', REQ.BEARER_IN_HEADER_ONLY);
    if (response.status === 200) {
      ensureLoginListed(
        objectBody(response),
        seedSession.email,
        'GET /me with "bearer": the token owner\'s profile',
      );
    } else {
      // Advisory in every profile: RFC 7235 §2.1 makes scheme names case-insensitive.
      warn(
        check(REQ.BEARER_SCHEME_CASE, false, () => ({
          operation: 'GET /customer/{tenant}/me',
          field: 'Authorization',
          expected: 'the lowercase "bearer" scheme accepted',
          received: '401',
        })),
      );
    }
  });
});
