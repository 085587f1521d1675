// Example payloads from the vendor's tutorial and OpenAPI references (December 2025), written out here
// so the suite never reads the vendor documents. The tutorial's copy has its email addresses redacted;
// they are replaced by the addresses the reference's matching examples use. `{tenant}`-style
// placeholders are kept as the documents print them.
import type { SchemaId } from '../../helpers/schemas.ts';

export interface PayloadExample {
  /** Where the example comes from: "tutorial: <section>" or "<document>: <operationId> <status or request>". */
  source: string;
  /** The schema it must satisfy. */
  schema: SchemaId;
  payload: unknown;
}

const saasToken =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMzg2OTAwMCIsImV4cCI6MTY0MDQ0NDAzMn0.lvxFOeCOk-DWi3kqwJwR8eKal3ON2rr53e9I6Pha5rI';

/** The fields every token answer starts with. */
const bearer = (access_token: string, expires_in: number) => ({
  token_type: 'Bearer',
  access_token,
  expires_in,
});
/** A refresh token and its lifetime. */
const refreshable = (refresh_token: string, refresh_token_expires_in: number) => ({
  refresh_token,
  refresh_token_expires_in,
});

const anonymousToken = {
  ...bearer('tpYgJPZqddEQ2zwfzNtx79noBP65', 3599),
  ...refreshable('7FnviYrxvQWYdzUVBVTvXeNAA4Jy1HPe', 86399),
  sessionId: '6d4d4d5e-04b9-40c5-9074-4df1405c6081',
  scope: 'tenant={tenant}',
};

const loginToken = {
  ...bearer('aYR3Lu3rpsQ9ODhBIR83b3txTr5K', 2591999),
  saas_token: saasToken,
  ...refreshable('94tKQ2Tsvlf9dYbmyccA7X1Rqe54B6dH', 86399),
  session_id: '45c9726e-77c8-4bd0-b29d-61ab56f59726',
  initialPassword: false,
};

const longScope =
  'approval.approval_read_own customermanagement.legalentity_read_own customer.customer_read_own ' +
  'quote.quote_read_own returns.returns_read_own iam.scope_read_own iam.user_read_own ' +
  'customersegment.segment_read_own iam.group_read_own order.order_readascustomer coupon.coupon_redeem ' +
  'customer.customerprofile_edit quote.quote_manage_own returns.returns_manage_own ' +
  'customer.customer_manage_own approval.approval_manage_own order.order_updateascustomer ' +
  'iam.assignment_delete_own customer.consent_view customer.customerprofile_view order.history_view ' +
  'iam.assignment_create_own customer.consent_manage tenant=test';

/** The tutorial's and the reference's validation answer (the same example in both). */
const validatedToken = {
  token_type: 'Bearer',
  expires_in: 2591974,
  scope: longScope,
  sessionId: '415c340b-5996-4112-bb3b-38139a409f93',
  email: 'customer@example.com',
  legalEntityId: '53ac81fd0cce8b26b36f3492',
};

// The documents' one customer, John Doe of Emporix, in the parts their examples combine.
const johnDoe = { title: 'MR', firstName: 'John', lastName: 'Doe' };
const emporixContact = { contactPhone: '123456789', company: 'Emporix' };
const preferences = (preferredCurrency: string, preferredSite: string) => ({
  preferredLanguage: 'en_US',
  preferredCurrency,
  preferredSite,
});
const customerNumbered = (customerNumber: string) => ({ customerNumber, id: customerNumber });
const registration = { companyRegistrationId: '123-456-789' };
const emporixEntity = { id: 'D165356', name: 'Emporix', contactAssignmentId: 'D436432' };
const exampleEmail = 'example@customer.com';

const customerProfile = {
  ...johnDoe,
  ...emporixContact,
  ...preferences('USD', 'default'),
  metadata: { mixins: {}, version: 2 },
  mixins: {},
  ...customerNumbered('13869000'),
  accounts: [{ id: exampleEmail }],
  contactEmail: exampleEmail,
  businessModel: 'B2B',
  b2b: { ...registration, legalEntities: [emporixEntity] },
};

const anonymousProfile = {
  firstName: 'Anonymous',
  lastName: 'Anonymous',
  preferredSite: 'default',
  ...customerNumbered('00000000'),
  accounts: [],
};

const platzDerRepublik = { street: 'Platz der Republik', streetNumber: '1', streetAppendix: '' };
const berlin = { zipCode: '11011', city: 'Berlin', country: 'DE', state: 'Berlin' };

const signupAddress = {
  contactName: 'John Doe',
  companyName: 'Emporix',
  ...platzDerRepublik,
  extraLine1: '',
  extraLine2: '',
  ...berlin,
  contactPhone: '123456789',
  tags: ['BILLING', 'SHIPPING'],
};

const addressFields = { ...signupAddress, extraLine3: '', extraLine4: '' };

const storedAddress = { ...addressFields, id: 'b05c20e034', isDefault: true };

const signupDetails = {
  ...johnDoe,
  middleName: '',
  contactEmail: exampleEmail,
  ...emporixContact,
  ...preferences('EUR', 'main'),
  b2b: registration,
};

/** PATCH-customer-update-customer's body: the tutorial's and the reference's differ in the site. */
const profileUpdate = (site: string) => ({
  ...johnDoe,
  contactEmail: exampleEmail,
  ...emporixContact,
  ...preferences('EUR', site),
  b2b: registration,
  metadata: { version: 1 },
});

const resetToken = 'beExUmshJC5gnuXk1kET5dCLyQWkrAfKRGFOxVXLcJI13R1fn5USjaWku5G71whM';

/** One example: where it comes from (see `PayloadExample.source`), its schema and the payload. */
const from =
  (document: string) =>
  (where: string, schema: SchemaId, payload: unknown): PayloadExample => ({
    source: `${document}: ${where}`,
    schema,
    payload,
  });
const tutorial = from('tutorial');
const customerManaged = from('customer-managed');
const tenantManaged = from('tenant-managed');
const oauthService = from('oauth-service');
const behaviour = from('behaviour.md');

/** Every response example of the tutorial and the references, with the schema it must satisfy. */
export const responseExamples: PayloadExample[] = [
  tutorial('Requesting an anonymous token', 'anonymous-token', anonymousToken),
  tutorial('Refreshing an anonymous token', 'anonymous-token', anonymousToken),
  tutorial('Logging in a customer', 'customer-token', loginToken),
  tutorial('Validating a token', 'validate-token', validatedToken),
  tutorial('Logging in a customer using social login', 'social-login-token', {
    social_access_token: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9...',
    social_id_token: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9...',
    refresh_token: '94tKQ2Tsvlf9dYbmyccA7X1Rqe54B6dH',
    refresh_token_expires_in: '86399',
    session_idle_time: 3600,
    token_type: 'Bearer',
    access_token: 'aYR3Lu3rpsQ9ODhBIR83b3txTr5K',
    saas_token: saasToken,
    expires_in: '2591999',
    scope: 'tenant={tenant}',
  }),
  tutorial('Retrieving a customer profile', 'customer-profile', customerProfile),
  tutorial('Retrieving a customer profile', 'me-profile', customerProfile),
  tutorial('Adding an address', 'resource-id', { id: 'b05c20e034' }),
  tutorial('Retrieving customer addresses', 'address-list', [storedAddress]),
  tutorial('Retrieving a specific customer address', 'address', storedAddress),
  tutorial('Assigning an account', 'resource-id', { id: '13869000' }),

  customerManaged(
    'GET-customer-retrieve-customer-profile 200 (logged in customer)',
    'customer-profile',
    customerProfile,
  ),
  customerManaged(
    'GET-customer-retrieve-customer-profile 200 (anonymous customer)',
    'anonymous-profile',
    anonymousProfile,
  ),
  customerManaged(
    'GET-customer-retrieve-customer-profile 200 (anonymous customer)',
    'me-profile',
    anonymousProfile,
  ),
  customerManaged('POST-customer-add-address 201', 'resource-id', { id: 'b05c20e034' }),
  customerManaged('GET-customer-list-customer-addresses 200', 'address-list', [storedAddress]),
  customerManaged('GET-customer-retrieve-address-by-id 200', 'address', storedAddress),
  customerManaged('POST-customer-assign-customer-account 201', 'resource-id', { id: '13869000' }),
  customerManaged('POST-customer-create-customer-account 201', 'resource-id', { id: '13730481' }),
  customerManaged('GET-oauth-generate-anonymous-access-token 200', 'anonymous-token', anonymousToken),
  customerManaged(
    'GET-oauth-refresh-anonymous-access-token 200 (refresh token)',
    'anonymous-token',
    anonymousToken,
  ),
  customerManaged(
    'GET-oauth-refresh-anonymous-access-token 200 (deprecated anonymous_token)',
    'anonymous-token-deprecated-refresh',
    {
      ...bearer('Zq91ySuLxLIzQ0vd0QxiC7imAIHi', 3599),
      sessionId: '5b7ae416-5d88-4dd9-bbe9-6b262f45b4e8',
      scope: 'tenant={tenant}',
    },
  ),
  customerManaged('POST-customer-authenticate-customer 200', 'customer-token', loginToken),
  customerManaged('GET-customer-refresh-authtoken 200', 'refreshed-customer-token', {
    ...bearer('2yXy8H7sByl4JSWrr7GRqxiCRMUm', 2591999),
    ...refreshable('iwXAFjGwboaehJar1qNOkV05phDw1god', 86390),
    session_id: '45c9726e-77c8-4bd0-b29d-61ab56f59726',
  }),
  customerManaged('GET-customer-validate-token 200', 'validate-token', validatedToken),
  customerManaged('GET-customer-signup-customer-optin 200', 'customer-token', {
    ...bearer('HzcnecB5l6STzXhRqU0Zp6hxS0Ay', 2591999),
    saas_token:
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI4NzQxMzI1MCIsImV4cCI6MTYzMjA1NDEzN30.p6g_G5ZbhjlvnObVC2OWGslLWWktxBw8onionfFvm4c',
    ...refreshable('tMhLYc8pfAqb1g10Z1o7BxABArxXe3db', 86399),
  }),
  customerManaged('400_bad_request (invalid tenant)', 'error', {
    type: 'bad_request',
    status: 400,
    message: 'The tenant information provided with the request is not valid.',
  }),
  customerManaged('401_unauthorized (invalid access token)', 'fault', {
    fault: { faultstring: 'Invalid access token', detail: { errorcode: 'oauth.v2.InvalidAccessToken' } },
  }),
  customerManaged('401_unauthorized (access token expired)', 'fault', {
    fault: {
      faultstring: 'Access Token expired',
      detail: { errorcode: 'keymanagement.service.access_token_expired' },
    },
  }),
  customerManaged('403_forbidden (missing required scopes)', 'error', {
    type: 'Forbidden',
    status: 403,
    message: 'User not authorized.',
  }),
  customerManaged('404_address', 'error', {
    type: 'resource_not_found',
    status: 404,
    message: 'Address {addressId} of customer {customerNumber} not found.',
  }),
  customerManaged('409_conflict (account already exists)', 'error', {
    type: 'conflict_resource',
    status: 409,
    message: "Duplicate account '{email}' for tenant '{tenant}'.",
  }),

  tenantManaged('GET-customer-tenant-retrieve-customer 200', 'employee-customer', {
    ...johnDoe,
    ...emporixContact,
    ...preferences('EUR', 'main'),
    metadata: { version: 6 },
    ...customerNumbered('13869000'),
    contactEmail: exampleEmail,
    active: true,
    onHold: false,
    businessModel: 'B2B',
    b2b: { ...registration, legalEntities: [emporixEntity] },
  }),
  tenantManaged('404_customer (customer not found)', 'error', {
    status: 404,
    type: 'application/json',
    message: 'Customer not Found',
    details: [{ message: "Couldn't find a customer with customerNumber '{customerNumber}'" }],
  }),

  oauthService('POST-oauth-request-client-credentials 200', 'service-token', {
    ...refreshable('', 0),
    session_idle_time: 120,
    ...bearer('vkFuQ6oTwj8_Ye4eiRSsqMeqLYNeQRJi', 14399),
    scope: 'tenant={tenant} ...',
  }),

  // docs/behaviour.md (the project's decisions)
  behaviour('unknown client id on anonymous login (401)', 'fault', {
    fault: { faultstring: 'Invalid ApiKey', detail: { errorcode: 'oauth.v2.InvalidApiKey' } },
  }),
  behaviour('test-only outbox', 'outbox', [
    {
      to: 'new.customer@example.com',
      kind: 'opt-in',
      token: resetToken,
      sentAt: '2025-12-01T10:00:00.000Z',
      subject: 'Activate your account',
    },
  ]),
  behaviour('test-only idp authorize', 'idp-code', { code: 'c0de-1' }),
];

const login = { email: exampleEmail, password: 'password123' };
const newPassword = 'P@ssw0rd123';
const emailChange = { ...login, newEmail: 'example@emporix.com', syncContactEmail: true };
const assignedAccount = { email: 'john.doe@example.com', password: 'password123' };

/** Every request body of the tutorial and the references, with the schema the suite sends it under. */
export const requestExamples: PayloadExample[] = [
  tutorial('Creating a new customer', 'signup', {
    ...login,
    customerDetails: {
      ...signupDetails,
      b2b: {
        ...registration,
        legalEntities: [{ id: '67e162a3ad4e2f12bc4f9306', name: 'ABC', contactAssignmentId: '91033918' }],
      },
    },
    customerAddress: signupAddress,
  }),
  tutorial('Activating customer account as an employee', 'employee-customer-update', {
    active: true,
    onHold: false,
  }),
  tutorial('Logging in a customer', 'login', login),
  tutorial('Updating a customer profile', 'profile-update', profileUpdate('DE')),
  tutorial('Adding an address', 'address-create', addressFields),
  tutorial('Updating a customer address', 'address-update', {
    ...addressFields,
    streetNumber: '2',
    streetAppendix: 'Platz',
    isDefault: true,
  }),
  tutorial('Assigning an account', 'assign-account', assignedAccount),
  tutorial('Requesting a password reset', 'password-reset-request', { email: exampleEmail, site: 'main' }),
  tutorial('Resetting a password using token', 'password-reset-update', {
    token: resetToken,
    password: newPassword,
  }),
  tutorial('Changing a password', 'password-change', { currentPassword: 'password123', newPassword }),
  tutorial('Request an email change', 'email-change-request', emailChange),
  tutorial('Confirming an email change', 'email-change-confirm', { token: resetToken }),

  customerManaged('PATCH-customer-update-customer request', 'profile-update', profileUpdate('main')),
  customerManaged('POST-customer-add-address request', 'address-create', addressFields),
  customerManaged('PATCH-customer-update-customer-address request', 'address-update', {
    ...addressFields,
    isDefault: true,
  }),
  customerManaged('POST-customer-assign-customer-account request', 'assign-account', assignedAccount),
  customerManaged('POST-customer-change-customer-login-email request', 'email-change-request', emailChange),
  customerManaged('POST-customer-confirm-customer-login-email request', 'email-change-confirm', {
    token: resetToken,
  }),
  customerManaged('POST-customer-request-reset-password request', 'password-reset-request', {
    email: exampleEmail,
  }),
  customerManaged('POST-customer-reset-password request', 'password-reset-update', {
    token: resetToken,
    password: newPassword,
  }),
  customerManaged('POST-customer-change-account-password request', 'password-change', {
    currentPassword: 'password123',
    newPassword,
  }),
  customerManaged('POST-customer-create-customer-account request (create account)', 'signup', {
    ...login,
    customerDetails: signupDetails,
    customerAddress: signupAddress,
  }),
  customerManaged('POST-customer-create-customer-account request (separate sign-up credentials)', 'signup', {
    ...login,
    customerDetails: { ...signupDetails, firstName: 'Jane' },
    customerAddress: { ...signupAddress, contactName: 'Jane Doe' },
    signup: { email: 'signup-example@customer.com', password: 'password1234' },
  }),
  customerManaged('POST-customer-authenticate-customer request', 'login', {
    email: 'customer@customer.com',
    password: 'password123',
  }),
  customerManaged('POST-customer-refresh-token request', 'optin-resend', { email: exampleEmail }),

  tenantManaged('PATCH-customer-tenant-update-customer request', 'employee-customer-update', {
    contactEmail: exampleEmail,
    active: true,
  }),
  oauthService('POST-oauth-request-client-credentials request (form fields)', 'oauth-token-request', {
    client_id: '{client_id}',
    client_secret: '{client_secret}',
    grant_type: 'client_credentials',
    scope: 'tenant={tenant} ...',
  }),

  // docs/behaviour.md: the mock's identity provider
  behaviour('test-only idp authorize request', 'idp-authorize', {
    email: 'social.customer@example.com',
    redirect_uri: 'https://shop.example.com/callback',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  }),
];
