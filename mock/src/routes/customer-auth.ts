// Customer authentication: signup, login, refreshing and validating customer tokens, social login
// through the mock identity provider, logout, and double opt-in.

import type { FastifyInstance } from 'fastify';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { principalOf } from '../auth.ts';
import { checkB2bRequirements, pickProfile, type ProfileInput } from '../customers.ts';
import { conflict, invalidAccessToken, invalidCredentials, invalidField } from '../errors.ts';
import { hashPassword, verifyPassword } from '../passwords.ts';
import {
  createdIdBody,
  customerTokenBody,
  refreshedCustomerTokenBody,
  socialTokenBody,
  validateTokenBody,
} from '../payloads.ts';
import {
  credentialsSchema,
  emailOnlyBodySchema,
  looksLikeEmail,
  queryOf,
  signupBodySchemaFor,
} from '../schemas.ts';
import { passwordHashOf, type AddressFields, type CustomerRecord } from '../store.ts';

interface TenantParams {
  tenant: string;
}

interface SignupBody {
  email: string;
  password: string;
  customerDetails?: ProfileInput;
  customerAddress?: AddressFields & { isDefault?: boolean; metadata?: unknown; id?: string };
  signup?: { email: string; password: string };
}

interface Credentials {
  email: string;
  password: string;
}

const MIN_PASSWORD = 6;
const anonymousOnly = { tokenKinds: ['anonymous'] } as const;
const customerOnly = { tokenKinds: ['customer'] } as const;

function checkEmail(field: string, value: string): void {
  if (!looksLikeEmail(value))
    throw invalidField(field, 'invalid_format', `${field} must be an email address`);
}

function checkPassword(field: string, value: string): void {
  if (value.length < MIN_PASSWORD) {
    throw invalidField(field, 'invalid_length', `${field} must have at least ${MIN_PASSWORD} characters`);
  }
}

/** The login email of a customer that matches `email` (as stored), or its first one. */
function loginEmailOf(customer: CustomerRecord, email?: string): string {
  const wanted = email?.toLowerCase();
  const account = customer.accounts.find((a) => a.email.toLowerCase() === wanted) ?? customer.accounts[0];
  return account?.email ?? '';
}

function pkceChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export default async function customerAuthRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app;
  const { checks, refresh: refreshPolicies, logout: logoutPolicy } = app.mockOptions.behaviour;

  app.post<{ Params: TenantParams; Body: SignupBody }>(
    '/customer/:tenant/signup',
    { config: anonymousOnly, schema: { body: signupBodySchemaFor(checks.countryCode) } },
    async (request, reply) => {
      const { tenant } = request.params;
      const body = request.body;
      checkEmail('email', body.email);
      if (checks.signupPasswordLength) checkPassword('password', body.password);
      // Separate sign-up credentials, when given, are the login; `email` stays the contact email.
      const login = body.signup ?? { email: body.email, password: body.password };
      if (body.signup) {
        checkEmail('signup.email', body.signup.email);
        checkPassword('signup.password', body.signup.password);
      }
      const details = body.customerDetails ?? {};
      if (
        details.contactEmail !== undefined &&
        details.contactEmail.toLowerCase() !== body.email.toLowerCase()
      ) {
        throw invalidField(
          'customerDetails.contactEmail',
          'invalid_value',
          'customerDetails.contactEmail must equal email',
        );
      }
      const profile = { ...pickProfile(details), contactEmail: details.contactEmail ?? body.email };
      checkB2bRequirements(profile, 'customerDetails.');
      const duplicate = () => conflict(`Duplicate account '${login.email}' for tenant '${tenant}'.`);
      const duplicatesRefused = checks.uniqueLogin;
      if (duplicatesRefused && store.isLoginTaken(tenant, login.email)) throw duplicate();
      const passwordHash = await hashPassword(login.password);
      // Checked again: another signup may have taken the email while the password was hashed.
      if (duplicatesRefused && store.isLoginTaken(tenant, login.email)) throw duplicate();

      let address: AddressFields | undefined;
      if (body.customerAddress) {
        const { isDefault: _isDefault, metadata: _metadata, id: _id, ...fields } = body.customerAddress;
        address = fields;
      }
      const customer = store.createCustomer(tenant, {
        loginEmail: login.email,
        passwordHash,
        profile,
        mixins: details.mixins ?? {},
        ...(address ? { address } : {}),
      });
      store.issueEmailToken(tenant, {
        kind: 'opt-in',
        customerNumber: customer.customerNumber,
        to: body.email,
      });
      return reply.code(201).send(createdIdBody(customer.customerNumber));
    },
  );

  app.post<{ Params: TenantParams; Body: Credentials }>(
    '/customer/:tenant/login',
    { config: anonymousOnly, schema: { body: credentialsSchema } },
    async (request) => {
      const { tenant } = request.params;
      const principal = principalOf(request);
      const { email, password } = request.body;
      const customer = store.findCustomerByEmail(tenant, email);
      // Always hash, so that an unknown email takes as long as a wrong password.
      const passwordOk = await verifyPassword(password, customer ? passwordHashOf(customer, email) : null);
      const active = customer?.active || !checks.activeToLogin;
      if (!customer || !passwordOk || !active || customer.onHold) throw invalidCredentials();
      // The customer may have been deleted while the password was checked.
      if (!store.getCustomer(tenant, customer.customerNumber)) throw invalidCredentials();
      customer.lastLogin = new Date(store.now()).toISOString();
      const pair = store.tokens.issueCustomer(tenant, {
        customerNumber: customer.customerNumber,
        sessionId: principal.token.sessionId,
        email: loginEmailOf(customer, email),
      });
      return customerTokenBody(pair, store.tokens);
    },
  );

  app.get<{ Params: TenantParams; Querystring: { refreshToken: string; legalEntityId?: string } }>(
    '/customer/:tenant/refreshauthtoken',
    {
      // The reference's security names the anonymous token, its parameter text the customer token.
      config: { tokenKinds: ['anonymous', 'customer'] },
      schema: { querystring: queryOf(['refreshToken'], ['legalEntityId']) },
    },
    async (request) => {
      const { tenant } = request.params;
      const { refreshToken, legalEntityId } = request.query;
      const old = store.tokens.findRefresh(refreshToken, tenant, 'customer');
      const customer = old?.customerNumber ? store.getCustomer(tenant, old.customerNumber) : undefined;
      if (!old || !customer) throw invalidAccessToken();
      if (legalEntityId !== undefined) {
        const entities = customer.profile.b2b?.legalEntities ?? [];
        if (!entities.some((entity) => entity.id === legalEntityId)) {
          throw invalidField(
            'legalEntityId',
            'invalid_value',
            `legalEntityId ${legalEntityId} is not a legal entity of the customer`,
          );
        }
      }
      const policy = refreshPolicies.customer;
      const entity = legalEntityId ?? old.legalEntityId;
      const sessionId = policy.keepsSession ? old.sessionId : randomUUID();
      if (!policy.rotates) {
        // The same refresh token comes back, announcing the time it has left.
        const pair = store.tokens.renewAccess(old, {
          sessionId,
          ...(entity !== undefined ? { legalEntityId: entity } : {}),
        });
        return refreshedCustomerTokenBody(pair, store.tokens.remainingSeconds(old));
      }
      if (policy.revokesUsed) store.tokens.revoke(old.value);
      const pair = store.tokens.issueCustomer(tenant, {
        customerNumber: customer.customerNumber,
        sessionId,
        email: old.email ?? loginEmailOf(customer),
        ...(entity !== undefined ? { legalEntityId: entity } : {}),
      });
      return refreshedCustomerTokenBody(pair);
    },
  );

  app.get<{ Params: TenantParams }>(
    '/customer/:tenant/validateauthtoken',
    { config: customerOnly },
    async (request) => {
      const { token } = principalOf(request);
      return validateTokenBody(token, store.tokens.remainingSeconds(token));
    },
  );

  app.get<{ Params: TenantParams; Querystring: { accessToken: string } }>(
    '/customer/:tenant/logout',
    { config: customerOnly, schema: { querystring: queryOf(['accessToken']) } },
    async (request, reply) => {
      const { token } = principalOf(request);
      if (request.query.accessToken !== token.value) {
        // Another session's token is never revoked: refused, or answered as done with nothing done.
        if (logoutPolicy.foreignToken === 'ignore') return reply.code(204).send();
        throw invalidField(
          'accessToken',
          'invalid_value',
          'accessToken must be the access token of the request',
        );
      }
      if (logoutPolicy.revokes === 'pair') store.tokens.revokeWithPartner(token.value);
      else if (logoutPolicy.revokes === 'access') store.tokens.revoke(token.value);
      return reply.code(204).send();
    },
  );

  app.post<{
    Params: TenantParams;
    Querystring: { code: string; redirect_uri: string; code_verifier?: string };
  }>(
    '/customer/:tenant/socialLogin',
    { config: anonymousOnly, schema: { querystring: queryOf(['code', 'redirect_uri'], ['code_verifier']) } },
    async (request) => {
      const { tenant } = request.params;
      const principal = principalOf(request);
      const { code, redirect_uri: redirectUri, code_verifier: verifier } = request.query;
      const state = store.requireTenant(tenant);
      const issued = state.socialCodes.get(code);
      // A code is single-use: any attempt with it spends it.
      state.socialCodes.delete(code);
      if (!issued || store.now() >= issued.expiresAt) {
        throw invalidField('code', 'invalid_value', 'code is unknown, used or expired');
      }
      if (issued.redirectUri !== redirectUri) {
        throw invalidField(
          'redirect_uri',
          'invalid_value',
          'redirect_uri does not match the authorization request',
        );
      }
      if (issued.codeChallenge !== undefined) {
        if (verifier === undefined || verifier === '') {
          throw invalidField('code_verifier', 'missing_value', 'code_verifier is required for this code');
        }
        if (pkceChallengeOf(verifier) !== issued.codeChallenge) {
          throw invalidField(
            'code_verifier',
            'invalid_value',
            'code_verifier does not match the code challenge',
          );
        }
      }
      let customer = store.findCustomerByEmail(tenant, issued.email);
      if (!customer) {
        customer = store.createCustomer(tenant, {
          loginEmail: issued.email,
          passwordHash: null,
          active: true,
          providerId: `mock-idp|${randomBytes(12).toString('hex')}`,
          profile: { contactEmail: issued.email },
        });
      }
      if (!customer.active || customer.onHold) throw invalidCredentials();
      const sessionHeader = request.headers['session-id'];
      const sessionId =
        typeof sessionHeader === 'string' && state.sessions.has(sessionHeader)
          ? sessionHeader
          : principal.token.sessionId;
      customer.lastLogin = new Date(store.now()).toISOString();
      const email = loginEmailOf(customer, issued.email);
      const pair = store.tokens.issueCustomer(tenant, {
        customerNumber: customer.customerNumber,
        sessionId,
        email,
      });
      const nowSeconds = Math.floor(store.now() / 1000);
      const subject = customer.accounts.find((a) => a.providerId)?.providerId ?? email;
      const claims = { iss: 'mock-idp', sub: subject, aud: tenant, iat: nowSeconds, exp: nowSeconds + 3600 };
      return socialTokenBody(
        pair,
        store.tokens,
        { accessToken: store.tokens.signJwt(claims), idToken: store.tokens.signJwt({ ...claims, email }) },
        tenant,
      );
    },
  );

  app.get<{ Params: TenantParams & { token: string } }>(
    '/customer/:tenant/signup/optin/:token',
    { config: anonymousOnly },
    async (request) => {
      const { tenant, token } = request.params;
      const principal = principalOf(request);
      const record = store.consumeEmailToken(tenant, 'opt-in', token);
      const customer = record ? store.getCustomer(tenant, record.customerNumber) : undefined;
      if (!customer) throw invalidField('token', 'invalid_value', 'token is unknown, used or expired');
      if (!customer.active) {
        customer.active = true;
        store.touch(customer);
      }
      customer.lastLogin = new Date(store.now()).toISOString();
      const pair = store.tokens.issueCustomer(tenant, {
        customerNumber: customer.customerNumber,
        sessionId: principal.token.sessionId,
        email: loginEmailOf(customer),
      });
      return customerTokenBody(pair, store.tokens);
    },
  );

  app.post<{ Params: TenantParams; Body: { email: string } }>(
    '/customer/:tenant/signup/optin/refresh_token',
    { config: anonymousOnly, schema: { body: emailOnlyBodySchema } },
    async (request, reply) => {
      const { tenant } = request.params;
      const customer = store.findCustomerByEmail(tenant, request.body.email);
      // 202 either way: the answer does not tell whether the account exists.
      if (customer && !customer.active) {
        store.issueEmailToken(tenant, {
          kind: 'opt-in',
          customerNumber: customer.customerNumber,
          to: request.body.email,
        });
      }
      return reply.code(202).send();
    },
  );
}
