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

const anonymousToken = {
  token_type: 'Bearer',
  access_token: 'tpYgJPZqddEQ2zwfzNtx79noBP65',
  expires_in: 3599,
  refresh_token: '7FnviYrxvQWYdzUVBVTvXeNAA4Jy1HPe',
  refresh_token_expires_in: 86399,
  sessionId: '6d4d4d5e-04b9-40c5-9074-4df1405c6081',
  scope: 'tenant={tenant}',
};

const loginToken = {
  access_token: 'aYR3Lu3rpsQ9ODhBIR83b3txTr5K',
  saas_token: saasToken,
  expires_in: 2591999,
  refresh_token: '94tKQ2Tsvlf9dYbmyccA7X1Rqe54B6dH',
  refresh_token_expires_in: 86399,
  token_type: 'Bearer',
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

const customerProfile = {
  title: 'MR',
  firstName: 'John',
  lastName: 'Doe',
  contactPhone: '123456789',
  company: 'Emporix',
  preferredLanguage: 'en_US',
  preferredCurrency: 'USD',
  preferredSite: 'default',
  metadata: { mixins: {}, version: 2 },
  mixins: {},
  customerNumber: '13869000',
  id: '13869000',
  accounts: [{ id: 'example@customer.com' }],
  contactEmail: 'example@customer.com',
  businessModel: 'B2B',
  b2b: {
    companyRegistrationId: '123-456-789',
    legalEntities: [{ id: 'D165356', name: 'Emporix', contactAssignmentId: 'D436432' }],
  },
};

const anonymousProfile = {
  firstName: 'Anonymous',
  lastName: 'Anonymous',
  preferredSite: 'default',
  customerNumber: '00000000',
  id: '00000000',
  accounts: [],
};

const addressFields = {
  contactName: 'John Doe',
  companyName: 'Emporix',
  street: 'Platz der Republik',
  streetNumber: '1',
  streetAppendix: '',
  extraLine1: '',
  extraLine2: '',
  extraLine3: '',
  extraLine4: '',
  zipCode: '11011',
  city: 'Berlin',
  country: 'DE',
  state: 'Berlin',
  contactPhone: '123456789',
  tags: ['BILLING', 'SHIPPING'],
};

const storedAddress = { ...addressFields, id: 'b05c20e034', isDefault: true };

const signupAddress = {
  contactName: 'John Doe',
  companyName: 'Emporix',
  street: 'Platz der Republik',
  streetNumber: '1',
  streetAppendix: '',
  extraLine1: '',
  extraLine2: '',
  zipCode: '11011',
  city: 'Berlin',
  country: 'DE',
  state: 'Berlin',
  contactPhone: '123456789',
  tags: ['BILLING', 'SHIPPING'],
};

const signupDetails = {
  title: 'MR',
  firstName: 'John',
  middleName: '',
  lastName: 'Doe',
  contactEmail: 'example@customer.com',
  contactPhone: '123456789',
  company: 'Emporix',
  preferredLanguage: 'en_US',
  preferredCurrency: 'EUR',
  preferredSite: 'main',
  b2b: { companyRegistrationId: '123-456-789' },
};

const resetToken = 'beExUmshJC5gnuXk1kET5dCLyQWkrAfKRGFOxVXLcJI13R1fn5USjaWku5G71whM';

/** Every response example of the tutorial and the references, with the schema it must satisfy. */
export const responseExamples: PayloadExample[] = [
  // Tutorial
  { source: 'tutorial: Requesting an anonymous token', schema: 'anonymous-token', payload: anonymousToken },
  { source: 'tutorial: Refreshing an anonymous token', schema: 'anonymous-token', payload: anonymousToken },
  { source: 'tutorial: Logging in a customer', schema: 'customer-token', payload: loginToken },
  {
    source: 'tutorial: Validating a token',
    schema: 'validate-token',
    payload: {
      token_type: 'Bearer',
      expires_in: 2591974,
      scope: longScope,
      sessionId: '415c340b-5996-4112-bb3b-38139a409f93',
      email: 'customer@example.com',
      legalEntityId: '53ac81fd0cce8b26b36f3492',
    },
  },
  {
    source: 'tutorial: Logging in a customer using social login',
    schema: 'social-login-token',
    payload: {
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
    },
  },
  { source: 'tutorial: Retrieving a customer profile', schema: 'customer-profile', payload: customerProfile },
  { source: 'tutorial: Retrieving a customer profile', schema: 'me-profile', payload: customerProfile },
  { source: 'tutorial: Adding an address', schema: 'resource-id', payload: { id: 'b05c20e034' } },
  { source: 'tutorial: Retrieving customer addresses', schema: 'address-list', payload: [storedAddress] },
  { source: 'tutorial: Retrieving a specific customer address', schema: 'address', payload: storedAddress },
  { source: 'tutorial: Assigning an account', schema: 'resource-id', payload: { id: '13869000' } },

  // Customer-managed reference
  {
    source: 'customer-managed: GET-customer-retrieve-customer-profile 200 (logged in customer)',
    schema: 'customer-profile',
    payload: customerProfile,
  },
  {
    source: 'customer-managed: GET-customer-retrieve-customer-profile 200 (anonymous customer)',
    schema: 'anonymous-profile',
    payload: anonymousProfile,
  },
  {
    source: 'customer-managed: GET-customer-retrieve-customer-profile 200 (anonymous customer)',
    schema: 'me-profile',
    payload: anonymousProfile,
  },
  {
    source: 'customer-managed: POST-customer-add-address 201',
    schema: 'resource-id',
    payload: { id: 'b05c20e034' },
  },
  {
    source: 'customer-managed: GET-customer-list-customer-addresses 200',
    schema: 'address-list',
    payload: [storedAddress],
  },
  {
    source: 'customer-managed: GET-customer-retrieve-address-by-id 200',
    schema: 'address',
    payload: storedAddress,
  },
  {
    source: 'customer-managed: POST-customer-assign-customer-account 201',
    schema: 'resource-id',
    payload: { id: '13869000' },
  },
  {
    source: 'customer-managed: POST-customer-create-customer-account 201',
    schema: 'resource-id',
    payload: { id: '13730481' },
  },
  {
    source: 'customer-managed: GET-oauth-generate-anonymous-access-token 200',
    schema: 'anonymous-token',
    payload: anonymousToken,
  },
  {
    source: 'customer-managed: GET-oauth-refresh-anonymous-access-token 200 (refresh token)',
    schema: 'anonymous-token',
    payload: anonymousToken,
  },
  {
    source: 'customer-managed: GET-oauth-refresh-anonymous-access-token 200 (deprecated anonymous_token)',
    schema: 'anonymous-token-deprecated-refresh',
    payload: {
      token_type: 'Bearer',
      access_token: 'Zq91ySuLxLIzQ0vd0QxiC7imAIHi',
      expires_in: 3599,
      sessionId: '5b7ae416-5d88-4dd9-bbe9-6b262f45b4e8',
      scope: 'tenant={tenant}',
    },
  },
  {
    source: 'customer-managed: POST-customer-authenticate-customer 200',
    schema: 'customer-token',
    payload: loginToken,
  },
  {
    source: 'customer-managed: GET-customer-refresh-authtoken 200',
    schema: 'refreshed-customer-token',
    payload: {
      access_token: '2yXy8H7sByl4JSWrr7GRqxiCRMUm',
      expires_in: 2591999,
      refresh_token: 'iwXAFjGwboaehJar1qNOkV05phDw1god',
      refresh_token_expires_in: 86390,
      token_type: 'Bearer',
      session_id: '45c9726e-77c8-4bd0-b29d-61ab56f59726',
    },
  },
  {
    source: 'customer-managed: GET-customer-validate-token 200',
    schema: 'validate-token',
    payload: {
      token_type: 'Bearer',
      expires_in: 2591974,
      scope: longScope,
      sessionId: '415c340b-5996-4112-bb3b-38139a409f93',
      email: 'customer@example.com',
      legalEntityId: '53ac81fd0cce8b26b36f3492',
    },
  },
  {
    source: 'customer-managed: GET-customer-signup-customer-optin 200',
    schema: 'customer-token',
    payload: {
      access_token: 'HzcnecB5l6STzXhRqU0Zp6hxS0Ay',
      saas_token:
        'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI4NzQxMzI1MCIsImV4cCI6MTYzMjA1NDEzN30.p6g_G5ZbhjlvnObVC2OWGslLWWktxBw8onionfFvm4c',
      expires_in: 2591999,
      refresh_token: 'tMhLYc8pfAqb1g10Z1o7BxABArxXe3db',
      refresh_token_expires_in: 86399,
      token_type: 'Bearer',
    },
  },
  {
    source: 'customer-managed: 400_bad_request (invalid tenant)',
    schema: 'error',
    payload: {
      type: 'bad_request',
      status: 400,
      message: 'The tenant information provided with the request is not valid.',
    },
  },
  {
    source: 'customer-managed: 401_unauthorized (invalid access token)',
    schema: 'fault',
    payload: {
      fault: { faultstring: 'Invalid access token', detail: { errorcode: 'oauth.v2.InvalidAccessToken' } },
    },
  },
  {
    source: 'customer-managed: 401_unauthorized (access token expired)',
    schema: 'fault',
    payload: {
      fault: {
        faultstring: 'Access Token expired',
        detail: { errorcode: 'keymanagement.service.access_token_expired' },
      },
    },
  },
  {
    source: 'customer-managed: 403_forbidden (missing required scopes)',
    schema: 'error',
    payload: { type: 'Forbidden', status: 403, message: 'User not authorized.' },
  },
  {
    source: 'customer-managed: 404_address',
    schema: 'error',
    payload: {
      type: 'resource_not_found',
      status: 404,
      message: 'Address {addressId} of customer {customerNumber} not found.',
    },
  },
  {
    source: 'customer-managed: 409_conflict (account already exists)',
    schema: 'error',
    payload: {
      type: 'conflict_resource',
      status: 409,
      message: "Duplicate account '{email}' for tenant '{tenant}'.",
    },
  },

  // Tenant-managed reference
  {
    source: 'tenant-managed: GET-customer-tenant-retrieve-customer 200',
    schema: 'employee-customer',
    payload: {
      title: 'MR',
      firstName: 'John',
      lastName: 'Doe',
      contactPhone: '123456789',
      company: 'Emporix',
      preferredLanguage: 'en_US',
      preferredCurrency: 'EUR',
      preferredSite: 'main',
      metadata: { version: 6 },
      customerNumber: '13869000',
      id: '13869000',
      contactEmail: 'example@customer.com',
      active: true,
      onHold: false,
      businessModel: 'B2B',
      b2b: {
        companyRegistrationId: '123-456-789',
        legalEntities: [{ id: 'D165356', name: 'Emporix', contactAssignmentId: 'D436432' }],
      },
    },
  },
  {
    source: 'tenant-managed: 404_customer (customer not found)',
    schema: 'error',
    payload: {
      status: 404,
      type: 'application/json',
      message: 'Customer not Found',
      details: [{ message: "Couldn't find a customer with customerNumber '{customerNumber}'" }],
    },
  },

  // OAuth reference
  {
    source: 'oauth-service: POST-oauth-request-client-credentials 200',
    schema: 'service-token',
    payload: {
      refresh_token_expires_in: 0,
      refresh_token: '',
      session_idle_time: 120,
      token_type: 'Bearer',
      access_token: 'vkFuQ6oTwj8_Ye4eiRSsqMeqLYNeQRJi',
      expires_in: 14399,
      scope: 'tenant={tenant} ...',
    },
  },

  // docs/behaviour.md (the project's decisions)
  {
    source: 'behaviour.md: unknown client id on anonymous login (401)',
    schema: 'fault',
    payload: { fault: { faultstring: 'Invalid ApiKey', detail: { errorcode: 'oauth.v2.InvalidApiKey' } } },
  },
  {
    source: 'behaviour.md: test-only outbox',
    schema: 'outbox',
    payload: [
      {
        to: 'new.customer@example.com',
        kind: 'opt-in',
        token: resetToken,
        sentAt: '2025-12-01T10:00:00.000Z',
        subject: 'Activate your account',
      },
    ],
  },
  { source: 'behaviour.md: test-only idp authorize', schema: 'idp-code', payload: { code: 'c0de-1' } },
];

/** Every request body of the tutorial and the references, with the schema the suite sends it under. */
export const requestExamples: PayloadExample[] = [
  // Tutorial
  {
    source: 'tutorial: Creating a new customer',
    schema: 'signup',
    payload: {
      email: 'example@customer.com',
      password: 'password123',
      customerDetails: {
        ...signupDetails,
        b2b: {
          companyRegistrationId: '123-456-789',
          legalEntities: [{ id: '67e162a3ad4e2f12bc4f9306', name: 'ABC', contactAssignmentId: '91033918' }],
        },
      },
      customerAddress: signupAddress,
    },
  },
  {
    source: 'tutorial: Activating customer account as an employee',
    schema: 'employee-customer-update',
    payload: { active: true, onHold: false },
  },
  {
    source: 'tutorial: Logging in a customer',
    schema: 'login',
    payload: { email: 'example@customer.com', password: 'password123' },
  },
  {
    source: 'tutorial: Updating a customer profile',
    schema: 'profile-update',
    payload: {
      title: 'MR',
      firstName: 'John',
      lastName: 'Doe',
      contactEmail: 'example@customer.com',
      contactPhone: '123456789',
      company: 'Emporix',
      preferredLanguage: 'en_US',
      preferredCurrency: 'EUR',
      preferredSite: 'DE',
      b2b: { companyRegistrationId: '123-456-789' },
      metadata: { version: 1 },
    },
  },
  { source: 'tutorial: Adding an address', schema: 'address-create', payload: addressFields },
  {
    source: 'tutorial: Updating a customer address',
    schema: 'address-update',
    payload: { ...addressFields, streetNumber: '2', streetAppendix: 'Platz', isDefault: true },
  },
  {
    source: 'tutorial: Assigning an account',
    schema: 'assign-account',
    payload: { email: 'john.doe@example.com', password: 'password123' },
  },
  {
    source: 'tutorial: Requesting a password reset',
    schema: 'password-reset-request',
    payload: { email: 'example@customer.com', site: 'main' },
  },
  {
    source: 'tutorial: Resetting a password using token',
    schema: 'password-reset-update',
    payload: { token: resetToken, password: 'P@ssw0rd123' },
  },
  {
    source: 'tutorial: Changing a password',
    schema: 'password-change',
    payload: { currentPassword: 'password123', newPassword: 'P@ssw0rd123' },
  },
  {
    source: 'tutorial: Request an email change',
    schema: 'email-change-request',
    payload: {
      email: 'example@customer.com',
      password: 'password123',
      newEmail: 'example@emporix.com',
      syncContactEmail: true,
    },
  },
  {
    source: 'tutorial: Confirming an email change',
    schema: 'email-change-confirm',
    payload: { token: resetToken },
  },

  // Customer-managed reference
  {
    source: 'customer-managed: PATCH-customer-update-customer request',
    schema: 'profile-update',
    payload: {
      title: 'MR',
      firstName: 'John',
      lastName: 'Doe',
      contactEmail: 'example@customer.com',
      contactPhone: '123456789',
      company: 'Emporix',
      preferredLanguage: 'en_US',
      preferredCurrency: 'EUR',
      preferredSite: 'main',
      b2b: { companyRegistrationId: '123-456-789' },
      metadata: { version: 1 },
    },
  },
  {
    source: 'customer-managed: POST-customer-add-address request',
    schema: 'address-create',
    payload: addressFields,
  },
  {
    source: 'customer-managed: PATCH-customer-update-customer-address request',
    schema: 'address-update',
    payload: { ...addressFields, isDefault: true },
  },
  {
    source: 'customer-managed: POST-customer-assign-customer-account request',
    schema: 'assign-account',
    payload: { email: 'john.doe@example.com', password: 'password123' },
  },
  {
    source: 'customer-managed: POST-customer-change-customer-login-email request',
    schema: 'email-change-request',
    payload: {
      email: 'example@customer.com',
      password: 'password123',
      newEmail: 'example@emporix.com',
      syncContactEmail: true,
    },
  },
  {
    source: 'customer-managed: POST-customer-confirm-customer-login-email request',
    schema: 'email-change-confirm',
    payload: { token: resetToken },
  },
  {
    source: 'customer-managed: POST-customer-request-reset-password request',
    schema: 'password-reset-request',
    payload: { email: 'example@customer.com' },
  },
  {
    source: 'customer-managed: POST-customer-reset-password request',
    schema: 'password-reset-update',
    payload: { token: resetToken, password: 'P@ssw0rd123' },
  },
  {
    source: 'customer-managed: POST-customer-change-account-password request',
    schema: 'password-change',
    payload: { currentPassword: 'password123', newPassword: 'P@ssw0rd123' },
  },
  {
    source: 'customer-managed: POST-customer-create-customer-account request (create account)',
    schema: 'signup',
    payload: {
      email: 'example@customer.com',
      password: 'password123',
      customerDetails: signupDetails,
      customerAddress: signupAddress,
    },
  },
  {
    source: 'customer-managed: POST-customer-create-customer-account request (separate sign-up credentials)',
    schema: 'signup',
    payload: {
      email: 'example@customer.com',
      password: 'password123',
      customerDetails: { ...signupDetails, firstName: 'Jane' },
      customerAddress: { ...signupAddress, contactName: 'Jane Doe' },
      signup: { email: 'signup-example@customer.com', password: 'password1234' },
    },
  },
  {
    source: 'customer-managed: POST-customer-authenticate-customer request',
    schema: 'login',
    payload: { email: 'customer@customer.com', password: 'password123' },
  },
  {
    source: 'customer-managed: POST-customer-refresh-token request',
    schema: 'optin-resend',
    payload: { email: 'example@customer.com' },
  },

  // Tenant-managed and OAuth references
  {
    source: 'tenant-managed: PATCH-customer-tenant-update-customer request',
    schema: 'employee-customer-update',
    payload: { contactEmail: 'example@customer.com', active: true },
  },
  {
    source: 'oauth-service: POST-oauth-request-client-credentials request (form fields)',
    schema: 'oauth-token-request',
    payload: {
      client_id: '{client_id}',
      client_secret: '{client_secret}',
      grant_type: 'client_credentials',
      scope: 'tenant={tenant} ...',
    },
  },

  // docs/behaviour.md: the mock's identity provider
  {
    source: 'behaviour.md: test-only idp authorize request',
    schema: 'idp-authorize',
    payload: {
      email: 'social.customer@example.com',
      redirect_uri: 'https://shop.example.com/callback',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    },
  },
];
