// Credentials: password reset by emailed token, password change, and the two-step change of a
// login email (request, then confirm with the token emailed to the new address).
//
// A customer may have several logins (accounts[]); a login assigned with accounts/internal has its
// own password, the others share the customer's. A reset or a change sets the password of the one
// login it concerns: the email the reset was asked for, or the login the calling token was
// obtained with.

import type { FastifyInstance } from 'fastify';
import { customerOf, principalOf } from '../auth.ts';
import { invalidAccessToken, invalidField } from '../errors.ts';
import { hashPassword, verifyPassword } from '../passwords.ts';
import { EMAIL_MAX, closedBody, looksLikeEmail } from '../schemas.ts';
import { passwordHashOf, type CustomerRecord, type LoginAccount } from '../store.ts';

interface TenantParams {
  tenant: string;
}

const MIN_PASSWORD = 6;
const anonymousOnly = { tokenKinds: ['anonymous'] } as const;
const customerOnly = { tokenKinds: ['customer'] } as const;

const emailField = { type: 'string', minLength: 1, maxLength: EMAIL_MAX } as const;
const passwordField = { type: 'string', minLength: 1, maxLength: 1024 } as const;
const tokenField = { type: 'string', minLength: 1, maxLength: 1024 } as const;

// Bodies accept the fields of their reference DTO only; any other name is a 400.
const resetRequestBodySchema = closedBody(
  { email: emailField, site: { type: 'string', maxLength: 256 } },
  'email',
);

const resetUpdateBodySchema = closedBody({ token: tokenField, password: passwordField }, 'token', 'password');

const passwordChangeBodySchema = closedBody(
  { currentPassword: passwordField, newPassword: passwordField },
  'currentPassword',
  'newPassword',
);

const emailChangeBodySchema = closedBody(
  {
    email: emailField,
    password: passwordField,
    newEmail: emailField,
    syncContactEmail: { type: 'boolean' },
  },
  'email',
  'password',
  'newEmail',
);

const emailChangeConfirmBodySchema = closedBody({ token: tokenField }, 'token');

function checkNewPassword(field: string, value: string): void {
  if (value.length < MIN_PASSWORD) {
    throw invalidField(field, 'invalid_length', `${field} must have at least ${MIN_PASSWORD} characters`);
  }
}

function badToken() {
  return invalidField('token', 'invalid_value', 'token is unknown, used or expired');
}

function accountOf(customer: CustomerRecord, email: string): LoginAccount | undefined {
  const wanted = email.toLowerCase();
  return customer.accounts.find((account) => account.email.toLowerCase() === wanted);
}

/** Sets the password of one login: its own when it has one, else the customer's shared one. */
function setPassword(customer: CustomerRecord, email: string, passwordHash: string): void {
  const account = accountOf(customer, email);
  if (account?.passwordHash !== undefined) account.passwordHash = passwordHash;
  else customer.passwordHash = passwordHash;
}

export default async function credentialRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app;
  const { behaviour } = app.mockOptions;

  app.post<{ Params: TenantParams; Body: { email: string; site?: string } }>(
    '/customer/:tenant/password/reset',
    { config: anonymousOnly, schema: { body: resetRequestBodySchema } },
    async (request, reply) => {
      const { tenant } = request.params;
      const { email } = request.body;
      const customer = store.findCustomerByEmail(tenant, email);
      // 204 either way: the answer does not tell whether the account exists.
      if (customer) {
        const login = accountOf(customer, email)?.email ?? email;
        store.issueEmailToken(tenant, {
          kind: 'password-reset',
          customerNumber: customer.customerNumber,
          to: login,
          data: { email: login },
        });
      }
      return reply.code(204).send();
    },
  );

  app.post<{ Params: TenantParams; Body: { token: string; password: string } }>(
    '/customer/:tenant/password/reset/update',
    { config: anonymousOnly, schema: { body: resetUpdateBodySchema } },
    async (request, reply) => {
      const { tenant } = request.params;
      const { token, password } = request.body;
      // Checked first, so that a too short password does not spend the token.
      checkNewPassword('password', password);
      const record = store.consumeEmailToken(tenant, 'password-reset', token);
      const customer = record ? store.getCustomer(tenant, record.customerNumber) : undefined;
      if (!record || !customer) throw badToken();
      const passwordHash = await hashPassword(password);
      // The customer may have been deleted while the password was hashed.
      if (!store.getCustomer(tenant, customer.customerNumber)) throw badToken();
      const email = typeof record.data.email === 'string' ? record.data.email : '';
      setPassword(customer, email, passwordHash);
      store.tokens.revokeCustomer(tenant, customer.customerNumber);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: TenantParams; Body: { currentPassword: string; newPassword: string } }>(
    '/customer/:tenant/password/change',
    { config: customerOnly, schema: { body: passwordChangeBodySchema } },
    async (request, reply) => {
      const { tenant } = request.params;
      const { token } = principalOf(request);
      const customer = customerOf(request);
      const { currentPassword, newPassword } = request.body;
      checkNewPassword('newPassword', newPassword);
      const email = token.email ?? customer.accounts[0]?.email ?? '';
      const currentOk = await verifyPassword(currentPassword, passwordHashOf(customer, email));
      if (!currentOk && behaviour.checks.currentPassword) {
        throw invalidField('currentPassword', 'invalid_value', 'currentPassword is not the current password');
      }
      const passwordHash = await hashPassword(newPassword);
      // The customer may have been deleted while the password was hashed.
      if (!store.getCustomer(tenant, customer.customerNumber)) throw invalidAccessToken();
      setPassword(customer, email, passwordHash);
      // Every other session of the customer ends; the calling one (and its refresh token) stays.
      if (behaviour.passwordChangeEndsOtherSessions)
        store.tokens.revokeCustomer(tenant, customer.customerNumber, token.value);
      return reply.code(204).send();
    },
  );

  app.post<{
    Params: TenantParams;
    Body: { email: string; password: string; newEmail: string; syncContactEmail?: boolean };
  }>(
    '/customer/:tenant/me/accounts/internal/email/change',
    { config: customerOnly, schema: { body: emailChangeBodySchema } },
    async (request, reply) => {
      const { tenant } = request.params;
      const customer = customerOf(request);
      const { email, password, newEmail, syncContactEmail } = request.body;
      if (!looksLikeEmail(newEmail)) {
        throw invalidField('newEmail', 'invalid_format', 'newEmail must be an email address');
      }
      // One answer for an email that is not this customer's login and for a wrong password.
      const account = accountOf(customer, email);
      const passwordOk = await verifyPassword(password, account ? passwordHashOf(customer, email) : null);
      if (!account || !passwordOk) {
        throw invalidField(
          'password',
          'invalid_value',
          'email and password do not match a login of the customer',
        );
      }
      // The operation documents no 409: a login already taken is a bad request.
      if (store.isLoginTaken(tenant, newEmail)) {
        throw invalidField('newEmail', 'invalid_value', `newEmail is already a login on tenant ${tenant}`);
      }
      if (!store.getCustomer(tenant, customer.customerNumber)) throw invalidAccessToken();
      store.issueEmailToken(tenant, {
        kind: 'email-change',
        customerNumber: customer.customerNumber,
        to: newEmail,
        data: { email: account.email, newEmail, syncContactEmail: syncContactEmail === true },
      });
      return reply.code(204).send();
    },
  );

  app.post<{ Params: TenantParams; Body: { token: string } }>(
    '/customer/:tenant/me/accounts/internal/email/change/confirm',
    { config: anonymousOnly, schema: { body: emailChangeConfirmBodySchema } },
    async (request, reply) => {
      const { tenant } = request.params;
      const record = store.consumeEmailToken(tenant, 'email-change', request.body.token);
      const customer = record ? store.getCustomer(tenant, record.customerNumber) : undefined;
      if (!record || !customer) throw badToken();
      const { email, newEmail, syncContactEmail } = record.data;
      if (typeof email !== 'string' || typeof newEmail !== 'string') throw badToken();
      // Things may have moved since the request: the old login gone, the new one taken.
      if (!accountOf(customer, email)) {
        throw invalidField('token', 'invalid_value', 'the login this token changes no longer exists');
      }
      if (store.isLoginTaken(tenant, newEmail)) {
        throw invalidField('token', 'invalid_value', `${newEmail} has become a login on tenant ${tenant}`);
      }
      store.changeLogin(tenant, customer.customerNumber, email, newEmail);
      if (syncContactEmail === true) customer.profile.contactEmail = newEmail;
      store.touch(customer);
      return reply.code(204).send();
    },
  );
}
