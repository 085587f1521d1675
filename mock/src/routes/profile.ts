// The customer's own profile: read it (GET /me, also answered to an anonymous token), update it
// (PATCH /me), delete it in two steps (DELETE /me, then DELETE /me?token=...; or at once, with
// behaviour.profileDeletion 'immediate'), and assign a second login to it (POST /me/accounts/internal).

import type { FastifyInstance } from 'fastify';
import { customerOf, principalOf } from '../auth.ts';
import { refuseContactEmailUnset } from '../contact-email.ts';
import { applyProfilePatch, checkVersion, type ProfileInput } from '../customers.ts';
import { conflict, invalidAccessToken, invalidField } from '../errors.ts';
import { hashPassword } from '../passwords.ts';
import { anonymousProfileBody, createdIdBody, customerView } from '../payloads.ts';
import { credentialsSchema, looksLikeEmail, profileProperties } from '../schemas.ts';

interface TenantParams {
  tenant: string;
}

const MIN_PASSWORD = 6;
const customerOnly = { tokenKinds: ['customer'] } as const;
// Tutorial, "Assigning an account to a customer profile": customer.customer_update or
// customer.customer_manage (a customer token has the latter as customer.customer_manage_own).
const assignConfig = {
  tokenKinds: ['customer'],
  requiredScopes: ['customer.customer_update', 'customer.customer_manage'],
} as const;

/**
 * PATCH /me: the profile fields of CustomerUpdateDto, `mixins` and `metadata`. Anything else (id,
 * customerNumber, active, onHold, accounts, password or an unknown name) is refused as a whole, so
 * a refused request changes nothing.
 */
const patchMeBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: profileProperties,
} as const;

const meQuerySchema = {
  type: 'object',
  properties: { expand: { type: 'string', maxLength: 1024 } },
} as const;

const deleteMeQuerySchema = {
  type: 'object',
  properties: { token: { type: 'string', maxLength: 1024 } },
} as const;

/** The names listed in `expand` (comma separated, blanks ignored). */
function expandedNames(expand: string | undefined): string[] {
  return (expand ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

export default async function profileRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app;

  app.get<{ Params: TenantParams; Querystring: { expand?: string } }>(
    '/customer/:tenant/me',
    { config: { tokenKinds: ['customer', 'anonymous'] }, schema: { querystring: meQuerySchema } },
    async (request) => {
      if (principalOf(request).kind === 'anonymous') return anonymousProfileBody();
      const customer = customerOf(request);
      // `mixin:*` is accepted: the profile always carries its mixins, so it changes nothing here.
      const expandAddresses = expandedNames(request.query.expand).includes('addresses');
      return customerView(customer, { expandAddresses });
    },
  );

  app.patch<{ Params: TenantParams; Body: ProfileInput | undefined }>(
    '/customer/:tenant/me',
    { config: customerOnly, schema: { body: patchMeBodySchema }, preValidation: refuseContactEmailUnset },
    async (request, reply) => {
      const customer = customerOf(request);
      const body = request.body ?? {};
      // Both checks throw before anything is written.
      checkVersion(customer, body);
      applyProfilePatch(customer, body);
      // Every accepted PATCH is a change of the profile: one more version.
      store.touch(customer);
      return reply.code(200).send();
    },
  );

  app.delete<{ Params: TenantParams; Querystring: { token?: string } }>(
    '/customer/:tenant/me',
    { config: customerOnly, schema: { querystring: deleteMeQuerySchema } },
    async (request, reply) => {
      const { tenant } = request.params;
      const principal = principalOf(request);
      const customer = customerOf(request);
      const { token } = request.query;
      if (token === undefined && app.mockOptions.behaviour.profileDeletion === 'immediate') {
        // Deletion without confirmation: the profile, its logins and its tokens are gone at once.
        store.deleteCustomer(tenant, customer.customerNumber);
        return reply.code(204).send();
      }
      if (token === undefined) {
        // Step 1: a confirmation token is emailed to the login the caller signed in with.
        store.issueEmailToken(tenant, {
          kind: 'profile-delete',
          customerNumber: customer.customerNumber,
          to: principal.token.email ?? customer.accounts[0]?.email ?? '',
        });
        return reply.code(202).send();
      }
      // Step 2: the emailed token of this very customer. Another customer's token is refused
      // without being spent, so its owner can still use it.
      const pending = store.tenant(tenant)?.emailTokens.get(token);
      const record =
        pending && pending.kind === 'profile-delete' && pending.customerNumber === customer.customerNumber
          ? store.consumeEmailToken(tenant, 'profile-delete', token)
          : undefined;
      if (!record) throw invalidField('token', 'invalid_value', 'token is unknown, used or expired');
      store.deleteCustomer(tenant, customer.customerNumber);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: TenantParams; Body: { email: string; password: string } }>(
    '/customer/:tenant/me/accounts/internal',
    { config: assignConfig, schema: { body: credentialsSchema } },
    async (request, reply) => {
      const { tenant } = request.params;
      const customer = customerOf(request);
      const { email, password } = request.body;
      if (!looksLikeEmail(email))
        throw invalidField('email', 'invalid_format', 'email must be an email address');
      if (password.length < MIN_PASSWORD) {
        throw invalidField(
          'password',
          'invalid_length',
          `password must have at least ${MIN_PASSWORD} characters`,
        );
      }
      // Any login of any customer of the tenant, this one included (case-insensitive).
      const duplicate = () => conflict(`Duplicate account '${email}' for tenant '${tenant}'.`);
      if (store.isLoginTaken(tenant, email)) throw duplicate();
      const passwordHash = await hashPassword(password);
      // Checked again: the email may have been taken, or the customer deleted, while hashing.
      if (store.isLoginTaken(tenant, email)) throw duplicate();
      if (!store.getCustomer(tenant, customer.customerNumber)) throw invalidAccessToken();
      store.addLogin(tenant, customer.customerNumber, email, passwordHash);
      store.touch(customer);
      return reply.code(201).send(createdIdBody(customer.customerNumber));
    },
  );
}
